# The graphical stack, with NixOS 25.05's option layout:
#   - services.xserver.{enable,xkb,videoDrivers,…} and its desktopManager.{plasma5,
#     gnome,xfce,…} and windowManager.*;
#   - services.xserver.displayManager.{gdm,lightdm} (still under xserver in 25.05) and
#     services.displayManager.{sddm,autoLogin,defaultSession} (moved in 24.05; the old
#     xserver paths are renamed options that warn);
#   - services.desktopManager.{plasma6,cosmic}.
# The display manager that runs is the one enabled, else LightDM, as in NixOS. Its
# unit `display-manager.service` is never restarted by a switch
# (`restartIfChanged = false`), and its configuration files are its restart triggers.
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkEnableOption mkMerge types;
  xcfg = config.services.xserver;
  dmcfg = config.services.displayManager;
  xdm = xcfg.displayManager;
  dm = xcfg.desktopManager;
  wm = xcfg.windowManager;
  plasma6 = config.services.desktopManager.plasma6;
  cosmic = config.services.desktopManager.cosmic;

  sessionType = types.listOf (types.submodule {
    options = {
      name = mkOption { type = types.str; description = "Session name."; };
      start = mkOption { type = types.lines; description = "Commands that start the session."; };
      bgSupport = mkOption { type = types.bool; default = false; description = "Whether the session draws its own background."; };
      wayland = mkOption { type = types.bool; default = false; description = "Whether this is a Wayland session."; };
    };
  });
  sessions = dm.session ++ wm.session;
  sessionNames = map (s: s.name) sessions;
  sessionData = utils.mkTree "desktops" {
    files = lib.listToAttrs (
      map (s: lib.nameValuePair "share/${if s.wayland then "wayland-sessions" else "xsessions"}/${s.name}.desktop" {
        text = ''
          [Desktop Entry]
          Version=1.0
          Type=XSession
          Exec=${pkgs.writeShellScript "session-${s.name}" s.start}
          Name=${s.name}
        '';
      }) sessions
    );
    dirs = [ "share/xsessions" "share/wayland-sessions" ];
  };
  autologinSession =
    if dmcfg.defaultSession != null then dmcfg.defaultSession
    else if sessionNames != [ ] then builtins.head sessionNames
    else null;

  otherDM = xdm.gdm.enable || dmcfg.sddm.enable || xdm.startx.enable || config.services.greetd.enable || dmcfg.ly.enable;

  excluded = pkgList: exclude: lib.filter (p: !(builtins.elem p exclude)) pkgList;

  dmConfigFile =
    if xdm.gdm.enable then "gdm/custom.conf"
    else if dmcfg.sddm.enable then "sddm.conf"
    else if xdm.lightdm.enable then "lightdm/lightdm.conf"
    else null;
