# Kernels and kernel package sets (`linuxPackages`, `linuxPackages_latest`, …).
#
# A kernel is a catalogue entry like any other, except that a system's toplevel links
# to its image and reads its module directory name, so it carries a `stub`: the
# realiser writes a clearly marked placeholder image and an empty
# `lib/modules/<modDirVersion>` there, nothing more. Package sets are extensible
# (`linuxPackages.extend`), as NixOS's kernel options expect.
{ lib, platform, mkEntry }:
let
  target = platform.linux-kernel.target;

  mkKernel =
    {
      version,
      modDirVersion ? version,
      pname ? "linux",
      variant ? null,
      description ? "The Linux kernel",
    }:
    mkEntry {
      inherit pname version description;
      bins = [ ];
      outputs = [ "out" "dev" "modules" ];
      stub = {
        kind = "kernel";
        inherit target modDirVersion version;
      };
      passthru = {
        inherit modDirVersion target;
        baseVersion = lib.concatStringsSep "." (lib.take 2 (lib.splitString "." version));
        features = {
          efiBootStub = true;
          ia32Emulation = true;
        };
        isZen = variant == "zen";
        isHardened = variant == "hardened";
        isLibre = false;
        kernelAtLeast = lib.versionAtLeast version;
        kernelOlder = lib.versionOlder version;
        configfile = null;
      };
    };

  mkNvidia =
    kernel: version: open:
    mkEntry {
      pname = if open then "nvidia-open" else "nvidia-x11";
      version = "${version}-${kernel.version}";
      description = "NVIDIA Linux graphics driver${lib.optionalString open " (open kernel modules)"}";
      license = if open then "gpl2Plus" else "unfreeRedistributable";
      unfree = !open;
      bins = [ ];
      outputs = [ "out" "bin" ];
      passthru = {
        settings = mkEntry { pname = "nvidia-settings"; inherit version; description = "NVIDIA driver settings GUI"; };
        persistenced = mkEntry { pname = "nvidia-persistenced"; inherit version; description = "NVIDIA driver persistence daemon"; };
        fabricmanager = mkEntry { pname = "fabricmanager"; inherit version; bins = [ ]; };
        lib32 = mkEntry { pname = "nvidia-x11-lib32"; inherit version; bins = [ ]; unfree = true; license = "unfreeRedistributable"; };
        open = mkNvidia kernel version true;
        useProfiles = true;
        inherit kernel;
      };
    };

  mkModule =
    kernel: pname: version: description:
    mkEntry {
      inherit pname description;
      version = "${version}-${kernel.version}";
      bins = [ ];
    };

  packagesFor =
    kernel:
    lib.makeExtensible (self: {
      inherit kernel;
      nvidiaPackages = {
        stable = mkNvidia kernel "570.153.02" false;
        production = mkNvidia kernel "570.153.02" false;
        latest = mkNvidia kernel "575.57.08" false;
        beta = mkNvidia kernel "575.57.08" false;
        legacy_470 = mkNvidia kernel "470.256.02" false;
        legacy_535 = mkNvidia kernel "535.247.01" false;
        dc = mkNvidia kernel "570.148.08" false;
        vulkan_beta = mkNvidia kernel "570.123.18" false;
      };
      nvidia_x11 = self.nvidiaPackages.stable;
      nvidia_x11_beta = self.nvidiaPackages.beta;
      nvidia_x11_legacy470 = self.nvidiaPackages.legacy_470;
      v4l2loopback = mkModule kernel "v4l2loopback" "0.15.0" "A kernel module to create V4L2 loopback devices";
      acpi_call = mkModule kernel "acpi-call" "1.2.2" "A module allowing arbitrary ACPI calls";
      zfs = mkModule kernel "zfs-kernel" "2.3.2" "ZFS filesystem kernel modules";
      zfs_2_3 = self.zfs;
      xone = mkModule kernel "xone" "0.3-unstable-2024-12-23" "Linux kernel driver for Xbox One and Xbox Series X|S accessories";
      rtl88x2bu = mkModule kernel "rtl88x2bu" "0-unstable-2025-05-18" "Realtek rtl88x2bu driver";
      broadcom_sta = mkModule kernel "broadcom-sta" "6.30.223.271-57" "Proprietary Broadcom wireless driver";
      virtualboxGuestAdditions = mkModule kernel "VirtualBox-GuestAdditions" "7.1.8" "VirtualBox guest additions";
      cpupower = mkEntry { pname = "cpupower"; inherit (kernel) version; description = "Tool to examine and tune power saving features"; };
      perf = mkEntry { pname = "perf-linux"; inherit (kernel) version; bins = [ "perf" ]; description = "Linux tools to profile with performance counters"; };
      turbostat = mkEntry { pname = "turbostat"; inherit (kernel) version; description = "Report processor frequency and idle statistics"; };
      x86_energy_perf_policy = mkEntry { pname = "x86_energy_perf_policy"; inherit (kernel) version; };
    });

  kernels = {
    linux_5_10 = mkKernel { version = "5.10.238"; };
    linux_5_15 = mkKernel { version = "5.15.184"; };
    linux_6_1 = mkKernel { version = "6.1.140"; };
    linux_6_6 = mkKernel { version = "6.6.92"; };
    linux_6_12 = mkKernel { version = "6.12.31"; };
    linux_6_14 = mkKernel { version = "6.14.9"; };
    linux_6_15 = mkKernel { version = "6.15"; modDirVersion = "6.15.0"; };
    linux_zen = mkKernel { version = "6.14.8"; modDirVersion = "6.14.8-zen1"; variant = "zen"; pname = "linux-zen"; description = "Built using the best configuration and kernel sources for desktop, multimedia, and gaming workloads"; };
    linux_lqx = mkKernel { version = "6.14.8"; modDirVersion = "6.14.8-lqx1"; variant = "lqx"; pname = "linux-lqx"; };
    linux_xanmod = mkKernel { version = "6.12.31"; modDirVersion = "6.12.31-xanmod1"; variant = "xanmod"; pname = "linux-xanmod"; };
    linux_xanmod_latest = mkKernel { version = "6.14.9"; modDirVersion = "6.14.9-xanmod1"; variant = "xanmod"; pname = "linux-xanmod"; };
    linux_hardened = mkKernel { version = "6.12.31"; modDirVersion = "6.12.31-hardened1"; variant = "hardened"; pname = "linux-hardened"; };
  };
