with import ./lib.nix;
mk { name = "fod-b32"; outputHash = "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"; outputHashAlgo = "sha256"; outputHashMode = "flat"; }
