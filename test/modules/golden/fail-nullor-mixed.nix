# nullOr with null and non-null definitions (the engine's native nullOr merge).
let
  lib = import <nixpkgs/lib>;
  eval = lib.evalModules {
    modules = [
      { options.x = lib.mkOption { type = lib.types.nullOr lib.types.str; }; }
      { x = null; }
      { x = "s"; }
    ];
  };
in eval.config.x
