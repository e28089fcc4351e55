# Other hardware switches: Bluetooth, scanners, the Steam controller udev rules, and
# a few device groups.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkEnableOption mkMerge types;
  bt = config.hardware.bluetooth;
in
{
  options.hardware = {
    bluetooth = {
      enable = mkEnableOption "support for Bluetooth";
      package = mkOption { type = types.package; default = pkgs.bluez; defaultText = lib.literalExpression "pkgs.bluez"; description = "Which BlueZ package to use."; };
      powerOnBoot = mkOption { type = types.bool; default = true; description = "Whether to power up the default Bluetooth controller on boot."; };
      settings = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; description = "Set configuration for system-wide bluetooth (/etc/bluetooth/main.conf)."; };
    };
    sane = {
      enable = mkEnableOption "support for SANE scanners";
      extraBackends = mkOption { type = types.listOf types.path; default = [ ]; description = "Packages providing extra SANE backends to enable."; };
    };
    steam-hardware.enable = mkEnableOption "udev rules for Steam hardware such as the Steam Controller, other supported controllers and the HTC Vive";
    uinput.enable = mkEnableOption "uinput support";
    i2c.enable = mkEnableOption "i2c devices support. By default access is granted to users in the \"i2c\" group";
    xone.enable = mkEnableOption "the xone driver for Xbox One and Xbox Series X|S accessories";
    xpadneo.enable = mkEnableOption "the xpadneo driver for Xbox One wireless controllers";
    keyboard.qmk.enable = mkEnableOption "non-root access to the firmware of QMK keyboards";
    opentabletdriver.enable = mkEnableOption "OpenTabletDriver udev rules, user service and blacklist kernel modules";
    logitech.wireless.enable = mkEnableOption "support for Logitech Wireless Devices";
    logitech.wireless.enableGraphical = mkEnableOption "graphical support applications for Logitech Wireless Devices";
    acpilight.enable = mkEnableOption "acpilight";
  };

  config = mkMerge [
    (mkIf bt.enable {
      environment.systemPackages = [ bt.package ];
      environment.etc."bluetooth/main.conf".text = lib.generators.toINI { } (lib.recursiveUpdate { Policy.AutoEnable = bt.powerOnBoot; } bt.settings);
      services.dbus.packages = [ bt.package ];
      systemd.services.bluetooth = {
        description = "Bluetooth service";
        wantedBy = [ "bluetooth.target" ];
        aliases = [ "dbus-org.bluez.service" ];
        restartTriggers = [ config.environment.etc."bluetooth/main.conf".source ];
        serviceConfig = { Type = "dbus"; BusName = "org.bluez"; ExecStart = "${bt.package}/libexec/bluetooth/bluetoothd -f /etc/bluetooth/main.conf"; };
      };
      systemd.targets.bluetooth.wantedBy = [ "multi-user.target" ];
    })
    (mkIf config.hardware.sane.enable {
      environment.systemPackages = [ pkgs.sane-backends ];
      users.groups.scanner.gid = 59;
    })
    (mkIf config.hardware.uinput.enable { boot.kernelModules = [ "uinput" ]; users.groups.uinput = { }; })
    (mkIf config.hardware.i2c.enable { boot.kernelModules = [ "i2c-dev" ]; users.groups.i2c = { }; })
    (mkIf config.hardware.xone.enable { boot.extraModulePackages = [ config.boot.kernelPackages.xone ]; })
  ];
}
