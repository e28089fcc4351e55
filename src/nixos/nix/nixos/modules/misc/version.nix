# The NixOS version, label and release files (/etc/os-release, /etc/lsb-release).
#
# tsnix's embedded NixOS is modelled on 25.05 ("Warbler"). The version suffix is
# `.tsnix` rather than a date and a git revision: the modules are not a nixpkgs
# revision, and a label must never claim to be one. The label rule is NixOS's: sorted
# tags, then the version, joined by `-`, overridable through NIXOS_LABEL and
# NIXOS_LABEL_VERSION.
{ config, lib, options, pkgs, ... }:
let
  inherit (lib) mkOption mkDefault types;
  cfg = config.system.nixos;
  maybeEnv = name: default: let v = builtins.getEnv name; in if v == "" then default else v;

  osReleaseValue = v: if builtins.match "[A-Za-z0-9_]+" v != null then v else "\"${lib.escape [ "\\" "\"" "$" "`" ] v}\"";
  attrsToText = attrs: lib.concatStrings (lib.mapAttrsToList (n: v: "${n}=${osReleaseValue (toString v)}\n") attrs);

  osRelease = {
    NAME = cfg.distroName;
    ID = cfg.distroId;
    ID_LIKE = "";
    VERSION = "${cfg.release} (${cfg.codeName})";
    VERSION_CODENAME = lib.toLower cfg.codeName;
    VERSION_ID = cfg.release;
    BUILD_ID = cfg.version;
    PRETTY_NAME = "${cfg.distroName} ${cfg.release} (${cfg.codeName})";
    CPE_NAME = "cpe:/o:${cfg.vendorId}:${cfg.distroId}:${cfg.release}";
    LOGO = "nix-snowflake";
    HOME_URL = "https://nixos.org/";
    VENDOR_NAME = cfg.vendorName;
    VENDOR_URL = "https://nixos.org/";
    DOCUMENTATION_URL = "https://nixos.org/learn.html";
    SUPPORT_URL = "https://nixos.org/community.html";
    BUG_REPORT_URL = "https://github.com/NixOS/nixpkgs/issues";
    ANSI_COLOR = "0;38;2;126;186;228";
    DEFAULT_HOSTNAME = config.system.nixos.distroId;
    IMAGE_ID = "";
    IMAGE_VERSION = "";
    VARIANT = "";
    VARIANT_ID = "";
  };
in
{
  options.system = {
    nixos = {
      version = mkOption {
        internal = true;
        type = types.str;
        description = "The full NixOS version (e.g. `25.05.tsnix`).";
      };
      release = mkOption {
        readOnly = true;
        type = types.str;
        default = "25.05";
        description = "The NixOS release (e.g. `25.05`).";
      };
      versionSuffix = mkOption {
        internal = true;
        type = types.str;
        default = ".tsnix";
        description = "The NixOS version suffix (e.g. `1160.f2d4ee1`).";
      };
      revision = mkOption {
        internal = true;
        type = types.nullOr types.str;
        default = null;
        description = "The Git revision from which this NixOS configuration was built.";
      };
      codeName = mkOption {
        readOnly = true;
        type = types.str;
        default = "Warbler";
        description = "The NixOS release code name (e.g. `Emu`).";
      };
      distroName = mkOption {
        internal = true;
        type = types.str;
        default = "NixOS";
        description = "The name of the operating system vendor";
      };
      distroId = mkOption {
        internal = true;
        type = types.str;
        default = "nixos";
        description = "The id of the operating system";
      };
      vendorName = mkOption {
        internal = true;
        type = types.str;
        default = "NixOS";
        description = "The name of the operating system vendor";
      };
      vendorId = mkOption {
        internal = true;
        type = types.str;
        default = "nixos";
        description = "The id of the operating system vendor";
      };
      label = mkOption {
        type = types.strMatching "[a-zA-Z0-9:_\\.-]*";
        description = ''
          NixOS version name to be used in the names of generated outputs and boot
          labels. Defaults to the sorted `system.nixos.tags` followed by the version,
          joined by dashes.
        '';
      };
      tags = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "with-xen" ];
        description = ''
          Strings to prefix to the default `system.nixos.label`. Useful to tell
          configurations (and specialisations) apart in the boot menu.
        '';
      };
    };

    stateVersion = mkOption {
      type = types.str;
      default = cfg.release;
      apply =
        v:
        lib.warnIf (options.system.stateVersion.highestPrio == (lib.mkOptionDefault { }).priority)
          "system.stateVersion is not set, defaulting to ${v}. Read why this matters on https://nixos.org/manual/nixos/stable/options.html#opt-system.stateVersion."
          v;
      description = ''
        The first version of NixOS installed on this machine, used to keep stateful
        data (databases, formats) compatible with older releases.
      '';
    };

    configurationRevision = mkOption {
      default = null;
      type = types.nullOr types.str;
      description = "The Git revision of the top-level flake from which this configuration was built.";
    };
  };

  config = {
    system.nixos.version = mkDefault (cfg.release + cfg.versionSuffix);
    system.nixos.label = mkDefault (
      maybeEnv "NIXOS_LABEL" (
        lib.concatStringsSep "-" ((lib.sort (x: y: x < y) cfg.tags) ++ [ (maybeEnv "NIXOS_LABEL_VERSION" cfg.version) ])
      )
    );
    environment.etc = {
      "os-release".text = attrsToText osRelease;
      "lsb-release".text = attrsToText {
        LSB_VERSION = "${cfg.release} (${cfg.codeName})";
        DISTRIB_ID = cfg.distroId;
        DISTRIB_RELEASE = cfg.release;
        DISTRIB_CODENAME = lib.toLower cfg.codeName;
        DISTRIB_DESCRIPTION = "${cfg.distroName} ${cfg.release} (${cfg.codeName})";
      };
      "issue".text = lib.mkDefault "\n<<< Welcome to ${cfg.distroName} ${cfg.label} (\\m) - \\l >>>\n\n";
    };
  };
}
