# Statically allocated user and group ids of NixOS (a subset of nixos/modules/misc/ids.nix).
{ lib, ... }:
{
  options.ids = {
    uids = lib.mkOption {
      internal = true;
      type = lib.types.attrsOf lib.types.int;
      description = "The user IDs used in NixOS.";
    };
    gids = lib.mkOption {
      internal = true;
      type = lib.types.attrsOf lib.types.int;
      description = "The group IDs used in NixOS.";
    };
  };
  config.ids.uids = {
    root = 0;
    messagebus = 4;
    polkituser = 28;
    avahi = 10;
    lp = 7;
    sddm = 175;
    gdm = 132;
    lightdm = 66;
    postgres = 71;
    nginx = 60;
    sshd = 40;
    rtkit = 45;
    systemd-timesync = 154;
    nscd = 191;
    pipewire = 288;
    nixbld = 30000;
    nobody = 65534;
  };
  config.ids.gids = {
    root = 0;
    wheel = 1;
    kmem = 2;
    tty = 3;
    messagebus = 4;
    disk = 6;
    audio = 17;
    floppy = 18;
    uucp = 19;
    lp = 20;
    cdrom = 24;
    tape = 25;
    video = 26;
    dialout = 27;
    polkituser = 28;
    utmp = 29;
    avahi = 10;
    networkmanager = 57;
    sddm = 175;
    gdm = 132;
    lightdm = 67;
    postgres = 71;
    nginx = 60;
    adm = 55;
    systemd-journal = 62;
    keys = 96;
    users = 100;
    input = 174;
    kvm = 302;
    render = 303;
    sgx = 304;
    shadow = 318;
    docker = 131;
    pipewire = 288;
    nixbld = 30000;
    nogroup = 65534;
  };
}
