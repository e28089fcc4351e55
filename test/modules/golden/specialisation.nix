# The specialisation pattern: children built with extendModules / noUserModules,
# mkOverride 0 in every child, list concatenation, nested specialisations dropped.
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types;
  base = { config, extendModules, ... }: {
    options = {
      isSpecialisation = mkOption { type = types.bool; default = false; };
      packages = mkOption { type = types.listOf types.str; default = [ ]; };
      hostName = mkOption { type = types.str; default = "nixos"; };
      plasma.enable = lib.mkEnableOption "plasma";
      specialisation = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ config, ... }: {
          options.inheritParentConfig = mkOption { type = types.bool; default = true; };
          options.configuration = mkOption {
            default = { };
            type = ((if config.inheritParentConfig then extendModules else noUser.extendModules) {
              modules = [ noClone ];
            }).type;
          };
        }));
      };
      summary = mkOption { type = types.attrs; };
    };
    config.summary = {
      inherit (config) isSpecialisation packages hostName;
      plasma = config.plasma.enable;
      children = lib.mapAttrs (n: c: c.configuration.summary) config.specialisation;
      hasChildren = config.specialisation != { };
    };
  };
  noClone = { lib, ... }: {
    specialisation = lib.mkOverride 0 { };
    isSpecialisation = lib.mkOverride 0 true;
  };
  noUser = lib.evalModules { modules = [ base ]; };
  user = {
    hostName = "parent";
    packages = [ "cowsay" ];
    plasma.enable = lib.mkDefault false;
    specialisation.kde.configuration = { packages = [ "hello" ]; plasma.enable = true;
      specialisation.nested.configuration.hostName = "ignored"; };
    specialisation.bare = { inheritParentConfig = false; configuration.packages = [ "hello" ]; };
  };
  eval = lib.evalModules { modules = [ base user ]; };
in
eval.config.summary
