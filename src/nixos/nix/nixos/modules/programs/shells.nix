# Login shells: bash (on by default), zsh, fish, xonsh. Enabling one installs it, lists
# it in /etc/shells and writes its system-wide startup files, which is what
# users.users.<name>.shell relies on (users-groups.nix checks it, as NixOS does).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkIf mkEnableOption mkMerge types;
  aliasesOpt = mkOption {
    default = { };
    type = types.attrsOf (types.nullOr (types.either types.str types.path));
    description = "Set of aliases for the shell. Aliases in {option}`environment.shellAliases` are added too.";
  };
  lines = description: mkOption { default = ""; type = types.lines; inherit description; };
  aliasText = set: lib.concatStrings (lib.mapAttrsToList (n: v: "alias -- ${n}=${lib.escapeShellArg v}\n") (lib.filterAttrs (_: v: v != null) set));
  zsh = config.programs.zsh;
  fish = config.programs.fish;
in
{
  options.programs = {
    bash = {
      enable = mkOption { type = types.bool; default = true; description = "Whenever to configure Bash as an interactive shell."; };
      completion.enable = mkOption { type = types.bool; default = true; description = "Enable Bash completion for all interactive bash shells."; };
      enableLsColors = mkOption { type = types.bool; default = true; description = "Enable extra colors in directory listings."; };
      shellAliases = aliasesOpt;
      shellInit = lines "Shell script code called during bash shell initialisation.";
      loginShellInit = lines "Shell script code called during login bash shell initialisation.";
      interactiveShellInit = lines "Shell script code called during interactive bash shell initialisation.";
      promptInit = mkOption {
        default = ''
          # Provide a nice prompt if the terminal supports it.
          if [ "$TERM" != "dumb" ] || [ -n "$INSIDE_EMACS" ]; then
            PROMPT_COLOR="1;31m"
            ((UID)) && PROMPT_COLOR="1;32m"
            PS1="\n\[\033[$PROMPT_COLOR\][\u@\h:\w]\\$\[\033[0m\] "
          fi
        '';
        type = types.lines;
        description = "Shell script code used to initialise the bash prompt.";
      };
    };
    zsh = {
      enable = mkEnableOption "zsh as an interactive shell" // { description = "Whether to configure zsh as an interactive shell. To enable zsh for a particular user you need to set users.users.<name>.shell = pkgs.zsh."; };
      enableCompletion = mkOption { default = true; type = types.bool; description = "Enable zsh completion for all interactive zsh shells."; };
      enableBashCompletion = mkOption { default = false; type = types.bool; description = "Enable compatibility with bash's programmable completion system."; };
      enableGlobalCompInit = mkOption { default = zsh.enableCompletion; type = types.bool; description = "Enable execution of compinit call for all interactive zsh shells."; };
      autosuggestions.enable = mkEnableOption "zsh-autosuggestions";
      syntaxHighlighting.enable = mkEnableOption "zsh-syntax-highlighting";
      ohMyZsh = {
        enable = mkEnableOption "oh-my-zsh";
        plugins = mkOption { default = [ ]; type = types.listOf types.str; description = "List of oh-my-zsh plugins"; };
        theme = mkOption { default = ""; type = types.str; description = "Name of the theme to be used by oh-my-zsh."; };
        custom = mkOption { default = null; type = types.nullOr types.str; description = "Path to a custom oh-my-zsh package to override config of oh-my-zsh."; };
      };
      histSize = mkOption { default = 2000; type = types.int; description = "Change history size."; };
      histFile = mkOption { default = "$HOME/.zsh_history"; type = types.str; description = "Change history file."; };
      setOptions = mkOption { type = types.listOf types.str; default = [ "HIST_IGNORE_DUPS" "SHARE_HISTORY" "HIST_FCNTL_LOCK" ]; description = "Configure zsh options."; };
      shellAliases = aliasesOpt;
      shellInit = lines "Shell script code called during zsh shell initialisation.";
      loginShellInit = lines "Shell script code called during zsh login shell initialisation.";
      interactiveShellInit = lines "Shell script code called during interactive zsh shell initialisation.";
      promptInit = lines "Shell script code used to initialise the zsh prompt.";
    };
    fish = {
      enable = mkEnableOption "fish" // { description = "Whether to configure fish as an interactive shell."; };
      package = mkOption { type = types.package; default = pkgs.fish; defaultText = lib.literalExpression "pkgs.fish"; description = "The fish package to use."; };
      vendor.config.enable = mkOption { type = types.bool; default = true; description = "Whether fish should source configuration snippets provided by other packages."; };
      vendor.completions.enable = mkOption { type = types.bool; default = true; description = "Whether fish should use completion files provided by other packages."; };
      useBabelfish = mkOption { type = types.bool; default = false; description = "If enabled, the configured environment will be translated to native fish using babelfish."; };
      shellAliases = aliasesOpt;
      shellAbbrs = mkOption { default = { }; type = types.attrsOf types.str; description = "Set of fish abbreviations."; };
      shellInit = lines "Shell script code called during fish shell initialisation.";
      loginShellInit = lines "Shell script code called during fish login shell initialisation.";
      interactiveShellInit = lines "Shell script code called during interactive fish shell initialisation.";
      promptInit = lines "Shell script code used to initialise fish prompt.";
    };
    xonsh = {
      enable = mkEnableOption "xonsh" // { description = "Whether to configure xonsh as an interactive shell."; };
      config = lines "Control file to customize your shell behavior.";
    };
  };

  config = mkMerge [
    (mkIf config.programs.bash.completion.enable { environment.systemPackages = [ pkgs.bash-completion pkgs.nix-bash-completions ]; })
    (mkIf zsh.enable {
      environment.systemPackages = [ pkgs.zsh ] ++ lib.optional zsh.enableCompletion pkgs.nix-zsh-completions
        ++ lib.optional zsh.ohMyZsh.enable pkgs.oh-my-zsh;
      environment.shells = [ "/run/current-system/sw/bin/zsh" "${pkgs.zsh}/bin/zsh" ];
      environment.etc.zshenv.text = ''
        # /etc/zshenv: DO NOT EDIT -- this file has been generated automatically.
        if [ -n "''${__ETC_ZSHENV_SOURCED-}" ]; then return; fi
        __ETC_ZSHENV_SOURCED=1
        if [ -z "''${__NIXOS_SET_ENVIRONMENT_DONE-}" ]; then
            . /etc/set-environment
        fi
        ${config.environment.shellInit}
        ${zsh.shellInit}
      '';
      environment.etc.zprofile.text = ''
        # /etc/zprofile: DO NOT EDIT -- this file has been generated automatically.
        if [ -n "''${__ETC_ZPROFILE_SOURCED-}" ]; then return; fi
        __ETC_ZPROFILE_SOURCED=1
        ${config.environment.loginShellInit}
        ${zsh.loginShellInit}
      '';
      environment.etc.zshrc.text = ''
        # /etc/zshrc: DO NOT EDIT -- this file has been generated automatically.
        if [ -n "$__ETC_ZSHRC_SOURCED" -o -n "$NOSYSZSHRC" ]; then return; fi
        __ETC_ZSHRC_SOURCED=1
        SAVEHIST=${toString zsh.histSize}
        HISTSIZE=${toString zsh.histSize}
        HISTFILE=${zsh.histFile}
        ${lib.concatMapStrings (o: "setopt ${o}\n") zsh.setOptions}
        ${lib.optionalString zsh.enableGlobalCompInit "autoload -U compinit && compinit"}
        ${lib.optionalString zsh.ohMyZsh.enable "export ZSH=${pkgs.oh-my-zsh}/share/oh-my-zsh\nplugins=(${lib.concatStringsSep " " zsh.ohMyZsh.plugins})\nZSH_THEME=\"${zsh.ohMyZsh.theme}\"\nsource $ZSH/oh-my-zsh.sh"}
        ${lib.optionalString zsh.autosuggestions.enable "source ${pkgs.zsh-autosuggestions}/share/zsh-autosuggestions/zsh-autosuggestions.zsh"}
        ${config.environment.interactiveShellInit}
        ${zsh.interactiveShellInit}
        ${aliasText (config.environment.shellAliases // zsh.shellAliases)}
        ${zsh.promptInit}
        ${lib.optionalString zsh.syntaxHighlighting.enable "source ${pkgs.zsh-syntax-highlighting}/share/zsh-syntax-highlighting/zsh-syntax-highlighting.zsh"}
      '';
    })
    (mkIf fish.enable {
      environment.systemPackages = [ fish.package ];
      environment.shells = [ "/run/current-system/sw/bin/fish" "${fish.package}/bin/fish" ];
      environment.etc."fish/config.fish".text = ''
        # /etc/fish/config.fish: DO NOT EDIT -- this file has been generated automatically.
        set fish_function_path $fish_function_path ${fish.package}/share/fish/functions
        ${fish.shellInit}
        status is-login; and begin
          ${fish.loginShellInit}
        end
        status is-interactive; and begin
          ${lib.concatStrings (lib.mapAttrsToList (n: v: "abbr -ag ${n} ${lib.escapeShellArg v}\n") fish.shellAbbrs)}
          ${aliasText (config.environment.shellAliases // fish.shellAliases)}
          ${fish.interactiveShellInit}
          ${fish.promptInit}
        end
      '';
    })
    (mkIf config.programs.xonsh.enable {
      environment.systemPackages = [ pkgs.xonsh ];
      environment.shells = [ "/run/current-system/sw/bin/xonsh" "${pkgs.xonsh}/bin/xonsh" ];
      environment.etc.xonshrc.text = config.programs.xonsh.config;
    })
  ];
}
