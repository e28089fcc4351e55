with import ./lib.nix;
mk {
  name = "bp-filter";
  src = builtins.path {
    path = ./data/tree;
    name = "filtered";
    filter = path: type: type != "symlink" && baseNameOf path != ".hidden";
  };
}
