# No options declared at all: the hint about `config' vs `options'.
let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [ { _file = "/m.nix"; foo.bar = 1; } ]; }).config
