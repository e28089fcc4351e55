# Desktop and server daemons: audio (PipeWire, PulseAudio), printing, D-Bus, the
# desktop plumbing (udisks2, upower, accounts-daemon, gvfs, geoclue, gnome-keyring,
# power profiles), and common servers (nginx, PostgreSQL, MySQL, Redis, fail2ban,
# Syncthing, Jellyfin, Tailscale, Caddy, …). Each enables what NixOS's module does at
# its core: the package, its unit(s), its users and groups, its firewall ports.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkEnableOption mkMerge types;
  s = config.services;
  pkgOpt = attr: mkOption {
    type = types.package;
    default = lib.getAttrFromPath (lib.splitString "." attr) pkgs;
    defaultText = lib.literalExpression "pkgs.${attr}";
    description = "The ${attr} package to use.";
  };
  # A daemon whose module is "install it, run it, maybe open ports".
  daemon = { name, description, exec, user ? null, wantedBy ? [ "multi-user.target" ] }: {
    systemd.services.${name} = {
      inherit description wantedBy;
      after = [ "network.target" ];
      serviceConfig = { ExecStart = exec; Restart = "on-failure"; } // lib.optionalAttrs (user != null) { User = user; Group = user; };
    };
  };
  systemUser = name: { users.users.${name} = { isSystemUser = true; group = name; description = "${name} service user"; }; users.groups.${name} = { }; };
