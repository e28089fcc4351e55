# Outputs interpolated into dependents: inputDrvs with the used outputs only.
with import ./lib.nix;
let
  a = mk { name = "chain-a"; outputs = [ "out" "dev" ]; };
  b = mk { name = "chain-b"; dep = a; };
  c = mk { name = "chain-c"; deps = [ b a.dev ]; script = "cp ${b}/x ${a.dev}/y $out"; };
in
c
