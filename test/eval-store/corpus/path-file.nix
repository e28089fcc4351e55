with import ./lib.nix;
mk { name = "path-file"; src = ./data/hello.txt; }
