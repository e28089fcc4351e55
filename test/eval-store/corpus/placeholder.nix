with import ./lib.nix;
mk { name = "ph"; outputs = [ "out" "dev" ]; configureFlags = "--prefix=${placeholder "out"} --includedir=${placeholder "dev"}/include"; }
