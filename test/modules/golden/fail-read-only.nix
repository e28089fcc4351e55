let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [
  { options.ro = lib.mkOption { type = lib.types.int; default = 1; readOnly = true; }; }
  { _file = "/a.nix"; ro = 2; }
]; }).config.ro
