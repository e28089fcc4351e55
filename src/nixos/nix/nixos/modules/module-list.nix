# The base modules of tsnix's embedded NixOS: what every configuration (and every
# specialisation with inheritParentConfig = false) starts from.
#
# The order follows the order of the corresponding files in nixpkgs' module-list.nix
# (alphabetical by path), because the module system merges list definitions in an
# order that depends on it: it decides, e.g., which failed assertion is listed first.
[
  ./config/desktop-support.nix
  ./config/locale.nix
  ./config/networking.nix
  ./config/nix.nix
  ./config/shells-environment.nix
  ./config/system-path.nix
  ./config/users-groups.nix
  ./hardware/graphics.nix
  ./hardware/misc.nix
  ./misc/assertions.nix
  ./misc/extra-arguments.nix
  ./misc/ids.nix
  ./misc/meta.nix
  ./misc/nixpkgs.nix
  ./misc/version.nix
  ./programs/misc.nix
  ./programs/shells.nix
  ./security/default.nix
  ./services/misc.nix
  ./services/openssh.nix
  ./services/x11.nix
  ./system/activation/bootspec.nix
  ./system/activation/specialisation.nix
  ./system/activation/top-level.nix
  ./system/boot/kernel.nix
  ./system/boot/loader.nix
  ./system/boot/initrd.nix
  ./system/boot/stage-2.nix
  ./system/boot/systemd.nix
  ./system/etc.nix
  ./tasks/filesystems.nix
  ./virtualisation/default.nix
]
