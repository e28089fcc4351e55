# systemd: `systemd.{services,targets,timers,sockets,paths,units}` rendered to unit
# files the way NixOS renders them (nixos/lib/systemd-lib.nix): `[Unit]` from the
# dependency options and `unitConfig`, `[Service]` with `Environment=` lines, the
# switch flags `X-ReloadIfChanged=true`, `X-RestartIfChanged=false`,
# `X-StopIfChanged=false`, `X-NotSocketActivated=true`, and restart/reload triggers as
# `X-Restart-Triggers=`/`X-Reload-Triggers=` naming a store file that lists them — a
# changed trigger changes that path, which is how the switch planner sees it.
# `wantedBy`/`requiredBy` become `<target>.wants/`/`.requires/` links and `aliases`
# links, all in one unit directory linked at /etc/systemd/system (and
# /etc/systemd/user for user units).
#
# Upstream units that every NixOS system has (targets, journald, logind, …) are
# included as short renderings of systemd's own files.
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkDefault mkIf mkMerge types;
  cfg = config.systemd;

  unitOption = lib.types.mkOptionType {
    name = "systemd option";
    description = "systemd option";
    check = x: builtins.isBool x || builtins.isInt x || builtins.isString x || builtins.isPath x || lib.isDerivation x || builtins.isList x || builtins.isFloat x;
    merge =
      loc: defs:
      if lib.any (d: builtins.isList d.value) defs then
        lib.concatMap (d: lib.toList d.value) defs
      else
        lib.mergeEqualOption loc defs;
  };

  unitNameList = types.listOf types.str;

  triggerFile =
    kind: name: triggers:
    "${pkgs.writeText "${kind}-${name}" (toString (map (x: if builtins.isPath x then "${x}" else x) (lib.flatten triggers)))}";

  # Options shared by every kind of unit.
  commonUnitOptions =
    { name, config, ... }:
    {
      options = {
        enable = mkOption {
          default = true;
          type = types.bool;
          description = "If set to false, this unit will be a symlink to /dev/null.";
        };
        description = mkOption {
          default = "";
          type = types.singleLineStr;
          description = "Description of this unit used in systemd messages and progress indicators.";
        };
        documentation = mkOption {
          default = [ ];
          type = types.listOf types.str;
          description = "A list of URIs referencing documentation for this service or configuration.";
        };
        requires = mkOption { default = [ ]; type = unitNameList; description = "Start the specified units when this unit is started, and stop this unit when the specified units are stopped or fail."; };
        wants = mkOption { default = [ ]; type = unitNameList; description = "Start the specified units when this unit is started."; };
        upholds = mkOption { default = [ ]; type = unitNameList; description = "Keeps the specified running while this unit is running."; };
        after = mkOption { default = [ ]; type = unitNameList; description = "If the specified units are started at the same time as this unit, delay this unit until they have started."; };
        before = mkOption { default = [ ]; type = unitNameList; description = "If the specified units are started at the same time as this unit, delay them until this unit has started."; };
        bindsTo = mkOption { default = [ ]; type = unitNameList; description = "Like ‘requires’, but in addition, if the specified units unexpectedly disappear, this unit will be stopped as well."; };
        partOf = mkOption { default = [ ]; type = unitNameList; description = "If the specified units are stopped or restarted, then this unit is stopped or restarted as well."; };
        conflicts = mkOption { default = [ ]; type = unitNameList; description = "If the specified units are started, then this unit is stopped and vice versa."; };
        requisite = mkOption { default = [ ]; type = unitNameList; description = "Similar to requires. However if the specified units are not started, they will not be started and the transaction will fail."; };
        wantedBy = mkOption { default = [ ]; type = unitNameList; description = "Units that want (i.e. depend on) this unit."; };
        requiredBy = mkOption { default = [ ]; type = unitNameList; description = "Units that require (i.e. depend on and need to go down with) this unit."; };
        upheldBy = mkOption { default = [ ]; type = unitNameList; description = "Keep this unit running as long as the listed units are running."; };
        aliases = mkOption { default = [ ]; type = unitNameList; description = "Aliases of that unit."; };
        onFailure = mkOption { default = [ ]; type = unitNameList; description = "A list of one or more units that are activated when this unit enters the \"failed\" state."; };
        onSuccess = mkOption { default = [ ]; type = unitNameList; description = "A list of one or more units that are activated when this unit enters the \"inactive\" state."; };
        startLimitBurst = mkOption { type = types.nullOr types.int; default = null; description = "Configure unit start rate limiting."; };
        startLimitIntervalSec = mkOption { type = types.nullOr types.int; default = null; description = "Configure unit start rate limiting."; };
        unitConfig = mkOption {
          default = { };
          example = { RequiresMountsFor = "/data"; };
          type = types.attrsOf unitOption;
          description = "Each attribute in this set specifies an option in the `[Unit]` section of the unit.";
        };
        restartTriggers = mkOption {
          default = [ ];
          type = types.listOf types.unspecified;
          description = "An arbitrary list of items such as derivations. If any item in the list changes between reconfigurations, the service will be restarted.";
        };
        reloadTriggers = mkOption {
          default = [ ];
          type = types.listOf unitOption;
          description = "An arbitrary list of items such as derivations. If any item in the list changes between reconfigurations, the service will be reloaded.";
        };
        overrideStrategy = mkOption {
          default = "asDropinIfExists";
          type = types.enum [ "asDropinIfExists" "asDropin" ];
          description = "Defines how unit configuration is provided for systemd.";
        };
      };
      config.unitConfig = mkMerge [
        (mkIf (config.description != "") { Description = config.description; })
        (mkIf (config.documentation != [ ]) { Documentation = toString config.documentation; })
        (mkIf (config.requires != [ ]) { Requires = toString config.requires; })
        (mkIf (config.wants != [ ]) { Wants = toString config.wants; })
        (mkIf (config.upholds != [ ]) { Upholds = toString config.upholds; })
        (mkIf (config.after != [ ]) { After = toString config.after; })
        (mkIf (config.before != [ ]) { Before = toString config.before; })
        (mkIf (config.bindsTo != [ ]) { BindsTo = toString config.bindsTo; })
        (mkIf (config.partOf != [ ]) { PartOf = toString config.partOf; })
        (mkIf (config.conflicts != [ ]) { Conflicts = toString config.conflicts; })
        (mkIf (config.requisite != [ ]) { Requisite = toString config.requisite; })
        (mkIf (config.onFailure != [ ]) { OnFailure = toString config.onFailure; })
        (mkIf (config.onSuccess != [ ]) { OnSuccess = toString config.onSuccess; })
        (mkIf (config.startLimitBurst != null) { StartLimitBurst = config.startLimitBurst; })
        (mkIf (config.startLimitIntervalSec != null) { StartLimitIntervalSec = config.startLimitIntervalSec; })
        (mkIf (config.restartTriggers != [ ]) { X-Restart-Triggers = triggerFile "X-Restart-Triggers" name config.restartTriggers; })
        (mkIf (config.reloadTriggers != [ ]) { X-Reload-Triggers = triggerFile "X-Reload-Triggers" name config.reloadTriggers; })
      ];
    };

  makeJobScript =
    name: text:
    let
      scriptName = lib.replaceStrings [ "\\" "@" ] [ "-" "_" ] name;
      out = pkgs.writeTextFile {
        name = "unit-script-${scriptName}";
        executable = true;
        destination = "/bin/${scriptName}";
        text = "#!${pkgs.bash}/bin/bash\nset -e\n${text}\n";
      };
    in
    "${out}/bin/${scriptName}";

  serviceOptions =
    { name, config, ... }:
    {
      imports = [ commonUnitOptions ];
      options = {
        environment = mkOption {
          default = { };
          type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]));
          example = { PATH = "/foo/bar/bin"; LANG = "nl_NL.UTF-8"; };
          description = "Environment variables passed to the service's processes.";
        };
        path = mkOption {
          default = [ ];
          type = types.listOf (types.oneOf [ types.package types.str ]);
          description = "Packages added to the service's {env}`PATH` environment variable.";
        };
        serviceConfig = mkOption {
          default = { };
          example = { RestartSec = 5; };
          type = types.attrsOf unitOption;
          description = "Each attribute in this set specifies an option in the `[Service]` section of the unit.";
        };
        script = mkOption { type = types.lines; default = ""; description = "Shell commands executed as the service's main process."; };
        scriptArgs = mkOption { type = types.str; default = ""; description = "Arguments passed to the main process script."; };
        preStart = mkOption { type = types.lines; default = ""; description = "Shell commands executed before the service's main process is started."; };
        postStart = mkOption { type = types.lines; default = ""; description = "Shell commands executed after the service's main process is started."; };
        reload = mkOption { type = types.lines; default = ""; description = "Shell commands executed when the service's main process is reloaded."; };
        preStop = mkOption { type = types.lines; default = ""; description = "Shell commands executed to stop the service."; };
        postStop = mkOption { type = types.lines; default = ""; description = "Shell commands executed after the service's main process has exited."; };
        jobScripts = mkOption { type = types.listOf types.package; internal = true; default = [ ]; description = "A list of all job script derivations of this unit."; };
        restartIfChanged = mkOption {
          type = types.bool;
          default = true;
          description = "Whether the service should be restarted during a NixOS configuration switch if its definition has changed.";
        };
        reloadIfChanged = mkOption {
          type = types.bool;
          default = false;
          description = ''
            Whether the service should be reloaded during a NixOS configuration switch if
            its definition has changed. If enabled, the value of {option}`restartIfChanged`
            is ignored.
          '';
        };
        stopIfChanged = mkOption {
          type = types.bool;
          default = true;
          description = ''
            If set, a changed unit is restarted by calling {command}`systemctl stop` in the
            old configuration, then {command}`systemctl start` in the new one. Otherwise,
            it is restarted in a single step using {command}`systemctl restart` in the new
            configuration.
          '';
        };
        notSocketActivated = mkOption {
          type = types.bool;
          default = false;
          description = "If set, a changed unit is never assumed to be socket-activated on configuration activation.";
        };
        startAt = mkOption {
          type = with types; either str (listOf str);
          default = [ ];
          example = "Sun 14:00:00";
          description = "Automatically start this unit at the given date/time, which must be in the format described in {manpage}`systemd.time(7)`.";
        };
      };
      config = mkMerge [
        {
          path = lib.mkAfter [ pkgs.coreutils pkgs.findutils pkgs.gnugrep pkgs.gnused cfg.package ];
          environment.PATH = "${utils.binPath config.path}:${lib.concatMapStringsSep ":" (p: "${p}/sbin") config.path}";
        }
        (mkIf (config.preStart != "") { serviceConfig.ExecStartPre = [ (makeJobScript "${name}-pre-start" config.preStart) ]; })
        (mkIf (config.script != "") { serviceConfig.ExecStart = makeJobScript "${name}-start" config.script + " " + config.scriptArgs; })
        (mkIf (config.postStart != "") { serviceConfig.ExecStartPost = [ (makeJobScript "${name}-post-start" config.postStart) ]; })
        (mkIf (config.reload != "") { serviceConfig.ExecReload = makeJobScript "${name}-reload" config.reload; })
        (mkIf (config.preStop != "") { serviceConfig.ExecStop = makeJobScript "${name}-pre-stop" config.preStop; })
        (mkIf (config.postStop != "") { serviceConfig.ExecStopPost = makeJobScript "${name}-post-stop" config.postStop; })
      ];
    };

  sectionOptions =
    section: optName:
    { ... }:
    {
      imports = [ commonUnitOptions ];
      options.${optName} = mkOption {
        default = { };
        type = types.attrsOf unitOption;
        description = "Each attribute in this set specifies an option in the `[${section}]` section of the unit.";
      };
    };

  socketOptions =
    { config, ... }:
    {
      imports = [ (sectionOptions "Socket" "socketConfig") ];
      options = {
        listenStreams = mkOption { default = [ ]; type = types.listOf types.str; description = "For each item in this list, a `ListenStream` option in the `[Socket]` section will be created."; };
        listenDatagrams = mkOption { default = [ ]; type = types.listOf types.str; description = "For each item in this list, a `ListenDatagram` option in the `[Socket]` section will be created."; };
      };
      config.socketConfig = mkMerge [
        (mkIf (config.listenStreams != [ ]) { ListenStream = config.listenStreams; })
        (mkIf (config.listenDatagrams != [ ]) { ListenDatagram = config.listenDatagrams; })
      ];
    };

  unitOptions =
    { name, config, ... }:
    {
      options = {
        enable = mkOption { default = true; type = types.bool; description = "If set to false, this unit will be a symlink to /dev/null."; };
        text = mkOption { type = types.nullOr types.str; default = null; description = "Text of this systemd unit."; };
        wantedBy = mkOption { default = [ ]; type = unitNameList; description = "Units that want (i.e. depend on) this unit."; };
        requiredBy = mkOption { default = [ ]; type = unitNameList; description = "Units that require this unit."; };
        upheldBy = mkOption { default = [ ]; type = unitNameList; description = "Keep this unit running as long as the listed units are running."; };
        aliases = mkOption { default = [ ]; type = unitNameList; description = "Aliases of that unit."; };
        overrideStrategy = mkOption { default = "asDropinIfExists"; type = types.enum [ "asDropinIfExists" "asDropin" ]; description = "Defines how unit configuration is provided for systemd."; };
      };
    };

  commonText = def: "[Unit]\n" + utils.attrsToSection def.unitConfig;

  serviceText =
    def:
    let
      env = cfg.globalEnvironment // def.environment;
    in
    commonText def
    + "\n[Service]\n"
    + lib.concatMapStrings (n: lib.optionalString (env.${n} != null) "Environment=${builtins.toJSON "${n}=${toString env.${n}}"}\n") (lib.attrNames env)
    + (
      if def.reloadIfChanged then "X-ReloadIfChanged=true\n"
      else if !def.restartIfChanged then "X-RestartIfChanged=false\n"
      else ""
    )
    + lib.optionalString (!def.stopIfChanged) "X-StopIfChanged=false\n"
    + lib.optionalString def.notSocketActivated "X-NotSocketActivated=true\n"
    + utils.attrsToSection def.serviceConfig;

  toUnit = text: def: {
    inherit text;
    inherit (def) enable wantedBy requiredBy upheldBy aliases overrideStrategy;
  };

  unitsFrom =
    set:
    lib.mapAttrs' (n: v: lib.nameValuePair "${n}.service" (toUnit (serviceText v) v)) set.services
    // lib.mapAttrs' (n: v: lib.nameValuePair "${n}.target" (toUnit (commonText v) v)) set.targets
    // lib.mapAttrs' (n: v: lib.nameValuePair "${n}.timer" (toUnit (commonText v + "\n[Timer]\n" + utils.attrsToSection v.timerConfig) v)) set.timers
    // lib.mapAttrs' (n: v: lib.nameValuePair "${n}.socket" (toUnit (commonText v + "\n[Socket]\n" + utils.attrsToSection v.socketConfig) v)) set.sockets
    // lib.mapAttrs' (n: v: lib.nameValuePair "${n}.path" (toUnit (commonText v + "\n[Path]\n" + utils.attrsToSection v.pathConfig) v)) set.paths
    // lib.mapAttrs' (n: v: lib.nameValuePair "${n}.slice" (toUnit (commonText v + "\n[Slice]\n" + utils.attrsToSection v.sliceConfig) v)) set.slices;

  # The unit directory: upstream units and enabled units as files — a unit that
  # upstream already ships becomes a drop-in (`<unit>.d/overrides.conf`), as NixOS's
  # default `overrideStrategy` does —, disabled ones as links to /dev/null (what
  # switch-to-configuration treats as removed), then dependency and alias links.
  templateOf =
    u:
    let
      m = builtins.match "(.*)@[^.]*\\.(.*)" u;
    in
    if m == null then u else "${builtins.elemAt m 0}@.${builtins.elemAt m 1}";
  unitTree =
    name: upstream: units: defaultUnit:
    let
      enabled = lib.filterAttrs (_: u: u.enable && u.text != null) units;
      disabled = lib.filterAttrs (_: u: !u.enable) units;
      asDropin = u: def: def.overrideStrategy == "asDropin" || upstream ? ${u};
      fileOf = u: if enabled ? ${u} && !(asDropin u enabled.${u}) || upstream ? ${u} then u else templateOf u;
      depLinks =
        kind: field:
        lib.concatLists (
          lib.mapAttrsToList (u: def: map (t: lib.nameValuePair "${t}.${kind}/${u}" "../${fileOf u}") def.${field}) enabled
        );
      aliasLinks = lib.concatLists (lib.mapAttrsToList (u: def: map (a: lib.nameValuePair a u) def.aliases) enabled);
    in
    utils.mkTree name {
      files =
        lib.mapAttrs (_: text: { inherit text; }) (removeAttrs upstream (lib.attrNames disabled))
        // lib.mapAttrs' (
          u: def: lib.nameValuePair (if asDropin u def then "${u}.d/overrides.conf" else u) { text = def.text; }
        ) enabled;
      links = lib.listToAttrs (
        depLinks "wants" "wantedBy"
        ++ depLinks "requires" "requiredBy"
        ++ depLinks "upholds" "upheldBy"
        ++ aliasLinks
        ++ lib.mapAttrsToList (u: _: lib.nameValuePair u "/dev/null") disabled
        ++ lib.optional (defaultUnit != null) (lib.nameValuePair "default.target" defaultUnit)
      );
    };

  unitSetOptions = {
    units = mkOption {
      default = { };
      type = types.attrsOf (types.submodule unitOptions);
      description = "Definition of systemd units; usually better set through the kind-specific options.";
    };
    services = mkOption {
      default = { };
      type = types.attrsOf (types.submodule serviceOptions);
      description = "Definition of systemd service units.";
    };
    targets = mkOption {
      default = { };
      type = types.attrsOf (types.submodule commonUnitOptions);
      description = "Definition of systemd target units.";
    };
    timers = mkOption {
      default = { };
      type = types.attrsOf (types.submodule (sectionOptions "Timer" "timerConfig"));
      description = "Definition of systemd timer units.";
    };
    sockets = mkOption {
      default = { };
      type = types.attrsOf (types.submodule socketOptions);
      description = "Definition of systemd socket units.";
    };
    paths = mkOption {
      default = { };
      type = types.attrsOf (types.submodule (sectionOptions "Path" "pathConfig"));
      description = "Definition of systemd path units.";
    };
    slices = mkOption {
      default = { };
      type = types.attrsOf (types.submodule (sectionOptions "Slice" "sliceConfig"));
      description = "Definition of slice configurations.";
    };
  };

  target = description: extra: "[Unit]\nDescription=${description}\nDocumentation=man:systemd.special(7)\n${extra}";
  upstreamUnits = {
    "basic.target" = target "Basic System" "Requires=sysinit.target\nWants=sockets.target timers.target paths.target slices.target\nAfter=sysinit.target sockets.target paths.target slices.target tmp.mount\nRequiresMountsFor=/var /var/tmp\n";
    "sysinit.target" = target "System Initialization" "Conflicts=emergency.service emergency.target\nWants=local-fs.target swap.target\nAfter=local-fs.target swap.target emergency.service emergency.target\n";
    "sysinit-reactivation.target" = target "Reactivate sysinit units" "";
    "multi-user.target" = target "Multi-User System" "Requires=basic.target\nConflicts=rescue.service rescue.target\nAfter=basic.target rescue.service rescue.target\nAllowIsolate=yes\n";
    "graphical.target" = target "Graphical Interface" "Requires=multi-user.target\nWants=display-manager.service\nConflicts=rescue.service rescue.target\nAfter=multi-user.target rescue.service rescue.target display-manager.service\nAllowIsolate=yes\n";
    "network.target" = target "Network" "After=network-pre.target\nRefuseManualStart=yes\n";
    "network-pre.target" = target "Preparation for Network" "RefuseManualStart=yes\n";
    "network-online.target" = target "Network is Online" "After=network.target\n";
    "nss-lookup.target" = target "Host and Network Name Lookups" "RefuseManualStart=yes\n";
    "nss-user-lookup.target" = target "User and Group Name Lookups" "RefuseManualStart=yes\n";
    "local-fs.target" = target "Local File Systems" "After=local-fs-pre.target\nOnFailure=emergency.target\nOnFailureJobMode=replace-irreversibly\n";
    "local-fs-pre.target" = target "Preparation for Local File Systems" "RefuseManualStart=yes\n";
    "remote-fs.target" = target "Remote File Systems" "After=remote-fs-pre.target\n";
    "swap.target" = target "Swaps" "";
    "sockets.target" = target "Sockets" "";
    "timers.target" = target "Timer Units" "";
    "paths.target" = target "Path Units" "";
    "slices.target" = target "Slice Units" "Wants=-.slice system.slice\nAfter=-.slice system.slice\n";
    "getty.target" = target "Login Prompts" "";
    "sound.target" = target "Sound Card" "StopWhenUnneeded=yes\n";
    "printer.target" = target "Printer Support" "StopWhenUnneeded=yes\n";
    "bluetooth.target" = target "Bluetooth Support" "StopWhenUnneeded=yes\n";
    "time-sync.target" = target "System Time Synchronized" "RefuseManualStart=yes\n";
    "rescue.target" = target "Rescue Mode" "Requires=sysinit.target rescue.service\nAfter=sysinit.target rescue.service\nAllowIsolate=yes\n";
    "emergency.target" = target "Emergency Mode" "Wants=emergency.service\nAfter=emergency.service\nAllowIsolate=yes\n";
    "shutdown.target" = target "System Shutdown" "DefaultDependencies=no\nRefuseManualStart=yes\n";
    "sleep.target" = target "Sleep" "DefaultDependencies=no\nStopWhenUnneeded=yes\n";
    "suspend.target" = target "Suspend" "DefaultDependencies=no\nBindsTo=systemd-suspend.service\nAfter=systemd-suspend.service\nStopWhenUnneeded=yes\n";
    "hibernate.target" = target "System Hibernation" "DefaultDependencies=no\nBindsTo=systemd-hibernate.service\nAfter=systemd-hibernate.service\nStopWhenUnneeded=yes\n";
    "hybrid-sleep.target" = target "Hybrid Suspend+Hibernate" "DefaultDependencies=no\nBindsTo=systemd-hybrid-sleep.service\nAfter=systemd-hybrid-sleep.service\nStopWhenUnneeded=yes\n";
    "systemd-journald.service" = "[Unit]\nDescription=Journal Service\nDocumentation=man:systemd-journald.service(8) man:journald.conf(5)\nDefaultDependencies=no\n\n[Service]\nExecStart=${cfg.package}/lib/systemd/systemd-journald\nRestart=always\nType=notify\n";
    "systemd-logind.service" = "[Unit]\nDescription=User Login Management\nDocumentation=man:sd-login(3) man:systemd-logind.service(8)\nAfter=nss-user-lookup.target user.slice modprobe@drm.service\n\n[Service]\nExecStart=${cfg.package}/lib/systemd/systemd-logind\nRestart=always\nType=notify\nX-RestartIfChanged=false\n";
    "systemd-udevd.service" = "[Unit]\nDescription=Rule-based Manager for Device Events and Files\nDocumentation=man:systemd-udevd.service(8) man:udev(7)\nDefaultDependencies=no\n\n[Service]\nExecStart=${cfg.package}/lib/systemd/systemd-udevd\nType=notify\nRestart=always\n";
    "systemd-user-sessions.service" = "[Unit]\nDescription=Permit User Sessions\nDocumentation=man:systemd-user-sessions.service(8)\nAfter=remote-fs.target nss-user-lookup.target network.target home.mount\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=${cfg.package}/lib/systemd/systemd-user-sessions start\nExecStop=${cfg.package}/lib/systemd/systemd-user-sessions stop\n";
    "getty@.service" = "[Unit]\nDescription=Getty on %I\nDocumentation=man:agetty(8) man:systemd-getty-generator(8)\nAfter=systemd-user-sessions.service plymouth-quit-wait.service getty-pre.target\n\n[Service]\nExecStart=@${pkgs.util-linux}/sbin/agetty agetty --login-program ${pkgs.shadow}/bin/login --noclear --keep-baud %I 115200,38400,9600 $TERM\nType=idle\nRestart=always\nX-RestartIfChanged=false\n";
    "user@.service" = "[Unit]\nDescription=User Manager for UID %i\nDocumentation=man:user@.service(5)\nAfter=user-runtime-dir@%i.service dbus.service systemd-oomd.service\n\n[Service]\nUser=%i\nPAMName=systemd-user\nType=notify-reload\nExecStart=${cfg.package}/lib/systemd/systemd --user\nX-RestartIfChanged=false\n";
  };
