# The Nix daemon: `nix.*` rendered to /etc/nix/nix.conf (same format as NixOS: one
# `key = value` per setting, lists space-separated, booleans true/false), the
# nix-daemon socket and service, and the build users.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault types;
  cfg = config.nix;
  settingValue = v:
    if builtins.isBool v then lib.boolToString v
    else if builtins.isList v then lib.concatMapStringsSep " " settingValue v
    else if lib.isDerivation v then toString v
    else toString v;
  nixConf = pkgs.writeText "nix.conf" (
    ''
      # WARNING: this file is generated from the nix.* options in
      # your NixOS configuration, typically
      # /etc/nixos/configuration.nix.  Do not edit it!
    ''
    + lib.concatStrings (lib.mapAttrsToList (n: v: "${n} = ${settingValue v}\n") (lib.filterAttrs (_: v: v != null) cfg.settings))
    + cfg.extraOptions
  );
  semanticSettings = {
    options = {
      max-jobs = mkOption { type = types.either types.int (types.enum [ "auto" ]); default = "auto"; description = "This option defines the maximum number of jobs that Nix will try to build in parallel."; };
      cores = mkOption { type = types.int; default = 0; description = "This option defines the maximum number of concurrent tasks during one build."; };
      sandbox = mkOption { type = types.either types.bool (types.enum [ "relaxed" ]); default = true; description = "If set, Nix will perform builds in a sandboxed environment."; };
      extra-sandbox-paths = mkOption { type = types.listOf types.str; default = [ ]; description = "Directories from the host filesystem to be included in the sandbox."; };
      substituters = mkOption { type = types.listOf types.str; description = "List of binary cache URLs used to obtain pre-built binaries of Nix packages."; };
      trusted-substituters = mkOption { type = types.listOf types.str; default = [ ]; description = "List of binary cache URLs that non-root users can use."; };
      trusted-public-keys = mkOption { type = types.listOf types.str; description = "List of public keys used to sign binary caches."; };
      trusted-users = mkOption { type = types.listOf types.str; description = "A list of names of users that have additional rights when connecting to the Nix daemon."; };
      allowed-users = mkOption { type = types.listOf types.str; default = [ "*" ]; description = "A list of names of users that are allowed to connect to the Nix daemon."; };
      auto-optimise-store = mkOption { type = types.bool; default = false; description = "If set to true, Nix automatically detects files in the store that have identical contents, and replaces them with hard links."; };
      require-sigs = mkOption { type = types.bool; default = true; description = "If enabled (the default), Nix will only download binaries from binary caches if they are cryptographically signed."; };
      system-features = mkOption { type = types.listOf types.str; description = "The set of features supported by the machine."; };
      experimental-features = mkOption { type = types.listOf types.str; default = [ ]; description = "Experimental features enabled in Nix."; };
    };
  };
