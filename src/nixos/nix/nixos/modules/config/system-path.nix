# `environment.systemPackages` and the system profile (`system.path`, linked as `sw`
# in the toplevel and as /run/current-system/sw). NixOS's profile is a buildEnv that
# merges the packages' trees; tsnix has the packages' names but not their contents,
# so the profile links each package's declared programs (`bin/<program>` → the
# package's unbuilt output) and lists the packages in a note. The base packages every
# NixOS system has (coreutils, bash, …) are added as NixOS adds them.
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption types;
  requiredPackages = map (pkg: lib.setPrio ((pkg.meta.priority or 5) + 3) pkg) [
    pkgs.acl pkgs.attr pkgs.bashInteractive pkgs.bzip2 pkgs.coreutils-full pkgs.cpio pkgs.curl
    pkgs.diffutils pkgs.findutils pkgs.gawk pkgs.getent pkgs.gnugrep pkgs.gnupatch pkgs.gnused
    pkgs.gnutar pkgs.gzip pkgs.xz pkgs.less pkgs.libcap pkgs.ncurses pkgs.netcat pkgs.mkpasswd
    pkgs.procps pkgs.shadow pkgs.time pkgs.util-linux pkgs.which pkgs.zstd pkgs.kmod pkgs.kbd
  ];
  defaultPackages = map (pkg: lib.setPrio ((pkg.meta.priority or 5) + 3) pkg) [ pkgs.perl pkgs.rsync pkgs.strace ];

  packages = lib.unique config.environment.systemPackages;
  # First package wins a program name, as buildEnv with ignoreCollisions does.
  binLinks = builtins.foldl' (
    acc: pkg:
    acc // lib.listToAttrs (
      map (b: lib.nameValuePair "bin/${b}" "${pkg}/bin/${b}") (lib.filter (b: !(acc ? "bin/${b}")) (pkg.tsnixBins or [ ]))
    )
  ) { } (lib.reverseList packages);
in
{
  options = {
    environment.systemPackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      example = lib.literalExpression "[ pkgs.firefox pkgs.thunderbird ]";
      description = ''
        The set of packages that appear in /run/current-system/sw. These packages are
        automatically available to all users, and are automatically updated every time
        you rebuild the system configuration.
      '';
    };
    environment.defaultPackages = mkOption {
      type = types.listOf types.package;
      default = defaultPackages;
      defaultText = lib.literalExpression "[ pkgs.perl pkgs.rsync pkgs.strace ]";
      description = "Set of default packages that aren't strictly necessary for a running system.";
    };
    environment.corePackages = mkOption {
      type = types.listOf types.package;
      default = requiredPackages;
      internal = true;
      description = "Set of core packages for a normal interactive system.";
    };
    environment.pathsToLink = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "/" ];
      description = "List of directories to be symlinked in {file}`/run/current-system/sw`.";
    };
    environment.extraOutputsToInstall = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "dev" "info" ];
      description = "Entries listed here will be appended to the `meta.outputsToInstall` attribute for each package in `environment.systemPackages`.";
    };
    environment.extraSetup = mkOption {
      type = types.lines;
      default = "";
      description = "Shell fragments to be run after the system environment has been created.";
    };
    system.path = mkOption {
      internal = true;
      description = "The packages you want in the boot environment.";
    };
  };

  config = {
    environment.systemPackages = config.environment.corePackages ++ config.environment.defaultPackages;
    environment.pathsToLink = [ "/bin" "/etc/xdg" "/etc/gtk-2.0" "/etc/gtk-3.0" "/lib" "/sbin" "/share/emacs" "/share/hunspell" "/share/org" "/share/themes" "/share/vulkan" "/share/kservices5" "/share/kservicetypes5" "/share/kxmlgui5" "/share/systemd" "/share/thumbnailers" ];

    system.path = utils.mkTree "system-path" {
      links = binLinks;
      files."share/tsnix/packages".text = lib.concatMapStrings (p: "${p}\n") packages;
      files."README.tsnix".text = ''
        tsnix: this is the system profile of a NixOS system (/run/current-system/sw).
        NixOS merges the trees of the packages listed in share/tsnix/packages here.
        tsnix has not built those packages: bin/ links each package's programs to where
        the package's store path would provide them.
      '';
    };
  };
}
