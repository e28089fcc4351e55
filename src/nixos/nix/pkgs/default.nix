# tsnix's package catalogue: what `import <nixpkgs> { }` means when no nixpkgs is on
# the search path, and what NixOS modules see as `pkgs`.
#
# It is a catalogue, not a package collection. Every entry is a real derivation with
# nixpkgs' attribute name, package name and version, so store paths, `pkg.name`,
# `pkg.version`, `lib.getName pkg` and string interpolation all behave as usual — but
# its builder only says that it is a catalogue entry. tsnix computes the store paths
# and never claims to have built any of them. The few derivations tsnix *can* produce
# itself (text files, scripts, and the NixOS system pieces) carry a `tsnixBuilder`
# attribute that the realiser in src/nixos/realise.ts understands.
#
# The interface is nixpkgs': `{ system, localSystem, config, overlays, ... }`, overlays
# are `final: prev:` functions applied in order, and `config.allowUnfree` /
# `allowUnfreePredicate` / NIXPKGS_ALLOW_UNFREE gate unfree entries.
{
  system ? builtins.currentSystem,
  localSystem ? { inherit system; },
  crossSystem ? null,
  config ? { },
  overlays ? [ ],
  crossOverlays ? [ ],
  ...
}:
let
  lib = import <nixpkgs/lib>;
  hostSystem = if builtins.isString localSystem then localSystem else localSystem.system or system;
  config' = if builtins.isFunction config then config { pkgs = final; } else config;
  platform = import ./platform.nix { inherit lib; system = hostSystem; };
  base =
    self:
    import ./catalogue.nix {
      inherit lib platform;
      config = config';
      final = self;
    };
  # Overlays compose exactly like nixpkgs' (each sees the final set and its predecessor).
  final = lib.fix (builtins.foldl' (acc: overlay: lib.extends overlay acc) base overlays);
in
final
