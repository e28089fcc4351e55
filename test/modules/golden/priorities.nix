# mkOverride priorities, lowest number wins; defaults are mkOptionDefault (1500).
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types mkDefault mkForce mkOverride mkOptionDefault mkImageMediaOverride mkVMOverride mkIf mkMerge;
  eval = lib.evalModules {
    modules = [
      {
        options = lib.genAttrs [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" ] (n: mkOption { type = types.str; default = "default-${n}"; })
          // { list = mkOption { type = types.listOf types.int; default = [ 0 ]; }; };
      }
      { a = "plain"; b = mkDefault "mkDefault"; c = mkForce "mkForce"; d = mkOverride 0 "zero"; e = mkDefault "def"; }
      { c = "plain"; d = mkForce "force"; e = mkOptionDefault "optDefault"; f = mkImageMediaOverride "media"; g = mkVMOverride "vm"; }
      { f = mkForce "force-f"; g = mkForce "force-g"; h = mkIf false "never"; i = mkMerge [ (mkIf true "merged") ]; }
      { list = mkDefault [ 1 ]; }
      { list = mkDefault [ 2 ]; }
      { j = mkOverride 1500 "same-as-default"; }
    ];
  };
  info = n: { inherit (eval.options.${n}) value highestPrio isDefined definitions; };
in
lib.genAttrs [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "list" ] info // { j = eval.options.j.highestPrio; }
