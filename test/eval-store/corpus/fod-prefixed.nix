with import ./lib.nix;
mk { name = "fod-prefixed"; outputHash = "sha256:${emptySha256}"; }
