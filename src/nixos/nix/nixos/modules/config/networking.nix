# Networking: host name and /etc/hosts, DHCP, NetworkManager, wpa_supplicant, the
# firewall and proxies, with NixOS's option names and defaults (host name "nixos",
# DHCP on, firewall on with nothing open but what services ask for).
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkDefault mkIf mkMerge types;
  cfg = config.networking;
  fw = cfg.firewall;
  nm = cfg.networkmanager;
  hostnames = lib.optional (cfg.domain != null) "${cfg.hostName}.${cfg.domain}" ++ lib.optional (cfg.hostName != "") cfg.hostName;

  portRange = types.submodule {
    options = {
      from = mkOption { type = types.port; description = "First port of the range."; };
      to = mkOption { type = types.port; description = "Last port of the range."; };
    };
  };
  firewallPorts = {
    allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; example = [ 22 80 ]; description = "List of TCP ports on which incoming connections are accepted."; };
    allowedUDPPorts = mkOption { type = types.listOf types.port; default = [ ]; example = [ 53 ]; description = "List of open UDP ports."; };
    allowedTCPPortRanges = mkOption { type = types.listOf portRange; default = [ ]; example = [ { from = 8999; to = 9003; } ]; description = "A range of TCP ports on which incoming connections are accepted."; };
    allowedUDPPortRanges = mkOption { type = types.listOf portRange; default = [ ]; example = [ { from = 60000; to = 61000; } ]; description = "Range of open UDP ports."; };
  };

  interfaceOpts =
    { name, ... }:
    {
      options = {
        name = mkOption { type = types.str; default = name; description = "Name of the interface."; };
        useDHCP = mkOption { type = types.nullOr types.bool; default = null; description = "Whether this interface should be configured with DHCP."; };
        ipv4.addresses = mkOption {
          default = [ ];
          type = types.listOf (types.submodule { options = { address = mkOption { type = types.str; description = "IPv4 address of the interface."; }; prefixLength = mkOption { type = types.addCheck types.int (n: n >= 0 && n <= 32); description = "Subnet mask of the interface."; }; }; });
          description = "List of IPv4 addresses that will be statically assigned to the interface.";
        };
        ipv6.addresses = mkOption {
          default = [ ];
          type = types.listOf (types.submodule { options = { address = mkOption { type = types.str; description = "IPv6 address of the interface."; }; prefixLength = mkOption { type = types.addCheck types.int (n: n >= 0 && n <= 128); description = "Subnet mask of the interface."; }; }; });
          description = "List of IPv6 addresses that will be statically assigned to the interface.";
        };
        mtu = mkOption { type = types.nullOr types.int; default = null; description = "MTU size for packets leaving the interface."; };
        wakeOnLan.enable = mkOption { type = types.bool; default = false; description = "Whether to enable wol on this interface."; };
      };
    };

  gatewayType = types.coercedTo types.str (address: { inherit address; }) (types.submodule {
    options = {
      address = mkOption { type = types.str; description = "The default gateway address."; };
      interface = mkOption { type = types.nullOr types.str; default = null; description = "The default gateway interface."; };
      metric = mkOption { type = types.nullOr types.int; default = null; description = "The default gateway metric/preference."; };
    };
  });

  firewallScript = pkgs.writeShellScript "firewall-start" ''
    # tsnix: the rules NixOS's firewall script would load.
    # allowed TCP ports: ${lib.concatMapStringsSep " " toString fw.allowedTCPPorts}
    # allowed UDP ports: ${lib.concatMapStringsSep " " toString fw.allowedUDPPorts}
    # allowed TCP port ranges: ${lib.concatMapStringsSep " " (r: "${toString r.from}-${toString r.to}") fw.allowedTCPPortRanges}
    # allowed UDP port ranges: ${lib.concatMapStringsSep " " (r: "${toString r.from}-${toString r.to}") fw.allowedUDPPortRanges}
    # trusted interfaces: ${lib.concatStringsSep " " fw.trustedInterfaces}
    # ping allowed: ${lib.boolToString fw.allowPing}
    ${fw.extraCommands}
  '';
