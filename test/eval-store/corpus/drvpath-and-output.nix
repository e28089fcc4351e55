# Both the closure of one derivation and an output of another.
with import ./lib.nix;
let
  a = mk { name = "mixed-a"; };
  b = mk { name = "mixed-b"; outputs = [ "out" "dev" ]; };
in
mk { name = "mixed-c"; x = "${a.drvPath} ${b.dev}"; }
