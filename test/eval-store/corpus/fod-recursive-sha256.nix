# Recursive SHA-256 fixed outputs are `source` paths.
with import ./lib.nix;
mk { name = "fod-rec"; outputHash = emptySha256; outputHashAlgo = "sha256"; outputHashMode = "recursive"; }
