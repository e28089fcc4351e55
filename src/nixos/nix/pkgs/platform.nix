# The platform record (`stdenv.hostPlatform`) for a system double. Only the fields
# NixOS modules and configurations commonly test are here; the names are nixpkgs'.
{ lib, system }:
let
  cpu = builtins.head (lib.splitString "-" system);
  kernel = lib.last (lib.splitString "-" system);
  isx86_64 = cpu == "x86_64";
  isAarch64 = cpu == "aarch64";
  isi686 = cpu == "i686";
in
{
  inherit system isx86_64 isAarch64 isi686;
  config =
    if kernel == "linux" then "${cpu}-unknown-linux-gnu"
    else if kernel == "darwin" then "${cpu}-apple-darwin"
    else "${cpu}-unknown-${kernel}";
  isLinux = kernel == "linux";
  isDarwin = kernel == "darwin";
  isx86 = isx86_64 || isi686;
  isAarch = isAarch64;
  isRiscV = lib.hasPrefix "riscv" cpu;
  is64bit = !isi686;
  is32bit = isi686;
  isMusl = false;
  isStatic = false;
  linuxArch = if isx86_64 then "x86_64" else if isAarch64 then "arm64" else if isi686 then "i386" else cpu;
  efiArch = if isx86_64 then "x64" else if isAarch64 then "aa64" else if isi686 then "ia32" else cpu;
  parsed = {
    cpu = { name = cpu; bits = if isi686 then 32 else 64; };
    kernel = { name = kernel; };
    abi = { name = "gnu"; };
  };
  linux-kernel = {
    target = if isAarch64 then "Image" else "bzImage";
    name = if isAarch64 then "aarch64-multiplatform" else "pc";
  };
  emulatorAvailable = _: true;
  canExecute = other: other.system == system;
}
