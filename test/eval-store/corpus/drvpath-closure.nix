# A drvPath in the environment pulls in the whole closure (DrvDeep context):
# every derivation below it with all its outputs, and every source.
with import ./lib.nix;
let
  a = mk { name = "deep-a"; src = ./data/hello.txt; outputs = [ "out" "bin" ]; };
  b = mk { name = "deep-b"; inherit a; script = builtins.toFile "s" "echo"; };
in
mk { name = "deep-c"; drv = b.drvPath; }
