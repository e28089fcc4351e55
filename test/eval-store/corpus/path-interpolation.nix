with import ./lib.nix;
mk { name = "path-interp"; s = "${./data/hello.txt} and ${./data/tree}/sub/b.txt"; list = [ ./data/tree/a.txt ]; }
