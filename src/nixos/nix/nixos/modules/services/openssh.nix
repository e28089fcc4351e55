# services.openssh: the SSH daemon, configured through `settings` (freeform, rendered
# to /etc/ssh/sshd_config in sshd's Key Value syntax) with NixOS's defaults
# (PermitRootLogin prohibit-password, port 22 opened in the firewall). The unit is
# restarted in one step (`stopIfChanged = false`) when its configuration changes, so a
# switch over SSH does not cut the connection that runs it.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkEnableOption types;
  cfg = config.services.openssh;
  settingValue = v: if builtins.isBool v then (if v then "yes" else "no") else if builtins.isList v then lib.concatStringsSep "," (map toString v) else toString v;
  sshdConfig = ''
    ${lib.concatMapStrings (port: "Port ${toString port}\n") cfg.ports}
    ${lib.concatMapStrings (a: "ListenAddress ${a.addr}${lib.optionalString (a.port != null) ":${toString a.port}"}\n") cfg.listenAddresses}
    ${lib.concatStrings (lib.mapAttrsToList (n: v: lib.optionalString (v != null) "${n} ${settingValue v}\n") cfg.settings)}
    AuthorizedKeysFile ${lib.concatStringsSep " " cfg.authorizedKeysFiles}
    ${lib.concatMapStrings (k: "HostKey ${k.path}\n") cfg.hostKeys}
    ${lib.optionalString cfg.allowSFTP "Subsystem sftp ${cfg.package}/libexec/sftp-server ${lib.concatStringsSep " " cfg.sftpFlags}"}
    ${lib.optionalString (cfg.banner != null) "Banner ${pkgs.writeText "ssh_banner" cfg.banner}"}
    ${cfg.extraConfig}
  '';
