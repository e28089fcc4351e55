with import ./lib.nix;
mk { name = "fod-md5-b64"; outputHash = "1B2M2Y8AsgTpgAmY7PhCfg=="; outputHashAlgo = "md5"; outputHashMode = "recursive"; }
