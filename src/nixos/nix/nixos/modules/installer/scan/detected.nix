# Imported by hardware-configuration.nix files from nixos-generate-config.
{ lib, ... }:
{
  hardware.enableRedistributableFirmware = lib.mkDefault true;
}
