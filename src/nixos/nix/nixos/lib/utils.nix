# Helpers shared by the embedded NixOS modules (the module argument `utils`, as in
# NixOS), plus the one constructor of derivations tsnix assembles itself: `mkTree`.
#
# A tree is a directory described completely by data — text files, symlinks, empty
# directories — so the realiser (src/nixos/realise.ts) can produce it without running
# anything. The etc tree, the system profile, unit directories and the kernel module
# tree are all trees; only the toplevel needs a builder of its own.
{ lib, pkgs }:
let
  system = pkgs.stdenv.hostPlatform.system;
in
rec {
  mkTree =
    name:
    {
      files ? { },
      links ? { },
      dirs ? [ ],
    }:
    derivation {
      inherit name system;
      builder = "/bin/sh";
      args = [
        "-c"
        "echo '${name}: assembled natively by tsnix (src/nixos/realise.ts), it has no shell builder' >&2; exit 1"
      ];
      tsnixBuilder = "tree";
      tsnixTree = builtins.toJSON { inherit files links dirs; };
      preferLocalBuild = true;
      allowSubstitutes = false;
    };

  # A shell for /etc/passwd: packages name their shell, strings are taken literally.
  toShellPath =
    shell:
    if lib.isDerivation shell then
      "/run/current-system/sw${shell.shellPath or "/bin/${shell.pname or "sh"}"}"
    else
      toString shell;

  # systemd-escape --path
  escapeSystemdPath =
    s:
    let
      trimmed = lib.removeSuffix "/" (lib.removePrefix "/" s);
    in
    if trimmed == "" then "-"
    else lib.replaceStrings [ "/" "-" " " ] [ "-" "\\x2d" "\\x20" ] trimmed;

  binPath = pkgs': lib.concatMapStringsSep ":" (p: "${p}/bin") pkgs';

  # A Nix value as it appears on the right of `Key=` in a unit file.
  toUnitValue = x: if x == true then "true" else if x == false then "false" else toString x;

  attrsToSection =
    as:
    lib.concatStrings (
      lib.concatLists (
        lib.mapAttrsToList (name: value: map (x: "${name}=${toUnitValue x}\n") (if builtins.isList value then value else [ value ])) as
      )
    );
}
