# Fonts, XDG portals and MIME, documentation switches, automatic upgrades: small
# modules desktop configurations name.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkEnableOption mkMerge types;
  fonts = config.fonts;
in
{
  imports = [ (lib.mkRenamedOptionModule [ "fonts" "fonts" ] [ "fonts" "packages" ]) (lib.mkRenamedOptionModule [ "fonts" "enableDefaultFonts" ] [ "fonts" "enableDefaultPackages" ]) ];

  options = {
    fonts = {
      packages = mkOption { type = types.listOf types.path; default = [ ]; example = lib.literalExpression "[ pkgs.dejavu_fonts ]"; description = "List of primary font packages."; };
      enableDefaultPackages = mkOption { type = types.bool; default = false; description = "Enable a basic set of fonts providing several styles and families and reasonable coverage of Unicode."; };
      fontDir.enable = mkOption { type = types.bool; default = false; description = "Whether to create a directory with links to all fonts in {file}`/run/current-system/sw/share/X11/fonts`."; };
      fontconfig = {
        enable = mkOption { type = types.bool; default = true; description = "If enabled, a Fontconfig configuration file will be built pointing to a set of default fonts."; };
        antialias = mkOption { type = types.bool; default = true; description = "Enable font antialiasing."; };
        defaultFonts = {
          serif = mkOption { type = types.listOf types.str; default = [ "DejaVu Serif" ]; description = "System-wide default serif font(s)."; };
          sansSerif = mkOption { type = types.listOf types.str; default = [ "DejaVu Sans" ]; description = "System-wide default sans serif font(s)."; };
          monospace = mkOption { type = types.listOf types.str; default = [ "DejaVu Sans Mono" ]; description = "System-wide default monospace font(s)."; };
          emoji = mkOption { type = types.listOf types.str; default = [ "Noto Color Emoji" ]; description = "System-wide default emoji font(s)."; };
        };
        hinting.enable = mkOption { type = types.bool; default = true; description = "Enable font hinting."; };
        subpixel.rgba = mkOption { type = types.enum [ "rgb" "bgr" "vrgb" "vbgr" "none" ]; default = "none"; description = "Subpixel order."; };
      };
    };
    xdg = {
      portal = {
        enable = mkEnableOption "[xdg desktop integration](https://github.com/flatpak/xdg-desktop-portal)";
        extraPortals = mkOption { type = types.listOf types.package; default = [ ]; description = "List of additional portals to add to path."; };
        xdgOpenUsePortal = mkOption { type = types.bool; default = false; description = "Sets environment variable `NIXOS_XDG_OPEN_USE_PORTAL` to `1`."; };
        config = mkOption { type = types.attrsOf (types.attrsOf (types.either types.str (types.listOf types.str))); default = { }; description = "Sets which portal backend should be used to provide the implementation for the requested interface."; };
        wlr.enable = mkEnableOption "desktop portal for wlroots-based desktops";
      };
      mime = {
        enable = mkOption { type = types.bool; default = true; description = "Whether to install files to support the [XDG Shared MIME-info specification](https://specifications.freedesktop.org/shared-mime-info-spec/shared-mime-info-spec-latest.html)."; };
        defaultApplications = mkOption { type = types.attrsOf (types.either types.str (types.listOf types.str)); default = { }; description = "Adds associations between mimetypes and applications."; };
      };
      autostart.enable = mkOption { type = types.bool; default = true; description = "Whether to install files to support the [XDG Autostart specification](https://specifications.freedesktop.org/autostart-spec/autostart-spec-latest.html)."; };
      icons.enable = mkOption { type = types.bool; default = true; description = "Whether to install files to support the [XDG Icon Theme specification](https://specifications.freedesktop.org/icon-theme-spec/icon-theme-spec-latest.html)."; };
    };
    documentation = {
      enable = mkOption { type = types.bool; default = true; description = "Whether to install documentation of packages from {option}`environment.systemPackages` into the generated system path."; };
      man.enable = mkOption { type = types.bool; default = true; description = "Whether to install manual pages."; };
      info.enable = mkOption { type = types.bool; default = true; description = "Whether to install info pages and the {command}`info` command."; };
      doc.enable = mkOption { type = types.bool; default = true; description = "Whether to install documentation distributed in packages' `/share/doc`."; };
      dev.enable = mkOption { type = types.bool; default = false; description = "Whether to install documentation targeted at developers."; };
      nixos.enable = mkOption { type = types.bool; default = true; description = "Whether to install NixOS's own documentation."; };
    };
    system.autoUpgrade = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to periodically upgrade NixOS to the latest version."; };
      operation = mkOption { type = types.enum [ "switch" "boot" ]; default = "switch"; description = "Whether to run `nixos-rebuild switch` or run `nixos-rebuild boot`"; };
      flake = mkOption { type = types.nullOr types.str; default = null; description = "The Flake URI of the NixOS configuration to build."; };
      channel = mkOption { type = types.nullOr types.str; default = null; description = "The URI of the NixOS channel to use for automatic upgrades."; };
      flags = mkOption { type = types.listOf types.str; default = [ ]; description = "Any additional flags passed to {command}`nixos-rebuild`."; };
      dates = mkOption { type = types.str; default = "04:40"; description = "How often or when upgrade occurs."; };
      allowReboot = mkOption { default = false; type = types.bool; description = "Reboot the system into the new generation instead of a switch if the new generation uses a different kernel, kernel modules or initrd than the booted system."; };
    };
    environment.extraInit = mkOption { default = ""; type = types.lines; description = "Shell script code called during global environment initialisation after all variables and profileVariables have been set."; };
  };

  config = mkMerge [
    (mkIf fonts.enableDefaultPackages { fonts.packages = with pkgs; [ dejavu_fonts liberation_ttf noto-fonts-color-emoji ]; })
    (mkIf fonts.fontconfig.enable {
      environment.etc."fonts/conf.d/52-nixos-default-fonts.conf".text = ''
        <?xml version='1.0'?>
        <!DOCTYPE fontconfig SYSTEM 'urn:fontconfig:fonts.dtd'>
        <fontconfig>
        ${lib.concatStrings (lib.mapAttrsToList (family: fs: "  <alias binding=\"same\"><family>${if family == "sansSerif" then "sans-serif" else family}</family><prefer>${lib.concatMapStrings (f: "<family>${f}</family>") fs}</prefer></alias>\n") fonts.fontconfig.defaultFonts)}
        </fontconfig>
      '';
      environment.etc."fonts/font-dirs.conf".text = lib.concatMapStrings (f: "${f}\n") fonts.packages;
    })
    (mkIf config.xdg.portal.enable {
      environment.systemPackages = [ pkgs.xdg-desktop-portal ] ++ config.xdg.portal.extraPortals ++ lib.optional config.xdg.portal.wlr.enable pkgs.xdg-desktop-portal-wlr;
      environment.sessionVariables = lib.optionalAttrs config.xdg.portal.xdgOpenUsePortal { NIXOS_XDG_OPEN_USE_PORTAL = "1"; };
    })
    (mkIf (config.documentation.enable && config.documentation.man.enable) { environment.systemPackages = [ pkgs.man-db ]; })
    (mkIf config.system.autoUpgrade.enable {
      systemd.services.nixos-upgrade = {
        description = "NixOS Upgrade";
        restartIfChanged = false;
        unitConfig.X-StopOnRemoval = false;
        startAt = config.system.autoUpgrade.dates;
        serviceConfig = { Type = "oneshot"; ExecStart = "${pkgs.nixos-rebuild-ng}/bin/nixos-rebuild ${config.system.autoUpgrade.operation} ${lib.optionalString (config.system.autoUpgrade.flake != null) "--flake ${config.system.autoUpgrade.flake}"} ${lib.concatStringsSep " " config.system.autoUpgrade.flags}"; };
      };
    })
  ];
}