in
{
  imports = [
    (lib.mkRenamedOptionModule [ "services" "xserver" "layout" ] [ "services" "xserver" "xkb" "layout" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "xkbVariant" ] [ "services" "xserver" "xkb" "variant" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "xkbOptions" ] [ "services" "xserver" "xkb" "options" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "xkbModel" ] [ "services" "xserver" "xkb" "model" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "displayManager" "autoLogin" ] [ "services" "displayManager" "autoLogin" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "displayManager" "defaultSession" ] [ "services" "displayManager" "defaultSession" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "displayManager" "sddm" "enable" ] [ "services" "displayManager" "sddm" "enable" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "displayManager" "sddm" "wayland" "enable" ] [ "services" "displayManager" "sddm" "wayland" "enable" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "displayManager" "sddm" "theme" ] [ "services" "displayManager" "sddm" "theme" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "displayManager" "sddm" "autoNumlock" ] [ "services" "displayManager" "sddm" "autoNumlock" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "displayManager" "sddm" "settings" ] [ "services" "displayManager" "sddm" "settings" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "libinput" "enable" ] [ "services" "libinput" "enable" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "libinput" "touchpad" ] [ "services" "libinput" "touchpad" ])
    (lib.mkRenamedOptionModule [ "services" "xserver" "libinput" "mouse" ] [ "services" "libinput" "mouse" ])
  ];

  options.services.xserver = {
    enable = mkEnableOption "the X server";
    autorun = mkOption { type = types.bool; default = true; description = "Whether to start the X server automatically."; };
    excludePackages = mkOption { type = types.listOf types.package; default = [ ]; description = "Which X11 packages to exclude from the default environment"; };
    exportConfiguration = mkOption { type = types.bool; default = false; description = "Whether to symlink the X server configuration under {file}`/etc/X11/xorg.conf`."; };
    videoDrivers = mkOption {
      type = types.listOf types.str;
      default = [ "modesetting" "fbdev" ];
      example = [ "nvidia" "amdgpu" ];
      description = "The names of the video drivers the configuration supports. They will be tried in order until one that supports your card is found.";
    };
    dpi = mkOption { type = types.nullOr types.int; default = null; description = "Force global DPI resolution to use for X server."; };
    xkb = {
      layout = mkOption { type = types.str; default = "us"; description = "X keyboard layout, or multiple keyboard layouts separated by commas."; };
      variant = mkOption { type = types.str; default = ""; example = "colemak"; description = "X keyboard variant."; };
      options = mkOption { type = types.commas; default = "terminate:ctrl_alt_bksp"; example = "grp:caps_toggle,grp_led:scroll"; description = "X keyboard options; layout switching goes here."; };
      model = mkOption { type = types.str; default = "pc104"; example = "presario"; description = "X keyboard model."; };
      extraLayouts = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Extra custom layouts that will be included in the xkb configuration."; };
    };
    extraConfig = mkOption { type = types.lines; default = ""; description = "Additional contents (sections) included in the X server configuration file"; };
    screenSection = mkOption { type = types.lines; default = ""; description = "Contents of the first `Screen` section of the X server configuration file."; };
    deviceSection = mkOption { type = types.lines; default = ""; description = "Contents of the first `Device` section of the X server configuration file."; };
    serverFlagsSection = mkOption { type = types.lines; default = ""; description = "Contents of the ServerFlags section of the X server configuration file."; };

    displayManager = {
      gdm = {
        enable = mkEnableOption "GDM, the GNOME Display Manager";
        wayland = mkOption { type = types.bool; default = true; description = "Allow GDM to run on Wayland instead of Xserver."; };
        autoSuspend = mkOption { type = types.bool; default = true; description = "On the GNOME Display Manager login screen, suspend the machine after inactivity."; };
        banner = mkOption { type = types.nullOr types.lines; default = null; description = "Optional message to display on the login screen."; };
        settings = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Options passed to the gdm daemon (custom.conf)."; };
      };
      lightdm = {
        enable = mkOption { type = types.bool; default = false; description = "Whether to enable lightdm as the display manager."; };
        greeter = mkOption { type = types.nullOr (types.attrsOf types.anything); default = null; description = "The LightDM greeter to login via."; };
        greeters.gtk.enable = mkOption { type = types.bool; default = true; description = "Whether to enable lightdm-gtk-greeter as the lightdm greeter."; };
        greeters.slick.enable = mkEnableOption "lightdm-slick-greeter as the lightdm greeter";
        background = mkOption { type = types.either types.path (types.strMatching "^#[0-9]\{6\}$"); default = "#000000"; description = "The background image or color to use."; };
        extraConfig = mkOption { type = types.lines; default = ""; description = "Extra lines to append to LightDM section."; };
        extraSeatDefaults = mkOption { type = types.lines; default = ""; description = "Extra lines to append to SeatDefaults section."; };
      };
      startx.enable = mkEnableOption "the dummy \"startx\" pseudo-display manager, which allows users to start X manually via the \"startx\" command from a vt shell";
      sessionCommands = mkOption { type = types.lines; default = ""; description = "Shell commands executed just before the window or desktop manager is started."; };
      setupCommands = mkOption { type = types.lines; default = ""; description = "Shell commands executed just after the X server has started."; };
      importedVariables = mkOption { type = types.listOf (types.strMatching "[a-zA-Z_][a-zA-Z0-9_]*"); default = [ ]; description = "Environment variables to import into the systemd user environment."; };
    };

    desktopManager = {
      session = mkOption { type = sessionType; default = [ ]; internal = true; description = "Desktop sessions provided by the enabled desktop managers."; };
      plasma5 = {
        enable = mkOption { type = types.bool; default = false; description = "Enable the Plasma 5 (KDE 5) desktop environment."; };
        phononBackend = mkOption { type = types.enum [ "gstreamer" "vlc" ]; default = "vlc"; description = "Phonon audio backend to install."; };
        useQtScaling = mkOption { type = types.bool; default = false; description = "Enable HiDPI scaling in Qt."; };
        runUsingSystemd = mkOption { type = types.bool; default = true; description = "Use systemd to manage the Plasma session"; };
        notoPackage = mkOption { type = types.package; default = pkgs.noto-fonts; defaultText = lib.literalExpression "pkgs.noto-fonts"; description = "The package to use for the Noto fonts."; };
        mobile.enable = mkOption { type = types.bool; default = false; description = "Enable support for running the Plasma Mobile shell."; };
        bigscreen.enable = mkOption { type = types.bool; default = false; description = "Enable support for running the Plasma Bigscreen session."; };
      };
      gnome = {
        enable = mkOption { type = types.bool; default = false; description = "Enable GNOME desktop manager."; };
        extraGSettingsOverrides = mkOption { type = types.lines; default = ""; description = "Additional gsettings overrides."; };
        extraGSettingsOverridePackages = mkOption { type = types.listOf types.path; default = [ ]; description = "List of packages for which gsettings are overridden."; };
        sessionPath = mkOption { type = types.listOf types.package; default = [ ]; description = "Additional list of packages to be added to the session search path."; };
        debug = mkEnableOption "gnome-session debug messages";
        flashback.enableMetacity = mkEnableOption "the standard GNOME Flashback session with Metacity";
      };
      xfce = {
        enable = mkOption { type = types.bool; default = false; description = "Enable the Xfce desktop environment."; };
        noDesktop = mkOption { type = types.bool; default = false; description = "Don't install XFCE desktop components (xfdesktop and panel)."; };
        enableXfwm = mkOption { type = types.bool; default = true; description = "Enable the XFWM (default) window manager."; };
        enableScreensaver = mkOption { type = types.bool; default = true; description = "Enable the XFCE screensaver."; };
        enableWaylandSession = mkEnableOption "the experimental Xfce Wayland session";
      };
      xterm.enable = mkOption {
        type = types.bool;
        default = lib.versionOlder config.system.stateVersion "19.09" && xcfg.enable;
        defaultText = lib.literalExpression ''versionOlder config.system.stateVersion "19.09" && config.services.xserver.enable;'';
        description = "Enable a xterm terminal as a desktop manager.";
      };
      mate.enable = mkOption { type = types.bool; default = false; description = "Enable the MATE desktop environment"; };
      cinnamon.enable = mkOption { type = types.bool; default = false; description = "Enable the cinnamon desktop manager"; };
      budgie.enable = mkEnableOption "the Budgie desktop";
      pantheon.enable = mkOption { type = types.bool; default = false; description = "Enable the pantheon desktop manager"; };
      lxqt.enable = mkOption { type = types.bool; default = false; description = "Enable the LXQt desktop manager"; };
      enlightenment.enable = mkOption { type = types.bool; default = false; description = "Enable the Enlightenment desktop environment."; };
      kodi.enable = mkOption { type = types.bool; default = false; description = "Enable the kodi multimedia center."; };
      retroarch.enable = mkEnableOption "RetroArch";
      wallpaper = {
        mode = mkOption { type = types.enum [ "center" "fill" "max" "scale" "tile" ]; default = "scale"; description = "The file {file}`~/.background-image` is used as a background image."; };
        combineScreens = mkOption { type = types.bool; default = false; description = "When set to `true` the wallpaper will stretch across all screens."; };
      };
      runXdgAutostartIfNone = mkOption { type = types.bool; default = false; description = "Whether to run XDG autostart files for sessions without a desktop manager."; };
    };

    windowManager = {
      session = mkOption { type = sessionType; default = [ ]; internal = true; description = "Window manager sessions."; };
      i3 = {
        enable = mkEnableOption "i3 window manager";
        package = mkOption { type = types.package; default = pkgs.i3; defaultText = lib.literalExpression "pkgs.i3"; description = "The i3 package to use."; };
        extraPackages = mkOption { type = types.listOf types.package; default = [ pkgs.dmenu pkgs.i3status ]; description = "Extra packages to be installed system wide."; };
        configFile = mkOption { type = types.nullOr types.path; default = null; description = "Path to the i3 configuration file."; };
      };
      awesome.enable = mkEnableOption "Awesome window manager";
      bspwm.enable = mkEnableOption "bspwm";
      openbox.enable = mkEnableOption "openbox";
      qtile.enable = mkEnableOption "qtile";
      dwm.enable = mkEnableOption "dwm";
      xmonad = {
        enable = mkEnableOption "xmonad";
        enableContribAndExtras = mkOption { type = types.bool; default = false; description = "Enable xmonad-{contrib,extras} in xmonad."; };
        config = mkOption { type = types.nullOr (types.either types.path types.str); default = null; description = "Configuration from which XMonad gets compiled."; };
      };
    };
  };

  options.services.displayManager = {
    enable = mkOption { type = types.bool; default = false; description = "Whether to enable systemd's display-manager service."; };
    autoLogin = mkOption {
      type = types.submodule ({ config, ... }: {
        options = {
          enable = mkOption {
            type = types.bool;
            default = config.user != null;
            defaultText = lib.literalExpression "config.services.displayManager.autoLogin.user != null";
            description = "Automatically log in as {option}`autoLogin.user`.";
          };
          user = mkOption { type = types.nullOr types.str; default = null; description = "User to be used for the automatic login."; };
        };
      });
      default = { };
      description = "Auto login configuration attrs.";
    };
    defaultSession = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "gnome";
      description = "Graphical session to pre-select in the session chooser (only effective for GDM, LightDM and SDDM).";
    };
    sessionPackages = mkOption { type = types.listOf types.package; default = [ ]; description = "A list of packages containing x11 or wayland session files to be passed to the display manager."; };
    hiddenUsers = mkOption { type = types.listOf types.str; default = [ "nobody" ]; description = "A list of users which will not be shown in the display manager."; };
    logToFile = mkOption { type = types.bool; default = false; description = "Whether the display manager redirects the output of the session script to {file}`~/.xsession-errors`."; };
    execCmd = mkOption { type = types.str; internal = true; default = ""; description = "Command to start the display manager."; };
    sddm = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to enable sddm as the display manager."; };
      package = mkOption { type = types.package; default = if plasma6.enable then pkgs.kdePackages.sddm else pkgs.libsForQt5.sddm; defaultText = lib.literalExpression "pkgs.plasma5Packages.sddm"; description = "The sddm package to use."; };
      wayland.enable = mkEnableOption "experimental Wayland support";
      wayland.compositor = mkOption { type = types.enum [ "weston" "kwin" ]; default = "weston"; description = "The compositor to use: ${lib.concatStringsSep ", " [ "weston" "kwin" ]}."; };
      theme = mkOption { type = types.str; default = ""; description = "Greeter theme to use."; };
      autoNumlock = mkOption { type = types.bool; default = false; description = "Enable numlock at login."; };
      enableHidpi = mkOption { type = types.bool; default = true; description = "Whether to enable automatic HiDPI mode."; };
      settings = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Extra settings merged in and overwriting defaults in sddm.conf."; };
      extraPackages = mkOption { type = types.listOf types.package; default = [ ]; description = "Extra Qt plugins / QML libraries to add to the environment."; };
    };
    ly.enable = mkEnableOption "ly as the display manager";
  };

  options.services.greetd = {
    enable = mkEnableOption "greetd, a minimal and flexible login manager daemon";
    settings = mkOption { type = types.attrsOf types.anything; default = { }; description = "greetd configuration."; };
  };

  options.services.libinput = {
    enable = mkEnableOption "libinput" // { default = xcfg.enable; defaultText = lib.literalExpression "config.services.xserver.enable"; };
    touchpad = mkOption { type = types.attrsOf types.anything; default = { }; description = "Options for touchpad devices (tapping, naturalScrolling, disableWhileTyping, …)."; };
    mouse = mkOption { type = types.attrsOf types.anything; default = { }; description = "Options for mouse devices (accelProfile, naturalScrolling, …)."; };
  };

  options.services.desktopManager = {
    plasma6 = {
      enable = mkEnableOption "the Plasma 6 (KDE 6) desktop environment";
      enableQt5Integration = mkEnableOption "Qt 5 integration (theming, etc). Disable for a pure Qt 6 system" // { default = true; };
      notoPackage = mkOption { type = types.package; default = pkgs.noto-fonts; defaultText = lib.literalExpression "pkgs.noto-fonts"; description = "The package to use for the Noto fonts."; };
    };
    cosmic = {
      enable = mkEnableOption "Enable the COSMIC desktop environment";
      xwayland.enable = mkEnableOption "Xwayland support for the COSMIC compositor" // { default = true; };
    };
  };

  options.environment.plasma5.excludePackages = mkOption { type = types.listOf types.package; default = [ ]; description = "List of default packages to exclude from the configuration"; };
  options.environment.plasma6.excludePackages = mkOption { type = types.listOf types.package; default = [ ]; description = "List of default packages to exclude from the configuration"; };
  options.environment.gnome.excludePackages = mkOption { type = types.listOf types.package; default = [ ]; description = "Which packages gnome should exclude from the default environment"; };
  options.environment.xfce.excludePackages = mkOption { type = types.listOf types.package; default = [ ]; description = "Which packages XFCE should exclude from the default environment"; };

  config = mkMerge [
    (mkIf xcfg.enable {
      hardware.graphics.enable = mkDefault true;
      services.displayManager.enable = true;
      systemd.defaultUnit = mkIf xcfg.autorun "graphical.target";
      services.xserver.displayManager.lightdm.enable = mkIf (!otherDM) (mkDefault true);
      environment.systemPackages = excluded (with pkgs.xorg; [ xorgserver xinit xrandr xauth xrdb xhost setxkbmap xkbcomp pkgs.xdg-utils pkgs.xterm ]) xcfg.excludePackages;
      environment.etc."X11/xkb".source = "${pkgs.xkeyboard_config}/etc/X11/xkb";
      environment.etc."X11/xorg.conf.d/00-keyboard.conf".text = ''
        Section "InputClass"
          Identifier "Keyboard catchall"
          MatchIsKeyboard "on"
          Option "XkbModel" "${xcfg.xkb.model}"
          Option "XkbLayout" "${xcfg.xkb.layout}"
          Option "XkbOptions" "${xcfg.xkb.options}"
          Option "XkbVariant" "${xcfg.xkb.variant}"
        EndSection
      '';
      environment.etc."X11/xorg.conf.d/10-drivers.conf".text = ''
        # Video drivers, in the order the X server tries them:
        ${lib.concatMapStrings (d: "#   ${d}\n") xcfg.videoDrivers}
        ${xcfg.deviceSection}
        ${xcfg.screenSection}
        ${xcfg.extraConfig}
      '';
      security.polkit.enable = mkDefault true;
      fonts.enableDefaultPackages = mkDefault true;
      xdg.portal.enable = mkDefault true;
      services.udisks2.enable = mkDefault true;
    })

    (mkIf dmcfg.enable {
      assertions = [
        {
          assertion = dmcfg.autoLogin.enable -> dmcfg.autoLogin.user != null;
          message = "services.displayManager.autoLogin.enable requires services.displayManager.autoLogin.user to be set";
        }
      ];
      systemd.services.display-manager = {
        description = "Display Manager";
        after = [ "acpid.service" "systemd-logind.service" "systemd-user-sessions.service" ];
        restartIfChanged = false;
        restartTriggers = lib.optional (dmConfigFile != null) config.environment.etc.${dmConfigFile}.source;
        # The command runs in a script, as in NixOS (execCmd starts with `exec`).
        script = dmcfg.execCmd;
        serviceConfig = {
          Restart = "always";
          RestartSec = "200ms";
          SyslogIdentifier = "display-manager";
        };
      };
    })

    (mkIf (xcfg.enable && xdm.lightdm.enable) {
      services.displayManager.execCmd = "exec ${pkgs.lightdm}/sbin/lightdm";
      environment.etc."lightdm/lightdm.conf".text = ''
        [LightDM]
        greeter-user = lightdm
        greeters-directory = ${if xdm.lightdm.greeters.slick.enable then pkgs.lightdm-slick-greeter else pkgs.lightdm-gtk-greeter}/share/xgreeters
        sessions-directory = ${sessionData}/share/xsessions:${sessionData}/share/wayland-sessions
        ${xdm.lightdm.extraConfig}

        [Seat:*]
        xserver-command = ${pkgs.xorg.xorgserver}/bin/X
        greeter-session = ${if xdm.lightdm.greeters.slick.enable then "slick-greeter" else "lightdm-gtk-greeter"}
        ${lib.optionalString dmcfg.autoLogin.enable "autologin-user = ${dmcfg.autoLogin.user}\nautologin-user-timeout = 0\nautologin-session = ${toString autologinSession}"}
        ${lib.optionalString (dmcfg.defaultSession != null) "user-session = ${dmcfg.defaultSession}"}
        ${xdm.lightdm.extraSeatDefaults}
      '';
      assertions = [
        {
          assertion = dmcfg.autoLogin.enable -> autologinSession != null;
          message = ''
            LightDM auto-login requires that services.displayManager.defaultSession is set.
          '';
        }
      ];
      users.users.lightdm = { home = "/var/lib/lightdm"; group = "lightdm"; uid = config.ids.uids.lightdm; };
      users.groups.lightdm.gid = config.ids.gids.lightdm;
      security.pam.services.lightdm = { };
      security.pam.services.lightdm-greeter = { };
      security.pam.services.lightdm-autologin = { };
      environment.systemPackages = [ pkgs.lightdm ];
    })

    (mkIf xdm.gdm.enable {
      services.displayManager.execCmd = "exec ${pkgs.gdm}/bin/gdm";
      environment.etc."gdm/custom.conf".text = lib.generators.toINI { } (lib.recursiveUpdate {
        daemon = {
          WaylandEnable = xdm.gdm.wayland;
        } // lib.optionalAttrs dmcfg.autoLogin.enable {
          AutomaticLoginEnable = true;
          AutomaticLogin = dmcfg.autoLogin.user;
        };
      } xdm.gdm.settings);
      users.users.gdm = { name = "gdm"; uid = config.ids.uids.gdm; group = "gdm"; home = "/run/gdm"; description = "GDM user"; };
      users.groups.gdm.gid = config.ids.gids.gdm;
      security.pam.services.gdm = { };
      security.pam.services.gdm-autologin = { };
      security.pam.services.gdm-password = { };
      environment.systemPackages = [ pkgs.gdm ];
    })

    (mkIf dmcfg.sddm.enable {
      services.displayManager.enable = true;
      services.displayManager.execCmd = "exec ${dmcfg.sddm.package}/bin/sddm";
      environment.etc."sddm.conf".text = lib.generators.toINI { } (lib.recursiveUpdate ({
        General = { HaltCommand = "/run/current-system/systemd/bin/systemctl poweroff"; RebootCommand = "/run/current-system/systemd/bin/systemctl reboot"; Numlock = if dmcfg.sddm.autoNumlock then "on" else "none"; } // lib.optionalAttrs dmcfg.sddm.wayland.enable { DisplayServer = "wayland"; };
        Theme = { Current = dmcfg.sddm.theme; };
        Users = { MaximumUid = 30000; HideUsers = lib.concatStringsSep "," dmcfg.hiddenUsers; HideShells = "/run/current-system/sw/bin/nologin"; };
        X11 = { ServerPath = "${pkgs.xorg.xorgserver}/bin/X"; SessionDir = "${sessionData}/share/xsessions"; };
        Wayland = { SessionDir = "${sessionData}/share/wayland-sessions"; };
      } // lib.optionalAttrs dmcfg.autoLogin.enable { Autologin = { User = dmcfg.autoLogin.user; Session = "${toString autologinSession}.desktop"; Relogin = false; }; }) dmcfg.sddm.settings);
      users.users.sddm = { createHome = true; home = "/var/lib/sddm"; group = "sddm"; uid = config.ids.uids.sddm; };
      users.groups.sddm.gid = config.ids.gids.sddm;
      security.pam.services.sddm = { };
      security.pam.services.sddm-greeter = { };
      security.pam.services.sddm-autologin = { };
      environment.systemPackages = [ dmcfg.sddm.package ] ++ dmcfg.sddm.extraPackages;
    })

    (mkIf (xcfg.enable && config.services.libinput.enable) {
      environment.systemPackages = [ pkgs.libinput ];
      environment.etc."X11/xorg.conf.d/40-libinput.conf".text = ''
        Section "InputClass"
          Identifier "libinput touchpad configuration"
          MatchIsTouchpad "on"
          Driver "libinput"
        ${lib.concatStrings (lib.mapAttrsToList (n: v: "  Option \"${n}\" \"${toString v}\"\n") config.services.libinput.touchpad)}EndSection
      '';
    })

    (mkIf dm.plasma5.enable {
      assertions = [ { assertion = !plasma6.enable; message = "Cannot enable plasma5 and plasma6 at the same time!"; } ];
      services.xserver.desktopManager.session = [ { name = "plasma"; start = "exec ${pkgs.libsForQt5.plasma-workspace}/bin/startplasma-x11"; } ];
      environment.systemPackages = excluded (with pkgs.libsForQt5; [
        plasma-workspace plasma-desktop kwin plasma-nm plasma-pa kscreen breeze-qt5 plasma-browser-integration
        dolphin konsole kate okular ark gwenview spectacle
      ]) config.environment.plasma5.excludePackages;
      services.displayManager.sddm.theme = mkDefault "breeze";
      services.udisks2.enable = true;
      services.upower.enable = mkDefault config.powerManagement.enable;
      services.power-profiles-daemon.enable = mkDefault true;
      services.accounts-daemon.enable = true;
      security.polkit.enable = true;
      programs.dconf.enable = true;
      networking.networkmanager.enable = mkDefault true;
      fonts.packages = [ dm.plasma5.notoPackage ];
    })

    (mkIf plasma6.enable {
      services.displayManager.sessionPackages = [ pkgs.kdePackages.plasma-workspace ];
      services.displayManager.defaultSession = mkDefault "plasma";
      environment.systemPackages = excluded (with pkgs.kdePackages; [
        plasma-workspace plasma-desktop kwin plasma-nm plasma-pa kscreen breeze discover spectacle plasma-browser-integration
        dolphin konsole kate okular ark gwenview elisa
      ]) config.environment.plasma6.excludePackages;
      services.displayManager.sddm.theme = mkDefault "breeze";
      services.displayManager.enable = true;
      services.udisks2.enable = true;
      services.upower.enable = mkDefault config.powerManagement.enable;
      services.power-profiles-daemon.enable = mkDefault true;
      services.accounts-daemon.enable = true;
      security.polkit.enable = true;
      programs.dconf.enable = true;
      networking.networkmanager.enable = mkDefault true;
      hardware.graphics.enable = mkDefault true;
      xdg.portal.enable = mkDefault true;
      fonts.packages = [ plasma6.notoPackage ];
    })

    (mkIf dm.gnome.enable {
      services.xserver.desktopManager.session = [
        { name = "gnome"; start = "exec ${pkgs.gnome-session}/bin/gnome-session"; wayland = true; }
        { name = "gnome-xorg"; start = "exec ${pkgs.gnome-session}/bin/gnome-session"; }
      ];
      environment.systemPackages = excluded (with pkgs; [
        gnome-shell gnome-session gnome-settings-daemon gnome-control-center mutter adwaita-icon-theme gnome-backgrounds
        nautilus gnome-console gnome-text-editor gnome-system-monitor gnome-calculator gnome-software evince loupe epiphany
        baobab file-roller gnome-disk-utility totem
      ]) config.environment.gnome.excludePackages;
      services.gnome.gnome-keyring.enable = true;
      services.accounts-daemon.enable = true;
      services.upower.enable = mkDefault config.powerManagement.enable;
      services.power-profiles-daemon.enable = mkDefault true;
      services.udisks2.enable = true;
      services.gvfs.enable = true;
      services.geoclue2.enable = mkDefault true;
      networking.networkmanager.enable = mkDefault true;
      programs.dconf.enable = true;
      security.polkit.enable = true;
      xdg.portal = { enable = mkDefault true; extraPortals = [ pkgs.xdg-desktop-portal-gnome pkgs.xdg-desktop-portal-gtk ]; };
    })

    (mkIf dm.xfce.enable {
      services.xserver.desktopManager.session = [ { name = "xfce"; start = "exec ${pkgs.xfce.xfce4-session}/bin/xfce4-session"; } ];
      environment.systemPackages = excluded (with pkgs.xfce; [
        xfce4-session xfce4-settings thunar xfce4-terminal mousepad ristretto xfce4-appfinder
      ] ++ lib.optionals (!dm.xfce.noDesktop) [ xfce4-panel xfdesktop ] ++ lib.optional dm.xfce.enableXfwm xfwm4) config.environment.xfce.excludePackages;
      services.upower.enable = mkDefault config.powerManagement.enable;
      services.udisks2.enable = true;
      services.gvfs.enable = true;
      security.polkit.enable = true;
    })

    (mkIf dm.xterm.enable { services.xserver.desktopManager.session = [ { name = "xterm"; start = "${pkgs.xterm}/bin/xterm -ls &\nwaitPID=$!"; } ]; })
    (mkIf dm.cinnamon.enable { services.xserver.desktopManager.session = [ { name = "cinnamon"; start = "exec ${pkgs.cinnamon-common}/bin/cinnamon-session-cinnamon"; } ]; environment.systemPackages = [ pkgs.cinnamon-common ]; })
    (mkIf dm.mate.enable { services.xserver.desktopManager.session = [ { name = "mate"; start = "exec ${pkgs.mate.mate-session-manager}/bin/mate-session"; } ]; environment.systemPackages = [ pkgs.mate.mate-session-manager ]; })
    (mkIf dm.lxqt.enable { services.xserver.desktopManager.session = [ { name = "lxqt"; start = "exec ${pkgs.lxqt.lxqt-session}/bin/startlxqt"; } ]; environment.systemPackages = [ pkgs.lxqt.lxqt-session ]; })
    (mkIf dm.budgie.enable { services.xserver.desktopManager.session = [ { name = "budgie-desktop"; start = "exec ${pkgs.budgie-desktop}/bin/budgie-desktop"; } ]; environment.systemPackages = [ pkgs.budgie-desktop ]; })
    (mkIf dm.pantheon.enable { services.xserver.desktopManager.session = [ { name = "pantheon"; start = "exec gnome-session --session=pantheon"; } ]; environment.systemPackages = [ pkgs.pantheon.elementary-session-settings ]; })
    (mkIf dm.enlightenment.enable { services.xserver.desktopManager.session = [ { name = "enlightenment"; start = "exec ${pkgs.enlightenment.enlightenment}/bin/enlightenment_start"; } ]; environment.systemPackages = [ pkgs.enlightenment.enlightenment ]; })
    (mkIf dm.kodi.enable { services.xserver.desktopManager.session = [ { name = "kodi"; start = "exec ${pkgs.kodi}/bin/kodi --standalone"; } ]; environment.systemPackages = [ pkgs.kodi ]; })
    (mkIf dm.retroarch.enable { services.xserver.desktopManager.session = [ { name = "RetroArch"; start = "exec ${pkgs.retroarch}/bin/retroarch -f"; } ]; environment.systemPackages = [ pkgs.retroarch ]; })
    (mkIf cosmic.enable {
      services.displayManager.sessionPackages = [ pkgs.cosmic-session ];
      environment.systemPackages = [ pkgs.cosmic-session ];
      security.polkit.enable = true;
      xdg.portal.enable = mkDefault true;
      hardware.graphics.enable = mkDefault true;
    })
    (mkIf wm.i3.enable {
      services.xserver.windowManager.session = [ { name = "i3"; start = "${wm.i3.package}/bin/i3 ${lib.optionalString (wm.i3.configFile != null) "-c /etc/i3/config"} &\nwaitPID=$!"; } ];
      environment.systemPackages = [ wm.i3.package ] ++ wm.i3.extraPackages;
      environment.etc."i3/config" = mkIf (wm.i3.configFile != null) { source = wm.i3.configFile; };
    })
    (mkIf wm.awesome.enable { services.xserver.windowManager.session = [ { name = "awesome"; start = "${pkgs.awesome}/bin/awesome &\nwaitPID=$!"; } ]; environment.systemPackages = [ pkgs.awesome ]; })
    (mkIf wm.bspwm.enable { services.xserver.windowManager.session = [ { name = "bspwm"; start = "${pkgs.bspwm}/bin/bspwm &\nwaitPID=$!"; } ]; environment.systemPackages = [ pkgs.bspwm ]; })
    (mkIf wm.openbox.enable { services.xserver.windowManager.session = [ { name = "openbox"; start = "${pkgs.openbox}/bin/openbox-session"; } ]; environment.systemPackages = [ pkgs.openbox ]; })
    (mkIf wm.qtile.enable { services.xserver.windowManager.session = [ { name = "qtile"; start = "${pkgs.qtile}/bin/qtile start"; } ]; environment.systemPackages = [ pkgs.qtile ]; })
    (mkIf wm.dwm.enable { services.xserver.windowManager.session = [ { name = "dwm"; start = "${pkgs.dwm}/bin/dwm &\nwaitPID=$!"; } ]; environment.systemPackages = [ pkgs.dwm ]; })
    (mkIf wm.xmonad.enable { services.xserver.windowManager.session = [ { name = "xmonad"; start = "${pkgs.xmonad-with-packages}/bin/xmonad &\nwaitPID=$!"; } ]; environment.systemPackages = [ pkgs.xmonad-with-packages ]; })
  ];
}
