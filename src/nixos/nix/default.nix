# `import <nixpkgs> { }` without a nixpkgs on the search path: tsnix's package
# catalogue (see pkgs/default.nix).
import ./pkgs
