let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [
  { options.u = lib.mkOption { type = lib.types.uniq lib.types.int; }; }
  { _file = "/a.nix"; u = 1; }
  { _file = "/b.nix"; u = 2; }
]; }).config.u
