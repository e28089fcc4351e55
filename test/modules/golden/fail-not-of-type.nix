let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [
  { options.port = lib.mkOption { type = lib.types.port; }; }
  { _file = "/a.nix"; port = 70000; }
  { _file = "/b.nix"; port = "80"; }
]; }).config.port
