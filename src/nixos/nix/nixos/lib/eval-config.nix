# Evaluates a NixOS configuration: the base modules (modules/module-list.nix) and the
# user's, with nixos/lib/eval-config.nix's interface and the two module arguments that
# specialisations are built from:
#   - `noUserModules`: the base modules alone (plus the pkgs module) — what a
#     specialisation with `inheritParentConfig = false` extends;
#   - `extendModules`, provided by lib.evalModules itself: the whole configuration,
#     extended by inheriting specialisations.
# The user's modules are added with `noUserModules.extendModules`, so the base
# evaluation is literally the prefix of every other one, as in NixOS.
#
# `lib` is `<nixpkgs/lib>`: the embedded lib normally, or a real nixpkgs lib when a
# nixpkgs checkout that has only `lib/` is on the search path.
{
  system ? builtins.currentSystem,
  pkgs ? null,
  baseModules ? import ../modules/module-list.nix,
  extraArgs ? { },
  specialArgs ? { },
  modules,
  modulesLocation ? null,
  check ? true,
  prefix ? [ ],
  lib ? import <nixpkgs/lib>,
  extraModules ?
    let
      e = builtins.getEnv "NIXOS_EXTRA_MODULE_PATH";
    in
    if e == "" then [ ] else [ (import e) ],
}:
let
  pkgs_ = pkgs;
  file = toString ./eval-config.nix;

  pkgsModule = {
    _file = file;
    key = "${file}#pkgs";
    config = lib.mkMerge (
      lib.optional (system != null) { nixpkgs.system = lib.mkDefault system; }
      ++ lib.optional (pkgs_ != null) { _module.args.pkgs = lib.mkForce pkgs_; }
    );
  };

  modulesModule = {
    _file = file;
    key = "${file}#args";
    config._module.args = {
      inherit noUserModules baseModules extraModules modules;
    };
  };

  noUserModules = lib.evalModules {
    inherit prefix;
    specialArgs = { modulesPath = toString ../modules; } // specialArgs;
    modules = baseModules ++ extraModules ++ [ pkgsModule modulesModule ];
  };

  allUserModules =
    modules
    ++ lib.optional (extraArgs != { }) {
      _file = file;
      key = "${file}#extraArgs";
      config._module.args = extraArgs;
    }
    ++ lib.optional (!check) {
      _file = file;
      key = "${file}#check";
      config._module.check = lib.mkDefault false;
    };

  nixosWithUserModules = noUserModules.extendModules { modules = allUserModules; };

  withExtraAttrs =
    configuration:
    configuration
    // {
      inherit extraArgs lib;
      inherit (configuration._module.args) pkgs;
      extendModules = args: withExtraAttrs (configuration.extendModules args);
    };
in
withExtraAttrs nixosWithUserModules
