# Graphics drivers: `hardware.graphics.*` (formerly `hardware.opengl.*`, renamed in
# NixOS 24.11 — the old names still work and warn, as in NixOS 25.05), and the NVIDIA
# driver basics (`hardware.nvidia.*`, enabled by listing "nvidia" in
# services.xserver.videoDrivers), with NixOS's checks.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkEnableOption mkMerge types;
  cfg = config.hardware.graphics;
  nv = config.hardware.nvidia;
  nvidiaEnabled = builtins.elem "nvidia" config.services.xserver.videoDrivers;
  prime = nv.prime;
  primeEnabled = prime.offload.enable || prime.sync.enable || prime.reverseSync.enable;
in
{
  imports = [
    (lib.mkRenamedOptionModule [ "hardware" "opengl" "enable" ] [ "hardware" "graphics" "enable" ])
    (lib.mkRenamedOptionModule [ "hardware" "opengl" "driSupport32Bit" ] [ "hardware" "graphics" "enable32Bit" ])
    (lib.mkRenamedOptionModule [ "hardware" "opengl" "package" ] [ "hardware" "graphics" "package" ])
    (lib.mkRenamedOptionModule [ "hardware" "opengl" "package32" ] [ "hardware" "graphics" "package32" ])
    (lib.mkRenamedOptionModule [ "hardware" "opengl" "extraPackages" ] [ "hardware" "graphics" "extraPackages" ])
    (lib.mkRenamedOptionModule [ "hardware" "opengl" "extraPackages32" ] [ "hardware" "graphics" "extraPackages32" ])
    (lib.mkRemovedOptionModule [ "hardware" "opengl" "driSupport" ] "The setting can be removed.")
    (lib.mkRemovedOptionModule [ "hardware" "opengl" "s3tcSupport" ] "S3TC support is now always enabled in Mesa.")
  ];

  options.hardware.graphics = {
    enable = mkOption {
      description = ''
        Whether to enable hardware accelerated graphics drivers. This is required to
        allow most graphical applications and environments to use hardware rendering,
        video encode/decode acceleration, etc.
      '';
      type = types.bool;
      default = false;
    };
    enable32Bit = mkOption {
      description = "On 64-bit systems, whether to also install 32-bit drivers for 32-bit applications (such as Wine).";
      type = types.bool;
      default = false;
    };
    package = mkOption {
      description = "The package that provides the default driver set.";
      type = types.package;
      default = pkgs.mesa;
      defaultText = lib.literalExpression "pkgs.mesa";
      internal = true;
    };
    package32 = mkOption {
      description = "The package that provides the 32-bit driver set. Used when {option}`enable32Bit` is enabled.";
      type = types.package;
      default = pkgs.mesa;
      defaultText = lib.literalExpression "pkgs.pkgsi686Linux.mesa";
      internal = true;
    };
    extraPackages = mkOption {
      description = "Additional packages to add to the default graphics driver lookup path.";
      type = types.listOf types.package;
      default = [ ];
      example = lib.literalExpression "with pkgs; [ intel-media-driver intel-ocl intel-vaapi-driver ]";
    };
    extraPackages32 = mkOption {
      description = "Additional packages to add to 32-bit graphics driver lookup path on 64-bit systems.";
      type = types.listOf types.package;
      default = [ ];
    };
  };

  options.hardware.nvidia = {
    enabled = mkOption { readOnly = true; type = types.bool; default = nvidiaEnabled; description = "True if NVIDIA support is enabled."; };
    open = mkOption {
      type = types.nullOr types.bool;
      default = if lib.versionOlder nv.package.version "560" then false else null;
      defaultText = lib.literalExpression ''if lib.versionOlder config.hardware.nvidia.package.version "560" then false else null'';
      description = "Whether to enable the open source NVIDIA kernel module.";
    };
    package = mkOption {
      type = types.package;
      default = config.boot.kernelPackages.nvidiaPackages.${if nv.datacenter.enable then "dc" else "stable"};
      defaultText = lib.literalExpression "config.boot.kernelPackages.nvidiaPackages.stable";
      description = "The NVIDIA driver package to use.";
    };
    modesetting.enable = mkOption {
      type = types.bool;
      default = lib.versionAtLeast nv.package.version "535";
      defaultText = lib.literalExpression ''lib.versionAtLeast config.hardware.nvidia.package.version "535"'';
      description = "Whether to enable kernel modesetting when using the NVIDIA proprietary driver.";
    };
    powerManagement.enable = mkEnableOption "experimental power management through systemd";
    powerManagement.finegrained = mkEnableOption "experimental power management of PRIME offload";
    dynamicBoost.enable = mkEnableOption "dynamic Boost balances power between the CPU and the GPU for improved performance on supported laptops using the nvidia-powerd daemon";
    nvidiaSettings = mkOption { type = types.bool; default = true; description = "Whether to add nvidia-settings, NVIDIA's GUI configuration tool, to systemPackages."; };
    nvidiaPersistenced = mkEnableOption "nvidia-persistenced a update for NVIDIA GPU headless mode";
    forceFullCompositionPipeline = mkEnableOption "forcefully the full composition pipeline";
    datacenter.enable = mkEnableOption "Data Center drivers for NVIDIA cards on a NVLink topology";
    videoAcceleration = mkOption { type = types.bool; default = true; description = "Whether video acceleration (VA-API) should be enabled."; };
    prime = {
      nvidiaBusId = mkOption { type = types.str; default = ""; example = "PCI:1:0:0"; description = "Bus ID of the NVIDIA GPU."; };
      intelBusId = mkOption { type = types.str; default = ""; example = "PCI:0:2:0"; description = "Bus ID of the Intel GPU."; };
      amdgpuBusId = mkOption { type = types.str; default = ""; example = "PCI:4:0:0"; description = "Bus ID of the AMD APU."; };
      sync.enable = mkEnableOption "NVIDIA Optimus support using the NVIDIA proprietary driver via PRIME";
      offload.enable = mkEnableOption "render offload support using the NVIDIA proprietary driver via PRIME";
      offload.enableOffloadCmd = mkEnableOption "adding a `nvidia-offload` convenience script to {option}`environment.systemPackages`";
      reverseSync.enable = mkEnableOption "NVIDIA Optimus support using the NVIDIA proprietary driver via reverse PRIME";
    };
  };

  config = mkMerge [
    (mkIf cfg.enable {
      environment.etc."tsnix/graphics-drivers".text = lib.concatMapStrings (p: "${p}\n") ([ cfg.package ] ++ cfg.extraPackages ++ lib.optionals cfg.enable32Bit ([ cfg.package32 ] ++ cfg.extraPackages32));
      systemd.tmpfiles.rules = [ "L+ /run/opengl-driver - - - - ${cfg.package}" ];
      hardware.firmware = [ ];
    })
    (mkIf nvidiaEnabled {
      assertions = [
        {
          assertion = nv.open != null || nv.datacenter.enable;
          message = ''
            You must configure `hardware.nvidia.open` on NVIDIA driver versions >= 560.
            It is suggested to use the open source kernel modules on Turing or later GPUs (RTX series, GTX 16xx), and the closed source modules otherwise.
          '';
        }
        {
          assertion = primeEnabled -> prime.intelBusId == "" || prime.amdgpuBusId == "";
          message = "You cannot configure both an Intel iGPU and an AMD APU. Pick the one corresponding to your processor.";
        }
        {
          assertion = prime.offload.enableOffloadCmd -> prime.offload.enable || prime.reverseSync.enable;
          message = "Offload command requires offloading or reverse prime sync to be enabled.";
        }
        {
          assertion = primeEnabled -> prime.nvidiaBusId != "" && (prime.intelBusId != "" || prime.amdgpuBusId != "");
          message = "When NVIDIA PRIME is enabled, the GPU bus IDs must be configured.";
        }
        {
          assertion = !(prime.sync.enable && prime.offload.enable);
          message = "PRIME Sync and Offload cannot be both enabled";
        }
      ];
      hardware.graphics.enable = mkDefault true;
      hardware.graphics.extraPackages = lib.optional nv.videoAcceleration pkgs.nvidia-vaapi-driver;
      boot.extraModulePackages = [ (if nv.open == true then nv.package.open else nv.package) ];
      boot.blacklistedKernelModules = [ "nouveau" "nvidiafb" ];
      boot.kernelModules = [ "nvidia" "nvidia_modeset" "nvidia_uvm" ] ++ lib.optional nv.modesetting.enable "nvidia_drm";
      boot.kernelParams = lib.optional nv.modesetting.enable "nvidia-drm.modeset=1"
        ++ lib.optional nv.powerManagement.enable "nvidia.NVreg_PreserveVideoMemoryAllocations=1";
      environment.systemPackages = lib.optional nv.nvidiaSettings nv.package.settings
        ++ lib.optional nv.nvidiaPersistenced nv.package.persistenced;
      systemd.services.nvidia-persistenced = mkIf nv.nvidiaPersistenced {
        description = "NVIDIA Persistence Daemon";
        wantedBy = [ "multi-user.target" ];
        serviceConfig = { Type = "forking"; Restart = "always"; ExecStart = "${nv.package.persistenced}/bin/nvidia-persistenced --verbose"; };
      };
    })
  ];
}
