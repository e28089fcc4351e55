# `boot.bootspec.*`: the RFC-0125 document (`boot.json`) of the toplevel. The document
# itself is written by the realiser from the toplevel description, children embedded
# under `org.nixos.specialisation.v1`; here are the options that shape it.
{ lib, ... }:
{
  options.boot.bootspec = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      internal = true;
      description = "Whether to write the bootspec document `boot.json` into the toplevel.";
    };
    extensions = lib.mkOption {
      type = lib.types.attrsOf lib.types.anything;
      default = { };
      description = ''
        User-defined data that extends the bootspec document, keyed by namespace.
        Extensions cannot override the NixOS keys.
      '';
    };
  };
}
