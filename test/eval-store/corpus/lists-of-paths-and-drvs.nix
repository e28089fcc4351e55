with import ./lib.nix;
let a = mk { name = "lp-a"; }; in
mk { name = "lists"; srcs = [ ./data/hello.txt ./data/tree ]; deps = [ [ a ] a.drvPath ]; }
