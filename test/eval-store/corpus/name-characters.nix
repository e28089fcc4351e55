with import ./lib.nix;
mk { name = "a+b-c.d_e?f=g"; }
