# Unknown option with "Did you mean" suggestions (up to three, by edit distance).
let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [
  { options.services.xserver.desktopManager = {
      plasma6.enable = lib.mkEnableOption "plasma6";
      xfce.enable = lib.mkEnableOption "xfce";
      gnome.enable = lib.mkEnableOption "gnome";
    }; }
  { _file = "/etc/nixos/configuration.nix"; services.xserver.desktopManager.plasma5.enable = true; }
]; }).config
