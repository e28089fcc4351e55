# builtins.fetchurl of a file:// URL is a flat copy named after the URL.
with import ./lib.nix;
mk { name = "fetchurl-local"; src = builtins.fetchurl "file://${toString ./data/hello.txt}"; }
