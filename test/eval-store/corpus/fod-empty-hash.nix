# An empty outputHash means the all-zero hash (with a warning).
with import ./lib.nix;
mk { name = "fod-empty"; outputHash = ""; outputHashAlgo = "sha256"; }
