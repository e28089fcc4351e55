# Package customisation helpers (a subset: what configurations use).
{ lib }:
rec {
  overrideDerivation = drv: f: drv // f drv;
  makeOverridable = f:
    let
      mirror = lib.mirrorFunctionArgs f;
    in
    mirror (origArgs:
      let
        result = f origArgs;
        overrideWith = newArgs: origArgs // (if lib.isFunction newArgs then newArgs origArgs else newArgs);
      in
      if builtins.isAttrs result then
        result // { override = newArgs: makeOverridable f (overrideWith newArgs); }
      else if lib.isFunction result then
        lib.setFunctionArgs result (lib.functionArgs result) // { override = newArgs: makeOverridable f (overrideWith newArgs); }
      else result);
  callPackageWith = autoArgs: fn: args:
    let
      f = if lib.isFunction fn then fn else import fn;
      fargs = lib.functionArgs f;
      allArgs = builtins.intersectAttrs fargs autoArgs // args;
    in
    makeOverridable f allArgs;
  callPackagesWith = callPackageWith;
  extendDerivation = condition: passthru: drv: drv // passthru;
  hydraJob = drv: drv;
  makeScope = newScope: f:
    let self = f self // { newScope = scope: newScope (self // scope); callPackage = self.newScope { }; };
    in self;
}
