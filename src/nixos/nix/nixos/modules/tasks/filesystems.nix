# File systems and swap: `fileSystems`, `swapDevices`, `boot.supportedFilesystems`,
# rendered to /etc/fstab as NixOS renders it (the switch planner derives mount units
# and swap changes from it).
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkDefault types;

  fileSystemOpts =
    { name, config, ... }:
    {
      options = {
        enable = mkOption { default = true; type = types.bool; description = "Whether to enable this mount."; };
        mountPoint = mkOption {
          example = "/mnt/usb";
          type = types.str;
          description = "Location of the mounted file system.";
        };
        device = mkOption {
          default = null;
          example = "/dev/sda";
          type = types.nullOr types.str;
          description = "Location of the device.";
        };
        fsType = mkOption {
          default = "auto";
          example = "ext3";
          type = types.str;
          description = "Type of the file system.";
        };
        options = mkOption {
          default = [ "defaults" ];
          example = [ "data=journal" ];
          type = types.nonEmptyListOf types.str;
          description = "Options used to mount the file system.";
        };
        label = mkOption {
          default = null;
          example = "root-partition";
          type = types.nullOr types.str;
          description = "Label of the device (if any).";
        };
        depends = mkOption {
          default = [ ];
          example = [ "/persist" ];
          type = types.listOf types.str;
          description = "List of paths that should be mounted before this one.";
        };
        neededForBoot = mkOption {
          default = false;
          type = types.bool;
          description = "If set, this file system will be mounted in the initial ramdisk.";
        };
        noCheck = mkOption { default = false; type = types.bool; description = "Disable running fsck on this filesystem."; };
        autoFormat = mkOption { default = false; type = types.bool; description = "If the device does not currently contain a filesystem, create one."; };
        autoResize = mkOption { default = false; type = types.bool; description = "If set, the filesystem is grown to its maximum size before being mounted."; };
        encrypted = {
          enable = mkOption { default = false; type = types.bool; description = "The block device is backed by an encrypted one, adds this device as a initrd luks entry."; };
          blkDev = mkOption { default = null; type = types.nullOr types.str; description = "Location of the backing encrypted device."; };
          label = mkOption { default = null; type = types.nullOr types.str; description = "Label of the unlocked encrypted device."; };
          keyFile = mkOption { default = null; type = types.nullOr types.str; description = "Path to a keyfile used to unlock the backing encrypted device."; };
        };
      };
      config = {
        mountPoint = mkDefault name;
        device = lib.mkIf (builtins.elem config.fsType [ "tmpfs" "ramfs" ]) (mkDefault config.fsType);
      };
    };

  swapOpts =
    { config, ... }:
    {
      options = {
        device = mkOption { example = "/dev/sda3"; type = types.nonEmptyStr; description = "Path of the device or swap file."; };
        label = mkOption { default = null; example = "swap"; type = types.nullOr types.str; description = "Label of the device."; };
        size = mkOption { default = null; example = 2048; type = types.nullOr types.int; description = "If this option is set, ‘device’ is interpreted as the path of a swapfile that will be created automatically with the indicated size in MiB."; };
        priority = mkOption { default = null; example = 2048; type = types.nullOr types.int; description = "Specify the priority of the swap device."; };
        discardPolicy = mkOption { default = null; type = types.nullOr (types.enum [ "once" "pages" "both" ]); description = "Specify the discard policy for the swap device."; };
        randomEncryption = mkOption {
          default = false;
          type = types.coercedTo types.bool (enable: { inherit enable; }) (types.submodule {
            options.enable = mkOption { default = false; type = types.bool; description = "Encrypt swap device with a random key."; };
            options.cipher = mkOption { default = "aes-xts-plain64"; type = types.str; description = "Use specified cipher for randomEncryption."; };
          });
          description = "Encrypt swap device with a random key.";
        };
        options = mkOption { default = [ "defaults" ]; type = types.nonEmptyListOf types.nonEmptyStr; description = "Options used to mount the swap."; };
      };
      config.device = lib.mkIf (config.label != null) (mkDefault "/dev/disk/by-label/${config.label}");
    };

  fileSystems = lib.filter (fs: fs.enable) (lib.attrValues config.fileSystems);
  sorted = lib.sort (a: b: a.mountPoint < b.mountPoint) fileSystems;
  escape = lib.replaceStrings [ " " "\t" ] [ "\\040" "\\011" ];
  fsDevice = fs: if fs.device != null then fs.device else if fs.label != null then "/dev/disk/by-label/${fs.label}" else throw "No device specified for mount point ‘${fs.mountPoint}’.";
  isBindMount = fs: builtins.elem "bind" fs.options;
  fsToSkipCheck = [ "none" "auto" "overlay" "iso9660" "bindfs" "udf" "btrfs" "zfs" "tmpfs" "bcachefs" "nfs" "nfs4" "nilfs2" "vboxsf" "squashfs" "glusterfs" "apfs" "9p" "cifs" "prl_fs" "vmhgfs" ]
    ++ lib.optionals (!config.boot.initrd.checkJournalingFS) [ "ext3" "ext4" "reiserfs" "xfs" "jfs" "f2fs" ];
  skipCheck = fs: fs.noCheck || fs.device == "none" || builtins.elem fs.fsType fsToSkipCheck || isBindMount fs;
  fstab = ''
    # This is a generated file.  Do not edit!
    #
    # To make changes, edit the fileSystems and swapDevices NixOS options
    # in your /etc/nixos/configuration.nix file.
    #
    # <file system> <mount point>   <type>  <options>       <dump>  <pass>

    # Filesystems.
    ${lib.concatMapStrings (
      fs:
      "${escape (fsDevice fs)} ${escape fs.mountPoint} ${fs.fsType} ${escape (lib.concatStringsSep "," fs.options)} 0 ${
        if skipCheck fs then "0" else if fs.mountPoint == "/" then "1" else "2"
      }\n"
    ) sorted}
    # Swap devices.
    ${lib.concatMapStrings (sw: "${sw.device} none swap ${lib.concatStringsSep "," (sw.options ++ lib.optional (sw.priority != null) "pri=${toString sw.priority}")}\n") config.swapDevices}
  '';
