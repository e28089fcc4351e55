# Attributes named like outputs are overwritten with the output paths.
with import ./lib.nix;
mk { name = "override"; outputs = [ "out" "dev" ]; out = "ignored"; dev = "ignored too"; }
