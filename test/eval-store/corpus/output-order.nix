# The first listed output is the default even when it is not `out`.
with import ./lib.nix;
mk { name = "order"; outputs = [ "lib" "bin" "out" ]; }
