# The .drv file itself as an input source, without its closure or outputs.
with import ./lib.nix;
let
  a = mk { name = "udod-a"; src = ./data/hello.txt; };
  b = mk { name = "udod-b"; inherit a; };
in
mk { name = "udod"; drv = builtins.unsafeDiscardOutputDependency b.drvPath; }
