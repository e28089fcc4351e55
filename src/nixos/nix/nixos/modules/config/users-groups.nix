# Users and groups with NixOS's semantics: `isNormalUser` implies the `users` group,
# `/home/<name>`, a created home and the default shell; `extraGroups` become group
# memberships; the result is the same JSON spec that NixOS hands to
# update-users-groups.pl, which is what the system layer's activation consumes.
# NixOS's own checks on accounts are here too, with its messages.
{ config, lib, pkgs, utils, ... }:
let
  inherit (lib) mkOption mkDefault mkIf types;
  cfg = config.users;
  ids = config.ids;

  passwordDescription = ''
    The options {option}`hashedPassword`, {option}`password` and
    {option}`hashedPasswordFile` control what password is set for the user.
  '';

  userOpts =
    { name, config, ... }:
    {
      options = {
        enable = mkOption {
          type = types.bool;
          default = true;
          description = "If set to false, the user account will not be created.";
        };
        name = mkOption {
          type = types.passwdEntry types.str;
          apply = x: assert (builtins.stringLength x < 32 || abort "Username '${x}' is longer than 31 characters which is not allowed!"); x;
          description = "The name of the user account. If undefined, the name of the attribute set will be used.";
        };
        description = mkOption {
          type = types.passwdEntry types.str;
          default = "";
          example = "Alice Q. User";
          description = "A short description of the user account, typically the user's full name.";
        };
        uid = mkOption {
          type = types.nullOr types.int;
          default = null;
          description = "The account UID. If the UID is null, a free UID is picked on activation.";
        };
        isSystemUser = mkOption {
          type = types.bool;
          default = false;
          description = "Indicates if the user is a system user or not.";
        };
        isNormalUser = mkOption {
          type = types.bool;
          default = false;
          description = ''
            Indicates whether this is an account for a “real” user: sets
            {option}`group` to `users`, {option}`createHome` to `true`,
            {option}`home` to {file}`/home/«username»`,
            {option}`useDefaultShell` to `true`, and {option}`isSystemUser` to `false`.
          '';
        };
        group = mkOption {
          type = types.str;
          apply = x: assert (builtins.stringLength x < 32 || abort "Group name '${x}' is longer than 31 characters which is not allowed!"); x;
          default = "";
          description = "The user's primary group.";
        };
        extraGroups = mkOption {
          type = types.listOf types.str;
          default = [ ];
          description = "The user's auxiliary groups.";
        };
        home = mkOption {
          type = types.passwdEntry types.path;
          default = "/var/empty";
          description = "The user's home directory.";
        };
        homeMode = mkOption {
          type = types.strMatching "[0-7]{1,5}";
          default = "700";
          description = "The user's home directory mode in numeric format.";
        };
        createHome = mkOption {
          type = types.bool;
          default = false;
          description = "Whether to create the home directory and ensure ownership as well as permissions to match the user.";
        };
        useDefaultShell = mkOption {
          type = types.bool;
          default = false;
          description = "If true, the user's shell will be set to {option}`users.defaultUserShell`.";
        };
        shell = mkOption {
          type = types.nullOr (types.either types.shellPackage (types.passwdEntry types.path));
          default = pkgs.shadow;
          defaultText = lib.literalExpression "pkgs.shadow";
          example = lib.literalExpression "pkgs.bashInteractive";
          description = "The path to the user's shell.";
        };
        ignoreShellProgramCheck = mkOption {
          type = types.bool;
          default = false;
          description = "Set whether to skip the check that the user's shell program is enabled.";
        };
        subUidRanges = mkOption {
          type = types.listOf (types.attrsOf types.int);
          default = [ ];
          description = "Subordinate user ids that user is allowed to use.";
        };
        subGidRanges = mkOption {
          type = types.listOf (types.attrsOf types.int);
          default = [ ];
          description = "Subordinate group ids that user is allowed to use.";
        };
        autoSubUidGidRange = mkOption {
          type = types.bool;
          default = false;
          description = "Automatically allocate subordinate user and group ids for this user.";
        };
        hashedPassword = mkOption {
          type = with types; nullOr (passwdEntry str);
          default = null;
          description = "Specifies the hashed password for the user. ${passwordDescription}";
        };
        password = mkOption {
          type = with types; nullOr str;
          default = null;
          description = "Specifies the (clear text) password for the user. ${passwordDescription}";
        };
        hashedPasswordFile = mkOption {
          type = with types; nullOr str;
          default = null;
          description = "The full path to a file that contains the hash of the user's password. ${passwordDescription}";
        };
        initialHashedPassword = mkOption {
          type = with types; nullOr (passwdEntry str);
          default = null;
          description = "Specifies the initial hashed password for the user, used when the account is first created.";
        };
        initialPassword = mkOption {
          type = with types; nullOr str;
          default = null;
          description = "Specifies the initial password for the user, used when the account is first created.";
        };
        packages = mkOption {
          type = types.listOf types.package;
          default = [ ];
          example = lib.literalExpression "[ pkgs.firefox pkgs.thunderbird ]";
          description = "The set of packages that should be made available to the user.";
        };
        expires = mkOption {
          type = types.nullOr (types.strMatching "[[:digit:]]{4}-[[:digit:]]{2}-[[:digit:]]{2}");
          default = null;
          description = "Set the date on which the user's account will no longer be accessible (YYYY-MM-DD).";
        };
        linger = mkOption {
          type = types.nullOr types.bool;
          default = null;
          description = "Whether to enable lingering for this user.";
        };
        openssh.authorizedKeys = {
          keys = mkOption {
            type = types.listOf types.singleLineStr;
            default = [ ];
            description = "A list of verbatim OpenSSH public keys that should be added to the user's authorized keys.";
          };
          keyFiles = mkOption {
            type = types.listOf types.path;
            default = [ ];
            description = "A list of files each containing one OpenSSH public key.";
          };
        };
      };
      config = lib.mkMerge [
        {
          name = mkDefault name;
          shell = mkIf config.useDefaultShell (mkDefault cfg.defaultUserShell);
        }
        (mkIf config.isNormalUser {
          group = mkDefault "users";
          createHome = mkDefault true;
          home = mkDefault "/home/${config.name}";
          homeMode = mkDefault "700";
          useDefaultShell = mkDefault true;
          isSystemUser = mkDefault false;
        })
        (mkIf (config.initialPassword != null) { initialHashedPassword = mkDefault null; })
      ];
    };

  groupOpts =
    { name, ... }:
    {
      options = {
        name = mkOption {
          type = types.passwdEntry types.str;
          default = name;
          description = "The name of the group. If undefined, the name of the attribute set will be used.";
        };
        gid = mkOption {
          type = types.nullOr types.int;
          default = null;
          description = "The group GID. If the GID is null, a free GID is picked on activation.";
        };
        members = mkOption {
          type = types.listOf (types.passwdEntry types.str);
          default = [ ];
          description = "The user names of the group members, added to the `/etc/group` file.";
        };
      };
    };

  enabledUsers = lib.filterAttrs (_: u: u.enable) cfg.users;

  # Group memberships: declared members plus every user naming the group in extraGroups.
  groupMembers =
    g:
    lib.unique (g.members ++ lib.mapAttrsToList (_: u: u.name) (lib.filterAttrs (_: u: builtins.elem g.name u.extraGroups) enabledUsers));

  spec = {
    inherit (cfg) mutableUsers;
    users = lib.mapAttrsToList (_: u: {
      inherit (u)
        name uid group description home homeMode createHome isSystemUser
        password hashedPasswordFile hashedPassword autoSubUidGidRange subUidRanges subGidRanges
        initialPassword initialHashedPassword expires
        ;
      shell = utils.toShellPath u.shell;
    }) enabledUsers;
    groups = lib.mapAttrsToList (_: g: {
      inherit (g) name gid;
      members = groupMembers g;
    }) cfg.groups;
  };

  xor = a: b: (a && !b) || (b && !a);
  shellName = shell: if lib.isDerivation shell then shell.pname or "" else "";
  hasPassword = u: u.hashedPassword != null || u.password != null || u.hashedPasswordFile != null || u.initialPassword != null || u.initialHashedPassword != null || u.openssh.authorizedKeys.keys != [ ] || u.openssh.authorizedKeys.keyFiles != [ ];
