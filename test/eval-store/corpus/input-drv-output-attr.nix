# `drv.dev.outPath` and `drv.all` select outputs.
with import ./lib.nix;
let a = mk { name = "outs"; outputs = [ "out" "dev" "man" ]; }; in
mk { name = "uses-outs"; dev = a.dev.outPath; all = a.all; first = (builtins.head a.all).outputName; }