in
{
  imports = [
    (lib.mkRenamedOptionModule [ "services" "openssh" "permitRootLogin" ] [ "services" "openssh" "settings" "PermitRootLogin" ])
    (lib.mkRenamedOptionModule [ "services" "openssh" "passwordAuthentication" ] [ "services" "openssh" "settings" "PasswordAuthentication" ])
    (lib.mkRenamedOptionModule [ "services" "openssh" "kbdInteractiveAuthentication" ] [ "services" "openssh" "settings" "KbdInteractiveAuthentication" ])
  ];

  options.services.openssh = {
    enable = mkOption { type = types.bool; default = false; description = "Whether to enable the OpenSSH secure shell daemon, which allows secure remote logins."; };
    package = mkOption { type = types.package; default = pkgs.openssh; defaultText = lib.literalExpression "pkgs.openssh"; description = "The openssh package to use."; };
    startWhenNeeded = mkOption { type = types.bool; default = false; description = "If set, {command}`sshd` is socket-activated; that is, instead of having it permanently running as a daemon, systemd will start an instance for each incoming connection."; };
    allowSFTP = mkOption { type = types.bool; default = true; description = "Whether to enable the SFTP subsystem in the SSH daemon."; };
    sftpFlags = mkOption { type = types.listOf types.str; default = [ ]; description = "Commandline flags to add to sftp-server."; };
    ports = mkOption { type = types.listOf types.port; default = [ 22 ]; description = "Specifies on which ports the SSH daemon listens."; };
    openFirewall = mkOption { type = types.bool; default = true; description = "Whether to automatically open the specified ports in the firewall."; };
    listenAddresses = mkOption {
      type = types.listOf (types.submodule { options = { addr = mkOption { type = types.nullOr types.str; default = null; description = "Host, IPv4 or IPv6 address to listen to."; }; port = mkOption { type = types.nullOr types.int; default = null; description = "Port to listen to."; }; }; });
      default = [ ];
      description = "List of addresses and ports to listen on (ListenAddress directive in config).";
    };
    hostKeys = mkOption {
      type = types.listOf types.attrs;
      default = [ { type = "rsa"; bits = 4096; path = "/etc/ssh/ssh_host_rsa_key"; } { type = "ed25519"; path = "/etc/ssh/ssh_host_ed25519_key"; } ];
      description = "NixOS can automatically generate SSH host keys. This option specifies the path, type and size of each key.";
    };
    banner = mkOption { type = types.nullOr types.lines; default = null; description = "Message to display to the remote user before authentication is allowed."; };
    authorizedKeysFiles = mkOption { type = types.listOf types.str; default = [ "%h/.ssh/authorized_keys" "/etc/ssh/authorized_keys.d/%u" ]; description = "Specify the rules for which files to read on the host."; };
    authorizedKeysInHomedir = mkOption { type = types.bool; default = true; description = "Enables the use of the `~/.ssh/authorized_keys` file."; };
    settings = mkOption {
      description = "Configuration for `sshd_config(5)`.";
      default = { };
      type = types.submodule {
        freeformType = types.attrsOf (types.nullOr (types.oneOf [ types.str types.int types.bool (types.listOf types.str) ]));
        options = {
          PermitRootLogin = mkOption { default = "prohibit-password"; type = types.enum [ "yes" "without-password" "prohibit-password" "forced-commands-only" "no" ]; description = "Whether the root user can login using ssh."; };
          PasswordAuthentication = mkOption { type = types.bool; default = true; description = "Specifies whether password authentication is allowed."; };
          KbdInteractiveAuthentication = mkOption { type = types.bool; default = true; description = "Specifies whether keyboard-interactive authentication is allowed"; };
          X11Forwarding = mkOption { type = types.bool; default = false; description = "Whether to allow X11 connections to be forwarded."; };
          UseDns = mkOption { type = types.bool; default = false; description = "Specifies whether sshd(8) should look up the remote host name."; };
          UsePAM = mkOption { type = types.bool; default = true; description = "Whether to enable Pluggable Authentication Modules (PAM) authentication."; };
          PrintMotd = mkOption { type = types.bool; default = false; description = "Specifies whether sshd(8) should print /etc/motd when a user logs in interactively."; };
          LogLevel = mkOption { type = types.nullOr (types.enum [ "QUIET" "FATAL" "ERROR" "INFO" "VERBOSE" "DEBUG" "DEBUG1" "DEBUG2" "DEBUG3" ]); default = "INFO"; description = "Gives the verbosity level that is used when logging messages from sshd(8)."; };
          StrictModes = mkOption { type = types.bool; default = true; description = "Whether sshd should check file modes and ownership of directories"; };
          AllowUsers = mkOption { type = types.nullOr (types.listOf types.str); default = null; description = "If specified, login is allowed only for the listed users."; };
          AllowGroups = mkOption { type = types.nullOr (types.listOf types.str); default = null; description = "If specified, login is allowed only for users part of the listed groups."; };
        };
      };
    };
    extraConfig = mkOption { type = types.lines; default = ""; description = "Verbatim contents of {file}`sshd_config`."; };
  };

  config = mkIf cfg.enable {
    users.users.sshd = { isSystemUser = true; group = "sshd"; description = "SSH privilege separation user"; };
    users.groups.sshd = { };
    environment.etc."ssh/sshd_config".source = pkgs.writeText "sshd.conf-settings" sshdConfig;
    networking.firewall.allowedTCPPorts = mkIf cfg.openFirewall cfg.ports;
    security.pam.services.sshd = { };
    systemd.services.sshd = {
      description = "SSH Daemon";
      wantedBy = lib.optional (!cfg.startWhenNeeded) "multi-user.target";
      after = [ "network.target" ];
      stopIfChanged = false;
      path = [ cfg.package pkgs.gawk ];
      restartTriggers = lib.optionals (!cfg.startWhenNeeded) [ config.environment.etc."ssh/sshd_config".source ];
      serviceConfig = {
        ExecStart = "${cfg.package}/bin/sshd -D -f /etc/ssh/sshd_config";
        KillMode = "process";
        Restart = "always";
        Type = "simple";
      };
    };
    systemd.sockets.sshd = mkIf cfg.startWhenNeeded {
      description = "SSH Socket";
      wantedBy = [ "sockets.target" ];
      socketConfig.ListenStream = cfg.ports;
      socketConfig.Accept = true;
    };
    environment.systemPackages = [ cfg.package ];
  };
}
