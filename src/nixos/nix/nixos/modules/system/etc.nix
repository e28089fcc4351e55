# `environment.etc`: the files of /etc. Each text entry becomes its own store file
# (as in NixOS), so a file whose content does not change keeps its store path from
# one generation to the next — the switch planner compares such paths (e.g.
# /etc/systemd/system.conf decides whether systemd is re-executed). The etc tree
# (`system.build.etc`) is a directory of links to those files, and the activation
# description lists every entry with its mode.
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkDefault mkIf types;

  etcEntries = lib.filter (f: f.enable) (lib.attrValues config.environment.etc);

  etcTree = utils.mkTree "etc" {
    links = lib.listToAttrs (map (e: lib.nameValuePair "etc/${e.target}" "${e.source}") etcEntries);
    dirs = [ "etc" ];
  };
in
{
  options.environment.etc = mkOption {
    default = { };
    example = lib.literalExpression ''
      { example-configuration-file =
          { source = "/nix/store/.../etc/dir/file.conf.example";
            mode = "0440";
          };
        "default/useradd".text = "GROUP=100 ...";
      }
    '';
    description = "Set of files that have to be linked in {file}`/etc`.";
    type = types.attrsOf (
      types.submodule (
        { name, config, options, ... }:
        {
          options = {
            enable = mkOption {
              type = types.bool;
              default = true;
              description = "Whether this /etc file should be generated.";
            };
            target = mkOption {
              type = types.str;
              description = "Name of symlink (relative to {file}`/etc`). Defaults to the attribute name.";
            };
            text = mkOption {
              default = null;
              type = types.nullOr types.lines;
              description = "Text of the file.";
            };
            source = mkOption {
              type = types.path;
              description = "Path of the source file.";
            };
            mode = mkOption {
              type = types.str;
              default = "symlink";
              example = "0600";
              description = ''
                If set to something else than `symlink`, the file is copied instead of
                symlinked, with the given file mode.
              '';
            };
            uid = mkOption {
              default = 0;
              type = types.int;
              description = "UID of created file. Only takes effect when the file is copied.";
            };
            gid = mkOption {
              default = 0;
              type = types.int;
              description = "GID of created file. Only takes effect when the file is copied.";
            };
            user = mkOption {
              default = "+${toString config.uid}";
              type = types.str;
              description = "User name of file owner. Only takes effect when the file is copied.";
            };
            group = mkOption {
              default = "+${toString config.gid}";
              type = types.str;
              description = "Group name of file owner. Only takes effect when the file is copied.";
            };
          };
          config = {
            target = mkDefault name;
            source = mkIf (config.text != null) (
              let
                base = builtins.baseNameOf name;
                # Store path names allow only a restricted alphabet; NixOS would fail on others.
                safe = lib.replaceStrings [ " " ] [ "-" ] base;
              in
              mkDefault (pkgs.writeText "etc-${safe}" config.text)
            );
          };
        }
      )
    );
  };

  options.system.build.etcEntries = mkOption {
    internal = true;
    type = types.unspecified;
    description = "The enabled environment.etc entries, as the activation sees them.";
  };

  config = {
    system.build.etc = etcTree;
    system.build.etcEntries = map (e: {
      inherit (e) target mode user group;
    }) etcEntries;
  };
}
