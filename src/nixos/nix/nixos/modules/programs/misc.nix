# `programs.*`: the common ones. Most install a package and perhaps a system-wide
# config file, open a firewall port or create a group, with NixOS's option names.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkEnableOption mkMerge mkDefault types;
  p = config.programs;
  pkgOpt = attr: mkOption {
    type = types.package;
    default = lib.getAttrFromPath (lib.splitString "." attr) pkgs;
    defaultText = lib.literalExpression "pkgs.${attr}";
    description = "The ${attr} package to use.";
  };
  simple = name: attr: {
    enable = mkEnableOption name;
    package = pkgOpt attr;
  };
  # Programs whose package is all there is to enabling them (plus what follows below).
  installs = [
    "mtr" "htop" "iotop" "light" "seahorse" "partition-manager" "evince" "file-roller" "geary" "corectrl"
    "firejail" "noisetorch" "virt-manager" "xwayland" "gnome-disks" "firefox" "chromium" "gamemode" "gamescope"
    "i3lock" "thunar" "wireshark" "obs-studio" "nh" "appimage" "java" "kdeconnect" "localsend" "tmux" "starship"
  ];
in
{
  options.programs = {
    mtr = simple "mtr" "mtr";
    htop = simple "htop" "htop" // { settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "Extra global default configuration for htop (/etc/htoprc)."; }; };
    iotop = simple "iotop" "iotop";
    light = simple "light" "light";
    seahorse = simple "Seahorse, a GNOME application for managing encryption keys and passwords in the GNOME Keyring" "seahorse";
    partition-manager = simple "KDE Partition Manager" "kdePackages.partitionmanager";
    evince = simple "Evince, the GNOME document viewer" "evince";
    file-roller = simple "File Roller, an archive manager for GNOME" "file-roller";
    geary = simple "Geary, a Mail client for GNOME" "geary";
    corectrl = simple "CoreCtrl, a tool to overclock amd graphics cards and processors" "corectrl";
    firejail = simple "firejail, a sandboxing tool for Linux" "firejail";
    noisetorch = simple "noisetorch (+ setcap wrapper), a virtual microphone device with noise suppression" "noisetorch";
    virt-manager = simple "virt-manager, an UI for managing virtual machines in libvirt" "virt-manager";
    xwayland = simple "Xwayland (the X server for Wayland)" "xwayland";
    gnome-disks = simple "GNOME Disks daemon, UDisks2 graphical front-end" "gnome-disk-utility";
    firefox = simple "the Firefox web browser" "firefox" // {
      policies = mkOption { type = types.attrsOf types.anything; default = { }; description = "Group policies to install (policies.json)."; };
      preferences = mkOption { type = types.attrsOf (types.oneOf [ types.bool types.int types.str ]); default = { }; description = "Preferences to set from `about:config`."; };
      languagePacks = mkOption { type = types.listOf types.str; default = [ ]; description = "The language packs to install."; };
      nativeMessagingHosts.packages = mkOption { type = types.listOf types.package; default = [ ]; description = "Additional packages containing native messaging hosts."; };
    };
    chromium = simple "{command}`chromium` policies" "chromium" // {
      extensions = mkOption { type = types.listOf types.str; default = [ ]; description = "List of chromium extensions to install."; };
      homepageLocation = mkOption { type = types.nullOr types.str; default = null; description = "Chromium default homepage"; };
      extraOpts = mkOption { type = types.attrsOf types.anything; default = { }; description = "Extra chromium policy options."; };
    };
    steam = simple "steam" "steam" // {
      remotePlay.openFirewall = mkOption { type = types.bool; default = false; description = "Open ports in the firewall for Steam Remote Play."; };
      dedicatedServer.openFirewall = mkOption { type = types.bool; default = false; description = "Open ports in the firewall for Source Dedicated Server."; };
      localNetworkGameTransfers.openFirewall = mkOption { type = types.bool; default = false; description = "Open ports in the firewall for Steam Local Network Game Transfers."; };
      gamescopeSession.enable = mkEnableOption "GameScope Session";
      extraCompatPackages = mkOption { type = types.listOf types.package; default = [ ]; description = "Extra packages to be used as compatibility tools for Steam on Linux."; };
    };
    gamemode = simple "GameMode to optimise system performance on demand" "gamemode" // { settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "System-wide configuration for GameMode (/etc/gamemode.ini)."; }; };
    gamescope = simple "gamescope, the SteamOS session compositing window manager" "gamescope" // { capSysNice = mkOption { type = types.bool; default = false; description = "Add cap_sys_nice capability to the GameScope binary."; }; };
    hyprland = simple "Hyprland, the dynamic tiling Wayland compositor that doesn't sacrifice on its looks" "hyprland" // {
      xwayland.enable = mkOption { type = types.bool; default = true; description = "Whether to enable XWayland."; };
      withUWSM = mkOption { type = types.bool; default = false; description = "Launch Hyprland with the UWSM session manager."; };
      portalPackage = pkgOpt "xdg-desktop-portal-hyprland";
    };
    sway = simple "Sway, the i3-compatible tiling Wayland compositor" "sway" // {
      extraPackages = mkOption { type = types.listOf types.package; default = [ pkgs.swaylock pkgs.foot pkgs.dmenu pkgs.wofi ]; description = "Extra packages to be installed system wide."; };
      wrapperFeatures.gtk = mkOption { type = types.bool; default = false; description = "Whether to make use of the GTK wrapper."; };
      extraSessionCommands = mkOption { type = types.lines; default = ""; description = "Shell commands executed just before Sway is started."; };
    };
    i3lock = simple "i3lock" "i3lock";
    thunar = simple "Thunar, the Xfce file manager" "xfce.thunar" // { plugins = mkOption { type = types.listOf types.package; default = [ ]; description = "List of thunar plugins to install."; }; };
    wireshark = simple "Wireshark" "wireshark";
    obs-studio = simple "Free and open source software for video recording and live streaming" "obs-studio" // {
      plugins = mkOption { type = types.listOf types.package; default = [ ]; description = "Optional OBS plugins."; };
      enableVirtualCamera = mkOption { type = types.bool; default = false; description = "Installs and sets up the v4l2loopback kernel module, necessary for OBS to start a virtual camera."; };
    };
    nh = simple "nh, yet another Nix CLI helper" "nh" // {
      flake = mkOption { type = types.nullOr types.str; default = null; description = "The path that will be used for the `NH_FLAKE` environment variable."; };
      clean.enable = mkEnableOption "periodic garbage collection with nh clean all";
      clean.extraArgs = mkOption { type = types.singleLineStr; default = ""; description = "Options given to nh clean when the service is run automatically."; };
    };
    appimage = simple "appimage-run wrapper script for executing appimages on NixOS" "appimage-run" // { binfmt = mkEnableOption "binfmt registration to run appimages via appimage-run seamlessly"; };
    java = simple "java and setting JAVA_HOME" "jdk";
    kdeconnect = simple "kdeconnect" "kdePackages.kdeconnect-kde";
    adb = { package = pkgOpt "android-tools"; enable = mkEnableOption "Whether to configure system to use Android Debug Bridge (adb). To grant access to a user, it must be part of adbusers group"; };
    nm-applet = { package = pkgOpt "networkmanagerapplet"; enable = mkEnableOption "nm-applet, a NetworkManager control applet for GNOME"; indicator = mkOption { type = types.bool; default = true; description = "Whether nm-applet should use the new App Indicator interface."; }; };
    localsend = simple "localsend, an open source cross-platform alternative to AirDrop" "localsend" // { openFirewall = mkOption { type = types.bool; default = true; description = "Whether to open the firewall for the local send port."; }; };
    tmux = simple "{command}`tmux` - a {command}`screen` replacement" "tmux" // {
      extraConfig = mkOption { type = types.lines; default = ""; description = "Additional contents of /etc/tmux.conf"; };
      clock24 = mkOption { type = types.bool; default = false; description = "Use 24 hour clock."; };
      keyMode = mkOption { type = types.enum [ "emacs" "vi" ]; default = "emacs"; description = "VI or Emacs style shortcuts."; };
      terminal = mkOption { type = types.str; default = "screen"; description = "Set the $TERM variable."; };
      baseIndex = mkOption { type = types.int; default = 0; description = "Base index for windows and panes."; };
      historyLimit = mkOption { type = types.int; default = 2000; description = "Maximum number of lines held in window history."; };
      plugins = mkOption { type = types.listOf types.package; default = [ ]; description = "List of plugins to install."; };
    };
    starship = simple "the Starship shell prompt" "starship" // { settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "Configuration included in `starship.toml`."; }; };
    direnv = simple "direnv integration. Takes care of both installation and setting up the sourcing of the shell" "direnv" // {
      nix-direnv.enable = mkOption { type = types.bool; default = true; description = "Whether to enable a faster, persistent implementation of use_nix and use_flake."; };
      silent = mkOption { type = types.bool; default = false; description = "Whether to enable the hiding of direnv logging."; };
    };
    git = simple "git, a distributed version control system" "git" // {
      config = mkOption { type = types.either (types.attrsOf types.anything) (types.listOf (types.attrsOf types.anything)); default = [ ]; description = "Configuration to write to /etc/gitconfig."; };
      lfs.enable = mkEnableOption "git-lfs (Large File Storage)";
    };
    vim = {
      enable = mkEnableOption "Vi IMproved, an advanced text";
      defaultEditor = mkEnableOption "vim as the default editor";
      package = pkgOpt "vim";
    };
    neovim = {
      enable = mkEnableOption "Neovim";
      defaultEditor = mkOption { type = types.bool; default = false; description = "When enabled, installs neovim and configures neovim to be the default editor using the EDITOR environment variable."; };
      viAlias = mkOption { type = types.bool; default = false; description = "Symlink {command}`vi` to {command}`nvim` binary."; };
      vimAlias = mkOption { type = types.bool; default = false; description = "Symlink {command}`vim` to {command}`nvim` binary."; };
      withRuby = mkOption { type = types.bool; default = true; description = "Enable Ruby provider."; };
      withPython3 = mkOption { type = types.bool; default = true; description = "Enable Python 3 provider."; };
      withNodeJs = mkOption { type = types.bool; default = false; description = "Enable Node provider."; };
      configure = mkOption { type = types.attrs; default = { }; description = "Generate your init file from your list of plugins and custom commands."; };
      package = pkgOpt "neovim";
    };
    nano = {
      enable = mkOption { type = types.bool; default = true; description = "Whether to enable nano, a small user-friendly console text editor."; };
      nanorc = mkOption { type = types.lines; default = ""; description = "The system-wide nano configuration."; };
      syntaxHighlight = mkOption { type = types.bool; default = false; description = "Whether to enable syntax highlight for various languages."; };
      package = pkgOpt "nano";
    };
    gnupg.agent = {
      enable = mkEnableOption "GnuPG agent with socket-activation for every user session";
      enableSSHSupport = mkOption { type = types.bool; default = false; description = "Enable SSH agent support in GnuPG agent."; };
      enableExtraSocket = mkOption { type = types.bool; default = false; description = "Enable extra socket for GnuPG agent."; };
      enableBrowserSocket = mkOption { type = types.bool; default = false; description = "Enable browser socket for GnuPG agent."; };
      pinentryPackage = mkOption { type = types.nullOr types.package; default = pkgs.pinentry-curses; defaultText = lib.literalExpression "pkgs.pinentry-curses"; description = "Which pinentry package to use."; };
      settings = mkOption { type = types.attrsOf (types.oneOf [ types.str types.int types.bool ]); default = { }; description = "Configuration for /etc/gnupg/gpg-agent.conf."; };
    };
    gnupg.package = pkgOpt "gnupg";
    ssh = {
      startAgent = mkOption { type = types.bool; default = false; description = "Whether to start the OpenSSH agent when you log in."; };
      extraConfig = mkOption { type = types.lines; default = ""; description = "Extra configuration text prepended to {file}`ssh_config`."; };
      forwardX11 = mkOption { type = types.nullOr types.bool; default = false; description = "Whether to request X11 forwarding on outgoing connections by default."; };
      knownHosts = mkOption { default = { }; type = types.attrsOf (types.submodule { options = { hostNames = mkOption { type = types.listOf types.str; default = [ ]; description = "A list of host names and/or IP numbers used for accessing the host's ssh service."; }; publicKey = mkOption { type = types.nullOr types.str; default = null; description = "The public key data for the host."; }; }; }); description = "The set of system-wide known SSH hosts."; };
      package = pkgOpt "openssh";
    };
    dconf = {
      enable = mkEnableOption "dconf";
      profiles = mkOption { type = types.attrsOf types.anything; default = { }; description = "Attrset of dconf profiles."; };
      packages = mkOption { type = types.listOf types.package; default = [ ]; description = "A list of packages which provide dconf profiles and databases in {file}`/etc/dconf`."; };
    };
    fuse = {
      userAllowOther = mkOption { type = types.bool; default = false; description = "Allow non-root users to specify the allow_other or allow_root mount options."; };
      mountMax = mkOption { type = types.ints.between 0 32767; default = 1000; description = "Set the maximum number of FUSE mounts allowed to non-root users."; };
    };
    less = {
      enable = mkOption { type = types.bool; default = true; description = "Whether to enable less, a file pager."; };
      envVariables = mkOption { type = types.attrsOf types.str; default = { LESS = "-R"; }; description = "Defines environment variables."; };
    };
    nix-ld = {
      enable = mkEnableOption "nix-ld, Documentation: <https://github.com/nix-community/nix-ld>";
      libraries = mkOption { type = types.listOf types.package; default = [ ]; description = "Libraries that automatically become available to all programs."; };
      package = pkgOpt "nix-ld";
    };
    command-not-found.enable = mkOption { type = types.bool; default = false; description = "Whether interactive shells should show which Nix package (if any) provides a missing command."; };
  };

  config = mkMerge (
    map (n: mkIf p.${n}.enable { environment.systemPackages = [ p.${n}.package ]; }) installs
    ++ [
      (mkIf p.vim.enable {
        environment.systemPackages = [ p.vim.package ];
      })
      (mkIf p.vim.defaultEditor {
        environment.systemPackages = [ p.vim.package ];
        environment.variables.EDITOR = lib.mkOverride 900 "vim";
      })
      (mkIf p.neovim.enable {
        environment.systemPackages = [ p.neovim.package ];
        environment.variables.EDITOR = mkIf p.neovim.defaultEditor (lib.mkOverride 900 "nvim");
        environment.shellAliases = mkMerge [
          (mkIf p.neovim.viAlias { vi = "nvim"; })
          (mkIf p.neovim.vimAlias { vim = "nvim"; })
        ];
      })
      (mkIf p.nano.enable {
        environment.systemPackages = [ p.nano.package ];
        environment.etc.nanorc.text = p.nano.nanorc;
      })
      (mkIf p.git.enable {
        environment.systemPackages = [ p.git.package ] ++ lib.optional p.git.lfs.enable pkgs.git-lfs;
        environment.etc.gitconfig = mkIf (p.git.config != [ ] && p.git.config != { }) {
          text = lib.generators.toGitINI (if builtins.isList p.git.config then lib.foldl' lib.recursiveUpdate { } p.git.config else p.git.config);
        };
      })
      (mkIf p.firefox.enable {
        environment.etc."firefox/policies/policies.json" = mkIf (p.firefox.policies != { }) { text = builtins.toJSON { policies = p.firefox.policies; }; };
      })
      (mkIf p.chromium.enable {
        environment.etc."chromium/policies/managed/default.json".text = builtins.toJSON (
          p.chromium.extraOpts
          // lib.optionalAttrs (p.chromium.extensions != [ ]) { ExtensionInstallForcelist = p.chromium.extensions; }
          // lib.optionalAttrs (p.chromium.homepageLocation != null) { HomepageLocation = p.chromium.homepageLocation; }
        );
      })
      (mkIf p.steam.enable {
        environment.systemPackages = [ p.steam.package pkgs.steam-run ] ++ lib.optional p.steam.gamescopeSession.enable pkgs.gamescope;
        hardware.graphics = { enable = true; enable32Bit = true; };
        hardware.steam-hardware.enable = mkDefault true;
        networking.firewall = mkMerge [
          (mkIf p.steam.remotePlay.openFirewall { allowedTCPPorts = [ 27036 ]; allowedUDPPortRanges = [ { from = 27031; to = 27036; } ]; })
          (mkIf p.steam.dedicatedServer.openFirewall { allowedTCPPorts = [ 27015 ]; allowedUDPPorts = [ 27015 ]; })
          (mkIf p.steam.localNetworkGameTransfers.openFirewall { allowedTCPPorts = [ 27040 ]; })
        ];
      })
      (mkIf p.gamemode.enable {
        environment.etc."gamemode.ini".text = lib.generators.toINI { } p.gamemode.settings;
        users.groups.gamemode = { };
      })
      (mkIf p.hyprland.enable {
        environment.systemPackages = [ p.hyprland.package ];
        services.displayManager.sessionPackages = [ p.hyprland.package ];
        xdg.portal = { enable = mkDefault true; extraPortals = [ p.hyprland.portalPackage ]; };
        programs.xwayland.enable = mkDefault p.hyprland.xwayland.enable;
        security.polkit.enable = true;
        hardware.graphics.enable = mkDefault true;
      })
      (mkIf p.sway.enable {
        environment.systemPackages = [ p.sway.package ] ++ p.sway.extraPackages;
        services.displayManager.sessionPackages = [ p.sway.package ];
        security.polkit.enable = true;
        security.pam.services.swaylock = { };
        hardware.graphics.enable = mkDefault true;
        programs.xwayland.enable = mkDefault true;
        xdg.portal = { enable = mkDefault true; extraPortals = [ pkgs.xdg-desktop-portal-wlr ]; };
      })
      (mkIf p.thunar.enable { environment.systemPackages = p.thunar.plugins; services.dbus.packages = [ p.thunar.package ]; })
      (mkIf p.wireshark.enable { users.groups.wireshark = { }; })
      (mkIf p.obs-studio.enable {
        environment.systemPackages = p.obs-studio.plugins;
        boot.extraModulePackages = lib.optional p.obs-studio.enableVirtualCamera config.boot.kernelPackages.v4l2loopback;
        boot.kernelModules = lib.optional p.obs-studio.enableVirtualCamera "v4l2loopback";
      })
      (mkIf p.nh.enable {
        environment.variables = lib.optionalAttrs (p.nh.flake != null) { NH_FLAKE = p.nh.flake; };
      })
      (mkIf p.java.enable { environment.variables.JAVA_HOME = "${p.java.package.home or p.java.package}"; })
      (mkIf p.kdeconnect.enable {
        networking.firewall = let range = { from = 1714; to = 1764; }; in { allowedTCPPortRanges = [ range ]; allowedUDPPortRanges = [ range ]; };
      })
      (mkIf p.adb.enable { users.groups.adbusers = { }; environment.systemPackages = [ p.adb.package ]; })
      (mkIf p.localsend.enable { networking.firewall = mkIf p.localsend.openFirewall { allowedTCPPorts = [ 53317 ]; allowedUDPPorts = [ 53317 ]; }; })
      (mkIf p.tmux.enable {
        environment.etc."tmux.conf".text = ''
          set  -g default-terminal "${p.tmux.terminal}"
          set  -g base-index      ${toString p.tmux.baseIndex}
          setw -g pane-base-index ${toString p.tmux.baseIndex}
          setw -g mode-keys   ${p.tmux.keyMode}
          setw -g clock-mode-style  ${if p.tmux.clock24 then "24" else "12"}
          set  -g history-limit     ${toString p.tmux.historyLimit}
          ${p.tmux.extraConfig}
        '';
        environment.systemPackages = p.tmux.plugins;
      })
      (mkIf p.starship.enable {
        environment.etc."starship.toml" = mkIf (p.starship.settings != { }) { text = builtins.toJSON p.starship.settings; };
        programs.bash.promptInit = ''eval "$(${p.starship.package}/bin/starship init bash)"'';
      })
      (mkIf p.direnv.enable {
        environment.systemPackages = [ p.direnv.package ] ++ lib.optional p.direnv.nix-direnv.enable pkgs.nix-direnv;
        programs.bash.interactiveShellInit = ''eval "$(${p.direnv.package}/bin/direnv hook bash)"'';
      })
      (mkIf p.htop.enable { environment.etc.htoprc = mkIf (p.htop.settings != { }) { text = lib.concatStrings (lib.mapAttrsToList (n: v: "${n}=${toString v}\n") p.htop.settings); }; })
      (mkIf p.gnupg.agent.enable {
        environment.systemPackages = [ p.gnupg.package ] ++ lib.optional (p.gnupg.agent.pinentryPackage != null) p.gnupg.agent.pinentryPackage;
        environment.etc."gnupg/gpg-agent.conf".text =
          lib.optionalString (p.gnupg.agent.pinentryPackage != null) "pinentry-program ${lib.getExe p.gnupg.agent.pinentryPackage}\n"
          + lib.optionalString p.gnupg.agent.enableSSHSupport "enable-ssh-support\n"
          + lib.concatStrings (lib.mapAttrsToList (n: v: "${n} ${toString v}\n") p.gnupg.agent.settings);
        assertions = [
          {
            assertion = p.gnupg.agent.enableSSHSupport -> !p.ssh.startAgent;
            message = "You can't use ssh-agent and GnuPG agent with SSH support enabled at the same time!";
          }
        ];
      })
      {
        environment.etc."ssh/ssh_config".text = ''
          ${p.ssh.extraConfig}
          ForwardX11 ${if p.ssh.forwardX11 == true then "yes" else "no"}
          Host *
            GlobalKnownHostsFile /etc/ssh/ssh_known_hosts
        '';
        environment.etc."ssh/ssh_known_hosts".text = lib.concatStrings (
          lib.mapAttrsToList (n: h: lib.optionalString (h.publicKey != null) "${lib.concatStringsSep "," (if h.hostNames == [ ] then [ n ] else h.hostNames)} ${h.publicKey}\n") p.ssh.knownHosts
        );
      }
      (mkIf p.ssh.startAgent {
        systemd.user.services.ssh-agent = {
          description = "SSH Agent";
          wantedBy = [ "default.target" ];
          serviceConfig.ExecStart = "${p.ssh.package}/bin/ssh-agent -D -a %t/ssh-agent";
        };
      })
      (mkIf p.dconf.enable { environment.systemPackages = [ pkgs.dconf ]; })
      {
        environment.etc."fuse.conf".text = lib.optionalString p.fuse.userAllowOther "user_allow_other\n" + "mount_max = ${toString p.fuse.mountMax}\n";
      }
      (mkIf p.less.enable { environment.variables = p.less.envVariables; })
      (mkIf p.nix-ld.enable { environment.systemPackages = [ p.nix-ld.package ]; environment.variables.NIX_LD_LIBRARY_PATH = lib.concatMapStringsSep ":" (l: "${l}/lib") p.nix-ld.libraries; })
    ]
  );
}
