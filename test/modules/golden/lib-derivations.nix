# extendDerivation (passthru on every output, paths guarded by the condition) and hydraJob.
let lib = import <nixpkgs/lib>;
  d = derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; } // { meta = { m = 1; }; };
  e = lib.extendDerivation true { extra = 1; } d;
  bad = lib.extendDerivation false { } d;
  h = lib.hydraJob d;
in {
  names = builtins.attrNames e;
  devNames = builtins.attrNames e.dev;
  extra = [ e.extra e.dev.extra e.out.extra ];
  paths = [ e.outPath e.dev.outPath e.drvPath (builtins.length e.all) e.dev.outputSpecified ];
  bad = (builtins.tryEval bad.outPath).success;
  badName = bad.name;
  h = builtins.attrNames h;
  hdev = builtins.attrNames h.dev;
  hpaths = [ h.outPath h.dev.drvPath h.outputName h.meta.m ];
  hnull = lib.hydraJob null;
}
