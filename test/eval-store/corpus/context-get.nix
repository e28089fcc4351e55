# getContext reports every kind of context element.
with import ./lib.nix;
let
  a = mk { name = "ctx-a"; outputs = [ "out" "dev" ]; };
  s = "${a} ${a.dev} ${a.drvPath} ${./data/hello.txt}";
in
mk { name = "ctx-get"; ctx = builtins.toJSON (builtins.getContext s); has = builtins.hasContext s; hasNot = builtins.hasContext "plain"; }