in
{
  options.systemd =
    unitSetOptions
    // {
      package = mkOption {
        default = pkgs.systemd;
        defaultText = lib.literalExpression "pkgs.systemd";
        type = types.package;
        description = "The systemd package.";
      };
      defaultUnit = mkOption {
        default = "multi-user.target";
        type = types.str;
        description = "Default unit started when the system boots.";
      };
      globalEnvironment = mkOption {
        type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]));
        default = { };
        example = { TZ = "CET"; };
        description = "Environment variables passed to *all* systemd units.";
      };
      enableEmergencyMode = mkOption {
        default = true;
        type = types.bool;
        description = "Whether to enable emergency mode, which is an sulogin shell started on the console if mounting a filesystem fails.";
      };
      suppressedSystemUnits = mkOption {
        default = [ ];
        type = types.listOf types.str;
        description = "A list of units to skip when generating system systemd configuration directory.";
      };
      settings.Manager = mkOption {
        default = { };
        type = types.attrsOf unitOption;
        description = "Options for the global systemd service manager (system.conf).";
      };
      extraConfig = mkOption {
        default = "";
        type = types.lines;
        description = "Extra config options for systemd (appended to system.conf).";
      };
      tmpfiles.rules = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "d /tmp 1777 root root 10d" ];
        description = "Rules for creation, deletion and cleaning of volatile and temporary files automatically.";
      };
      user = unitSetOptions;
      network.enable = mkOption { default = false; type = types.bool; description = "Whether to enable networkd or not."; };
      sleep.extraConfig = mkOption { default = ""; type = types.lines; description = "Extra config options for systemd sleep state logic."; };
      coredump.enable = mkOption { default = true; type = types.bool; description = "Whether core dumps should be processed by {command}`systemd-coredump`."; };
      oomd.enable = mkOption { default = true; type = types.bool; description = "Whether to enable the `systemd-oomd` OOM killer."; };
    };

  options.services.journald.extraConfig = mkOption {
    default = "";
    type = types.lines;
    example = "Storage=volatile";
    description = "Extra config options for systemd-journald.";
  };
  options.services.logind = {
    lidSwitch = mkOption { default = "suspend"; type = types.str; description = "Specifies what to do when the laptop lid is closed."; };
    lidSwitchExternalPower = mkOption { default = config.services.logind.lidSwitch; type = types.str; description = "Specifies what to do when the laptop lid is closed and the system is on external power."; };
    lidSwitchDocked = mkOption { default = "ignore"; type = types.str; description = "Specifies what to do when the laptop lid is closed and another screen is added."; };
    powerKey = mkOption { default = "poweroff"; type = types.str; description = "Specifies what to do when the power key is pressed."; };
    extraConfig = mkOption { default = ""; type = types.lines; description = "Extra config options for systemd-logind."; };
  };

  config = {
    systemd.units = unitsFrom cfg;
    systemd.user.units = unitsFrom cfg.user;

    systemd.timers = lib.mapAttrs (_: service: {
      wantedBy = [ "timers.target" ];
      timerConfig.OnCalendar = service.startAt;
    }) (lib.filterAttrs (_: service: service.enable && service.startAt != [ ]) cfg.services);

    system.build.units = unitTree "system-units" (removeAttrs upstreamUnits cfg.suppressedSystemUnits) (removeAttrs cfg.units cfg.suppressedSystemUnits) cfg.defaultUnit;
    system.build.userUnits = unitTree "user-units" { } cfg.user.units null;

    environment.etc = {
      "systemd/system".source = config.system.build.units;
      "systemd/user".source = config.system.build.userUnits;
      "systemd/system.conf".text = "[Manager]\n" + utils.attrsToSection cfg.settings.Manager + cfg.extraConfig;
      "systemd/journald.conf".text = "[Journal]\nStorage=persistent\nRateLimitInterval=30s\nRateLimitBurst=10000\n${config.services.journald.extraConfig}\n";
      "systemd/logind.conf".text = ''
        [Login]
        KillUserProcesses=no
        HandlePowerKey=${config.services.logind.powerKey}
        HandleLidSwitch=${config.services.logind.lidSwitch}
        HandleLidSwitchDocked=${config.services.logind.lidSwitchDocked}
        HandleLidSwitchExternalPower=${config.services.logind.lidSwitchExternalPower}
        ${config.services.logind.extraConfig}
      '';
      "systemd/sleep.conf".text = "[Sleep]\n${cfg.sleep.extraConfig}\n";
      "tmpfiles.d/00-nixos.conf".text = "# This file is created automatically and should not be modified.\n# Please change the option ‘systemd.tmpfiles.rules’ instead.\n\n" + lib.concatStringsSep "\n" cfg.tmpfiles.rules + "\n";
    };

    systemd.services.systemd-journald.restartTriggers = [ config.environment.etc."systemd/journald.conf".source ];
    systemd.services.systemd-journald.wantedBy = [ "sysinit.target" ];
    systemd.services.systemd-logind = {
      restartTriggers = [ config.environment.etc."systemd/logind.conf".source ];
      restartIfChanged = false;
      wantedBy = [ "multi-user.target" ];
    };
    systemd.services."getty@tty1" = {
      overrideStrategy = "asDropin";
      wantedBy = [ "getty.target" ];
    };
    systemd.targets.getty.wantedBy = [ "multi-user.target" ];
  };
}
