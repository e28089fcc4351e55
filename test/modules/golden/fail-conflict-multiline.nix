# Multi-line values in showDefs: indented by 4, cut after 5 lines.
let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [
  { options.x = lib.mkOption { type = lib.types.unique { message = "Needs one."; } (lib.types.attrsOf lib.types.int); }; }
  { _file = "/a.nix"; x = { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; }; }
  { _file = "/b.nix"; x = { a = 1; }; }
]; }).config.x
