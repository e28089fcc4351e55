# A NixOS-scale module evaluation for benchmarking the module system:
#  - `services` modules, each declaring an enable flag and a handful of options
#    (str, int, listOf, attrsOf, nullOr, enum, a submodule with its own options),
#    giving several thousand options in total;
#  - a "user" configuration enabling half of them with plain, mkDefault, mkForce,
#    mkIf and mkBefore/mkAfter definitions, and `users` entries through attrsOf submodule;
#  - three specialisations built with extendModules (as NixOS does), each adding
#    definitions, plus one built from the base modules only (noUserModules).
# The result forces every option value of the parent and of each child.
{ services ? 300, users ? 50, lib ? import <nixpkgs/lib> }:
let
  inherit (lib) mkOption types mkIf mkDefault mkForce mkBefore mkAfter;

  serviceModule = i:
    let name = "svc${toString i}"; in
    { config, ... }:
    let cfg = config.services.${name}; in
    {
      options.services.${name} = {
        enable = lib.mkEnableOption name;
        port = mkOption { type = types.port; default = 1000 + i; };
        user = mkOption { type = types.str; default = name; };
        extraArgs = mkOption { type = types.listOf types.str; default = [ ]; };
        environment = mkOption { type = types.attrsOf types.str; default = { }; };
        logLevel = mkOption { type = types.enum [ "debug" "info" "warn" ]; default = "info"; };
        dataDir = mkOption { type = types.nullOr types.str; default = null; };
        settings = mkOption {
          default = { };
          type = types.submodule {
            options.threads = mkOption { type = types.ints.positive; default = 1; };
            options.name = mkOption { type = types.str; default = name; };
            options.flags = mkOption { type = types.attrsOf types.bool; default = { }; };
          };
        };
      };
      config = mkIf cfg.enable {
        packages = [ name ];
        ports = [ cfg.port ];
        services.${name}.environment.SERVICE = name;
      };
    };

  baseModule = { config, extendModules, ... }: {
    options = {
      packages = mkOption { type = types.listOf types.str; default = [ ]; };
      ports = mkOption { type = types.listOf types.port; default = [ ]; };
      hostName = mkOption { type = types.str; default = "nixos"; };
      isSpecialisation = mkOption { type = types.bool; default = false; };
      users = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ name, ... }: {
          options.name = mkOption { type = types.str; default = name; };
          options.uid = mkOption { type = types.nullOr types.int; default = null; };
          options.groups = mkOption { type = types.listOf types.str; default = [ ]; };
          options.shell = mkOption { type = types.str; default = "/bin/sh"; };
        }));
      };
      specialisation = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ config, ... }: {
          options.inheritParentConfig = mkOption { type = types.bool; default = true; };
          options.configuration = mkOption {
            default = { };
            type = ((if config.inheritParentConfig then extendModules else noUserModules.extendModules) {
              modules = [ noClone ];
            }).type;
          };
        }));
      };
    };
  };

  noClone = {
    specialisation = lib.mkOverride 0 { };
    isSpecialisation = lib.mkOverride 0 true;
  };

  baseModules = [ baseModule ] ++ builtins.genList serviceModule services;
  noUserModules = lib.evalModules { modules = baseModules; };

  userModule = {
    hostName = "bench";
    packages = mkBefore [ "first" ];
    users = builtins.listToAttrs (builtins.genList (u: {
      name = "user${toString u}";
      value = { uid = 1000 + u; groups = [ "users" ] ++ lib.optional (u == 0) "wheel"; };
    }) users);
    services = builtins.listToAttrs (builtins.genList (i: {
      name = "svc${toString i}";
      value = {
        enable = if lib.mod i 4 == 0 then mkDefault true else i < services / 2;
        extraArgs = mkAfter [ "--verbose" ];
        settings.threads = if lib.mod i 3 == 0 then mkForce 4 else 2;
        settings.flags.fast = true;
      };
    }) services);
    specialisation = {
      gaming.configuration = { packages = [ "steam" ]; services.svc1.enable = mkForce true; hostName = mkForce "gaming"; };
      work.configuration = { packages = [ "slack" ]; users.alice = { groups = [ "work" ]; }; };
      minimal = { inheritParentConfig = false; configuration.packages = [ "busybox" ]; };
    };
  };

  eval = lib.evalModules { modules = baseModules ++ [ userModule ]; };

  summarise = cfg: {
    inherit (cfg) hostName isSpecialisation packages ports;
    users = lib.mapAttrs (n: u: [ u.name u.uid u.groups u.shell ]) cfg.users;
    services = lib.mapAttrs (n: s: [ s.enable s.port s.user s.extraArgs s.environment s.logLevel s.dataDir s.settings ]) cfg.services;
  };
  count = opts: lib.foldl' (n: o: n + 1) 0 (lib.collect lib.isOption opts);
in
{
  options = count eval.options;
  parent = builtins.deepSeq (summarise eval.config) (builtins.length eval.config.packages);
  children = lib.mapAttrs (n: c: builtins.deepSeq (summarise c.configuration) (builtins.length c.configuration.packages)) eval.config.specialisation;
}
