# toFile may refer to sources and other toFile results (references of the text
# object), but not to derivation outputs.
with import ./lib.nix;
let
  conf = builtins.toFile "a.conf" "x = 1";
  script = builtins.toFile "run.sh" "cat ${conf} ${./data/hello.txt}";
in
mk { name = "tofile-refs"; inherit script; }
