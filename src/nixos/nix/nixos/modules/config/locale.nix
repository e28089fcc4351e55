# Locale, console and time: `i18n.*`, `console.*`, `time.*` with NixOS's defaults
# (en_US.UTF-8, keymap "us", no time zone), rendered to /etc/locale.conf,
# /etc/vconsole.conf and the /etc/localtime link.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault types;
  i18n = config.i18n;
  console = config.console;
  tz = config.time.timeZone;
in
{
  options = {
    i18n = {
      defaultLocale = mkOption {
        type = types.str;
        default = "en_US.UTF-8";
        example = "nl_NL.UTF-8";
        description = "The default locale. It determines the language for program messages, the format for dates and times, sort order, and so on.";
      };
      extraLocaleSettings = mkOption {
        type = types.attrsOf types.str;
        default = { };
        example = { LC_MESSAGES = "en_US.UTF-8"; LC_TIME = "de_DE.UTF-8"; };
        description = "A set of additional system-wide locale settings other than `LANG` which can be configured with {option}`i18n.defaultLocale`.";
      };
      supportedLocales = mkOption {
        type = types.listOf types.str;
        default = lib.unique (map (l: (lib.replaceStrings [ "utf8" "utf-8" "UTF8" ] [ "UTF-8" "UTF-8" "UTF-8" ] l) + "/UTF-8") ([ "C.UTF-8" "en_US.UTF-8" i18n.defaultLocale ] ++ lib.attrValues i18n.extraLocaleSettings));
        example = [ "en_US.UTF-8/UTF-8" "nl_NL.UTF-8/UTF-8" "nl_NL/ISO-8859-1" ];
        description = "List of locales that the system should support.";
      };
      glibcLocales = mkOption {
        type = types.path;
        default = pkgs.glibcLocales;
        defaultText = lib.literalExpression "pkgs.glibcLocales";
        description = "Customized pkg.glibcLocales package.";
      };
      inputMethod = {
        enable = lib.mkEnableOption "an additional input method type";
        type = mkOption { type = types.nullOr (types.enum [ "ibus" "fcitx5" "nabi" "uim" "hime" "kime" ]); default = null; description = "Select the enabled input method."; };
        fcitx5.addons = mkOption { type = types.listOf types.package; default = [ ]; description = "Enabled Fcitx5 addons."; };
        ibus.engines = mkOption { type = types.listOf types.package; default = [ ]; description = "Enabled IBus engines."; };
      };
    };
    console = {
      enable = mkOption { type = types.bool; default = true; description = "Whether to configure the console at boot."; };
      font = mkOption { type = types.nullOr (types.either types.str types.path); default = null; example = "LatArCyrHeb-16"; description = "The font used for the virtual consoles."; };
      keyMap = mkOption { type = types.either types.str types.path; default = "us"; example = "fr"; description = "The keyboard mapping table for the virtual consoles."; };
      colors = mkOption { type = types.listOf (types.strMatching "[[:xdigit:]]{6}"); default = [ ]; description = "The 16 colors palette used by the virtual consoles."; };
      packages = mkOption { type = types.listOf types.package; default = [ ]; description = "List of additional packages that provide console fonts, keymaps and other resources for virtual consoles use."; };
      useXkbConfig = mkOption { type = types.bool; default = false; description = "If set, configure the virtual console keymap from the xserver keyboard settings."; };
      earlySetup = mkOption { default = false; type = types.bool; description = "Enable setting virtual console options as early as possible (in initrd)."; };
    };
    time = {
      timeZone = mkOption {
        default = null;
        type = types.nullOr (types.addCheck types.str (s: !lib.hasInfix " " s));
        example = "America/New_York";
        description = "The time zone used when displaying times and dates.";
      };
      hardwareClockInLocalTime = mkOption { default = false; type = types.bool; description = "If set, keep the hardware clock in local time instead of UTC."; };
    };
    services.timesyncd = {
      enable = mkOption { default = !config.boot.isContainer; defaultText = lib.literalExpression "!config.boot.isContainer"; type = types.bool; description = "Enables the systemd NTP client daemon."; };
      servers = mkOption { default = config.networking.timeServers; defaultText = lib.literalExpression "config.networking.timeServers"; type = types.listOf types.str; description = "The set of NTP servers from which to synchronise."; };
    };
    services.automatic-timezoned.enable = lib.mkEnableOption "automatic-timezoned, a Linux daemon to automatically update the system timezone based on location";
  };

  config = {
    environment.etc."locale.conf".text = lib.concatStrings (lib.mapAttrsToList (n: v: "${n}=${v}\n") ({ LANG = i18n.defaultLocale; } // i18n.extraLocaleSettings));
    environment.sessionVariables = { LANG = i18n.defaultLocale; } // i18n.extraLocaleSettings;
    environment.systemPackages = [ i18n.glibcLocales ];

    environment.etc."vconsole.conf" = mkIf console.enable {
      text = "KEYMAP=${if console.useXkbConfig then config.services.xserver.xkb.layout else toString console.keyMap}\n" + lib.optionalString (console.font != null) "FONT=${toString console.font}\n";
    };
    systemd.services.systemd-vconsole-setup = mkIf console.enable {
      restartTriggers = [ config.environment.etc."vconsole.conf".source ];
      wantedBy = [ "sysinit.target" ];
    };

    environment.etc.localtime = mkIf (tz != null) {
      source = "/etc/zoneinfo/${tz}";
    };
    environment.etc.zoneinfo.source = "${pkgs.tzdata}/share/zoneinfo";
    systemd.globalEnvironment.TZDIR = "/etc/zoneinfo";
    environment.variables.TZDIR = "/etc/zoneinfo";

    systemd.services.systemd-timesyncd = mkIf config.services.timesyncd.enable {
      description = "Network Time Synchronization";
      wantedBy = [ "sysinit.target" ];
      restartTriggers = [ config.environment.etc."systemd/timesyncd.conf".source ];
      serviceConfig.ExecStart = "${config.systemd.package}/lib/systemd/systemd-timesyncd";
    };
    environment.etc."systemd/timesyncd.conf" = mkIf config.services.timesyncd.enable {
      text = "[Time]\nNTP=${lib.concatStringsSep " " config.services.timesyncd.servers}\n";
    };
  };
}
