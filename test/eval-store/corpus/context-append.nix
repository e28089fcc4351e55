# appendContext creates dependencies that the string's text does not show.
with import ./lib.nix;
let
  a = mk { name = "app-a"; outputs = [ "out" "dev" ]; };
  drv = builtins.unsafeDiscardStringContext a.drvPath;
  src = builtins.unsafeDiscardStringContext "${./data/hello.txt}";
in
mk {
  name = "ctx-append";
  x = builtins.appendContext "no paths here" {
    ${drv} = { outputs = [ "dev" ]; };
    ${src} = { path = true; };
  };
}
