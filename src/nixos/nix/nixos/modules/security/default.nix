# security.*: sudo (on by default, wheel may run anything), polkit, rtkit, PAM service
# declarations, doas, AppArmor, ACME and TPM2, with NixOS's names and defaults.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkEnableOption mkMerge types;
  cfg = config.security;
  sudo = cfg.sudo;
  ruleType = types.submodule {
    options = {
      users = mkOption { type = types.listOf (types.either types.str types.int); default = [ ]; description = "The usernames / UIDs this rule should apply for."; };
      groups = mkOption { type = types.listOf (types.either types.str types.int); default = [ ]; description = "The groups / GIDs this rule should apply for."; };
      host = mkOption { type = types.str; default = "ALL"; description = "For what host this rule should apply."; };
      runAs = mkOption { type = types.str; default = "ALL:ALL"; description = "Under which user/group the specified command is allowed to run."; };
      commands = mkOption {
        type = types.listOf (types.either types.str (types.submodule {
          options.command = mkOption { type = types.str; description = "A command being either just a path to a binary to allow any arguments."; };
          options.options = mkOption { type = types.listOf types.str; default = [ ]; description = "Options for running the command."; };
        }));
        description = "The commands for which the rule should apply.";
      };
    };
  };
  cmdText = c: if builtins.isString c then c else "${lib.concatMapStrings (o: "${o}: ") c.options}${c.command}";
  ruleText = r:
    lib.concatMapStrings (u: "${if builtins.isInt u then "#${toString u}" else u} ${r.host}=(${r.runAs}) ${lib.concatMapStringsSep ", " cmdText r.commands}\n") r.users
    + lib.concatMapStrings (g: "%${if builtins.isInt g then "#${toString g}" else g} ${r.host}=(${r.runAs}) ${lib.concatMapStringsSep ", " cmdText r.commands}\n") r.groups;
in
{
  options.security = {
    sudo = {
      enable = mkOption { type = types.bool; default = true; description = "Whether to enable the {command}`sudo` command, which allows non-root users to execute commands as root."; };
      package = mkOption { type = types.package; default = pkgs.sudo; defaultText = lib.literalExpression "pkgs.sudo"; description = "Which package to use for `sudo`."; };
      wheelNeedsPassword = mkOption { type = types.bool; default = true; description = "Whether users of the `wheel` group must provide a password to run commands as super user via {command}`sudo`."; };
      execWheelOnly = mkOption { type = types.bool; default = false; description = "Only allow members of the `wheel` group to execute sudo."; };
      extraRules = mkOption { type = types.listOf ruleType; default = [ ]; description = "Define specific rules to be in the {file}`sudoers` file."; };
      extraConfig = mkOption { type = types.lines; default = ""; description = "Extra configuration text appended to {file}`sudoers`."; };
      keepTerminfo = mkOption { type = types.bool; default = true; description = "Whether to keep the `TERMINFO` and `TERMINFO_DIRS` environment variables."; };
    };
    sudo-rs = {
      enable = mkEnableOption "a memory-safe implementation of the {command}`sudo` command";
      wheelNeedsPassword = mkOption { type = types.bool; default = true; description = "Whether users of the `wheel` group must provide a password to run commands as super user via {command}`sudo`."; };
    };
    doas = {
      enable = mkEnableOption "the {command}`doas` command, which allows non-root users to execute commands as root";
      wheelNeedsPassword = mkOption { type = types.bool; default = true; description = "Whether users of the `wheel` group must provide a password to run commands as super user via {command}`doas`."; };
      extraRules = mkOption { type = types.listOf types.attrs; default = [ ]; description = "Define specific rules to be set in the {file}`/etc/doas.conf` file."; };
      extraConfig = mkOption { type = types.lines; default = ""; description = "Extra configuration text appended to {file}`doas.conf`."; };
    };
    polkit = {
      enable = mkEnableOption "polkit";
      extraConfig = mkOption { type = types.lines; default = ""; description = "Any polkit rules to be added to config (in JavaScript ;-))."; };
      adminIdentities = mkOption { type = types.listOf types.str; default = [ "unix-group:wheel" ]; description = "Specifies which users are considered “administrators”."; };
    };
    rtkit.enable = mkOption { type = types.bool; default = false; description = "Whether to enable the RealtimeKit system service, which hands out realtime scheduling priority to user processes on demand."; };
    pam = {
      services = mkOption {
        default = { };
        type = types.attrsOf (types.submodule { freeformType = types.attrsOf types.anything; });
        description = "This option defines the PAM services.";
      };
      loginLimits = mkOption { default = [ ]; type = types.listOf types.attrs; description = "Define resource limits that should apply to users or groups."; };
      sshAgentAuth.enable = mkEnableOption "authenticating using a signature performed by the ssh-agent";
    };
    apparmor = {
      enable = mkEnableOption "the AppArmor Mandatory Access Control system";
      packages = mkOption { type = types.listOf types.package; default = [ ]; description = "List of packages to be added to AppArmor's include path."; };
    };
    acme = {
      acceptTerms = mkOption { type = types.bool; default = false; description = "Accept the CA's terms of service."; };
      defaults = mkOption { type = types.attrsOf types.anything; default = { }; description = "Default values inheritable by all configured certs."; };
      certs = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Attribute set of certificates to get signed and renewed."; };
    };
    tpm2 = {
      enable = mkEnableOption "Trusted Platform Module 2 support";
      pkcs11.enable = mkEnableOption "TPM2 PKCS#11 tool and shared library in system path";
      tctiEnvironment.enable = mkEnableOption "TCTI environment variables";
    };
    protectKernelImage = mkOption { type = types.bool; default = false; description = "Whether to prevent replacing the running kernel image."; };
    lockKernelModules = mkOption { type = types.bool; default = false; description = "Disable kernel module loading once the system is fully initialised."; };
    allowUserNamespaces = mkOption { type = types.bool; default = true; description = "Whether to allow creation of user namespaces."; };
    wrappers = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "This option effectively allows adding setuid/setgid bits, capabilities, changing file ownership and permissions of a program without directly modifying it."; };
    pki.certificateFiles = mkOption { type = types.listOf types.path; default = [ ]; description = "A list of files containing trusted root certificates in PEM format."; };
    pki.certificates = mkOption { type = types.listOf types.str; default = [ ]; description = "A list of trusted root certificates in PEM format."; };
  };

  config = mkMerge [
    (mkIf sudo.enable {
      security.sudo.extraRules = lib.mkOrder 400 [
        { groups = [ "wheel" ]; commands = [ { command = "ALL"; options = lib.optional (!sudo.wheelNeedsPassword) "NOPASSWD"; } ]; }
      ];
      environment.systemPackages = [ sudo.package ];
      environment.etc.sudoers = {
        mode = "0440";
        text = ''
          # Don't edit this file. Set the NixOS options ‘security.sudo.configFile’
          # or ‘security.sudo.extraRules’ instead.

          # Keep SSH_AUTH_SOCK so that pam_ssh_agent_auth.so can do its magic.
          Defaults env_keep+=SSH_AUTH_SOCK
          ${lib.optionalString sudo.keepTerminfo "Defaults env_keep+=TERMINFO_DIRS\nDefaults env_keep+=TERMINFO"}

          # "root" is allowed to do anything.
          root        ALL=(ALL:ALL) SETENV: ALL

          # extraRules
          ${lib.concatMapStrings ruleText sudo.extraRules}
          ${sudo.extraConfig}
        '';
      };
      security.pam.services.sudo = { };
    })
    (mkIf cfg.sudo-rs.enable {
      security.sudo.enable = mkDefault false;
      environment.systemPackages = [ pkgs.sudo-rs ];
      assertions = [ { assertion = !sudo.enable; message = "sudo and sudo-rs are both enabled: at most one of security.sudo.enable and security.sudo-rs.enable may be true"; } ];
    })
    (mkIf cfg.doas.enable {
      environment.systemPackages = [ pkgs.doas ];
      environment.etc."doas.conf" = {
        mode = "0440";
        text = "permit ${lib.optionalString (!cfg.doas.wheelNeedsPassword) "nopass "}:wheel\n${cfg.doas.extraConfig}\n";
      };
    })
    (mkIf cfg.polkit.enable {
      environment.systemPackages = [ pkgs.polkit ];
      environment.etc."polkit-1/rules.d/10-nixos.rules".text = ''
        polkit.addAdminRule(function(action, subject) {
          return [${lib.concatMapStringsSep ", " (i: "\"${i}\"") cfg.polkit.adminIdentities}];
        });

        ${cfg.polkit.extraConfig}
      '';
      systemd.services.polkit = {
        description = "Authorization Manager";
        restartTriggers = [ config.environment.etc."polkit-1/rules.d/10-nixos.rules".source ];
        serviceConfig = { Type = "dbus"; BusName = "org.freedesktop.PolicyKit1"; ExecStart = "${pkgs.polkit}/lib/polkit-1/polkitd --no-debug"; };
      };
      users.users.polkituser = { description = "PolKit daemon"; uid = config.ids.uids.polkituser; group = "polkituser"; isSystemUser = true; };
      users.groups.polkituser = { };
      security.pam.services.polkit-1 = { };
    })
    (mkIf cfg.rtkit.enable {
      environment.systemPackages = [ pkgs.rtkit ];
      systemd.services.rtkit-daemon = {
        description = "RealtimeKit Scheduling Policy Service";
        serviceConfig = { Type = "dbus"; BusName = "org.freedesktop.RealtimeKit1"; ExecStart = "${pkgs.rtkit}/libexec/rtkit-daemon"; };
      };
      users.users.rtkit = { isSystemUser = true; group = "rtkit"; description = "RealtimeKit daemon"; };
      users.groups.rtkit = { };
    })
    (mkIf cfg.apparmor.enable {
      environment.systemPackages = [ pkgs.apparmor-parser ];
      boot.kernelParams = [ "apparmor=1" "security=apparmor" ];
    })
    (mkIf cfg.tpm2.enable { environment.systemPackages = [ pkgs.tpm2-tools ]; users.groups.tss = { }; })
    {
      security.pam.services = {
        login = { };
        passwd = { };
        su = { };
        chsh = { };
        systemd-user = { };
      };
      environment.etc = lib.mapAttrs' (name: _: lib.nameValuePair "pam.d/${name}" {
        text = ''
          # Account management.
          account required pam_unix.so # unix (order 10900)

          # Authentication management.
          auth sufficient pam_unix.so likeauth try_first_pass # unix (order 11500)
          auth required pam_deny.so # deny (order 12300)

          # Password management.
          password sufficient pam_unix.so nullok yescrypt # unix (order 10200)

          # Session management.
          session required pam_env.so conffile=/etc/pam/environment readenv=0 # env (order 10100)
          session required pam_unix.so # unix (order 10200)
        '';
      }) cfg.pam.services;
    }
  ];
}