in
{
  imports = [
    (lib.mkRenamedOptionModule [ "hardware" "pulseaudio" "enable" ] [ "services" "pulseaudio" "enable" ])
    (lib.mkRenamedOptionModule [ "hardware" "pulseaudio" "package" ] [ "services" "pulseaudio" "package" ])
    (lib.mkRenamedOptionModule [ "hardware" "pulseaudio" "support32Bit" ] [ "services" "pulseaudio" "support32Bit" ])
  ];

  options.services = {
    pipewire = {
      enable = mkEnableOption "PipeWire service";
      package = pkgOpt "pipewire";
      socketActivation = mkOption { type = types.bool; default = true; description = "Automatically run PipeWire when connections are made to the PipeWire socket."; };
      audio.enable = mkOption { type = types.bool; default = s.pipewire.alsa.enable || s.pipewire.jack.enable || s.pipewire.pulse.enable; defaultText = lib.literalExpression "config.services.pipewire.alsa.enable || config.services.pipewire.jack.enable || config.services.pipewire.pulse.enable"; description = "Whether to use PipeWire as the primary sound server"; };
      alsa.enable = mkEnableOption "ALSA support";
      alsa.support32Bit = mkEnableOption "32-bit ALSA support on 64-bit systems";
      jack.enable = mkEnableOption "JACK audio emulation";
      pulse.enable = mkEnableOption "PulseAudio server emulation";
      systemWide = mkEnableOption "a system-wide PipeWire instance";
      wireplumber.enable = mkOption { type = types.bool; default = true; description = "Whether to enable WirePlumber, a modular session / policy manager for PipeWire"; };
      wireplumber.package = pkgOpt "wireplumber";
      wireplumber.extraConfig = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Additional configuration for the WirePlumber daemon."; };
      extraConfig = {
        pipewire = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Additional configuration for the PipeWire server."; };
        pipewire-pulse = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Additional configuration for the PipeWire PulseAudio server."; };
        client = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Additional configuration for PipeWire clients."; };
      };
    };
    pulseaudio = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to enable the PulseAudio sound server."; };
      package = pkgOpt "pulseaudio";
      support32Bit = mkOption { type = types.bool; default = false; description = "Whether to include the 32-bit pulseaudio libraries in the system or not."; };
      systemWide = mkOption { type = types.bool; default = false; description = "If false, a PulseAudio server is launched automatically for each user that tries to use the sound system."; };
      extraConfig = mkOption { type = types.lines; default = ""; description = "Literal string to append to `default.pa`."; };
    };
    printing = {
      enable = mkEnableOption "printing support through the CUPS daemon";
      package = pkgOpt "cups";
      startWhenNeeded = mkOption { type = types.bool; default = true; description = "If set, CUPS is socket-activated."; };
      listenAddresses = mkOption { type = types.listOf types.str; default = [ "localhost:631" ]; description = "A list of addresses and ports on which to listen."; };
      allowFrom = mkOption { type = types.listOf types.str; default = [ "localhost" ]; description = "From which hosts to allow unconditional access."; };
      browsing = mkOption { type = types.bool; default = false; description = "Specifies whether shared printers are advertised."; };
      defaultShared = mkOption { type = types.bool; default = false; description = "Specifies whether local printers are shared by default."; };
      webInterface = mkOption { type = types.bool; default = true; description = "Specifies whether the web interface is enabled."; };
      drivers = mkOption { type = types.listOf types.path; default = [ ]; example = lib.literalExpression "with pkgs; [ gutenprint hplip splix ]"; description = "CUPS drivers to use."; };
      extraConf = mkOption { type = types.lines; default = ""; description = "Extra contents of the configuration file of the CUPS daemon ({file}`cupsd.conf`)."; };
      openFirewall = mkOption { type = types.bool; default = false; description = "Whether to open the firewall for TCP ports specified in listenAddresses option."; };
    };
    avahi = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to run the Avahi daemon."; };
      nssmdns4 = mkOption { type = types.bool; default = false; description = "Whether to enable the mDNS NSS (Name Service Switch) plug-in for IPv4."; };
      nssmdns6 = mkOption { type = types.bool; default = false; description = "Whether to enable the mDNS NSS (Name Service Switch) plug-in for IPv6."; };
      openFirewall = mkOption { type = types.bool; default = true; description = "Whether to open the firewall for UDP port 5353."; };
      publish.enable = mkOption { type = types.bool; default = false; description = "Whether to allow publishing in general."; };
      publish.userServices = mkOption { type = types.bool; default = false; description = "Whether to publish user services."; };
      publish.addresses = mkOption { type = types.bool; default = false; description = "Whether to register mDNS address records for all local IP addresses."; };
    };
    dbus = {
      enable = mkOption { type = types.bool; default = true; internal = true; description = "Whether to start the D-Bus message bus daemon, which is required by many other system services and applications."; };
      implementation = mkOption { type = types.enum [ "dbus" "broker" ]; default = "dbus"; description = "The implementation to use for the message bus defined by the D-Bus specification."; };
      packages = mkOption { type = types.listOf types.path; default = [ ]; description = "Packages whose D-Bus configuration files should be included in the configuration of the D-Bus system-wide or session-wide message bus."; };
    };
    accounts-daemon.enable = mkEnableOption "AccountsService, a DBus service for accessing the list of user accounts and information attached to those accounts";
    upower.enable = mkOption { type = types.bool; default = false; description = "Whether to enable Upower, a DBus service that provides power management support to applications."; };
    udisks2.enable = mkEnableOption "udisks2, a DBus service that allows applications to query and manipulate storage devices";
    gvfs.enable = mkEnableOption "GVfs, a userspace virtual filesystem";
    geoclue2.enable = mkOption { type = types.bool; default = false; description = "Whether to enable GeoClue 2 daemon, a DBus service that provides location information for accessing."; };
    gnome.gnome-keyring.enable = mkEnableOption "GNOME Keyring daemon, a service designed to take care of the user's security credentials, such as user names and passwords";
    power-profiles-daemon.enable = mkEnableOption "power-profiles-daemon, a DBus daemon that allows changing system behavior based upon user-selected power profiles";
    thermald.enable = mkEnableOption "thermald, the temperature management daemon";
    tlp = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to enable the TLP power management daemon."; };
      settings = mkOption { type = types.attrsOf (types.oneOf [ types.bool types.int types.float types.str (types.listOf types.str) ]); default = { }; description = "Options passed to TLP. See https://linrunner.de/tlp for all supported options.."; };
    };
    auto-cpufreq.enable = mkEnableOption "auto-cpufreq daemon";
    flatpak.enable = mkEnableOption "flatpak";
    fwupd.enable = mkEnableOption "fwupd, a DBus service that allows applications to update firmware";
    blueman.enable = mkEnableOption "blueman";
    fprintd.enable = mkEnableOption "fprintd daemon and PAM module for fingerprint readers handling";
    acpid.enable = mkEnableOption "the ACPI daemon";
    earlyoom.enable = mkEnableOption "early out of memory killing";
    smartd.enable = mkEnableOption "smartd daemon from `smartmontools` package";
    locate = {
      enable = mkEnableOption "locate";
      package = pkgOpt "plocate";
      interval = mkOption { type = types.str; default = "02:15"; description = "Update the locate database at this interval."; };
    };
    cron = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to enable the Vixie cron daemon."; };
      systemCronJobs = mkOption { type = types.listOf types.str; default = [ ]; description = "A list of Cron jobs to be appended to the system-wide crontab."; };
    };
    chrony.enable = mkEnableOption "chronyd";
    resolved = {
      enable = mkOption { default = false; type = types.bool; description = "Whether to enable the systemd DNS resolver daemon, `systemd-resolved`."; };
      dnssec = mkOption { default = "false"; type = types.enum [ "true" "allow-downgrade" "false" ]; description = "If set to true, all DNS lookups are DNSSEC-validated locally."; };
      fallbackDns = mkOption { default = null; type = types.nullOr (types.listOf types.str); description = "A list of IPv4 and IPv6 addresses to use as the fallback DNS servers."; };
      extraConfig = mkOption { default = ""; type = types.lines; description = "Extra config to append to resolved.conf."; };
    };
    nscd.enable = mkOption { type = types.bool; default = true; description = "Whether to enable the Name Service Cache Daemon."; };
    getty = {
      autologinUser = mkOption { type = types.nullOr types.str; default = null; description = "Username of the account that will be automatically logged in at the console."; };
      greetingLine = mkOption { type = types.str; default = "<<< Welcome to ${config.system.nixos.distroName} ${config.system.nixos.label} (\\m) - \\l >>>"; description = "Welcome line printed by agetty."; };
      helpLine = mkOption { type = types.lines; default = ""; description = "Help line printed by agetty below the welcome line."; };
    };
    udev = {
      packages = mkOption { type = types.listOf types.path; default = [ ]; description = "List of packages containing {command}`udev` rules."; };
      extraRules = mkOption { type = types.lines; default = ""; description = "Additional {command}`udev` rules."; };
      extraHwdb = mkOption { type = types.lines; default = ""; description = "Additional {command}`hwdb` files."; };
    };
    xrdp = {
      enable = mkEnableOption "xrdp, the Remote Desktop Protocol server";
      defaultWindowManager = mkOption { type = types.str; default = "xterm"; description = "The script to run when user log in."; };
      openFirewall = mkOption { type = types.bool; default = false; description = "Whether to open the firewall for the specified RDP port."; };
    };
    tailscale = {
      enable = mkEnableOption "Tailscale client daemon";
      package = pkgOpt "tailscale";
      port = mkOption { type = types.port; default = 41641; description = "The port to listen on for tunnel traffic (0=autoselect)."; };
      openFirewall = mkOption { type = types.bool; default = false; description = "Whether to open the firewall for the specified port."; };
      useRoutingFeatures = mkOption { type = types.enum [ "none" "client" "server" "both" ]; default = "none"; description = "Enables settings required for Tailscale's routing features like subnet routers and exit nodes."; };
      extraUpFlags = mkOption { type = types.listOf types.str; default = [ ]; description = "Extra flags to pass to {command}`tailscale up`."; };
    };
    syncthing = {
      enable = mkEnableOption "Syncthing, a self-hosted open-source alternative to Dropbox and Bittorrent Sync";
      user = mkOption { type = types.str; default = "syncthing"; description = "The user to run Syncthing as."; };
      group = mkOption { type = types.str; default = "syncthing"; description = "The group to run Syncthing under."; };
      dataDir = mkOption { type = types.path; default = "/var/lib/syncthing"; description = "The path where synchronised directories will exist."; };
      openDefaultPorts = mkOption { type = types.bool; default = false; description = "Whether to open the default ports in the firewall: TCP/UDP 22000 for transfers and UDP 21027 for discovery."; };
      settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "Extra configuration options for Syncthing."; };
    };
    jellyfin = {
      enable = mkEnableOption "Jellyfin Media Server";
      openFirewall = mkOption { type = types.bool; default = false; description = "Open the default ports in the firewall for the media server."; };
      user = mkOption { type = types.str; default = "jellyfin"; description = "User account under which Jellyfin runs."; };
    };
    fail2ban = {
      enable = mkOption { default = false; type = types.bool; description = "Whether to enable the fail2ban service."; };
      maxretry = mkOption { default = 3; type = types.ints.unsigned; description = "Number of failures before a host gets banned."; };
      bantime = mkOption { default = "10m"; type = types.str; description = "Number of seconds that a host is banned."; };
      ignoreIP = mkOption { default = [ ]; type = types.listOf types.str; description = "Whitelist of addresses that won't be banned."; };
      jails = mkOption { default = { }; type = types.attrsOf types.anything; description = "The configuration of each Fail2ban “jail”."; };
    };
    nginx = {
      enable = mkEnableOption "Nginx Web Server";
      package = pkgOpt "nginx";
      recommendedGzipSettings = mkOption { default = false; type = types.bool; description = "Enable recommended gzip settings."; };
      recommendedOptimisation = mkOption { default = false; type = types.bool; description = "Enable recommended optimisation settings."; };
      recommendedProxySettings = mkOption { default = false; type = types.bool; description = "Whether to enable recommended proxy settings if a vhost does not specify the option manually."; };
      recommendedTlsSettings = mkOption { default = false; type = types.bool; description = "Enable recommended TLS settings."; };
      user = mkOption { type = types.str; default = "nginx"; description = "User account under which nginx runs."; };
      group = mkOption { type = types.str; default = "nginx"; description = "Group account under which nginx runs."; };
      appendHttpConfig = mkOption { type = types.lines; default = ""; description = "Configuration lines to be appended to the generated http block."; };
      virtualHosts = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ name, ... }: {
          options = {
            serverName = mkOption { type = types.nullOr types.str; default = null; description = "Name of this virtual host. Defaults to attribute name in virtualHosts."; };
            serverAliases = mkOption { type = types.listOf types.str; default = [ ]; description = "Additional names of virtual hosts served by this virtual host configuration."; };
            root = mkOption { type = types.nullOr types.path; default = null; description = "The path of the web root directory."; };
            forceSSL = mkOption { type = types.bool; default = false; description = "Whether to add a separate nginx server block that redirects (defaults to 301, configurable with `redirectCode`) all plain HTTP traffic to HTTPS."; };
            addSSL = mkOption { type = types.bool; default = false; description = "Whether to enable HTTPS in addition to plain HTTP."; };
            enableACME = mkOption { type = types.bool; default = false; description = "Whether to ask Let's Encrypt to sign a certificate for this vhost."; };
            default = mkOption { type = types.bool; default = false; description = "Makes this vhost the default."; };
            listen = mkOption { type = types.listOf types.attrs; default = [ ]; description = "Listen addresses and ports for this virtual host."; };
            locations = mkOption {
              type = types.attrsOf (types.submodule {
                options = {
                  proxyPass = mkOption { type = types.nullOr types.str; default = null; description = "Adds proxy_pass directive and sets recommended proxy headers if recommendedProxySettings is enabled."; };
                  proxyWebsockets = mkOption { type = types.bool; default = false; description = "Whether to support proxying websocket connections with HTTP/1.1."; };
                  root = mkOption { type = types.nullOr types.path; default = null; description = "Root directory for requests."; };
                  index = mkOption { type = types.nullOr types.str; default = null; description = "Adds index directive."; };
                  tryFiles = mkOption { type = types.nullOr types.str; default = null; description = "Adds try_files directive."; };
                  return = mkOption { type = types.nullOr (types.oneOf [ types.str types.int ]); default = null; description = "Adds a return directive, for e.g. redirections."; };
                  extraConfig = mkOption { type = types.lines; default = ""; description = "These lines go to the end of the location verbatim."; };
                };
              });
              default = { };
              description = "Declarative location config";
            };
            extraConfig = mkOption { type = types.lines; default = ""; description = "These lines go to the end of the vhost verbatim."; };
          };
        }));
        description = "Declarative vhost config";
      };
    };
    caddy = {
      enable = mkEnableOption "Caddy web server";
      package = pkgOpt "caddy";
      email = mkOption { type = types.nullOr types.str; default = null; description = "Your email address. Mainly used when creating an ACME account with your CA."; };
      virtualHosts = mkOption { type = types.attrsOf (types.submodule { options = { extraConfig = mkOption { type = types.lines; default = ""; description = "Additional lines of configuration appended to this virtual host in the automatically generated `Caddyfile`."; }; serverAliases = mkOption { type = types.listOf types.str; default = [ ]; description = "Additional names of virtual hosts served by this virtual host configuration."; }; }; }); default = { }; description = "Declarative specification of virtual hosts served by Caddy."; };
      extraConfig = mkOption { type = types.lines; default = ""; description = "Additional lines of configuration appended to the automatically generated `Caddyfile`."; };
    };
    postgresql = {
      enable = mkEnableOption "PostgreSQL Server";
      package = mkOption {
        type = types.package;
        default = if lib.versionAtLeast config.system.stateVersion "24.11" then pkgs.postgresql_16 else if lib.versionAtLeast config.system.stateVersion "23.11" then pkgs.postgresql_15 else pkgs.postgresql_14;
        defaultText = lib.literalExpression "based on config.system.stateVersion";
        description = "The postgresql package to use.";
      };
      dataDir = mkOption { type = types.path; default = "/var/lib/postgresql/${config.services.postgresql.package.psqlSchema}"; description = "The data directory for PostgreSQL."; };
      enableTCPIP = mkOption { type = types.bool; default = false; description = "Whether PostgreSQL should listen on all network interfaces."; };
      authentication = mkOption { type = types.lines; default = ""; description = "Defines how users authenticate themselves to the server."; };
      ensureDatabases = mkOption { type = types.listOf types.str; default = [ ]; description = "Ensures that the specified databases exist."; };
      ensureUsers = mkOption { type = types.listOf types.attrs; default = [ ]; description = "Ensures that the specified users exist."; };
      settings = mkOption { type = types.attrsOf (types.oneOf [ types.bool types.float types.int types.str ]); default = { }; description = "PostgreSQL configuration."; };
      initialScript = mkOption { type = types.nullOr types.path; default = null; description = "A file containing SQL statements to execute on first startup."; };
    };
    mysql = {
      enable = mkEnableOption "MySQL server";
      package = mkOption { type = types.package; example = lib.literalExpression "pkgs.mariadb"; description = "Which MySQL derivation to use. MariaDB packages are supported too."; };
      ensureDatabases = mkOption { type = types.listOf types.str; default = [ ]; description = "Ensures that the specified databases exist."; };
      ensureUsers = mkOption { type = types.listOf types.attrs; default = [ ]; description = "Ensures that the specified users exist and have at least the ensured permissions."; };
      settings = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "MySQL configuration."; };
    };
    redis.servers = mkOption {
      type = types.attrsOf (types.submodule ({ name, ... }: {
        options = {
          enable = mkEnableOption "Redis server";
          port = mkOption { type = types.port; default = if name == "" then 6379 else 0; description = "The TCP port to accept connections."; };
          bind = mkOption { type = types.nullOr types.str; default = "127.0.0.1"; description = "The IP interface to bind to."; };
          openFirewall = mkOption { type = types.bool; default = false; description = "Whether to open ports in the firewall for the server."; };
          settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "Redis configuration."; };
        };
      }));
      default = { };
      description = "Configuration of multiple `redis-server` instances.";
    };
    prometheus = {
      enable = mkEnableOption "Prometheus monitoring daemon";
      port = mkOption { type = types.port; default = 9090; description = "Port to listen on."; };
      scrapeConfigs = mkOption { type = types.listOf types.attrs; default = [ ]; description = "A list of scrape configurations."; };
      exporters.node = {
        enable = mkEnableOption "the prometheus node exporter";
        port = mkOption { type = types.port; default = 9100; description = "Port to listen on."; };
        enabledCollectors = mkOption { type = types.listOf types.str; default = [ ]; description = "Collectors to enable."; };
        openFirewall = mkOption { type = types.bool; default = false; description = "Open port in firewall for incoming connections."; };
      };
    };
    grafana = {
      enable = mkEnableOption "grafana";
      settings = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Grafana settings."; };
    };
    emacs = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to enable a user service for the Emacs daemon."; };
      package = pkgOpt "emacs";
      defaultEditor = mkOption { type = types.bool; default = false; description = "When enabled, configures emacsclient to be the default editor using the EDITOR environment variable."; };
    };
    samba = {
      enable = mkEnableOption "Samba, the SMB/CIFS protocol";
      openFirewall = mkOption { type = types.bool; default = false; description = "Whether to automatically open the necessary ports in the firewall."; };
      settings = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Configuration file for the Samba suite in ini format."; };
    };
    nfs.server = {
      enable = mkEnableOption "the kernel's NFS server";
      exports = mkOption { type = types.lines; default = ""; description = "Contents of the /etc/exports file."; };
    };
    home-assistant.enable = mkEnableOption "Home Assistant. Please note that this installs a package with known security issues";
    mosquitto.enable = mkEnableOption "the MQTT Mosquitto broker";
    vaultwarden.enable = mkEnableOption "vaultwarden";
    gitea.enable = mkOption { default = false; type = types.bool; description = "Enable Gitea Service."; };
    forgejo.enable = mkEnableOption "Forgejo, a software forge";
    transmission.enable = mkEnableOption "the headless Transmission BitTorrent daemon";
    unbound.enable = mkEnableOption "Unbound domain name server";
    dnsmasq.enable = mkEnableOption "dnsmasq";
    cloudflared.enable = mkEnableOption "Cloudflare Tunnel client daemon (formerly Argo Tunnel)";
  };

  config = mkMerge [
    (mkIf s.dbus.enable {
      systemd.services.dbus = {
        description = "D-Bus System Message Bus";
        wantedBy = [ "multi-user.target" ];
        reloadIfChanged = true;
        restartTriggers = [ config.environment.etc."dbus-1/system-packages".source ];
        serviceConfig = {
          ExecStart = "${pkgs.dbus}/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only";
          ExecReload = "${pkgs.dbus}/bin/dbus-send --print-reply --system --type=method_call --dest=org.freedesktop.DBus / org.freedesktop.DBus.ReloadConfig";
        };
      };
      systemd.sockets.dbus = { description = "D-Bus System Message Bus Socket"; wantedBy = [ "sockets.target" ]; listenStreams = [ "/run/dbus/system_bus_socket" ]; };
      environment.etc."dbus-1/system-packages".text = lib.concatMapStrings (p: "${p}\n") (lib.unique s.dbus.packages);
      users.users.messagebus = { uid = config.ids.uids.messagebus; description = "D-Bus system message bus daemon user"; home = "/run/dbus"; group = "messagebus"; };
      users.groups.messagebus.gid = config.ids.gids.messagebus;
      environment.systemPackages = [ pkgs.dbus ];
    })
    (mkIf s.nscd.enable {
      systemd.services.nscd = {
        description = "Name Service Cache Daemon";
        wantedBy = [ "nss-lookup.target" "nss-user-lookup.target" "multi-user.target" ];
        before = [ "nss-lookup.target" "nss-user-lookup.target" ];
        restartTriggers = [ config.environment.etc."nsswitch.conf".source ];
        serviceConfig = { ExecStart = "${pkgs.nsncd}/bin/nsncd"; Type = "notify"; DynamicUser = true; RuntimeDirectory = "nscd"; Restart = "always"; };
      };
    })
    (mkIf s.pipewire.enable {
      assertions = [
        {
          assertion = s.pipewire.pulse.enable -> !s.pulseaudio.enable;
          message = "Using PipeWire as the sound server conflicts with PulseAudio. This option requires `services.pulseaudio.enable` to be set to false";
        }
      ];
      environment.systemPackages = [ s.pipewire.package ] ++ lib.optional s.pipewire.wireplumber.enable s.pipewire.wireplumber.package;
      services.dbus.packages = [ s.pipewire.package ];
      systemd.user.services.pipewire = {
        description = "PipeWire Multimedia Service";
        wantedBy = lib.optional (!s.pipewire.socketActivation) "default.target";
        serviceConfig = { ExecStart = "${s.pipewire.package}/bin/pipewire"; Type = "simple"; Restart = "on-failure"; };
      };
      systemd.user.sockets.pipewire = mkIf s.pipewire.socketActivation { description = "PipeWire Multimedia System Sockets"; wantedBy = [ "sockets.target" ]; listenStreams = [ "%t/pipewire-0" ]; };
      systemd.user.services.pipewire-pulse = mkIf s.pipewire.pulse.enable {
        description = "PipeWire PulseAudio";
        serviceConfig = { ExecStart = "${s.pipewire.package}/bin/pipewire-pulse"; Type = "simple"; Restart = "on-failure"; };
      };
      systemd.user.sockets.pipewire-pulse = mkIf s.pipewire.pulse.enable { description = "PipeWire PulseAudio"; wantedBy = [ "sockets.target" ]; listenStreams = [ "%t/pulse/native" ]; };
      systemd.user.services.wireplumber = mkIf s.pipewire.wireplumber.enable {
        description = "Multimedia Service Session Manager";
        wantedBy = [ "pipewire.service" ];
        aliases = [ "pipewire-session-manager.service" ];
        serviceConfig.ExecStart = "${s.pipewire.wireplumber.package}/bin/wireplumber";
      };
      environment.etc."alsa/conf.d/49-pipewire-modules.conf" = mkIf s.pipewire.alsa.enable { text = "pcm_type.pipewire {\n  libs.native = ${s.pipewire.package}/lib/alsa-lib/libasound_module_pcm_pipewire.so ;\n}\n"; };
      environment.etc."pipewire/pipewire.conf.d/99-nixos.conf" = mkIf (s.pipewire.extraConfig.pipewire != { }) { text = builtins.toJSON s.pipewire.extraConfig.pipewire; };
      environment.sessionVariables.LD_LIBRARY_PATH = mkIf s.pipewire.jack.enable "${s.pipewire.package}/lib/pipewire";
      users.groups.pipewire.gid = config.ids.gids.pipewire;
      security.rtkit.enable = mkDefault true;
    })
    (mkIf s.pulseaudio.enable {
      environment.systemPackages = [ s.pulseaudio.package ];
      environment.etc."pulse/default.pa".text = ".include ${s.pulseaudio.package}/etc/pulse/default.pa\n${s.pulseaudio.extraConfig}\n";
      systemd.user.services.pulseaudio = { description = "PulseAudio Server"; serviceConfig.ExecStart = "${s.pulseaudio.package}/bin/pulseaudio --daemonize=no"; };
    })
    (mkIf s.printing.enable {
      environment.systemPackages = [ s.printing.package ] ++ s.printing.drivers;
      environment.etc."cups/cupsd.conf".text = ''
        ${lib.concatMapStrings (a: "Listen ${a}\n") s.printing.listenAddresses}
        Listen /run/cups/cups.sock
        DefaultShared ${if s.printing.defaultShared then "Yes" else "No"}
        Browsing ${if s.printing.browsing then "Yes" else "No"}
        WebInterface ${if s.printing.webInterface then "Yes" else "No"}
        ${s.printing.extraConf}
      '';
      environment.etc."cups/drivers".text = lib.concatMapStrings (d: "${d}\n") s.printing.drivers;
      systemd.services.cups = {
        description = "CUPS Scheduler";
        wantedBy = lib.optionals (!s.printing.startWhenNeeded) [ "multi-user.target" ];
        wants = [ "network.target" ];
        after = [ "network.target" ];
        restartTriggers = [ config.environment.etc."cups/cupsd.conf".source config.environment.etc."cups/drivers".source ];
        serviceConfig = { Type = "notify"; ExecStart = "${s.printing.package}/sbin/cupsd -l"; };
      };
      systemd.sockets.cups = mkIf s.printing.startWhenNeeded { description = "CUPS Scheduler"; wantedBy = [ "sockets.target" ]; listenStreams = [ "/run/cups/cups.sock" ] ++ map (a: lib.replaceStrings [ "localhost" ] [ "127.0.0.1" ] a) s.printing.listenAddresses; };
      networking.firewall.allowedTCPPorts = mkIf s.printing.openFirewall [ 631 ];
      services.dbus.packages = [ s.printing.package ];
      security.pam.services.cups = { };
    })
    (mkIf s.avahi.enable {
      environment.systemPackages = [ pkgs.avahi ];
      users.users.avahi = { description = "avahi-daemon privilege separation user"; home = "/var/empty"; group = "avahi"; isSystemUser = true; };
      users.groups.avahi = { };
      networking.firewall.allowedUDPPorts = mkIf s.avahi.openFirewall [ 5353 ];
      environment.etc."avahi/avahi-daemon.conf".text = ''
        [server]
        host-name=${config.networking.hostName}
        use-ipv4=yes
        use-ipv6=${if config.networking.enableIPv6 then "yes" else "no"}
        [publish]
        disable-publishing=${if s.avahi.publish.enable then "no" else "yes"}
        publish-addresses=${if s.avahi.publish.addresses then "yes" else "no"}
        publish-user-services=${if s.avahi.publish.userServices then "yes" else "no"}
      '';
      systemd.services.avahi-daemon = {
        description = "Avahi mDNS/DNS-SD Stack";
        wantedBy = [ "multi-user.target" ];
        restartTriggers = [ config.environment.etc."avahi/avahi-daemon.conf".source ];
        serviceConfig = { Type = "dbus"; BusName = "org.freedesktop.Avahi"; ExecStart = "${pkgs.avahi}/sbin/avahi-daemon --syslog -f /etc/avahi/avahi-daemon.conf"; };
      };
      services.dbus.packages = [ pkgs.avahi ];
    })
    (mkIf s.accounts-daemon.enable {
      environment.systemPackages = [ pkgs.accountsservice ];
      services.dbus.packages = [ pkgs.accountsservice ];
      systemd.services.accounts-daemon = { description = "Accounts Service"; wantedBy = [ "graphical.target" ]; serviceConfig = { Type = "dbus"; BusName = "org.freedesktop.Accounts"; ExecStart = "${pkgs.accountsservice}/libexec/accounts-daemon"; }; };
    })
    (mkIf s.upower.enable {
      environment.systemPackages = [ pkgs.upower ];
      services.dbus.packages = [ pkgs.upower ];
      systemd.services.upower = { description = "Daemon for power management"; serviceConfig = { Type = "dbus"; BusName = "org.freedesktop.UPower"; ExecStart = "${pkgs.upower}/libexec/upowerd"; }; };
    })
    (mkIf s.udisks2.enable {
      environment.systemPackages = [ pkgs.udisks2 ];
      services.dbus.packages = [ pkgs.udisks2 ];
      systemd.services.udisks2 = { description = "Disk Manager"; serviceConfig = { Type = "dbus"; BusName = "org.freedesktop.UDisks2"; ExecStart = "${pkgs.udisks2}/libexec/udisks2/udisksd"; }; };
    })
    (mkIf s.gvfs.enable { environment.systemPackages = [ pkgs.gvfs ]; services.dbus.packages = [ pkgs.gvfs ]; })
    (mkIf s.geoclue2.enable {
      environment.systemPackages = [ pkgs.geoclue2 ];
      services.dbus.packages = [ pkgs.geoclue2 ];
      users.users.geoclue = { isSystemUser = true; home = "/var/lib/geoclue"; group = "geoclue"; description = "Geoinformation service"; };
      users.groups.geoclue = { };
    })
    (mkIf s.gnome.gnome-keyring.enable { environment.systemPackages = [ pkgs.gnome-keyring ]; services.dbus.packages = [ pkgs.gnome-keyring ]; })
    (mkIf s.power-profiles-daemon.enable {
      assertions = [ { assertion = !s.tlp.enable; message = "You have set services.power-profiles-daemon.enable = true;\nwhich conflicts with services.tlp.enable = true;\n"; } ];
      environment.systemPackages = [ pkgs.power-profiles-daemon ];
      services.dbus.packages = [ pkgs.power-profiles-daemon ];
      systemd.services.power-profiles-daemon = { description = "Power Profiles daemon"; wantedBy = [ "graphical.target" ]; serviceConfig = { Type = "dbus"; BusName = "net.hadess.PowerProfiles"; ExecStart = "${pkgs.power-profiles-daemon}/libexec/power-profiles-daemon"; }; };
    })
    (mkIf s.thermald.enable (daemon { name = "thermald"; description = "Thermal Daemon Service"; exec = "${pkgs.thermald}/sbin/thermald --no-daemon --dbus-enable"; }))
    (mkIf s.tlp.enable (mkMerge [ (daemon { name = "tlp"; description = "TLP system startup/shutdown"; exec = "${pkgs.tlp}/bin/tlp init start"; }) {
      environment.systemPackages = [ pkgs.tlp ];
      environment.etc."tlp.conf".text = lib.concatStrings (lib.mapAttrsToList (n: v: "${n}=${if builtins.isList v then "\"${lib.concatStringsSep " " v}\"" else if builtins.isBool v then (if v then "1" else "0") else toString v}\n") s.tlp.settings);
    } ]))
    (mkIf s.flatpak.enable {
      environment.systemPackages = [ pkgs.flatpak ];
      services.dbus.packages = [ pkgs.flatpak ];
      xdg.portal.enable = mkDefault true;
      users.users.flatpak = { description = "Flatpak system helper"; group = "flatpak"; isSystemUser = true; };
      users.groups.flatpak = { };
    })
    (mkIf s.fwupd.enable (mkMerge [ (daemon { name = "fwupd"; description = "Firmware update daemon"; exec = "${pkgs.fwupd}/libexec/fwupd/fwupd"; wantedBy = [ ]; }) { environment.systemPackages = [ pkgs.fwupd ]; services.dbus.packages = [ pkgs.fwupd ]; } ]))
    (mkIf s.blueman.enable { environment.systemPackages = [ pkgs.blueman ]; services.dbus.packages = [ pkgs.blueman ]; })
    (mkIf s.fprintd.enable { environment.systemPackages = [ pkgs.fprintd ]; services.dbus.packages = [ pkgs.fprintd ]; })
    (mkIf s.acpid.enable (daemon { name = "acpid"; description = "ACPI Daemon"; exec = "${pkgs.acpid}/bin/acpid --foreground --netlink"; }))
    (mkIf s.earlyoom.enable (daemon { name = "earlyoom"; description = "Early OOM Daemon for Linux"; exec = "${pkgs.earlyoom}/bin/earlyoom"; }))
    (mkIf s.smartd.enable (daemon { name = "smartd"; description = "S.M.A.R.T. Daemon"; exec = "${pkgs.smartmontools}/sbin/smartd --no-fork"; }))
    (mkIf s.locate.enable {
      environment.systemPackages = [ s.locate.package ];
      systemd.services.update-locatedb = { description = "Update Locate Database"; startAt = s.locate.interval; serviceConfig = { Type = "oneshot"; ExecStart = "${s.locate.package}/bin/updatedb"; }; };
    })
    (mkIf s.cron.enable (mkMerge [ (daemon { name = "cron"; description = "Cron Daemon"; exec = "${pkgs.cron}/bin/cron -n"; }) {
      environment.etc.crontab = { mode = "0600"; text = "SHELL=${pkgs.bash}/bin/bash\nPATH=${config.system.path}/bin:${config.system.path}/sbin\n${lib.concatStringsSep "\n" s.cron.systemCronJobs}\n"; };
      systemd.services.cron.restartTriggers = [ config.environment.etc.crontab.source ];
    } ]))
    (mkIf s.chrony.enable (mkMerge [ (daemon { name = "chronyd"; description = "chrony NTP daemon"; exec = "${pkgs.chrony}/bin/chronyd -n -m -f /etc/chrony.conf"; }) {
      services.timesyncd.enable = mkDefault false;
      environment.etc."chrony.conf".text = lib.concatMapStrings (s': "server ${s'} iburst\n") config.networking.timeServers;
    } ]))
    (mkIf s.resolved.enable {
      environment.etc."systemd/resolved.conf".text = ''
        [Resolve]
        ${lib.optionalString (config.networking.nameservers != [ ]) "DNS=${lib.concatStringsSep " " config.networking.nameservers}"}
        ${lib.optionalString (s.resolved.fallbackDns != null) "FallbackDNS=${lib.concatStringsSep " " s.resolved.fallbackDns}"}
        DNSSEC=${s.resolved.dnssec}
        ${s.resolved.extraConfig}
      '';
      systemd.services.systemd-resolved = {
        wantedBy = [ "sysinit.target" ];
        aliases = [ "dbus-org.freedesktop.resolve1.service" ];
        restartTriggers = [ config.environment.etc."systemd/resolved.conf".source ];
        serviceConfig.ExecStart = "${config.systemd.package}/lib/systemd/systemd-resolved";
      };
      users.users.systemd-resolve = { isSystemUser = true; group = "systemd-resolve"; };
      users.groups.systemd-resolve = { };
    })
    (mkIf (s.getty.autologinUser != null) {
      systemd.services."getty@".serviceConfig.ExecStart = [ "" "@${pkgs.util-linux}/sbin/agetty agetty --login-program ${pkgs.shadow}/bin/login --autologin ${s.getty.autologinUser} --noclear --keep-baud %I 115200,38400,9600 $TERM" ];
    })
    {
      environment.etc.issue.text = lib.mkOverride 900 "\n${s.getty.greetingLine}\n${s.getty.helpLine}\n";
      environment.etc."udev/rules.d/99-local.rules".text = s.udev.extraRules;
      services.udev.packages = [ config.systemd.package ];
    }
    (mkIf s.xrdp.enable (mkMerge [ (daemon { name = "xrdp"; description = "xrdp daemon"; exec = "${pkgs.xrdp}/bin/xrdp --nodaemon"; }) { networking.firewall.allowedTCPPorts = mkIf s.xrdp.openFirewall [ 3389 ]; } ]))
    (mkIf s.tailscale.enable (mkMerge [ (daemon { name = "tailscaled"; description = "Tailscale node agent"; exec = "${s.tailscale.package}/bin/tailscaled --port=${toString s.tailscale.port}"; }) {
      environment.systemPackages = [ s.tailscale.package ];
      networking.firewall.allowedUDPPorts = mkIf s.tailscale.openFirewall [ s.tailscale.port ];
      systemd.services.tailscaled.stopIfChanged = false;
      boot.kernel.sysctl = mkIf (s.tailscale.useRoutingFeatures == "server" || s.tailscale.useRoutingFeatures == "both") { "net.ipv4.conf.all.forwarding" = mkDefault true; "net.ipv6.conf.all.forwarding" = mkDefault true; };
    } ]))
    (mkIf s.syncthing.enable (mkMerge [
      (daemon { name = "syncthing"; description = "Syncthing service"; exec = "${pkgs.syncthing}/bin/syncthing serve --no-browser --gui-address=127.0.0.1:8384 --config=${s.syncthing.dataDir}/.config/syncthing --data=${s.syncthing.dataDir}"; })
      { systemd.services.syncthing.serviceConfig = { User = s.syncthing.user; Group = s.syncthing.group; }; environment.systemPackages = [ pkgs.syncthing ]; }
      (mkIf (s.syncthing.user == "syncthing") { users.users.syncthing = { group = s.syncthing.group; home = s.syncthing.dataDir; createHome = true; isSystemUser = true; }; })
      (mkIf (s.syncthing.group == "syncthing") { users.groups.syncthing = { }; })
      (mkIf s.syncthing.openDefaultPorts { networking.firewall = { allowedTCPPorts = [ 22000 ]; allowedUDPPorts = [ 21027 22000 ]; }; })
    ]))
    (mkIf s.jellyfin.enable (mkMerge [
      (daemon { name = "jellyfin"; description = "Jellyfin Media Server"; exec = "${pkgs.jellyfin}/bin/jellyfin --datadir /var/lib/jellyfin --cachedir /var/cache/jellyfin"; user = s.jellyfin.user; })
      (systemUser "jellyfin")
      { networking.firewall = mkIf s.jellyfin.openFirewall { allowedTCPPorts = [ 8096 8920 ]; allowedUDPPorts = [ 1900 7359 ]; }; }
    ]))
    (mkIf s.fail2ban.enable (mkMerge [ (daemon { name = "fail2ban"; description = "Fail2ban Intrusion Prevention System"; exec = "${pkgs.fail2ban}/bin/fail2ban-server -xf start"; }) {
      environment.systemPackages = [ pkgs.fail2ban ];
      environment.etc."fail2ban/jail.local".text = "[DEFAULT]\nmaxretry = ${toString s.fail2ban.maxretry}\nbantime = ${s.fail2ban.bantime}\nignoreip = 127.0.0.1/8 ${lib.concatStringsSep " " s.fail2ban.ignoreIP}\n";
      systemd.services.fail2ban.restartTriggers = [ config.environment.etc."fail2ban/jail.local".source ];
    } ]))
    (mkIf s.nginx.enable (mkMerge [
      {
        environment.etc."nginx/nginx.conf".text = ''
          user ${s.nginx.user} ${s.nginx.group};
          pid /run/nginx/nginx.pid;
          events { }
          http {
            ${lib.optionalString s.nginx.recommendedGzipSettings "gzip on;"}
            ${lib.optionalString s.nginx.recommendedOptimisation "sendfile on;\ntcp_nopush on;"}
            ${lib.concatStrings (lib.mapAttrsToList (name: v: ''
              server {
                listen ${if v.forceSSL || v.addSSL then "443 ssl" else "80"}${lib.optionalString v.default " default_server"};
                server_name ${if v.serverName != null then v.serverName else name} ${lib.concatStringsSep " " v.serverAliases};
                ${lib.optionalString (v.root != null) "root ${toString v.root};"}
                ${lib.concatStrings (lib.mapAttrsToList (loc: l: ''
                  location ${loc} {
                    ${lib.optionalString (l.proxyPass != null) "proxy_pass ${l.proxyPass};"}
                    ${lib.optionalString (l.root != null) "root ${toString l.root};"}
                    ${lib.optionalString (l.index != null) "index ${l.index};"}
                    ${lib.optionalString (l.tryFiles != null) "try_files ${l.tryFiles};"}
                    ${lib.optionalString (l.return != null) "return ${toString l.return};"}
                    ${l.extraConfig}
                  }
                '') v.locations)}
                ${v.extraConfig}
              }
            '') s.nginx.virtualHosts)}
            ${s.nginx.appendHttpConfig}
          }
        '';
        systemd.services.nginx = {
          description = "Nginx Web Server";
          wantedBy = [ "multi-user.target" ];
          after = [ "network.target" ];
          reloadIfChanged = true;
          reloadTriggers = [ config.environment.etc."nginx/nginx.conf".source ];
          serviceConfig = { ExecStart = "${s.nginx.package}/bin/nginx -c /etc/nginx/nginx.conf"; ExecReload = "${pkgs.coreutils}/bin/kill -HUP $MAINPID"; Restart = "always"; };
        };
        environment.systemPackages = [ s.nginx.package ];
      }
      (mkIf (s.nginx.user == "nginx") { users.users.nginx = { group = s.nginx.group; uid = config.ids.uids.nginx; }; })
      (mkIf (s.nginx.group == "nginx") { users.groups.nginx.gid = config.ids.gids.nginx; })
    ]))
    (mkIf s.caddy.enable (mkMerge [
      (daemon { name = "caddy"; description = "Caddy"; exec = "${s.caddy.package}/bin/caddy run --config /etc/caddy/Caddyfile --adapter caddyfile"; user = "caddy"; })
      (systemUser "caddy")
      {
        environment.etc."caddy/Caddyfile".text = ''
          {
            ${lib.optionalString (s.caddy.email != null) "email ${s.caddy.email}"}
          }
          ${lib.concatStrings (lib.mapAttrsToList (n: v: "${lib.concatStringsSep ", " ([ n ] ++ v.serverAliases)} {\n${v.extraConfig}\n}\n") s.caddy.virtualHosts)}
          ${s.caddy.extraConfig}
        '';
        systemd.services.caddy.reloadIfChanged = true;
        systemd.services.caddy.reloadTriggers = [ config.environment.etc."caddy/Caddyfile".source ];
        networking.firewall.allowedTCPPorts = [ ];
      }
    ]))
    (mkIf s.postgresql.enable {
      environment.systemPackages = [ s.postgresql.package ];
      environment.etc."postgresql/postgresql.conf".text = lib.concatStrings (lib.mapAttrsToList (n: v: "${n} = ${if builtins.isBool v then (if v then "on" else "off") else if builtins.isString v then "'${v}'" else toString v}\n") ({ listen_addresses = if s.postgresql.enableTCPIP then "*" else "localhost"; port = 5432; } // s.postgresql.settings));
      environment.etc."postgresql/pg_hba.conf".text = s.postgresql.authentication + "\nlocal all all peer\nhost all all 127.0.0.1/32 md5\nhost all all ::1/128 md5\n";
      systemd.services.postgresql = {
        description = "PostgreSQL Server";
        wantedBy = [ "multi-user.target" ];
        after = [ "network.target" ];
        reloadTriggers = [ config.environment.etc."postgresql/postgresql.conf".source config.environment.etc."postgresql/pg_hba.conf".source ];
        serviceConfig = { User = "postgres"; Group = "postgres"; Type = "notify"; ExecStart = "${s.postgresql.package}/bin/postgres -D ${s.postgresql.dataDir}"; ExecReload = "${pkgs.coreutils}/bin/kill -HUP $MAINPID"; };
        unitConfig.RequiresMountsFor = s.postgresql.dataDir;
      };
      users.users.postgres = { name = "postgres"; uid = config.ids.uids.postgres; group = "postgres"; description = "PostgreSQL server user"; home = "/var/lib/postgresql"; useDefaultShell = true; };
      users.groups.postgres.gid = config.ids.gids.postgres;
    })
    (mkIf s.mysql.enable (mkMerge [
      (daemon { name = "mysql"; description = "MySQL Server"; exec = "${s.mysql.package}/bin/mysqld --defaults-file=/etc/my.cnf"; user = "mysql"; })
      (systemUser "mysql")
      { environment.etc."my.cnf".text = lib.generators.toINI { } s.mysql.settings; environment.systemPackages = [ s.mysql.package ]; systemd.services.mysql.restartTriggers = [ config.environment.etc."my.cnf".source ]; }
    ]))
    (mkIf (lib.any (r: r.enable) (lib.attrValues s.redis.servers)) {
      environment.systemPackages = [ pkgs.redis ];
      systemd.services = lib.mapAttrs' (n: r: lib.nameValuePair (if n == "" then "redis" else "redis-${n}") {
        description = "Redis Server - ${if n == "" then "redis" else "redis-${n}"}";
        wantedBy = [ "multi-user.target" ];
        after = [ "network.target" ];
        serviceConfig.ExecStart = "${pkgs.redis}/bin/redis-server --port ${toString r.port}${lib.optionalString (r.bind != null) " --bind ${r.bind}"}";
      }) (lib.filterAttrs (_: r: r.enable) s.redis.servers);
      networking.firewall.allowedTCPPorts = lib.concatLists (lib.mapAttrsToList (_: r: lib.optional (r.enable && r.openFirewall) r.port) s.redis.servers);
    })
    (mkIf s.prometheus.enable (mkMerge [
      (daemon { name = "prometheus"; description = "Prometheus Monitoring System"; exec = "${pkgs.prometheus}/bin/prometheus --config.file=/etc/prometheus/prometheus.yml --web.listen-address=:${toString s.prometheus.port}"; user = "prometheus"; })
      (systemUser "prometheus")
      { environment.etc."prometheus/prometheus.yml".text = builtins.toJSON { scrape_configs = s.prometheus.scrapeConfigs; }; systemd.services.prometheus.reloadIfChanged = true; systemd.services.prometheus.reloadTriggers = [ config.environment.etc."prometheus/prometheus.yml".source ]; }
    ]))
    (mkIf s.prometheus.exporters.node.enable (mkMerge [
      (daemon { name = "prometheus-node-exporter"; description = "Prometheus exporter for node metrics"; exec = "${pkgs.prometheus-node-exporter}/bin/node_exporter ${lib.concatMapStringsSep " " (c: "--collector.${c}") s.prometheus.exporters.node.enabledCollectors} --web.listen-address :${toString s.prometheus.exporters.node.port}"; })
      { networking.firewall.allowedTCPPorts = mkIf s.prometheus.exporters.node.openFirewall [ s.prometheus.exporters.node.port ]; }
    ]))
    (mkIf s.grafana.enable (mkMerge [
      (daemon { name = "grafana"; description = "Grafana Service Daemon"; exec = "${pkgs.grafana}/bin/grafana server -homepath ${pkgs.grafana}/share/grafana -config /etc/grafana/grafana.ini"; user = "grafana"; })
      (systemUser "grafana")
      { environment.etc."grafana/grafana.ini".text = lib.generators.toINI { } s.grafana.settings; systemd.services.grafana.restartTriggers = [ config.environment.etc."grafana/grafana.ini".source ]; }
    ]))
    (mkIf s.emacs.enable {
      environment.systemPackages = [ s.emacs.package ];
      environment.variables.EDITOR = mkIf s.emacs.defaultEditor (lib.mkOverride 900 "emacseditor");
      systemd.user.services.emacs = { description = "Emacs: the extensible, self-documenting text editor"; wantedBy = [ "default.target" ]; serviceConfig = { Type = "notify"; ExecStart = "${s.emacs.package}/bin/emacs --fg-daemon"; Restart = "always"; }; };
    })
    (mkIf s.samba.enable (mkMerge [
      (daemon { name = "samba-smbd"; description = "Samba SMB Daemon"; exec = "${pkgs.samba}/sbin/smbd --foreground --no-process-group"; })
      { environment.etc."samba/smb.conf".text = lib.generators.toINI { } s.samba.settings; networking.firewall = mkIf s.samba.openFirewall { allowedTCPPorts = [ 139 445 ]; allowedUDPPorts = [ 137 138 ]; }; environment.systemPackages = [ pkgs.samba ]; systemd.services.samba-smbd.restartTriggers = [ config.environment.etc."samba/smb.conf".source ]; }
    ]))
    (mkIf s.nfs.server.enable (mkMerge [
      (daemon { name = "nfs-server"; description = "NFS server and services"; exec = "${pkgs.nfs-utils}/bin/rpc.nfsd"; })
      { environment.etc.exports.text = s.nfs.server.exports; environment.systemPackages = [ pkgs.nfs-utils ]; systemd.services.nfs-server.reloadTriggers = [ config.environment.etc.exports.source ]; }
    ]))
    (mkIf s.home-assistant.enable (mkMerge [ (daemon { name = "home-assistant"; description = "Home Assistant"; exec = "${pkgs.home-assistant}/bin/hass --config /var/lib/hass"; user = "hass"; }) (systemUser "hass") ]))
    (mkIf s.mosquitto.enable (mkMerge [ (daemon { name = "mosquitto"; description = "Mosquitto MQTT Broker Daemon"; exec = "${pkgs.mosquitto}/bin/mosquitto -c /etc/mosquitto/mosquitto.conf"; user = "mosquitto"; }) (systemUser "mosquitto") ]))
    (mkIf s.vaultwarden.enable (mkMerge [ (daemon { name = "vaultwarden"; description = "Vaultwarden Server"; exec = "${pkgs.vaultwarden}/bin/vaultwarden"; user = "vaultwarden"; }) (systemUser "vaultwarden") ]))
    (mkIf s.gitea.enable (mkMerge [ (daemon { name = "gitea"; description = "gitea"; exec = "${pkgs.gitea}/bin/gitea web --pid /run/gitea/gitea.pid"; user = "gitea"; }) (systemUser "gitea") ]))
    (mkIf s.forgejo.enable (mkMerge [ (daemon { name = "forgejo"; description = "Forgejo (Beyond coding. We forge.)"; exec = "${pkgs.forgejo}/bin/gitea web --pid /run/forgejo/forgejo.pid"; user = "forgejo"; }) (systemUser "forgejo") ]))
    (mkIf s.transmission.enable (mkMerge [ (daemon { name = "transmission"; description = "Transmission BitTorrent Service"; exec = "${pkgs.transmission_4}/bin/transmission-daemon -f"; user = "transmission"; }) (systemUser "transmission") ]))
    (mkIf s.unbound.enable (mkMerge [ (daemon { name = "unbound"; description = "Unbound recursive Domain Name Server"; exec = "${pkgs.unbound}/bin/unbound -d -p"; user = "unbound"; }) (systemUser "unbound") ]))
    (mkIf s.dnsmasq.enable (mkMerge [ (daemon { name = "dnsmasq"; description = "Dnsmasq Daemon"; exec = "${pkgs.dnsmasq}/bin/dnsmasq -k --enable-dbus --user=dnsmasq -C /etc/dnsmasq.conf"; }) (systemUser "dnsmasq") ]))
    (mkIf s.cloudflared.enable (mkMerge [ (daemon { name = "cloudflared"; description = "Cloudflare Tunnel"; exec = "${pkgs.cloudflared}/bin/cloudflared tunnel run"; user = "cloudflared"; }) (systemUser "cloudflared") ]))
  ];
}
