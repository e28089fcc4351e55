# An attrsOf element of the wrong type, found inside the native attrsOf merge.
let
  lib = import <nixpkgs/lib>;
  eval = lib.evalModules {
    modules = [
      { options.x = lib.mkOption { type = lib.types.attrsOf (lib.types.listOf lib.types.int); }; }
      { x.a = [ 1 ]; }
      { x.a = [ "two" ]; x.b = [ ]; }
    ];
  };
in eval.config.x
