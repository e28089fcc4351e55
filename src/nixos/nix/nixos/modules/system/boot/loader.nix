# Boot loaders: `boot.loader.{timeout,efi,systemd-boot,grub}`. Installing a boot loader
# is the system layer's job (src/system/systemd-boot.ts, grub.ts); what it needs from a
# configuration are these settings, which travel in the activation description. Each
# child carries its own (a specialisation's switch installs the boot loader with the
# child's settings — the root of nixpkgs#325233). NixOS's checks that make an
# incomplete configuration fail are here: GRUB without a device, systemd-boot with a
# relative ESP or a kernel without EFI stub.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkDefault mkIf types;
  efi = config.boot.loader.efi;
  sdb = config.boot.loader.systemd-boot;
  grub = config.boot.loader.grub;
in
{
  options.boot.loader = {
    timeout = mkOption {
      default = 5;
      type = types.nullOr types.int;
      description = ''
        Timeout (in seconds) until loader boots the default menu item. Use null if the
        loader menu should be displayed indefinitely.
      '';
    };

    efi = {
      canTouchEfiVariables = mkOption {
        default = false;
        type = types.bool;
        description = "Whether the installation process is allowed to modify EFI boot variables.";
      };
      efiSysMountPoint = mkOption {
        default = "/boot";
        type = types.str;
        description = "Where the EFI System Partition is mounted.";
      };
    };

    systemd-boot = {
      enable = mkOption {
        default = false;
        type = types.bool;
        description = ''
          Whether to enable the systemd-boot (formerly gummiboot) EFI boot manager.
          For more information about systemd-boot:
          https://www.freedesktop.org/wiki/Software/systemd/systemd-boot/
        '';
      };
      editor = mkOption {
        default = true;
        type = types.bool;
        description = ''
          Whether to allow editing the kernel command-line before boot. It is
          recommended to set this to false, as it allows gaining root access by
          passing init=/bin/sh as a kernel parameter.
        '';
      };
      consoleMode = mkOption {
        default = "keep";
        type = types.enum [ "0" "1" "2" "5" "auto" "max" "keep" ];
        description = "The resolution of the console.";
      };
      configurationLimit = mkOption {
        default = null;
        example = 120;
        type = types.nullOr types.int;
        description = ''
          Maximum number of latest generations in the boot menu. Useful to prevent boot
          partition running out of disk space. `null` means no limit.
        '';
      };
      sortKey = mkOption {
        default = "nixos";
        type = types.str;
        description = ''
          The sort key used for the NixOS bootloader entries. Specialisations inherit it
          from their parent unless they set their own.
        '';
      };
      rebootForBitlocker = mkOption {
        default = false;
        type = types.bool;
        description = "Enable *EXPERIMENTAL* BitLocker support.";
      };
      graceful = mkOption {
        default = false;
        type = types.bool;
        description = "Invoke `bootctl install` with the `--graceful` option.";
      };
      xbootldrMountPoint = mkOption {
        default = null;
        type = types.nullOr types.str;
        description = "Where the XBOOTLDR partition is mounted.";
      };
      installDeviceTree = mkOption {
        default = false;
        type = types.bool;
        description = "Install the devicetree blob specified by `config.hardware.deviceTree.name`.";
      };
      memtest86.enable = lib.mkEnableOption "MemTest86+ in the boot menu";
      netbootxyz.enable = lib.mkEnableOption "netboot.xyz in the boot menu";
      extraEntries = mkOption {
        type = types.attrsOf types.lines;
        default = { };
        description = "Any additional entries you want added to the systemd-boot menu.";
      };
      extraFiles = mkOption {
        type = types.attrsOf types.path;
        default = { };
        description = "A set of files to be copied to {file}`/boot`.";
      };
      extraInstallCommands = mkOption {
        default = "";
        type = types.lines;
        description = "Additional shell commands inserted in the bootloader installer script after generating menu entries.";
      };
    };

    grub = {
      enable = mkOption {
        default = !config.boot.isContainer;
        defaultText = lib.literalExpression "!config.boot.isContainer";
        type = types.bool;
        description = "Whether to enable the GNU GRUB boot loader.";
      };
      device = mkOption {
        default = "";
        example = "/dev/disk/by-id/wwn-0x500001234567890a";
        type = types.str;
        description = ''
          The device on which the GRUB boot loader will be installed. The special value
          `nodev` means that a GRUB boot menu will be generated, but GRUB itself will
          not actually be installed.
        '';
      };
      devices = mkOption {
        default = [ ];
        example = [ "/dev/disk/by-id/wwn-0x500001234567890a" ];
        type = types.listOf types.str;
        description = "The devices on which the boot loader, GRUB, will be installed.";
      };
      mirroredBoots = mkOption {
        default = [ ];
        type = types.listOf (types.submodule {
          options = {
            path = mkOption { type = types.str; example = "/boot1"; description = "The path to the boot directory where GRUB will be written."; };
            efiSysMountPoint = mkOption { default = null; type = types.nullOr types.str; description = "The path to the efi system mount point."; };
            efiBootloaderId = mkOption { default = null; type = types.nullOr types.str; description = "The id of the bootloader to store in efi nvram."; };
            devices = mkOption { default = [ ]; type = types.listOf types.str; description = "The path to the devices which will have the GRUB MBR written."; };
          };
        });
        description = "Mirror the boot configuration to multiple partitions and install grub to the respective devices.";
      };
      efiSupport = mkOption { default = false; type = types.bool; description = "Whether GRUB should be built with EFI support."; };
      efiInstallAsRemovable = mkOption { default = false; type = types.bool; description = "Whether or not to install GRUB EFI as removable media."; };
      useOSProber = mkOption { default = false; type = types.bool; description = "If set to true, append entries for other OSs detected by os-prober."; };
      enableCryptodisk = mkOption { default = false; type = types.bool; description = "Enable support for encrypted partitions."; };
      zfsSupport = mkOption { default = false; type = types.bool; description = "Whether GRUB should be built against libzfs."; };
      copyKernels = mkOption { default = false; type = types.bool; description = "Whether the GRUB menu builder should copy kernels and initial ramdisks to /boot."; };
      configurationLimit = mkOption {
        default = 100;
        example = 120;
        type = types.int;
        description = "Maximum of configurations in boot menu. GRUB has problems when there are too many entries.";
      };
      configurationName = mkOption {
        default = "";
        example = "Stable 2.6.21";
        type = types.str;
        description = "GRUB entry name instead of default.";
      };
      default = mkOption {
        default = "0";
        type = types.either types.int types.str;
        apply = toString;
        description = "Index of the default menu item to be booted. Can also be set to \"saved\".";
      };
      entryOptions = mkOption {
        default = "--class nixos --unrestricted";
        type = types.nullOr types.str;
        description = "Options applied to the primary NixOS menu entry.";
      };
      subEntryOptions = mkOption {
        default = "--class nixos";
        type = types.nullOr types.str;
        description = "Options applied to the secondary NixOS submenu entry.";
      };
      extraEntries = mkOption { default = ""; type = types.lines; description = "Any additional entries you want added to the GRUB boot menu."; };
      extraEntriesBeforeNixOS = mkOption { default = false; type = types.bool; description = "Whether extraEntries are included before the default option."; };
      extraConfig = mkOption { default = ""; type = types.lines; description = "Additional GRUB commands inserted in the configuration file just before the menu entries."; };
      extraInstallCommands = mkOption { default = ""; type = types.lines; description = "Additional shell commands inserted in the bootloader installer script after generating menu entries."; };
      splashImage = mkOption { default = null; type = types.nullOr types.path; description = "Background image used for GRUB."; };
      theme = mkOption { default = null; type = types.nullOr types.path; description = "Path to the grub theme to be used."; };
      gfxmodeEfi = mkOption { default = "auto"; type = types.str; description = "The gfxmode to pass to GRUB when loading a graphical boot interface under EFI."; };
      gfxmodeBios = mkOption { default = "1024x768"; type = types.str; description = "The gfxmode to pass to GRUB when loading a graphical boot interface under BIOS."; };
      fsIdentifier = mkOption { default = "uuid"; type = types.enum [ "uuid" "label" "provided" ]; description = "Determines how GRUB will identify devices when generating the configuration file."; };
      forceInstall = mkOption { default = false; type = types.bool; description = "Whether to try and forcibly install GRUB even if problems are detected."; };
      memtest86.enable = lib.mkEnableOption "MemTest86+ in the GRUB menu";
    };
  };

  config = lib.mkMerge [
    (mkIf sdb.enable {
      boot.loader.grub.enable = mkDefault false;
      system.boot.loader.id = "systemd-boot";
      boot.bootspec.extensions."org.nixos.systemd-boot" = {
        inherit (sdb) sortKey;
      };
      assertions = [
        {
          assertion = lib.hasPrefix "/" efi.efiSysMountPoint;
          message = "The ESP mount point '${toString efi.efiSysMountPoint}' must be an absolute path";
        }
        {
          assertion = sdb.xbootldrMountPoint == null || lib.hasPrefix "/" sdb.xbootldrMountPoint;
          message = "The XBOOTLDR mount point '${toString sdb.xbootldrMountPoint}' must be an absolute path";
        }
        {
          assertion = (config.boot.kernelPackages.kernel.features or { efiBootStub = true; }) ? efiBootStub;
          message = "This kernel does not support the EFI boot stub";
        }
      ];
      environment.systemPackages = [ pkgs.efibootmgr ];
    })
    (mkIf grub.enable {
      system.boot.loader.id = "grub";
      boot.loader.grub.devices = lib.optional (grub.device != "") grub.device;
      boot.loader.grub.mirroredBoots = lib.optionals (grub.devices != [ ]) [
        {
          path = "/boot";
          inherit (grub) devices;
          efiSysMountPoint = efi.efiSysMountPoint;
        }
      ];
      assertions = [
        {
          assertion = grub.mirroredBoots != [ ];
          message = "You must set the option ‘boot.loader.grub.devices’ or " + "'boot.loader.grub.mirroredBoots' to make the system bootable.";
        }
        {
          assertion = !(efi.canTouchEfiVariables && grub.efiInstallAsRemovable);
          message = "If you wish to to use boot.loader.grub.efiInstallAsRemovable, then turn off boot.loader.efi.canTouchEfiVariables";
        }
      ];
      environment.systemPackages = [ (if grub.efiSupport then pkgs.grub2_efi else pkgs.grub2) ] ++ lib.optional grub.useOSProber pkgs.os-prober;
    })
  ];
}