in
{
  options.networking = {
    hostName = mkOption {
      default = config.system.nixos.distroId;
      defaultText = lib.literalExpression "config.system.nixos.distroId";
      type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
      description = ''
        The name of the machine. Leave it empty if you want to obtain it from a DHCP
        server (if using DHCP). The hostname must be a valid DNS label.
      '';
    };
    domain = mkOption {
      default = null;
      example = "home.arpa";
      type = types.nullOr types.str;
      description = "The domain. It can be left empty if it is auto-detected through DHCP.";
    };
    fqdn = mkOption {
      readOnly = true;
      type = types.str;
      default =
        if (cfg.hostName != "" && cfg.domain != null) then "${cfg.hostName}.${cfg.domain}"
        else throw ''
          The FQDN is required but cannot be determined. Please make sure that
          both networking.hostName and networking.domain are set properly.
        '';
      description = "The fully qualified domain name (FQDN) of this host.";
    };
    hostId = mkOption {
      default = null;
      example = "4e98920d";
      type = types.nullOr types.str;
      description = "The 32-bit host ID of the machine, formatted as 8 hexadecimal characters.";
    };
    hosts = mkOption {
      type = types.attrsOf (types.listOf types.str);
      example = { "127.0.0.1" = [ "foo.bar.baz" ]; "192.168.0.2" = [ "fileserver.local" "nameserver.local" ]; };
      description = "Locally defined maps of hostnames to IP addresses.";
    };
    extraHosts = mkOption {
      type = types.lines;
      default = "";
      example = "192.168.0.1 lanlocalhost";
      description = "Additional verbatim entries to be appended to {file}`/etc/hosts`.";
    };
    nameservers = mkOption { type = types.listOf types.str; default = [ ]; example = [ "130.161.158.4" "130.161.33.17" ]; description = "The list of nameservers."; };
    search = mkOption { default = [ ]; example = [ "example.com" "home.arpa" ]; type = types.listOf types.str; description = "The list of search paths used when resolving domain names."; };
    timeServers = mkOption { default = [ "0.nixos.pool.ntp.org" "1.nixos.pool.ntp.org" "2.nixos.pool.ntp.org" "3.nixos.pool.ntp.org" ]; type = types.listOf types.str; description = "The set of NTP servers from which to synchronise."; };
    useDHCP = mkOption {
      type = types.bool;
      default = true;
      description = "Whether to use DHCP to obtain an IP address and other configuration for all network interfaces that do not have any manually configured IPv4 addresses.";
    };
    useNetworkd = mkOption { default = false; type = types.bool; description = "Whether we should use networkd as the network configuration backend."; };
    enableIPv6 = mkOption { default = true; type = types.bool; description = "Whether to enable support for IPv6."; };
    usePredictableInterfaceNames = mkOption { default = true; type = types.bool; description = "Whether to assign predictable names to network interfaces."; };
    interfaces = mkOption {
      default = { };
      type = types.attrsOf (types.submodule interfaceOpts);
      description = "The configuration for each network interface.";
    };
    defaultGateway = mkOption { default = null; type = types.nullOr gatewayType; example = { address = "131.211.84.1"; interface = "enp3s0"; }; description = "The default gateway."; };
    defaultGateway6 = mkOption { default = null; type = types.nullOr gatewayType; description = "The default ipv6 gateway."; };
    dhcpcd.enable = mkOption { type = types.bool; default = true; description = "Whether to enable dhcpcd for device configuration."; };
    nftables.enable = mkOption { type = types.bool; default = false; description = "Whether to enable nftables and use nftables based firewall if enabled."; };
    proxy = {
      default = mkOption { type = types.nullOr types.str; default = null; example = "http://127.0.0.1:3128"; description = "This option specifies the default value for httpProxy, httpsProxy, ftpProxy and rsyncProxy."; };
      httpProxy = mkOption { type = types.nullOr types.str; default = cfg.proxy.default; description = "This option specifies the http_proxy environment variable."; };
      httpsProxy = mkOption { type = types.nullOr types.str; default = cfg.proxy.default; description = "This option specifies the https_proxy environment variable."; };
      noProxy = mkOption { type = types.nullOr types.str; default = null; example = "127.0.0.1,localhost,.localdomain"; description = "This option specifies the no_proxy environment variable."; };
    };

    networkmanager = {
      enable = mkOption {
        type = types.bool;
        default = false;
        description = ''
          Whether to use NetworkManager to obtain an IP address and other
          configuration for all network interfaces that are not manually configured.
          Users in the `networkmanager` group may manage the connections.
        '';
      };
      wifi.backend = mkOption { type = types.enum [ "wpa_supplicant" "iwd" ]; default = "wpa_supplicant"; description = "Specify the Wi-Fi backend used for the device."; };
      wifi.powersave = mkOption { type = types.nullOr types.bool; default = null; description = "Whether to enable Wi-Fi power saving."; };
      dns = mkOption { type = types.enum [ "default" "dnsmasq" "systemd-resolved" "none" ]; default = "default"; description = "Set the DNS (`resolv.conf`) processing mode."; };
      unmanaged = mkOption { type = types.listOf types.str; default = [ ]; description = "List of interfaces that will not be managed by NetworkManager."; };
      plugins = mkOption { type = types.listOf types.package; default = [ ]; description = "List of NetworkManager plug-ins to enable."; };
      insertNameservers = mkOption { type = types.listOf types.str; default = [ ]; description = "A list of name servers that should be inserted before the ones configured in NetworkManager or received by DHCP."; };
    };

    wireless = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to enable wpa_supplicant."; };
      interfaces = mkOption { type = types.listOf types.str; default = [ ]; example = [ "wlan0" "wlan1" ]; description = "The interfaces {command}`wpa_supplicant` will use."; };
      userControlled.enable = mkOption { type = types.bool; default = false; description = "Allow normal users to control wpa_supplicant through wpa_gui or wpa_cli."; };
      networks = mkOption {
        type = types.attrsOf (types.submodule {
          options = {
            psk = mkOption { type = types.nullOr types.str; default = null; description = "The network's pre-shared key in plaintext."; };
            pskRaw = mkOption { type = types.nullOr types.str; default = null; description = "The network's pre-shared key in hex."; };
            auth = mkOption { type = types.nullOr types.str; default = null; description = "Use this option to configure advanced authentication methods."; };
            hidden = mkOption { type = types.bool; default = false; description = "Set this to true if the SSID of the network is hidden."; };
            priority = mkOption { type = types.nullOr types.int; default = null; description = "By default, all networks will get same priority group (0)."; };
          };
        });
        default = { };
        description = "The network definitions to automatically connect to when {command}`wpa_supplicant` is running.";
      };
    };

    firewall = firewallPorts // {
      enable = mkOption { type = types.bool; default = true; description = "Whether to enable the firewall. This is a simple stateful firewall that blocks connection attempts to unauthorised TCP or UDP ports on this machine."; };
      allowPing = mkOption { type = types.bool; default = true; description = "Whether to respond to incoming ICMPv4 echo requests (\"pings\")."; };
      logRefusedConnections = mkOption { type = types.bool; default = true; description = "Whether to log rejected or dropped incoming connections."; };
      rejectPackets = mkOption { type = types.bool; default = false; description = "If set, refused packets are rejected rather than dropped (ignored)."; };
      trustedInterfaces = mkOption { type = types.listOf types.str; default = [ ]; example = [ "enp0s2" ]; description = "Traffic coming in from these interfaces will be accepted unconditionally."; };
      checkReversePath = mkOption { type = types.either types.bool (types.enum [ "strict" "loose" ]); default = true; description = "Performs a reverse-path test on incoming packets."; };
      extraCommands = mkOption { type = types.lines; default = ""; description = "Additional shell commands executed as part of the firewall initialisation script."; };
      extraStopCommands = mkOption { type = types.lines; default = ""; description = "Additional shell commands executed as part of the firewall shutdown script."; };
      interfaces = mkOption { default = { }; type = types.attrsOf (types.submodule { options = firewallPorts; }); description = "Interface-specific open ports."; };
      package = mkOption { type = types.package; default = if cfg.nftables.enable then pkgs.nftables else pkgs.iptables; defaultText = lib.literalExpression "pkgs.iptables"; description = "The package to use for running the firewall service."; };
    };
  };

  config = mkMerge [
    {
      networking.hosts = {
        "127.0.0.1" = [ "localhost" ];
        "::1" = [ "localhost" ];
      } // lib.optionalAttrs (hostnames != [ ]) { "127.0.0.2" = hostnames; };

      environment.etc.hostname = mkIf (cfg.hostName != "") { text = cfg.hostName + "\n"; };
      environment.etc.hosts.text =
        lib.concatStrings (lib.mapAttrsToList (ip: names: "${ip} ${lib.concatStringsSep " " names}\n") (lib.filterAttrs (_: n: n != [ ]) cfg.hosts))
        + cfg.extraHosts;
      environment.etc."resolv.conf" = mkIf (cfg.nameservers != [ ] && !nm.enable) {
        text = lib.concatMapStrings (ns: "nameserver ${ns}\n") cfg.nameservers + lib.optionalString (cfg.search != [ ]) "search ${lib.concatStringsSep " " cfg.search}\n";
      };
      environment.etc."nsswitch.conf".text = ''
        passwd:    files systemd
        group:     files [success=merge] systemd
        shadow:    files
        sudoers:   files

        hosts:     mymachines files myhostname dns
        networks:  files

        ethers:    files
        services:  files
        protocols: files
        rpc:       files
      '';
      environment.systemPackages = [ pkgs.iproute2 pkgs.iputils pkgs.nettools pkgs.iw ];
    }
    (mkIf (cfg.proxy.httpProxy != null || cfg.proxy.httpsProxy != null) {
      environment.variables = lib.filterAttrs (_: v: v != null) {
        http_proxy = cfg.proxy.httpProxy;
        https_proxy = cfg.proxy.httpsProxy;
        no_proxy = cfg.proxy.noProxy;
      };
    })
    (mkIf (cfg.useDHCP && cfg.dhcpcd.enable && !nm.enable && !cfg.useNetworkd) {
      systemd.services.dhcpcd = {
        description = "DHCP Client";
        wantedBy = [ "multi-user.target" ];
        wants = [ "network.target" ];
        before = [ "network-online.target" ];
        restartTriggers = [ config.environment.etc."dhcpcd.conf".source ];
        stopIfChanged = false;
        serviceConfig = {
          Type = "forking";
          PIDFile = "/run/dhcpcd/pid";
          ExecStart = "@${pkgs.dhcpcd}/sbin/dhcpcd dhcpcd --quiet --config /etc/dhcpcd.conf";
          ExecReload = "${pkgs.dhcpcd}/sbin/dhcpcd --rebind";
          Restart = "always";
        };
      };
      environment.etc."dhcpcd.conf".text = ''
        hostname
        option domain_name_servers, domain_name, domain_search, host_name
        option classless_static_routes, ntp_servers, interface_mtu
        nohook lookup-hostname
        denyinterfaces ve-* vb-* lo peth* vif* tap* tun* virbr* vnet* vboxnet* sit*
        ${lib.optionalString (lib.any (i: i.useDHCP == true) (lib.attrValues cfg.interfaces)) "allowinterfaces ${lib.concatStringsSep " " (lib.attrNames (lib.filterAttrs (_: i: i.useDHCP == true) cfg.interfaces))}"}
      '';
      environment.systemPackages = [ pkgs.dhcpcd ];
    })
    (mkIf nm.enable {
      assertions = [
        {
          assertion = cfg.wireless.enable -> nm.unmanaged != [ ];
          message = ''
            You can not use networking.networkmanager with networking.wireless.
            Except if you mark some interfaces as <literal>unmanaged</literal> by NetworkManager.
          '';
        }
      ];
      users.groups.networkmanager.gid = config.ids.gids.networkmanager;
      environment.systemPackages = [ pkgs.networkmanager ] ++ nm.plugins;
      environment.etc."NetworkManager/NetworkManager.conf".text = ''
        [main]
        plugins=keyfile
        dns=${nm.dns}

        [keyfile]
        unmanaged-devices=${lib.concatMapStringsSep ";" (i: "interface-name:${i}") nm.unmanaged}

        [device]
        wifi.backend=${nm.wifi.backend}
      '';
      systemd.services.NetworkManager = {
        description = "Network Manager";
        wantedBy = [ "network.target" "multi-user.target" ];
        after = [ "network-pre.target" "dbus.service" ];
        restartTriggers = [ config.environment.etc."NetworkManager/NetworkManager.conf".source ];
        serviceConfig = {
          Type = "dbus";
          BusName = "org.freedesktop.NetworkManager";
          ExecStart = "${pkgs.networkmanager}/sbin/NetworkManager --no-daemon";
          ExecReload = "${pkgs.dbus}/bin/busctl call org.freedesktop.NetworkManager /org/freedesktop/NetworkManager org.freedesktop.NetworkManager Reload u 0";
          Restart = "on-failure";
        };
      };
      systemd.services.NetworkManager-wait-online = {
        description = "Network Manager Wait Online";
        wantedBy = [ "network-online.target" ];
        serviceConfig = { Type = "oneshot"; RemainAfterExit = true; ExecStart = "${pkgs.networkmanager}/bin/nm-online -s -q"; };
      };
      networking.wireless.enable = mkIf (nm.wifi.backend == "wpa_supplicant") (mkDefault false);
      services.dbus.packages = [ pkgs.networkmanager ];
    })
    (mkIf cfg.wireless.enable {
      environment.systemPackages = [ pkgs.wpa_supplicant ];
      environment.etc."wpa_supplicant.conf" = mkIf (cfg.wireless.networks != { }) {
        mode = "0600";
        text = lib.concatStrings (lib.mapAttrsToList (ssid: n: ''
          network={
            ssid="${ssid}"
            ${lib.optionalString (n.psk != null) "psk=\"${n.psk}\""}
            ${lib.optionalString (n.pskRaw != null) "psk=${n.pskRaw}"}
            ${lib.optionalString (n.psk == null && n.pskRaw == null && n.auth == null) "key_mgmt=NONE"}
            ${lib.optionalString n.hidden "scan_ssid=1"}
          }
        '') cfg.wireless.networks);
      };
      systemd.services.wpa_supplicant = {
        description = "WPA Supplicant";
        wantedBy = [ "multi-user.target" ];
        before = [ "network.target" ];
        wants = [ "network.target" ];
        serviceConfig.ExecStart = "${pkgs.wpa_supplicant}/bin/wpa_supplicant -u -s -c /etc/wpa_supplicant.conf ${lib.concatMapStringsSep " " (i: "-i${i}") cfg.wireless.interfaces}";
      };
    })
    (mkIf fw.enable {
      environment.systemPackages = [ fw.package ];
      systemd.services.firewall = {
        description = "Firewall";
        wantedBy = [ "sysinit.target" ];
        wants = [ "network-pre.target" ];
        before = [ "network-pre.target" ];
        after = [ "systemd-modules-load.service" ];
        path = [ fw.package ];
        reloadIfChanged = true;
        unitConfig.ConditionCapability = "CAP_NET_ADMIN";
        unitConfig.DefaultDependencies = false;
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = "@${firewallScript} firewall-start";
          ExecReload = "@${firewallScript} firewall-reload";
        };
      };
    })
  ];
}
