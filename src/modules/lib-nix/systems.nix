# `lib.systems` basics: parsing a system double and the common predicates.
{ lib }:
rec {
  doubles = {
    all = [ "x86_64-linux" "aarch64-linux" "i686-linux" "armv7l-linux" "riscv64-linux" "x86_64-darwin" "aarch64-darwin" ];
    linux = [ "x86_64-linux" "aarch64-linux" "i686-linux" "armv7l-linux" "riscv64-linux" ];
    darwin = [ "x86_64-darwin" "aarch64-darwin" ];
  };
  flakeExposed = doubles.all;
  elaborate = systemOrArgs:
    let
      args = if builtins.isString systemOrArgs then { system = systemOrArgs; } else systemOrArgs;
      system = args.system or args.config or "x86_64-linux";
      parts = lib.splitString "-" system;
      cpuName = builtins.head parts;
      kernelName = lib.last parts;
      is64bit = builtins.elem cpuName [ "x86_64" "aarch64" "riscv64" "powerpc64le" ];
    in
    args // rec {
      inherit system;
      config = "${cpuName}-unknown-${kernelName}-gnu";
      double = system;
      parsed = {
        cpu = { name = cpuName; bits = if is64bit then 64 else 32; family = if lib.hasPrefix "x86" cpuName || cpuName == "i686" then "x86" else if lib.hasPrefix "aarch" cpuName || lib.hasPrefix "arm" cpuName then "arm" else cpuName; };
        kernel = { name = kernelName; };
        abi = { name = "gnu"; };
        vendor = { name = "unknown"; };
      };
      isLinux = kernelName == "linux";
      isDarwin = kernelName == "darwin";
      isx86_64 = cpuName == "x86_64";
      isx86_32 = cpuName == "i686";
      isx86 = isx86_64 || isx86_32;
      isAarch64 = cpuName == "aarch64";
      isAarch32 = lib.hasPrefix "arm" cpuName;
      isAarch = isAarch64 || isAarch32;
      isRiscV = lib.hasPrefix "riscv" cpuName;
      isRiscV64 = cpuName == "riscv64";
      is64bit' = is64bit;
      inherit is64bit;
      is32bit = !is64bit;
      isEfi = builtins.elem cpuName [ "x86_64" "aarch64" "i686" "riscv64" ];
      isStatic = false;
      isMusl = false;
      isGnu = true;
      isUnix = true;
      isWindows = false;
      isFreeBSD = false;
      isMinGW = false;
      linuxArch = if cpuName == "x86_64" then "x86_64" else if cpuName == "aarch64" then "arm64" else if cpuName == "i686" then "i386" else cpuName;
      uname = { system = if kernelName == "linux" then "Linux" else "Darwin"; processor = cpuName; release = null; };
      canExecute = platform: platform.system == system;
      emulatorAvailable = pkgs: true;
      linux-kernel = { name = "pc"; autoModules = true; target = "bzImage"; };
      hasSharedLibraries = true;
      extensions = { sharedLibrary = if kernelName == "darwin" then ".dylib" else ".so"; executable = ""; };
      gcc = { };
      rust = { rustcTarget = "${cpuName}-unknown-${kernelName}-gnu"; };
      efiArch = { x86_64 = "x64"; i686 = "ia32"; aarch64 = "aa64"; riscv64 = "riscv64"; }.${cpuName} or cpuName;
    };
  equals = a: b: a.system or a == b.system or b;
  parse = { mkSystemFromString = s: (elaborate s).parsed; };
  inspect = { predicates = { }; };
  examples = { };
  architectures = { };
  platforms = { };
  supported = { hydra = doubles.all; tier1 = [ "x86_64-linux" ]; };
}
