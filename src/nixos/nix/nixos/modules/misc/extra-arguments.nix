{ lib, pkgs, ... }:
{
  _module.args.utils = import ../../lib/utils.nix { inherit lib pkgs; };
}
