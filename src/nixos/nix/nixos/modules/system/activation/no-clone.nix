# What every specialisation gets on top of its modules (NixOS's no-clone.nix): the
# child never installs GRUB itself, has no specialisations of its own (priority 0
# beats even mkForce, so nested definitions are silently dropped), and knows that it
# is a specialisation.
{ lib, ... }:
{
  boot.loader.grub.device = lib.mkOverride 0 "nodev";
  specialisation = lib.mkOverride 0 { };
  isSpecialisation = lib.mkOverride 0 true;
}
