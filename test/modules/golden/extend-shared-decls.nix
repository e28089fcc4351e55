# Declarations are shared by every evaluation with the same option sets (a module
# function whose options are closed, in a configuration, its extendModules child and
# another evaluation; each value of a submodule type): each option's type (declared,
# unspecified, or a submodule type with the declaring file substituted), default,
# apply and readOnly must still be its declaration's, and definitions, merges and
# files each evaluation's own.
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types;
  shared = { lib, ... }: {
    _file = "shared.nix";
    options = {
      untyped = mkOption { default = { a = 1; }; };
      applied = mkOption { type = types.int; default = 1; apply = x: x * 10; };
      fixed = mkOption { type = types.str; default = "ro"; readOnly = true; };
      listed = mkOption { type = types.listOf types.int; default = [ 0 ]; };
      sub = mkOption {
        default = { };
        type = types.submodule ({ name, ... }: { options.v = mkOption { type = types.int; default = 5; }; });
      };
      subs = mkOption {
        default = { };
        type = types.attrsOf (types.submodule { options.w = mkOption { type = types.str; default = "w"; }; });
      };
    };
  };
  base = lib.evalModules { modules = [ shared { _file = "parent.nix"; untyped.b = 2; applied = 2; sub.v = 6; subs.x = { }; } ]; };
  child = base.extendModules { modules = [ { _file = "child.nix"; untyped.c = 3; applied = lib.mkForce 3; listed = [ 1 ]; subs.y.w = "y"; } ]; };
  other = lib.evalModules { modules = [ shared { _file = "other.nix"; listed = lib.mkBefore [ 9 ]; } ]; };
  show = c: {
    inherit (c.config) untyped applied fixed listed sub subs;
    files = lib.mapAttrs (n: o: o.files) (builtins.removeAttrs c.options [ "_module" ]);
    subFiles = c.options.sub.declarations;
    typeNames = lib.mapAttrs (n: o: o.type.name) (builtins.removeAttrs c.options [ "_module" ]);
  };
in
{
  base = show base;
  child = show child;
  other = show other;
}
