# Stage 2: the `init` every boot entry starts (`init=<toplevel>/init`). Boot loaders
# and the switch planner use its path, never its content; the content written here
# says what it is. `@out@` is the toplevel's own path, filled in by the realiser as
# NixOS's builder substitutes it.
{ config, lib, pkgs, ... }:
{
  options.boot.postBootCommands = lib.mkOption {
    default = "";
    example = "rm -f /var/log/messages";
    type = lib.types.lines;
    description = "Shell commands to be executed just before systemd is started.";
  };
  options.boot.devSize = lib.mkOption {
    default = "5%";
    type = lib.types.str;
    description = "Size limit for the /dev tmpfs.";
  };
  options.boot.devShmSize = lib.mkOption {
    default = "50%";
    type = lib.types.str;
    description = "Size limit for the /dev/shm tmpfs.";
  };
  options.boot.runSize = lib.mkOption {
    default = "25%";
    type = lib.types.str;
    description = "Size limit for the /run tmpfs.";
  };

  config.system.build.initScript = ''
    #! ${pkgs.bash}/bin/bash
    # NixOS stage 2 init of @out@, written by tsnix.
    # tsnix does not boot machines: this script records what stage 2 would do.
    systemConfig=@out@
    # 1. activate the configuration: $systemConfig/activate
    # 2. record the booted system: ln -sfn "$systemConfig" /run/booted-system
    # 3. start systemd:
    exec ${config.systemd.package}/lib/systemd/systemd
  '';
}
