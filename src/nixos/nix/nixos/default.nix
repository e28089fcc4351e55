# `<nixpkgs/nixos>` when no nixpkgs is on the search path: tsnix's embedded NixOS.
#
# Same entry point as nixpkgs' nixos/default.nix: the configuration comes from the
# argument, else $NIXOS_CONFIG, else `<nixos-config>`; the result has `config`,
# `options`, `pkgs` and `system` (the toplevel), so `nix-build '<nixpkgs/nixos>' -A
# system` and `-A config.networking.hostName` work unchanged.
{
  configuration ? import ./lib/from-env.nix "NIXOS_CONFIG" <nixos-config>,
  system ? builtins.currentSystem,
}:
let
  eval = import ./lib/eval-config.nix {
    inherit system;
    modules = [ configuration ];
  };
in
{
  inherit (eval) pkgs config options;
  system = eval.config.system.build.toplevel;
  inherit (eval.config.system.build) vm vmWithBootLoader;
}
