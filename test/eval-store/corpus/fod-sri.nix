# An SRI hash names its algorithm; outputHashAlgo may be omitted.
with import ./lib.nix;
mk { name = "fod-sri"; outputHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; }
