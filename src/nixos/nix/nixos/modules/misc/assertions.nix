# `assertions` and `warnings`: conditions every module can state about the whole
# configuration. They are checked when the toplevel is built (top-level.nix), with
# NixOS's "Failed assertions:" format.
{ lib, ... }:
{
  options = {
    assertions = lib.mkOption {
      type = lib.types.listOf lib.types.unspecified;
      internal = true;
      default = [ ];
      example = [
        {
          assertion = false;
          message = "you can't enable this for that reason";
        }
      ];
      description = ''
        Conditions that must hold for the configuration to build, each with the
        message shown to the user when it does not.
      '';
    };
    warnings = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      internal = true;
      default = [ ];
      example = [ "The `foo' service is deprecated and will go away soon!" ];
      description = "Warnings printed when the configuration is built.";
    };
  };
}
