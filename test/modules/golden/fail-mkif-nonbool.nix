let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [
  { options.a = lib.mkOption { type = lib.types.int; }; }
  { a = lib.mkIf "yes" 1; }
]; }).config.a