in
{
  options = {
    fileSystems = mkOption {
      default = { };
      example = lib.literalExpression ''
        {
          "/".device = "/dev/hda1";
          "/data" = {
            device = "/dev/hda2";
            fsType = "ext3";
            options = [ "data=journal" ];
          };
          "/bigdisk".label = "bigdisk";
        }
      '';
      type = types.attrsOf (types.submodule fileSystemOpts);
      description = "The file systems to be mounted.";
    };
    swapDevices = mkOption {
      default = [ ];
      example = [ { device = "/dev/hda7"; } { device = "/var/swapfile"; } { label = "bigswap"; } ];
      type = types.listOf (types.submodule swapOpts);
      description = "The swap devices and swap files.";
    };
    boot.supportedFilesystems = mkOption {
      default = { };
      example = { btrfs = true; zfs = lib.mkForce false; };
      type = types.coercedTo (types.listOf types.str) (l: lib.genAttrs l (_: true)) (types.attrsOf types.bool);
      description = "Names of supported filesystem types, or an attribute set of file system types and their state.";
    };
    zramSwap = {
      enable = lib.mkEnableOption "in-memory compressed devices and swap space provided by the zram kernel module";
      memoryPercent = mkOption { default = 50; type = types.int; description = "Maximum total amount of memory that can be stored in the zram swap devices (as a percentage of your total memory)."; };
      algorithm = mkOption { default = "zstd"; type = types.str; description = "Compression algorithm."; };
      priority = mkOption { default = 5; type = types.int; description = "Priority of the zram swap devices."; };
    };
    services.fstrim = {
      enable = lib.mkEnableOption "periodic SSD TRIM of mounted partitions in background" // { default = true; };
      interval = mkOption { type = types.str; default = "weekly"; description = "How often we run fstrim."; };
    };
  };

  config = {
    environment.etc.fstab.text = fstab;
    boot.supportedFilesystems = lib.listToAttrs (map (fs: lib.nameValuePair fs.fsType true) (lib.filter (fs: fs.fsType != "auto") fileSystems));
    environment.systemPackages =
      lib.optional (config.boot.supportedFilesystems.ext4 or false) pkgs.e2fsprogs
      ++ lib.optional (config.boot.supportedFilesystems.vfat or false) pkgs.dosfstools
      ++ lib.optional (config.boot.supportedFilesystems.btrfs or false) pkgs.btrfs-progs
      ++ lib.optional (config.boot.supportedFilesystems.xfs or false) pkgs.xfsprogs
      ++ lib.optional (config.boot.supportedFilesystems.ntfs or false) pkgs.ntfs3g
      ++ lib.optional (config.boot.supportedFilesystems.exfat or false) pkgs.exfatprogs;
    systemd.services.zram-setup = lib.mkIf config.zramSwap.enable {
      description = "Set up zram swap";
      wantedBy = [ "swap.target" ];
      serviceConfig = { Type = "oneshot"; RemainAfterExit = true; ExecStart = "${pkgs.zram-generator}/bin/zram-generator"; };
    };
    systemd.services.fstrim = lib.mkIf config.services.fstrim.enable {
      description = "Discard unused blocks on filesystems";
      startAt = config.services.fstrim.interval;
      serviceConfig = { Type = "oneshot"; ExecStart = "${pkgs.util-linux}/bin/fstrim --listed-in /etc/fstab:/proc/self/mountinfo --verbose --quiet-unsupported"; };
    };
  };
}
