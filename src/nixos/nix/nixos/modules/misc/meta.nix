# `meta`: documentation metadata modules may attach (maintainers, doc files).
{ lib, ... }:
{
  options.meta = lib.mkOption {
    type = lib.types.lazyAttrsOf lib.types.anything;
    internal = true;
    default = { };
    description = "Metadata about modules (maintainers, documentation).";
  };
}