in
rec {
  inherit mkKernel packagesFor;
  linux = kernels.linux_6_12;
  linux_latest = kernels.linux_6_14;
  inherit (kernels) linux_5_10 linux_5_15 linux_6_1 linux_6_6 linux_6_12 linux_6_14 linux_6_15 linux_zen linux_lqx linux_xanmod linux_xanmod_latest linux_hardened;

  linuxPackages = linuxKernel.packages.linux_6_12;
  linuxPackages_latest = linuxKernel.packages.linux_6_14;
  linuxPackages_5_10 = linuxKernel.packages.linux_5_10;
  linuxPackages_5_15 = linuxKernel.packages.linux_5_15;
  linuxPackages_6_1 = linuxKernel.packages.linux_6_1;
  linuxPackages_6_6 = linuxKernel.packages.linux_6_6;
  linuxPackages_6_12 = linuxKernel.packages.linux_6_12;
  linuxPackages_6_14 = linuxKernel.packages.linux_6_14;
  linuxPackages_6_15 = linuxKernel.packages.linux_6_15;
  linuxPackages_testing = linuxKernel.packages.linux_6_15;
  linuxPackages_zen = linuxKernel.packages.linux_zen;
  linuxPackages_lqx = linuxKernel.packages.linux_lqx;
  linuxPackages_xanmod = linuxKernel.packages.linux_xanmod;
  linuxPackages_xanmod_latest = linuxKernel.packages.linux_xanmod_latest;
  linuxPackages_hardened = linuxKernel.packages.linux_hardened;
  linuxPackagesFor = packagesFor;

  linuxKernel = {
    kernels = kernels;
    packages = lib.mapAttrs (_: packagesFor) kernels;
    packagesFor = packagesFor;
  };
}
