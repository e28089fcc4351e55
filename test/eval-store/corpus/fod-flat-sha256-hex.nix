with import ./lib.nix;
mk { name = "fod-hex"; outputHash = emptySha256; outputHashAlgo = "sha256"; }
