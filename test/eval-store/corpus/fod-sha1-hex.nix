with import ./lib.nix;
mk { name = "fod-sha1"; outputHash = "da39a3ee5e6b4b0d3255bfef95601890afd80709"; outputHashAlgo = "sha1"; }
