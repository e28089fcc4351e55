with import ./lib.nix;
mk { name = "multi"; outputs = [ "out" "dev" "lib" "doc" ]; }