in
{
  options.nix = {
    enable = mkOption { type = types.bool; default = true; description = "Whether to enable Nix. Disabling Nix makes the system hard to modify and the Nix programs and configuration will not be made available by NixOS itself."; };
    package = mkOption { type = types.package; default = pkgs.nix; defaultText = lib.literalExpression "pkgs.nix"; description = "This option specifies the Nix package instance to use throughout the system."; };
    settings = mkOption {
      type = types.submodule ({ ... }: {
        imports = [ semanticSettings ];
        freeformType = types.attrsOf (types.oneOf [ types.bool types.int types.float types.str types.path types.package (types.listOf (types.oneOf [ types.str types.int types.bool types.path types.package ])) ]);
      });
      default = { };
      example = lib.literalExpression ''{ use-sandbox = true; show-trace = true; system-features = [ "big-parallel" "kvm" "recursive-nix" ]; sandbox-paths = { "/bin/sh" = "''${pkgs.busybox-sandbox-shell.out}/bin/busybox"; }; }'';
      description = "Configuration for Nix, see <https://nixos.org/manual/nix/stable/command-ref/conf-file.html> or {manpage}`nix.conf(5)`.";
    };
    extraOptions = mkOption { type = types.lines; default = ""; example = "keep-outputs = true\nkeep-derivations = true\n"; description = "Additional text appended to {file}`nix.conf`."; };
    nixPath = mkOption { type = types.listOf types.str; default = [ "nixpkgs=/nix/var/nix/profiles/per-user/root/channels/nixos" "nixos-config=/etc/nixos/configuration.nix" "/nix/var/nix/profiles/per-user/root/channels" ]; description = "The default Nix expression search path, used by the Nix evaluator to look up paths enclosed in angle brackets."; };
    channel.enable = mkOption { type = types.bool; default = true; description = "Whether the `nix-channel` command and state files are made available on the machine."; };
    registry = mkOption { type = types.attrsOf types.anything; default = { }; description = "A system-wide flake registry."; };
    nrBuildUsers = mkOption { type = types.int; description = "Number of `nixbld` user accounts created to perform secure concurrent builds."; };
    distributedBuilds = mkOption { type = types.bool; default = false; description = "Whether to distribute builds to the machines listed in {option}`nix.buildMachines`."; };
    buildMachines = mkOption { type = types.listOf types.attrs; default = [ ]; description = "This option lists the machines to be used if distributed builds are enabled."; };
    daemonCPUSchedPolicy = mkOption { type = types.enum [ "other" "batch" "idle" ]; default = "other"; description = "Nix daemon process CPU scheduling policy."; };
    daemonIOSchedClass = mkOption { type = types.enum [ "best-effort" "idle" ]; default = "best-effort"; description = "Nix daemon process I/O scheduling class."; };
    daemonIOSchedPriority = mkOption { type = types.int; default = 4; description = "Nix daemon process I/O scheduling priority."; };
    checkConfig = mkOption { type = types.bool; default = true; description = "If enabled, checks that Nix can parse the generated nix.conf."; };
    gc = {
      automatic = mkOption { default = false; type = types.bool; description = "Automatically run the garbage collector at a specific time."; };
      dates = mkOption { type = types.either types.singleLineStr (types.listOf types.str); default = [ "03:15" ]; description = "How often or when garbage collection is performed."; };
      options = mkOption { default = ""; example = "--max-freed $((64 * 1024**3))"; type = types.singleLineStr; description = "Options given to {file}`nix-collect-garbage` when the garbage collector is run automatically."; };
      persistent = mkOption { default = true; type = types.bool; description = "Takes a boolean argument. If true, the time when the service unit was last triggered is stored on disk."; };
      randomizedDelaySec = mkOption { default = "0"; type = types.singleLineStr; description = "Add a randomized delay before each garbage collection."; };
    };
    optimise = {
      automatic = mkOption { default = false; type = types.bool; description = "Automatically run the nix store optimiser at a specific time."; };
      dates = mkOption { default = [ "03:45" ]; type = types.either types.singleLineStr (types.listOf types.str); description = "Specification (in the format described by {manpage}`systemd.time(7)`) of the time at which the optimiser will run."; };
    };
  };

  config = mkIf cfg.enable {
    nix.nrBuildUsers = mkDefault (
      if cfg.settings.auto-allocate-uids or false then 0
      else lib.max 32 (if cfg.settings.max-jobs == "auto" then 0 else cfg.settings.max-jobs)
    );
    nix.settings = {
      trusted-users = [ "root" ];
      substituters = mkDefault [ "https://cache.nixos.org/" ];
      trusted-public-keys = [ "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" ];
      system-features = mkDefault [ "nixos-test" "benchmark" "big-parallel" "kvm" ];
      build-users-group = "nixbld";
    };

    environment.systemPackages = [ cfg.package ];
    environment.etc."nix/nix.conf".source = nixConf;
    environment.etc."nix/registry.json".text = builtins.toJSON { version = 2; flakes = lib.mapAttrsToList (n: v: { from = { type = "indirect"; id = n; }; to = v.to or v; }) cfg.registry; };
    environment.sessionVariables.NIX_PATH = lib.concatStringsSep ":" cfg.nixPath;

    systemd.sockets.nix-daemon = {
      description = "Nix Daemon Socket";
      wantedBy = [ "sockets.target" ];
      before = [ "multi-user.target" ];
      unitConfig.RequiresMountsFor = "/nix/store";
      listenStreams = [ "/nix/var/nix/daemon-socket/socket" ];
    };
    systemd.services.nix-daemon = {
      description = "Nix Daemon";
      path = [ cfg.package pkgs.util-linux config.programs.ssh.package ];
      environment.CURL_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
      unitConfig.RequiresMountsFor = "/nix/store";
      serviceConfig = {
        ExecStart = "@${cfg.package}/bin/nix-daemon nix-daemon --daemon";
        CPUSchedulingPolicy = cfg.daemonCPUSchedPolicy;
        IOSchedulingClass = cfg.daemonIOSchedClass;
        IOSchedulingPriority = cfg.daemonIOSchedPriority;
        LimitNOFILE = 1048576;
        Delegate = "yes";
      };
      restartTriggers = [ nixConf ];
      # `stopIfChanged = false` changes to switch-to-configuration restarting nix-daemon
      # while builds are running to a single restart, as NixOS does.
      stopIfChanged = false;
    };

    users.groups.nixbld.gid = config.ids.gids.nixbld;
    users.users = lib.listToAttrs (
      map (n: {
        name = "nixbld${toString n}";
        value = {
          description = "Nix build user ${toString n}";
          uid = config.ids.uids.nixbld + n;
          isSystemUser = true;
          group = "nixbld";
          extraGroups = [ "nixbld" ];
        };
      }) (lib.range 1 cfg.nrBuildUsers)
    );

    systemd.services.nix-gc = mkIf cfg.gc.automatic {
      description = "Nix Garbage Collector";
      startAt = cfg.gc.dates;
      serviceConfig = { Type = "oneshot"; ExecStart = "${cfg.package}/bin/nix-collect-garbage ${cfg.gc.options}"; };
    };
    systemd.services.nix-optimise = mkIf cfg.optimise.automatic {
      description = "Nix Store Optimiser";
      startAt = cfg.optimise.dates;
      serviceConfig = { Type = "oneshot"; ExecStart = "${cfg.package}/bin/nix-store --optimise"; };
    };
  };
}
