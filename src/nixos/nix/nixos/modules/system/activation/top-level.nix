# `system.build.toplevel`: the whole system as one derivation named
# `nixos-system-<system.name>-<system.nixos.label>`.
#
# NixOS builds it with a shell script that links and writes the toplevel's entries.
# tsnix cannot run builders, so the same information travels as data: the derivation
# carries a JSON description (`tsnixToplevel`) of every entry — version files,
# kernel/initrd/etc/sw links, the bootspec document, the children, and the activation
# description the system layer reads — and src/nixos/realise.ts assembles the
# directory from it. Everything the toplevel refers to is in that JSON with its string
# context, so the derivation's inputs, and hence its store path, depend on all of it,
# exactly as the NixOS builder's inputs do. Paths are computed, never host-specific.
#
# Assertions and warnings are checked here, in NixOS's format; the children of the
# specialisations are forced when the description is, so a broken child fails the
# parent's build, as in NixOS.
{ config, lib, pkgs, options, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.system;
  kernel = config.boot.kernelPackages.kernel;

  failedAssertions = map (x: x.message) (lib.filter (x: !x.assertion) config.assertions);

  checked =
    if failedAssertions != [ ] then
      throw "\nFailed assertions:\n${lib.concatStringsSep "\n" (map (x: "- ${x}") failedAssertions)}"
    else
      lib.foldr (w: x: lib.warn w x) baseSystem config.warnings;

  children = lib.mapAttrs (_: child: child.configuration.system.build.toplevel) config.specialisation;

  loader = config.boot.loader;
  bootLoader =
    lib.optionalAttrs loader.systemd-boot.enable {
      systemdBoot = {
        enable = true;
        inherit (loader.systemd-boot) configurationLimit editor consoleMode rebootForBitlocker;
        timeout = loader.timeout;
        distroName = cfg.nixos.distroName;
        machineId = null;
      };
    }
    // lib.optionalAttrs loader.grub.enable {
      grub = {
        enable = true;
        inherit (loader.grub) configurationLimit default entryOptions subEntryOptions extraEntries extraEntriesBeforeNixOS extraConfig;
        timeout = loader.timeout;
        distroName = cfg.nixos.distroName;
      };
    };

  description = {
    version = 1;
    name = "nixos-system-${cfg.name}-${cfg.nixos.label}";
    nixosVersion = cfg.nixos.label;
    system = pkgs.stdenv.hostPlatform.system;
    initInterfaceVersion = "systemd ${toString (config.systemd.package.interfaceVersion or 2)}";
    kernelParams = config.boot.kernelParams;
    kernel = "${kernel}/${config.system.boot.loader.kernelFile}";
    kernelModules = "${config.system.build.kernelModulesTree}";
    initrd = if config.boot.initrd.enable then "${config.system.build.initialRamdisk}/${config.system.boot.loader.initrdFile}" else null;
    init = config.system.build.initScript;
    etc = "${config.system.build.etc}/etc";
    sw = "${config.system.path}";
    systemd = "${config.systemd.package}";
    firmware = null;
    configurationName = if loader.grub.enable then loader.grub.configurationName else null;
    extraDependencies = map toString cfg.extraDependencies;
    configurationNix = if cfg.copySystemConfiguration then "${cfg.build.systemConfigurationFile}" else null;
    bootspec =
      if config.boot.bootspec.enable then
        {
          extensions = config.boot.bootspec.extensions;
          v1 = {
            system = pkgs.stdenv.hostPlatform.system;
            kernel = "${kernel}/${config.system.boot.loader.kernelFile}";
            kernelParams = config.boot.kernelParams;
            label = "${cfg.nixos.distroName} ${cfg.nixos.codeName} ${cfg.nixos.label} (Linux ${kernel.modDirVersion})";
          }
          // lib.optionalAttrs config.boot.initrd.enable {
            initrd = "${config.system.build.initialRamdisk}/${config.system.boot.loader.initrdFile}";
          }
          // lib.optionalAttrs (config.boot.initrd.secrets != { }) {
            initrdSecrets = "${config.system.build.initialRamdiskSecretAppender}/bin/append-initrd-secrets";
          };
        }
      else
        null;
    specialisations = lib.mapAttrs (_: t: "${t}") children;
    activation = {
      version = 1;
      etc = config.system.build.etcEntries;
      users = config.system.build.usersGroupsSpec;
      systemd = {
        defaultTarget = config.systemd.defaultUnit;
        package = "${config.systemd.package}";
      };
      inherit bootLoader;
      configurationRevision = cfg.configurationRevision;
    };
  };

  baseSystem = derivation {
    name = "nixos-system-${cfg.name}-${cfg.nixos.label}";
    system = pkgs.stdenv.hostPlatform.system;
    builder = "/bin/sh";
    args = [
      "-c"
      "echo 'this NixOS toplevel is assembled natively by tsnix (src/nixos/realise.ts) from tsnixToplevel; it has no shell builder' >&2; exit 1"
    ];
    tsnixBuilder = "nixos-toplevel";
    tsnixToplevel = builtins.toJSON description;
    preferLocalBuild = true;
    allowSubstitutes = false;
  };
