# Without __ignoreNulls a null is the empty string.
with import ./lib.nix;
mk { name = "nulls-kept"; gone = null; }
