# Discarded context: no inputs even though the text names store paths.
with import ./lib.nix;
let a = mk { name = "disc-a"; }; in
mk { name = "ctx-discard"; x = builtins.unsafeDiscardStringContext "${a} ${a.drvPath} ${./data/hello.txt}"; }
