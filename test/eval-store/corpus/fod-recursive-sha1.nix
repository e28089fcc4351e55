with import ./lib.nix;
mk { name = "fod-rec-sha1"; outputHash = "143xibwh31h9bvxzalr0sjvbbvpa6ffs"; outputHashAlgo = "sha1"; outputHashMode = "recursive"; }
