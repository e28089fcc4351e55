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
  # `drv` with `passthru` added, to itself and to each of its outputs, whose paths are
  # only given out if `condition` holds (the assertion fails when one is used).
  extendDerivation = condition: passthru: drv:
    let
      common = drv
        // builtins.listToAttrs (outputs ++ [ { name = "all"; value = map (o: o.value) outputs; } ])
        // passthru
        // { drvPath = assert condition; drv.drvPath; outPath = assert condition; drv.outPath; };
      outputs = map (name: {
        inherit name;
        value = common // {
          inherit (drv.${name}) type outputName;
          outputSpecified = true;
          drvPath = assert condition; drv.${name}.drvPath;
          outPath = assert condition; drv.${name}.outPath;
          ${if passthru ? overrideAttrs then "overrideAttrs" else null} = f: (passthru.overrideAttrs f).${name};
        };
      }) (drv.outputs or [ "out" ]);
    in
    common;

  # What Hydra needs of a job, and nothing that would keep the rest of the package set
  # alive: name, system, meta, outputs (and an aggregate's constituents), forced.
  hydraJob = drv:
    let
      outputs = drv.outputs or [ "out" ];
      common = {
        inherit (drv) name system meta;
        inherit outputs;
      }
      // lib.optionalAttrs (drv._hydraAggregate or false) {
        _hydraAggregate = true;
        constituents = map hydraJob (lib.flatten drv.constituents);
      }
      // builtins.listToAttrs perOutput;
      perOutput = map (name: {
        inherit name;
        value = common // {
          outPath = drv.${name}.outPath;
          drvPath = drv.${name}.drvPath;
          type = "derivation";
          outputName = name;
        };
      }) outputs;
      first = (builtins.head perOutput).value;
    in
    if drv == null then null else builtins.deepSeq first first;
  makeScope = newScope: f:
    let self = f self // { newScope = scope: newScope (self // scope); callPackage = self.newScope { }; };
    in self;
}
