# mkRenamedOptionModule / mkAliasOptionModule forward definitions, keeping priorities.
let
  lib = import <nixpkgs/lib>;
  eval = lib.evalModules { modules = [
    (lib.mkAliasOptionModule [ "old" ] [ "new" ])
    (lib.mkRenamedOptionModule [ "legacy" "x" ] [ "modern" "x" ])
    { options.new = lib.mkOption { type = lib.types.int; default = 0; };
      options.modern.x = lib.mkOption { type = lib.types.listOf lib.types.int; default = [ ]; };
      options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; }; }
    { _file = "/a.nix"; old = lib.mkDefault 5; legacy.x = [ 1 ]; modern.x = [ 2 ]; }
  ]; };
in
{ inherit (eval.config) new modern warnings; oldPrio = eval.options.new.highestPrio; }
