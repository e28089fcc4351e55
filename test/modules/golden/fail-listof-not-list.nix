# A listOf option defined with a non-list (the native listOf merge's head error).
let
  lib = import <nixpkgs/lib>;
  eval = lib.evalModules {
    modules = [
      { options.x = lib.mkOption { type = lib.types.listOf lib.types.str; }; }
      { x = [ "a" ]; }
      { x = "b"; }
    ];
  };
in eval.config.x
