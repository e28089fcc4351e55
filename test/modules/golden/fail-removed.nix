# mkRemovedOptionModule: the assertion message, and the throwing apply.
let
  lib = import <nixpkgs/lib>;
  eval = lib.evalModules { modules = [
    (lib.mkRemovedOptionModule [ "services" "xserver" "desktopManager" "plasma5" ] "the Plasma 5 desktop environment has been removed from nixpkgs, as it has reached EOL upstream.")
    { options.assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; }; }
    { _file = "/etc/nixos/configuration.nix"; services.xserver.desktopManager.plasma5.enable = true; }
  ]; };
  failed = map (x: x.message) (builtins.filter (x: !x.assertion) eval.config.assertions);
in
if failed != [ ] then throw "\nFailed assertions:\n${lib.concatStringsSep "\n" (map (x: "- ${x}") failed)}" else null
