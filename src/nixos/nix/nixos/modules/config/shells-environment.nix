# The shell environment of all users: `environment.variables`, `sessionVariables`,
# `shellAliases`, `shellInit`/`loginShellInit`/`interactiveShellInit`,
# `environment.shells`, rendered to /etc/set-environment, /etc/profile, /etc/bashrc
# and /etc/shells as NixOS does (variables exported in name order, list values joined
# with `:`).
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkDefault mkIf types;
  cfg = config.environment;
  varType = types.attrsOf (types.oneOf [ (types.listOf (types.oneOf [ types.int types.str types.path ])) types.int types.str types.path ]);
  joinVar = v: if builtins.isList v then lib.concatMapStringsSep ":" toString v else toString v;
  exportLines = vars: lib.concatStrings (lib.mapAttrsToList (n: v: "export ${n}=${builtins.toJSON (joinVar v)}\n") vars);
  aliasLines = aliases: lib.concatStrings (lib.mapAttrsToList (n: v: "alias -- ${n}=${lib.escapeShellArg v}\n") (lib.filterAttrs (_: v: v != null) aliases));
in
{
  options.environment = {
    variables = mkOption {
      default = { };
      example = { EDITOR = "nvim"; VISUAL = "nvim"; };
      type = varType;
      apply = lib.mapAttrs (_: joinVar);
      description = ''
        A set of environment variables used in the global environment. The value of
        each variable can be either a string or a list of strings; a list is
        concatenated with `:`.
      '';
    };
    sessionVariables = mkOption {
      default = { };
      type = varType;
      apply = lib.mapAttrs (_: joinVar);
      description = "A set of environment variables used in the global environment, also set by PAM early in the login process.";
    };
    profileRelativeSessionVariables = mkOption {
      type = types.attrsOf (types.listOf types.str);
      default = { };
      description = "Attribute set of environment variable used in the global environment, relative to each profile.";
    };
    shellAliases = mkOption {
      example = { l = null; ll = "ls -l"; };
      type = types.attrsOf (types.nullOr (types.either types.str types.path));
      description = "An attribute set that maps aliases (the top level attribute names in this option) to command strings or directly to build outputs.";
    };
    shellInit = mkOption { default = ""; type = types.lines; description = "Shell script code called during shell initialisation."; };
    loginShellInit = mkOption { default = ""; type = types.lines; description = "Shell script code called during login shell initialisation."; };
    interactiveShellInit = mkOption { default = ""; type = types.lines; description = "Shell script code called during interactive shell initialisation."; };
    shells = mkOption {
      default = [ ];
      example = lib.literalExpression "[ pkgs.bashInteractive pkgs.zsh ]";
      type = types.listOf (types.either types.shellPackage types.path);
      description = "A list of permissible login shells for user accounts.";
    };
    binsh = mkOption {
      default = "${config.system.build.binsh}/bin/sh";
      defaultText = lib.literalExpression ''"''${config.system.build.binsh}/bin/sh"'';
      type = types.path;
      visible = false;
      description = "The shell executable that is linked system-wide to `/bin/sh`.";
    };
    homeBinInPath = mkOption { type = types.bool; default = false; description = "Include ~/bin/ in $PATH."; };
    localBinInPath = mkOption { type = types.bool; default = false; description = "Add ~/.local/bin/ to $PATH"; };
    enableAllTerminfo = mkOption { type = types.bool; default = false; description = "Whether to install all terminfo outputs."; };
    wordlist.enable = mkOption { type = types.bool; default = false; description = "Whether to set the WORDLIST environment variable."; };
  };

  config = {
    system.build.binsh = pkgs.bashInteractive;

    environment.shellAliases = lib.mapAttrs (_: mkDefault) {
      ls = "ls --color=tty";
      ll = "ls -l";
      l = "ls -alh";
    };
    environment.variables = {
      PAGER = mkDefault "less";
      EDITOR = lib.mkOverride 1000 "nano";
      LOCALE_ARCHIVE = "/run/current-system/sw/lib/locale/locale-archive";
      XDG_CONFIG_DIRS = [ "/etc/xdg" ];
      NIXPKGS_CONFIG = "/etc/nix/nixpkgs-config.nix";
    };
    environment.shells = [ "/run/current-system/sw/bin/bash" "/run/current-system/sw/bin/sh" "${pkgs.bashInteractive}/bin/bash" "${pkgs.bashInteractive}/bin/sh" ];

    environment.etc."set-environment".text = ''
      # DO NOT EDIT -- this file has been generated automatically.

      # Prevent this file from being sourced by child shells.
      export __NIXOS_SET_ENVIRONMENT_DONE=1

      export PATH=${lib.optionalString cfg.homeBinInPath "$HOME/bin:"}${lib.optionalString cfg.localBinInPath "$HOME/.local/bin:"}$HOME/.nix-profile/bin:/nix/profile/bin:$HOME/.local/state/nix/profile/bin:/etc/profiles/per-user/$USER/bin:/nix/var/nix/profiles/default/bin:/run/current-system/sw/bin
      ${exportLines (cfg.sessionVariables // cfg.variables)}
    '';
    environment.etc.profile.text = ''
      # /etc/profile: DO NOT EDIT -- this file has been generated automatically.
      # This file is read for login shells.

      # Only execute this file once per shell.
      if [ -n "$__ETC_PROFILE_SOURCED" ]; then return; fi
      __ETC_PROFILE_SOURCED=1

      # Prevent this file from being sourced by interactive non-login child shells.
      export __ETC_PROFILE_DONE=1

      if [ -z "$__NIXOS_SET_ENVIRONMENT_DONE" ]; then
          . /etc/set-environment
      fi
      ${cfg.shellInit}
      ${cfg.loginShellInit}

      # Read system-wide modifications.
      if test -f /etc/profile.local; then
          . /etc/profile.local
      fi

      if [ -n "''${BASH_VERSION:-}" ]; then
          . /etc/bashrc
      fi
    '';
    environment.etc.bashrc.text = ''
      # /etc/bashrc: DO NOT EDIT -- this file has been generated automatically.

      # Only execute this file once per shell.
      if [ -n "$__ETC_BASHRC_SOURCED" ] || [ -n "$NOSYSBASHRC" ]; then return; fi
      __ETC_BASHRC_SOURCED=1

      # If the profile was not loaded in a parent process, source
      # it.  But otherwise don't do it because we don't want to
      # clobber overridden values of $PATH, etc.
      if [ -z "$__ETC_PROFILE_DONE" ]; then
          . /etc/profile
      fi

      # We are not always an interactive shell.
      if [ -n "$PS1" ]; then
          ${cfg.interactiveShellInit}
          ${config.programs.bash.interactiveShellInit}
          ${aliasLines (cfg.shellAliases // config.programs.bash.shellAliases)}
          ${config.programs.bash.promptInit}
      fi
    '';
    environment.etc.shells.text = lib.concatMapStrings (s: "${if lib.isDerivation s then "${s}${s.shellPath}" else toString s}\n") cfg.shells;
  };
}
