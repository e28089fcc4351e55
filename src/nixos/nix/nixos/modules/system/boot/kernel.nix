# The kernel: `boot.kernelPackages` and what goes with it (parameters, modules to load
# or blacklist, sysctls, firmware, microcode). The toplevel links the kernel image and
# a `kernel-modules` tree whose `lib/modules/<modDirVersion>` names the kernel version
# (what list-generations reports). The tree itself holds only a note: tsnix does not
# have the modules, it only knows which packages would provide them.
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkDefault mkIf types;
  kernel = config.boot.kernelPackages.kernel;
  kernelParam = types.strMatching ''([^"[:space:]]|"[^"]*")+'' // {
    name = "kernelParam";
    description = "string, with spaces inside double quotes";
  };
  sysctlValue = types.nullOr (types.oneOf [ types.bool types.str types.int types.float ]);
  sysctlText = lib.concatStrings (
    lib.mapAttrsToList (n: v: lib.optionalString (v != null) "${n}=${if v == false then "0" else if v == true then "1" else toString v}\n") config.boot.kernel.sysctl
  );
in
{
  options = {
    boot.kernelPackages = mkOption {
      default = pkgs.linuxPackages;
      type = types.raw;
      defaultText = lib.literalExpression "pkgs.linuxPackages";
      example = lib.literalExpression "pkgs.linuxKernel.packages.linux_5_10";
      description = ''
        This option allows you to override the Linux kernel used by NixOS. Since
        things like external kernel module packages are tied to the kernel you're
        using, it also overrides those.
      '';
    };
    boot.kernelPatches = mkOption {
      type = types.listOf types.attrs;
      default = [ ];
      description = "A list of additional patches to apply to the kernel.";
    };
    boot.kernelParams = mkOption {
      type = types.listOf kernelParam;
      default = [ ];
      description = "Parameters added to the kernel command line.";
    };
    boot.consoleLogLevel = mkOption {
      type = types.int;
      default = 4;
      description = "The kernel console `loglevel`. All Kernel Messages with a log level smaller than this setting will be printed to the console.";
    };
    boot.vesa = mkOption {
      type = types.bool;
      default = false;
      description = "(Deprecated) This option, if set, activates the VESA 800x600 video mode on boot and disables kernel modesetting.";
    };
    boot.extraModulePackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      example = lib.literalExpression "[ config.boot.kernelPackages.nvidia_x11 ]";
      description = "A list of additional packages supplying kernel modules.";
    };
    boot.kernelModules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "The set of kernel modules to be loaded in the second stage of the boot process.";
    };
    boot.blacklistedKernelModules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "cirrusfb" "i2c_piix4" ];
      description = "List of names of kernel modules that should not be loaded automatically by the hardware probing code.";
    };
    boot.extraModprobeConfig = mkOption {
      default = "";
      type = types.lines;
      description = "Any additional configuration to be appended to the generated {file}`modprobe.conf`.";
    };
    boot.kernel.sysctl = mkOption {
      type = types.attrsOf sysctlValue;
      default = { };
      example = lib.literalExpression ''{ "net.ipv4.tcp_syncookies" = false; "vm.swappiness" = 60; }'';
      description = "Runtime parameters of the Linux kernel, as set by {manpage}`sysctl(8)`.";
    };
    boot.isContainer = mkOption {
      type = types.bool;
      default = false;
      description = "Whether this NixOS machine is a lightweight container running in another NixOS system.";
    };
    boot.swraid.enable = mkOption {
      type = types.bool;
      default = lib.versionOlder config.system.stateVersion "23.11";
      defaultText = lib.literalExpression ''lib.versionOlder config.system.stateVersion "23.11"'';
      description = "Whether to enable support for Linux MD RAID arrays.";
    };
    boot.binfmt.emulatedSystems = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "wasm32-wasi" "x86_64-windows" "aarch64-linux" ];
      description = "List of systems to emulate.";
    };
    boot.tmp = {
      cleanOnBoot = mkOption { type = types.bool; default = false; description = "Whether to delete all files in {file}`/tmp` during boot."; };
      useTmpfs = mkOption { type = types.bool; default = false; description = "Whether to mount a tmpfs on {file}`/tmp` during boot."; };
      tmpfsSize = mkOption { type = types.either types.str types.int; default = "50%"; description = "Size of tmpfs in percentage."; };
    };
    boot.plymouth = {
      enable = lib.mkEnableOption "Plymouth boot splash screen";
      theme = mkOption { type = types.str; default = "bgrt"; description = "Splash screen theme."; };
      themePackages = mkOption { type = types.listOf types.package; default = [ ]; description = "Extra theme packages for plymouth."; };
    };
    boot.resumeDevice = mkOption {
      type = types.str;
      default = "";
      example = "/dev/sda3";
      description = "Device for manual resume attempt during boot.";
    };

    system.modulesTree = mkOption {
      type = types.listOf types.path;
      internal = true;
      default = [ ];
      description = "Tree of kernel modules. This includes the kernel, plus modules built outside of the kernel.";
    };

    hardware.enableRedistributableFirmware = lib.mkEnableOption "firmware with a license allowing redistribution";
    hardware.enableAllFirmware = lib.mkEnableOption "all firmware regardless of license";
    hardware.firmware = mkOption {
      type = types.listOf types.package;
      default = [ ];
      description = "List of packages containing firmware files.";
    };
    hardware.cpu.intel.updateMicrocode = lib.mkEnableOption "updating the Intel CPU microcode";
    hardware.cpu.amd.updateMicrocode = lib.mkEnableOption "updating the AMD CPU microcode";
    powerManagement = {
      enable = mkOption { type = types.bool; default = true; description = "Whether to enable power management."; };
      cpuFreqGovernor = mkOption { type = types.nullOr types.str; default = null; example = "ondemand"; description = "Configure the governor used to regulate the frequency of the available CPUs."; };
      powertop.enable = lib.mkEnableOption "powertop auto tuning on startup";
      resumeCommands = mkOption { type = types.lines; default = ""; description = "Commands executed after the system resumes from suspend-to-RAM."; };
    };
  };

  config = lib.mkMerge [
    {
      boot.kernelParams = [ "loglevel=${toString config.boot.consoleLogLevel}" ] ++ lib.optionals config.boot.vesa [ "vga=0x317" "nomodeset" ];
      boot.kernelModules = [ "loop" "atkbd" ];
      system.modulesTree = [ kernel ] ++ config.boot.extraModulePackages;

      system.build.kernelModulesTree = utils.mkTree "kernel-modules" {
        dirs = [ "lib/modules/${kernel.modDirVersion}" ];
        files."lib/modules/${kernel.modDirVersion}/README.tsnix".text = ''
          tsnix: this is the kernel module tree of a NixOS system, assembled without the
          modules themselves. NixOS would merge the modules of these packages here:
          ${lib.concatMapStringsSep "\n" (p: "  ${p}") config.system.modulesTree}
        '';
      };

      environment.etc."modules-load.d/nixos.conf".text = lib.concatStringsSep "\n" config.boot.kernelModules + "\n";
      environment.etc."modprobe.d/nixos.conf".text =
        lib.concatMapStrings (m: "blacklist ${m}\n") config.boot.blacklistedKernelModules + config.boot.extraModprobeConfig;
      environment.etc."sysctl.d/60-nixos.conf".text = sysctlText;

      boot.kernel.sysctl = {
        "kernel.panic_on_oops" = mkDefault true;
        "kernel.panic" = mkDefault 1;
      };

      systemd.services.systemd-modules-load = {
        description = "Load Kernel Modules";
        wantedBy = [ "sysinit.target" "multi-user.target" ];
        restartTriggers = [ config.environment.etc."modules-load.d/nixos.conf".source ];
        unitConfig.DefaultDependencies = false;
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = "${config.systemd.package}/lib/systemd/systemd-modules-load";
        };
      };
      systemd.services.systemd-sysctl = {
        description = "Apply Kernel Variables";
        wantedBy = [ "sysinit.target" "multi-user.target" ];
        restartTriggers = [ config.environment.etc."sysctl.d/60-nixos.conf".source ];
        unitConfig.DefaultDependencies = false;
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = "${config.systemd.package}/lib/systemd/systemd-sysctl";
        };
      };
    }
    (mkIf config.hardware.enableRedistributableFirmware {
      hardware.firmware = [ pkgs.linux-firmware pkgs.sof-firmware pkgs.wireless-regdb ];
    })
    (mkIf config.hardware.enableAllFirmware {
      hardware.enableRedistributableFirmware = true;
      hardware.firmware = [ pkgs.alsa-firmware ];
    })
    (mkIf config.hardware.cpu.intel.updateMicrocode { boot.initrd.prepend = [ "${pkgs.microcode-intel}/intel-ucode.img" ]; })
    (mkIf config.hardware.cpu.amd.updateMicrocode { boot.initrd.prepend = [ "${pkgs.microcode-amd}/amd-ucode.img" ]; })
    (mkIf (config.powerManagement.cpuFreqGovernor != null) {
      boot.kernelModules = [ "cpufreq_${config.powerManagement.cpuFreqGovernor}" ];
    })
    (mkIf config.boot.plymouth.enable {
      boot.kernelParams = [ "splash" ];
      environment.systemPackages = [ pkgs.plymouth ];
    })
    (mkIf config.boot.swraid.enable {
      environment.systemPackages = [ pkgs.mdadm ];
      boot.initrd.availableKernelModules = [ "md_mod" "raid0" "raid1" "raid10" "raid456" ];
    })
    (mkIf config.boot.tmp.useTmpfs {
      fileSystems."/tmp" = {
        fsType = "tmpfs";
        device = "tmpfs";
        options = [ "mode=1777" "strictatime" "rw" "nosuid" "nodev" "size=${toString config.boot.tmp.tmpfsSize}" ];
      };
    })
  ];
}
