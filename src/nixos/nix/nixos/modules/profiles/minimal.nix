# A profile with most (vanilla) hardware support and documentation removed.
{ lib, ... }:
{
  documentation.enable = lib.mkDefault false;
  documentation.nixos.enable = lib.mkDefault false;
  programs.command-not-found.enable = lib.mkDefault false;
  xdg.autostart.enable = lib.mkDefault false;
  xdg.icons.enable = lib.mkDefault false;
  xdg.mime.enable = lib.mkDefault false;
}
