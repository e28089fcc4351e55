# `specialisation.<name>`: further systems built with this one and linked from its
# toplevel as `specialisation/<name>` (top-level.nix), each with its own boot entry.
#
# A child is a submodule whose type comes from `extendModules`: with
# `inheritParentConfig = true` that is this whole configuration (every module of the
# parent, then the child's own definitions merged in), otherwise it is
# `noUserModules.extendModules` — the base NixOS modules only, none of the user's.
# Either way ./no-clone.nix is added. Because the child is a submodule, its options live
# under `specialisation.<name>.configuration.…`, which is the prefix errors show.
{ config, lib, extendModules, noUserModules, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    isSpecialisation = mkOption {
      type = types.bool;
      internal = true;
      default = false;
      description = "Whether this system is a specialisation of another.";
    };

    specialisation = mkOption {
      default = { };
      example = lib.literalExpression "{ fewJobsManyCores.configuration = { nix.settings = { core = 0; max-jobs = 1; }; }; }";
      description = ''
        Additional configurations to build. If `inheritParentConfig` is true, the
        system is the parent's configuration plus the child's; otherwise it is the
        base NixOS modules plus the child's.

        To switch to a specialised configuration at runtime you can run:

        ```
        sudo /run/current-system/specialisation/fewJobsManyCores/bin/switch-to-configuration test
        ```
        (with tsnix: `tsnix os switch -c fewJobsManyCores --root DIR`).
      '';
      type = types.attrsOf (
        types.submodule (
          local@{ ... }:
          let
            extend = if local.config.inheritParentConfig then extendModules else noUserModules.extendModules;
          in
          {
            options.inheritParentConfig = mkOption {
              type = types.bool;
              default = true;
              description = "Include the entire system's configuration. Set to false to make a completely differently configured system.";
            };

            options.configuration = mkOption {
              default = { };
              description = ''
                Arbitrary NixOS configuration.

                Anything you can add to a normal NixOS configuration, you can add
                here, including imports and config values, although nested
                specialisations will be ignored.
              '';
              visible = "shallow";
              inherit (extend { modules = [ ./no-clone.nix ]; }) type;
            };
          }
        )
      );
    };
  };

  config = {
    assertions = lib.mapAttrsToList (name: _: {
      assertion = !lib.hasInfix "/" name;
      message = ''
        Specialisation names must not contain forward slashes.
        Invalid specialisation name: ${name}
      '';
    }) config.specialisation;
  };
}
