# `nixpkgs.*`: which package set the configuration sees as `pkgs`. Without an explicit
# `nixpkgs.pkgs`, the embedded catalogue is instantiated for the host platform with
# `nixpkgs.config` and `nixpkgs.overlays`, as NixOS instantiates nixpkgs.
{ config, lib, options, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.nixpkgs;

  # nixpkgs.config merges like NixOS's: attribute sets recursively, last one wins for
  # leaves (functions such as allowUnfreePredicate cannot be merged otherwise).
  configType = lib.types.mkOptionType {
    name = "nixpkgs-config";
    description = "nixpkgs config";
    check = x: builtins.isAttrs x || builtins.isFunction x;
    merge =
      loc: defs:
      builtins.foldl' (acc: d: lib.recursiveUpdate acc (if builtins.isFunction d.value then d.value { } else d.value)) { } defs;
  };

  platformType = types.either types.str types.attrs;
  systemOf = p: if builtins.isString p then p else p.system or cfg.system;
  hostSystem = if cfg.hostPlatform != null then systemOf cfg.hostPlatform else systemOf cfg.localSystem;

  shared = import ../../../pkgs/shared.nix;
  shareable = cfg.overlays == [ ] && builtins.all (n: n == "allowUnfree") (builtins.attrNames cfg.config) && shared ? ${hostSystem};
  defaultPkgs =
    if shareable then
      shared.${hostSystem}.${if cfg.config.allowUnfree or false then "unfree" else "free"}
    else
      import ../../../pkgs {
        system = hostSystem;
        inherit (cfg) config overlays;
      };
in
{
  options.nixpkgs = {
    pkgs = mkOption {
      type = types.unspecified;
      example = lib.literalExpression "import <nixpkgs> {}";
      description = ''
        If set, the pkgs argument to all NixOS modules is this value, instead of the
        package set instantiated from the other `nixpkgs.*` options.
      '';
    };
    config = mkOption {
      type = configType;
      default = { };
      example = lib.literalExpression "{ allowUnfree = true; }";
      description = "Global configuration for the package set (allowUnfree, predicates, …).";
    };
    overlays = mkOption {
      type = types.listOf types.unspecified;
      default = [ ];
      description = "Overlays applied to the package set, in order.";
    };
    hostPlatform = mkOption {
      type = types.nullOr platformType;
      default = null;
      example = "x86_64-linux";
      description = "The platform the system runs on.";
    };
    buildPlatform = mkOption {
      type = types.nullOr platformType;
      default = null;
      description = "The platform the system is built on.";
    };
    localSystem = mkOption {
      type = types.attrs;
      default = { system = cfg.system; };
      defaultText = lib.literalExpression "{ inherit (config.nixpkgs) system; }";
      description = "Systems with a recently generated `hardware-configuration.nix` use `nixpkgs.hostPlatform` instead.";
    };
    crossSystem = mkOption {
      type = types.nullOr types.attrs;
      default = null;
      description = "The platform to cross-compile for (not supported by tsnix's catalogue: ignored).";
    };
    system = mkOption {
      type = types.str;
      example = "i686-linux";
      description = "The system double the configuration is evaluated for (prefer `nixpkgs.hostPlatform`).";
    };
  };

  config = {
    _module.args.pkgs = if options.nixpkgs.pkgs.isDefined then cfg.pkgs else defaultPkgs;
  };
}
