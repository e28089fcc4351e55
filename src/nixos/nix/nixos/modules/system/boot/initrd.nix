# Stage 1: `boot.initrd.*`. The initrd is a tree whose `initrd` file is a clearly
# marked placeholder listing what NixOS would pack (modules, LUKS devices, file
# systems): tsnix cannot build an initramfs, but the store path changes exactly when
# the initrd would, which is what boot entries and the kernel notice compare.
# NixOS's root file system check lives here, as in stage-1.nix.
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkIf types;
  cfg = config.boot.initrd;
  kernel = config.boot.kernelPackages.kernel;
  fileSystems = lib.filter (fs: fs.enable or true) (lib.attrValues config.fileSystems);
  neededForBoot = lib.filter (fs: fs.neededForBoot || builtins.elem fs.mountPoint [ "/" "/nix" "/nix/store" "/var" "/var/log" "/var/lib" "/etc" "/usr" ]) fileSystems;

  luksOpts =
    { name, ... }:
    {
      options = {
        name = mkOption { type = types.str; default = name; internal = true; description = "Name of the unencrypted device in {file}`/dev/mapper`."; };
        device = mkOption { type = types.str; example = "/dev/disk/by-uuid/430e9eff-d852-4f68-aa3b-2fa3599ebe08"; description = "Path of the underlying encrypted block device."; };
        preLVM = mkOption { type = types.bool; default = true; description = "Whether the luksOpen will be attempted before LVM scan or after it."; };
        allowDiscards = mkOption { type = types.bool; default = false; description = "Whether to allow TRIM requests to the underlying device."; };
        bypassWorkqueues = mkOption { type = types.bool; default = false; description = "Whether to bypass dm-crypt's internal read and write workqueues."; };
        keyFile = mkOption { type = types.nullOr types.str; default = null; description = "The name of the file that should be used as the decryption key for the encrypted device."; };
        header = mkOption { type = types.nullOr types.str; default = null; description = "The name of the file or block device that should be used as header for the encrypted device."; };
        crypttabExtraOpts = mkOption { type = types.listOf types.singleLineStr; default = [ ]; description = "Additional crypttab options."; };
      };
    };

  placeholder = ''
    tsnix placeholder: this file stands for the initial RAM disk of a NixOS system
    (Linux ${kernel.modDirVersion}). It is not an initramfs and cannot boot anything.
    NixOS would pack:
      kernel modules: ${lib.concatStringsSep " " (lib.unique (cfg.availableKernelModules ++ cfg.kernelModules))}
      file systems needed for boot: ${lib.concatMapStringsSep " " (fs: "${fs.mountPoint}=${toString fs.device}") neededForBoot}
      LUKS devices: ${lib.concatStringsSep " " (lib.mapAttrsToList (n: d: "${n}=${d.device}") cfg.luks.devices)}
      systemd in stage 1: ${if cfg.systemd.enable then "yes" else "no"}
      compressor: ${cfg.compressor}
      prepended images: ${lib.concatStringsSep " " cfg.prepend}
  '';
in
{
  options.boot.initrd = {
    enable = mkOption {
      type = types.bool;
      default = !config.boot.isContainer;
      defaultText = lib.literalExpression "!config.boot.isContainer";
      description = "Whether to enable the NixOS initial RAM disk (initrd).";
    };
    availableKernelModules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "sata_nv" "ext3" ];
      description = "The set of kernel modules in the initial ramdisk used during the boot process, loaded on demand.";
    };
    kernelModules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "List of modules that are always loaded by the initrd.";
    };
    includeDefaultModules = mkOption {
      type = types.bool;
      default = true;
      description = "This option, if set, adds a collection of default kernel modules to {option}`boot.initrd.availableKernelModules` and {option}`boot.initrd.kernelModules`.";
    };
    luks.devices = mkOption {
      default = { };
      example = { luksroot.device = "/dev/disk/by-uuid/430e9eff-d852-4f68-aa3b-2fa3599ebe08"; };
      description = "The encrypted disk that should be opened before the root filesystem is mounted.";
      type = types.attrsOf (types.submodule luksOpts);
    };
    secrets = mkOption {
      default = { };
      type = types.attrsOf (types.nullOr types.path);
      description = "Secrets to append to the initrd.";
    };
    systemd.enable = mkOption {
      type = types.bool;
      default = false;
      description = "Whether to enable systemd in initrd.";
    };
    verbose = mkOption { type = types.bool; default = true; description = "Verbosity of the initrd."; };
    compressor = mkOption { type = types.str; default = "zstd"; description = "The compressor to use on the initrd image."; };
    prepend = mkOption { type = types.listOf types.str; default = [ ]; description = "Other initrd files to prepend to the final initrd we are building."; };
    checkJournalingFS = mkOption { type = types.bool; default = true; description = "Whether to run {command}`fsck` on journaling filesystems such as ext3."; };
    postDeviceCommands = mkOption { type = types.lines; default = ""; description = "Shell commands to be executed immediately after stage 1 of the boot has loaded kernel modules and created device nodes in {file}`/dev`."; };
    preLVMCommands = mkOption { type = types.lines; default = ""; description = "Shell commands to be executed immediately before LVM discovery."; };
    postMountCommands = mkOption { type = types.lines; default = ""; description = "Shell commands to be executed immediately after the stage 1 filesystems have been mounted."; };
    network.enable = mkOption { type = types.bool; default = false; description = "Add network connectivity support to initrd."; };
    supportedFilesystems = mkOption {
      default = { };
      type = types.coercedTo (types.listOf types.str) (l: lib.genAttrs l (_: true)) (types.attrsOf types.bool);
      description = "Names of supported filesystem types in the initial ramdisk.";
    };
    services.lvm.enable = mkOption { type = types.bool; default = false; description = "Enable booting from LVM2 in the initrd."; };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = lib.any (fs: fs.mountPoint == "/") fileSystems;
        message = "The ‘fileSystems’ option does not specify your root file system.";
      }
      {
        assertion =
          let
            inherit (config.boot) resumeDevice;
          in
          resumeDevice == "" || builtins.substring 0 1 resumeDevice == "/";
        message = "boot.resumeDevice has to be an absolute path." + " Old \"x:y\" style is no longer supported.";
      }
    ];

    boot.initrd.availableKernelModules = lib.mkIf cfg.includeDefaultModules [
      "ahci" "sata_nv" "sata_via" "sata_sis" "sata_uli" "ata_piix" "pata_marvell"
      "nvme" "sd_mod" "sr_mod" "mmc_block" "uhci_hcd" "ehci_hcd" "ehci_pci" "ohci_hcd" "ohci_pci" "xhci_hcd" "xhci_pci"
      "usbhid" "hid_generic" "hid_lenovo" "hid_apple" "hid_roccat" "hid_logitech_hidpp" "hid_logitech_dj" "hid_microsoft" "hid_cherry" "hid_corsair"
    ];
    boot.initrd.kernelModules = lib.mkIf cfg.includeDefaultModules [ "dm_mod" ];

    system.build.initialRamdisk = utils.mkTree "initrd-linux-${kernel.version}" {
      files.initrd.text = placeholder;
    };
    system.build.initialRamdiskSecretAppender = pkgs.writeShellScriptBin "append-initrd-secrets" ''
      echo "tsnix: initrd secrets are not appended by tsnix" >&2
      exit 1
    '';
  };
}
