# Imported by hardware-configuration.nix files from nixos-generate-config when some
# hardware could not be detected: enable firmware with a redistributable license.
{ lib, ... }:
{
  hardware.enableRedistributableFirmware = lib.mkDefault true;
}
