# derivationStrict without the wrapper: `outputs` may be a string then.
let
  s = builtins.derivationStrict { name = "strict"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = "out bin"; };
in
{ type = "derivation"; name = "strict"; drvPath = s.drvPath; outPath = s.out; outputName = "out"; }
