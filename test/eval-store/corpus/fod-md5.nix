with import ./lib.nix;
mk { name = "fod-md5"; outputHash = "d41d8cd98f00b204e9800998ecf8427e"; outputHashAlgo = "md5"; }
