# Derivation helpers.
{ lib }:
{
  inherit (builtins) addDrvOutputDependencies unsafeDiscardOutputDependency;
  lazyDerivation = { derivation, meta ? null, passthru ? { }, outputs ? derivation.outputs }:
    passthru // { type = "derivation"; inherit (derivation) name drvPath outPath; inherit outputs meta; };
  optionalDrvAttr = cond: value: if cond then value else null;
  # Every attribute but the descriptive ones warns when used (instantiating reads
  # `drvPath`/`outPath`), and so does anything made from it by `overrideAttrs`.
  warnOnInstantiate = msg: drv:
    drv
    // builtins.mapAttrs (_: lib.warn msg) (builtins.removeAttrs drv [ "meta" "name" "type" "outputName" ])
    // (if drv ? overrideAttrs && builtins.isFunction drv.overrideAttrs
        then { overrideAttrs = f: lib.derivations.warnOnInstantiate msg (drv.overrideAttrs f); }
        else { });
}
