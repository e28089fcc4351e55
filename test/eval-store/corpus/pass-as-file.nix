with import ./lib.nix;
mk { name = "paf"; passAsFile = [ "big" "other" ]; big = "lots of text\n"; other = [ 1 2 ]; }