in
{
  options = {
    system.build = mkOption {
      internal = true;
      default = { };
      type = types.submoduleWith {
        modules = [ { freeformType = with types; lazyAttrsOf (uniq unspecified); } ];
      };
      description = "Attribute set of derivations used to set up the system.";
    };
    system.name = mkOption {
      type = types.str;
      default = if config.networking.hostName == "" then "unnamed" else config.networking.hostName;
      defaultText = lib.literalExpression ''
        if config.networking.hostName == ""
        then "unnamed"
        else config.networking.hostName;
      '';
      description = ''
        The name of the system used in the {option}`system.build.toplevel` derivation.
      '';
    };
    system.boot.loader.id = mkOption {
      internal = true;
      default = "";
      type = types.str;
      description = "Id string of the used bootloader.";
    };
    system.boot.loader.kernelFile = mkOption {
      internal = true;
      default = pkgs.stdenv.hostPlatform.linux-kernel.target;
      defaultText = lib.literalExpression "pkgs.stdenv.hostPlatform.linux-kernel.target";
      type = types.str;
      description = "Name of the kernel file to be passed to the bootloader.";
    };
    system.boot.loader.initrdFile = mkOption {
      internal = true;
      default = "initrd";
      type = types.str;
      description = "Name of the initrd file to be passed to the bootloader.";
    };
    system.extraDependencies = mkOption {
      type = types.listOf types.pathInStore;
      default = [ ];
      description = "A list of paths that should be included in the system closure but generally not visible to users.";
    };
    system.copySystemConfiguration = mkOption {
      type = types.bool;
      default = false;
      description = ''
        If enabled, copies the NixOS configuration file (usually
        {file}`/etc/nixos/configuration.nix`) and links it from the resulting system
        (getting to {file}`/run/current-system/configuration.nix`).
      '';
    };
    system.switch.enable = mkOption {
      type = types.bool;
      default = true;
      description = "Whether to include the capability to switch configurations.";
    };
    system.activationScripts = mkOption {
      default = { };
      type = types.attrsOf (types.either types.str (types.submodule {
        options = {
          deps = mkOption { type = types.listOf types.str; default = [ ]; description = "List of dependencies."; };
          text = mkOption { type = types.lines; description = "The content of the script."; };
          supportsDryActivation = mkOption { type = types.bool; default = false; description = "Whether this script supports dry activation."; };
        };
      }));
      description = ''
        A set of shell script fragments that are executed when a NixOS system
        configuration is activated. (tsnix records them but does not run them.)
      '';
    };
    system.userActivationScripts = mkOption {
      default = { };
      type = types.attrsOf types.unspecified;
      description = "A set of shell script fragments executed by a systemd user service when a NixOS system configuration is activated.";
    };
  };

  config = {
    system.build.toplevel = checked;
    system.build.tsnixToplevelDescription = description;
    system.build.systemConfigurationFile =
      let
        f = builtins.getEnv "NIXOS_CONFIG";
      in
      # A string from the environment becomes a path, so that it is copied like one.
      if f != "" then /. + f else <nixos-config>;
    system.build.vm = throw "tsnix's embedded NixOS cannot build virtual machines (system.build.vm)";
    system.build.vmWithBootLoader = throw "tsnix's embedded NixOS cannot build virtual machines (system.build.vmWithBootLoader)";
  };
}
