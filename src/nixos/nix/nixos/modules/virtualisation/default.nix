# Containers and virtual machines on the host: Docker, Podman, libvirtd, VirtualBox.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkEnableOption mkMerge types;
  v = config.virtualisation;
in
{
  options.virtualisation = {
    docker = {
      enable = mkOption { type = types.bool; default = false; description = "This option enables docker, a daemon that manages linux containers. Users in the \"docker\" group can interact with the daemon."; };
      package = mkOption { type = types.package; default = pkgs.docker; defaultText = lib.literalExpression "pkgs.docker"; description = "The docker package to use."; };
      enableOnBoot = mkOption { type = types.bool; default = true; description = "When enabled dockerd is started on boot."; };
      storageDriver = mkOption { type = types.nullOr types.str; default = null; description = "This option determines which Docker storage driver to use."; };
      daemon.settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "Configuration for docker daemon."; };
      autoPrune.enable = mkEnableOption "periodic pruning of Docker resources";
      rootless = {
        enable = mkOption { type = types.bool; default = false; description = "This option enables docker in a rootless mode."; };
        setSocketVariable = mkOption { type = types.bool; default = false; description = "Point {command}`DOCKER_HOST` to rootless Docker instance for normal users by default."; };
      };
    };
    podman = {
      enable = mkEnableOption "podman, a daemonless container engine for developing, managing, and running OCI Containers on your Linux System";
      dockerCompat = mkOption { type = types.bool; default = false; description = "Create an alias mapping {command}`docker` to {command}`podman`."; };
      dockerSocket.enable = mkEnableOption "Docker compatible API socket activation";
      defaultNetwork.settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "Settings for podman's default network."; };
      package = mkOption { type = types.package; default = pkgs.podman; defaultText = lib.literalExpression "pkgs.podman"; description = "The podman package to use."; };
    };
    containers.enable = mkOption { type = types.bool; default = v.podman.enable; description = "This option enables the common /etc/containers configuration module."; };
    oci-containers = {
      backend = mkOption { type = types.enum [ "podman" "docker" ]; default = "podman"; description = "The underlying Docker implementation to use."; };
      containers = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "OCI (Docker) containers to run as systemd services."; };
    };
    libvirtd = {
      enable = mkOption { type = types.bool; default = false; description = "This option enables libvirtd, a daemon that manages virtual machines."; };
      onBoot = mkOption { type = types.enum [ "start" "ignore" ]; default = "start"; description = "Specifies the action to be done to / on the guests when the host boots."; };
      qemu = {
        package = mkOption { type = types.package; default = pkgs.qemu; defaultText = lib.literalExpression "pkgs.qemu"; description = "Qemu package to use with libvirt."; };
        runAsRoot = mkOption { type = types.bool; default = true; description = "If true, libvirtd runs qemu as root."; };
        swtpm.enable = mkOption { type = types.bool; default = false; description = "Allows libvirtd to use swtpm to create an emulated TPM."; };
        ovmf.enable = mkOption { type = types.bool; default = true; description = "Allows libvirtd to take advantage of OVMF when creating new QEMU VMs with UEFI boot."; };
      };
    };
    spiceUSBRedirection.enable = mkEnableOption "the USB redirection for SPICE";
    virtualbox.host = {
      enable = mkEnableOption "VirtualBox";
      enableExtensionPack = mkEnableOption "VirtualBox extension pack";
      enableKvm = mkEnableOption "KVM support for VirtualBox";
    };
    virtualbox.guest.enable = mkEnableOption "VirtualBox guest services";
    vmware.guest.enable = mkEnableOption "VMWare Guest Support";
    waydroid.enable = mkEnableOption "Waydroid";
  };

  config = mkMerge [
    (mkIf v.docker.enable {
      environment.systemPackages = [ v.docker.package ];
      users.groups.docker.gid = config.ids.gids.docker;
      environment.etc."docker/daemon.json".text = builtins.toJSON ({ group = "docker"; hosts = [ "fd://" ]; live-restore = true; } // lib.optionalAttrs (v.docker.storageDriver != null) { storage-driver = v.docker.storageDriver; } // v.docker.daemon.settings);
      systemd.services.docker = {
        description = "Docker Application Container Engine";
        wantedBy = lib.optional v.docker.enableOnBoot "multi-user.target";
        after = [ "network.target" "docker.socket" ];
        requires = [ "docker.socket" ];
        restartTriggers = [ config.environment.etc."docker/daemon.json".source ];
        serviceConfig = { Type = "notify"; ExecStart = [ "" "${v.docker.package}/bin/dockerd --config-file=/etc/docker/daemon.json" ]; ExecReload = [ "" "${pkgs.procps}/bin/kill -s HUP $MAINPID" ]; };
      };
      systemd.sockets.docker = { description = "Docker Socket for the API"; wantedBy = [ "sockets.target" ]; listenStreams = [ "/run/docker.sock" ]; socketConfig = { SocketMode = "0660"; SocketUser = "root"; SocketGroup = "docker"; }; };
      boot.kernelModules = [ "bridge" "veth" "br_netfilter" "xt_nat" ];
      boot.kernel.sysctl = { "net.ipv4.conf.all.forwarding" = mkDefault true; "net.ipv4.conf.default.forwarding" = mkDefault true; };
    })
    (mkIf v.docker.rootless.enable {
      environment.systemPackages = [ v.docker.package ];
      environment.extraInit = lib.optionalString v.docker.rootless.setSocketVariable ''if [ -z "$DOCKER_HOST" -a -n "$XDG_RUNTIME_DIR" ]; then export DOCKER_HOST="unix://$XDG_RUNTIME_DIR/docker.sock"; fi'';
      systemd.user.services.docker = { description = "Docker Application Container Engine (Rootless)"; wantedBy = [ "default.target" ]; serviceConfig.ExecStart = "${v.docker.package}/bin/dockerd-rootless"; };
    })
    (mkIf v.podman.enable {
      environment.systemPackages = [ v.podman.package ] ++ lib.optional v.podman.dockerCompat pkgs.docker-compose;
      environment.shellAliases = mkIf v.podman.dockerCompat { docker = "podman"; };
      environment.etc."containers/policy.json".text = builtins.toJSON { default = [ { type = "insecureAcceptAnything"; } ]; };
      environment.etc."containers/registries.conf".text = "[registries.search]\nregistries = ['docker.io', 'quay.io']\n";
      systemd.services.podman = { description = "Podman API Service"; serviceConfig = { Type = "exec"; ExecStart = "${v.podman.package}/bin/podman system service"; }; };
      systemd.sockets.podman = { description = "Podman API Socket"; wantedBy = [ "sockets.target" ]; listenStreams = [ "/run/podman/podman.sock" ]; };
      assertions = [ { assertion = v.podman.dockerCompat -> !v.docker.enable; message = "Option dockerCompat conflicts with docker"; } ];
    })
    (mkIf v.libvirtd.enable {
      environment.systemPackages = [ pkgs.libvirt v.libvirtd.qemu.package ];
      users.groups.libvirtd = { };
      boot.kernelModules = [ "tun" ];
      security.polkit.enable = true;
      systemd.services.libvirtd = {
        description = "Virtualization daemon";
        wantedBy = [ "multi-user.target" ];
        after = [ "network.target" ];
        restartIfChanged = false;
        serviceConfig = { Type = "notify"; ExecStart = "@${pkgs.libvirt}/sbin/libvirtd libvirtd"; KillMode = "process"; };
      };
    })
    (mkIf v.virtualbox.host.enable {
      environment.systemPackages = [ pkgs.virtualbox ];
      users.groups.vboxusers.gid = 215;
      boot.extraModulePackages = [ config.boot.kernelPackages.virtualboxGuestAdditions ];
      boot.kernelModules = [ "vboxdrv" "vboxnetadp" "vboxnetflt" ];
    })
  ];
}
