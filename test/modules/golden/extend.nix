# extendModules: children see the parent's modules plus their own; chaining works.
let
  lib = import <nixpkgs/lib>;
  base = lib.evalModules { modules = [
    { options.l = lib.mkOption { type = lib.types.listOf lib.types.int; }; options.n = lib.mkOption { type = lib.types.int; default = 0; }; }
    { l = [ 1 ]; }
  ]; };
  child = base.extendModules { modules = [ { l = [ 2 ]; n = lib.mkForce 7; } ]; };
  grandchild = child.extendModules { modules = [ { l = [ 3 ]; } ]; prefix = [ "gc" ]; };
in
{
  base = base.config; child = child.config; grandchild = grandchild.config;
  typeName = base.type.name;
  sub = (lib.evalModules { modules = [ { options.s = lib.mkOption { type = base.type; }; } { s.l = [ 9 ]; } ]; }).config.s;
}
