with import ./lib.nix;
let a = mk { name = "app-all-a"; src = ./data/hello.txt; }; in
mk {
  name = "ctx-append-all";
  x = builtins.appendContext "" { ${builtins.unsafeDiscardStringContext a.drvPath} = { allOutputs = true; }; };
}
