# Derivation helpers.
{ lib }:
{
  lazyDerivation = { derivation, meta ? null, passthru ? { }, outputs ? derivation.outputs }:
    passthru // { type = "derivation"; inherit (derivation) name drvPath outPath; inherit outputs meta; };
  optionalDrvAttr = cond: value: if cond then value else null;
  warnOnInstantiate = msg: drv: drv;
}
