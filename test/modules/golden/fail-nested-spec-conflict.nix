# The conflict inside a child is reported with the child's full option path.
let
  lib = import <nixpkgs/lib>;
  base = { extendModules, ... }: {
    options.plasma.enable = lib.mkEnableOption "plasma";
    options.specialisation = lib.mkOption {
      default = { };
      type = lib.types.attrsOf (lib.types.submodule {
        options.configuration = lib.mkOption { default = { }; type = (extendModules { modules = [ ]; }).type; };
      });
    };
  };
in
(lib.evalModules { modules = [ base {
  _file = "/etc/nixos/configuration.nix";
  plasma.enable = false;
  specialisation.kde.configuration.plasma.enable = true;
} ]; }).config.specialisation.kde.configuration.plasma.enable
