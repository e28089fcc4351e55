with import ./lib.nix;
[ (mk { name = "l1"; }) [ (mk { name = "l2"; }) ] (mk { name = "l3"; outputs = [ "out" "dev" ]; }).dev ]