in
{
  options.users = {
    users = mkOption {
      default = { };
      type = types.attrsOf (types.submodule userOpts);
      example = lib.literalExpression ''
        {
          alice = {
            uid = 1234;
            description = "Alice Q. User";
            home = "/home/alice";
            createHome = true;
            group = "users";
            extraGroups = ["wheel"];
            shell = "/bin/sh";
          };
        }
      '';
      description = "Additional user accounts to be created automatically by the system.";
    };
    groups = mkOption {
      default = { };
      type = types.attrsOf (types.submodule groupOpts);
      example = { students.gid = 1001; hackers = { }; };
      description = "Additional groups to be created automatically by the system.";
    };
    mutableUsers = mkOption {
      type = types.bool;
      default = true;
      description = ''
        If set to `true`, you are free to add new users and groups to the system with
        the ordinary `useradd` and `groupadd` commands; declared accounts are still
        created on activation.
      '';
    };
    defaultUserShell = mkOption {
      type = types.either types.path types.shellPackage;
      default = pkgs.bashInteractive;
      defaultText = lib.literalExpression "pkgs.bashInteractive";
      description = "This option defines the default shell assigned to user accounts.";
    };
    allowNoPasswordLogin = mkOption {
      type = types.bool;
      default = false;
      description = "Disable checking that at least the `root` user or a user in the `wheel` group can log in using a password or an SSH key.";
    };
    enforceIdUniqueness = mkOption {
      type = types.bool;
      default = true;
      description = "Whether to require that no two users/groups share the same uid/gid.";
    };
    manageLingering = mkOption {
      type = types.bool;
      default = true;
      description = "Whether to manage whether users linger or not.";
    };
  };

  options.system.build.usersGroupsSpec = mkOption {
    internal = true;
    type = types.unspecified;
    description = "The users and groups description handed to the activation.";
  };

  config = {
    system.build.usersGroupsSpec = spec;

    users.users = {
      root = {
        uid = ids.uids.root;
        description = "System administrator";
        home = "/root";
        shell = mkDefault cfg.defaultUserShell;
        group = "root";
      };
      nobody = {
        uid = ids.uids.nobody;
        isSystemUser = true;
        description = "Unprivileged account (don't use!)";
        group = "nogroup";
      };
    };

    users.groups = {
      root.gid = ids.gids.root;
      wheel.gid = ids.gids.wheel;
      disk.gid = ids.gids.disk;
      kmem.gid = ids.gids.kmem;
      tty.gid = ids.gids.tty;
      floppy.gid = ids.gids.floppy;
      uucp.gid = ids.gids.uucp;
      lp.gid = ids.gids.lp;
      cdrom.gid = ids.gids.cdrom;
      tape.gid = ids.gids.tape;
      audio.gid = ids.gids.audio;
      video.gid = ids.gids.video;
      dialout.gid = ids.gids.dialout;
      nogroup.gid = ids.gids.nogroup;
      users.gid = ids.gids.users;
      utmp.gid = ids.gids.utmp;
      adm.gid = ids.gids.adm;
      input.gid = ids.gids.input;
      kvm.gid = ids.gids.kvm;
      render.gid = ids.gids.render;
      sgx.gid = ids.gids.sgx;
      shadow.gid = ids.gids.shadow;
      keys.gid = ids.gids.keys;
      systemd-journal.gid = ids.gids.systemd-journal;
    };

    environment.systemPackages = lib.concatLists (lib.mapAttrsToList (_: u: u.packages) enabledUsers);

    assertions =
      [
        {
          assertion =
            let
              uids = lib.filter (x: x != null) (lib.mapAttrsToList (_: u: u.uid) enabledUsers);
              gids = lib.filter (x: x != null) (lib.mapAttrsToList (_: g: g.gid) cfg.groups);
            in
            !cfg.enforceIdUniqueness || (lib.length (lib.unique uids) == lib.length uids && lib.length (lib.unique gids) == lib.length gids);
          message = "UIDs and GIDs must be unique!";
        }
        {
          assertion =
            cfg.mutableUsers || cfg.allowNoPasswordLogin
            || lib.any (u: hasPassword u && (u.name == "root" || builtins.elem "wheel" u.extraGroups)) (lib.attrValues enabledUsers);
          message = ''
            Neither the root account nor any wheel user has a password or SSH authorized key.
            You must set one to prevent being locked out of your system.
            If you really want to be locked out of your system, set users.allowNoPasswordLogin = true;
            However you are most probably better off by setting users.mutableUsers = true; and
            manually running passwd root to set the root password.
          '';
        }
      ]
      ++ lib.concatLists (
        lib.mapAttrsToList (
          _: user:
          [
            {
              assertion = !(user.isNormalUser && user.uid != null && user.uid < 1000);
              message = ''
                A user cannot have a users.users.${user.name}.uid set below 1000 and set users.users.${user.name}.isNormalUser.
                Either users.users.${user.name}.isSystemUser must be set to true instead of users.users.${user.name}.isNormalUser
                or users.users.${user.name}.uid must be changed to 1000 or above.
              '';
            }
            {
              assertion =
                let
                  isEffectivelySystemUser = user.isSystemUser || (user.uid != null && user.uid < 1000 && !user.isNormalUser);
                in
                xor isEffectivelySystemUser user.isNormalUser;
              message = ''
                Exactly one of users.users.${user.name}.isSystemUser and users.users.${user.name}.isNormalUser must be set.
              '';
            }
            {
              assertion = user.group != "";
              message = ''
                users.users.${user.name}.group is unset. This used to default to
                nogroup, but this is unsafe. For example you can create a group
                for this user with:
                users.users.${user.name}.group = "${user.name}";
                users.groups.${user.name} = {};
              '';
            }
          ]
          ++ (
            let
              s = shellName user.shell;
            in
            lib.optional (builtins.elem s [ "zsh" "fish" "xonsh" ]) {
              assertion = user.ignoreShellProgramCheck || config.programs.${s}.enable;
              message = ''
                users.users.${user.name}.shell is set to ${s}, but
                programs.${s}.enable is not true. This will cause the ${s}
                shell to lack the basic nix directories in its PATH and might make
                logging in as that user impossible. You can fix it with:
                programs.${s}.enable = true;

                If you know what you're doing and you are fine with the behavior,
                set users.users.${user.name}.ignoreShellProgramCheck = true;
                instead.
              '';
            }
          )
        ) enabledUsers
      );

    warnings = lib.concatLists (
      lib.mapAttrsToList (
        _: user:
        let
          set = lib.filter (x: x != null) [ user.hashedPassword user.password user.hashedPasswordFile user.initialPassword user.initialHashedPassword ];
        in
        lib.optional (lib.length set > 1) ''
          The user '${user.name}' has multiple of the options
          `initialHashedPassword`, `hashedPassword`, `initialPassword`, `password`
          & `hashedPasswordFile` set to a non-null value.
        ''
      ) enabledUsers
    );
  };
}
