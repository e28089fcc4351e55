# The seed scenario: a bool defined differently in parent and child files.
let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [
  { options.services.xserver.desktopManager.plasma6.enable = lib.mkEnableOption "plasma"; }
  { _file = "/etc/nixos/configuration.nix"; services.xserver.desktopManager.plasma6.enable = false; }
  { _file = "/etc/nixos/child.nix"; services.xserver.desktopManager.plasma6.enable = true; }
]; }).config.services.xserver.desktopManager.plasma6.enable
