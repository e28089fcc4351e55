# Structured attrs collect contexts from the JSON: outputs, drvPaths, paths.
with import ./lib.nix;
let dep = mk { name = "sa-dep"; outputs = [ "out" "dev" ]; }; in
mk {
  name = "structured-refs";
  __structuredAttrs = true;
  outputs = [ "out" "bin" ];
  deps = [ dep dep.dev ];
  drv = dep.drvPath;
  src = ./data/hello.txt;
  nested = { tree = ./data/tree; };
}
