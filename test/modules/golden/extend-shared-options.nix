# extendModules children apply the parent's module functions again. Options that do
# not depend on the function's arguments may be shared between applications; those
# that do (through arguments, `let`s inside the function, `with`, the `@` argument)
# must be re-evaluated for each child.
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types;
  outer = "outer";
  closed = { config, ... }: {
    options.closed = {
      a = mkOption { type = types.str; default = outer; };
      sub = mkOption {
        default = { };
        type = types.submodule { options.x = mkOption { type = types.int; default = 1; }; };
      };
      fn = mkOption { type = types.str; default = (x: x + "!") outer; };
      rec' = mkOption { type = types.str; default = rec { p = outer; q = p; }.q; };
      lets = mkOption { type = types.str; default = let y = outer; in y; };
    };
    config.closed.a = lib.mkIf config.flag "flagged";
  };
  byArg = { config, ... }: { options.byArg = mkOption { type = types.str; default = config.name; }; };
  byLet = { config, ... }: let n = config.name; in { options.byLet = mkOption { type = types.str; default = n; }; };
  byWith = { config, ... }: with config; { options.byWith = mkOption { type = types.str; default = name; }; };
  byAt = { config, ... }@args: { options.byAt = mkOption { type = types.str; default = args.config.name; }; };
  # `lib` and specialArgs are the same values in every child, `config` never is.
  viaLib = { lib, config, ... }: let inherit (lib) types; t = types.str; in {
    options.viaLib = lib.mkOption { type = t; default = "lib"; };
  };
  viaLetChain = { config, lib, ... }: let cfg = config.name; x = cfg; in {
    options.viaLetChain = lib.mkOption { type = lib.types.str; default = x; };
  };
  viaSpecial = { tag, lib, ... }: { options.viaSpecial = lib.mkOption { type = lib.types.str; default = tag; }; };
  base = lib.evalModules {
    specialArgs.tag = "parent";
    modules = [
      viaLib viaLetChain viaSpecial
      closed byArg byLet byWith byAt
      { options.name = mkOption { type = types.str; }; options.flag = mkOption { type = types.bool; default = false; }; }
      { name = "parent"; closed.sub.x = 2; }
    ];
  };
  child = base.extendModules { modules = [ { name = lib.mkForce "child"; flag = true; closed.sub.x = lib.mkForce 3; } ]; };
  grandchild = child.extendModules { modules = [ { name = lib.mkOverride 10 "grandchild"; } ]; specialArgs.tag = "grandchild"; };
  show = c: { inherit (c.config) closed byArg byLet byWith byAt viaLib viaLetChain viaSpecial; files = c.options.closed.sub.files; };
in
{
  base = show base;
  child = show child;
  grandchild = show grandchild;
}
