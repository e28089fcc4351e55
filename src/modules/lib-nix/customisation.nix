# Package customisation: overridable calls, package scopes, derivation extension.
{ lib }:
rec {
  # A new derivation from `drv`'s attributes changed by `f`, keeping meta and passthru;
  # its paths are only given out once the original's drvPath evaluates.
  overrideDerivation = drv: f:
    (extendDerivation (builtins.seq drv.drvPath true)) (
      { meta = drv.meta or { }; passthru = drv.passthru or { }; }
      // (drv.passthru or { })
      // { ${if drv ? __spliced then "__spliced" else null} = builtins.mapAttrs (_: d: overrideDerivation d f) drv.__spliced; }
    ) (derivation (drv.drvAttrs // f drv));

  # `f origArgs` with `override` (call again with changed arguments), and for sets
  # `overrideDerivation` and (when the result has one) `overrideAttrs` that keep
  # `override` working afterwards. A callable set `f` keeps its own attributes.
  makeOverridable = f:
    let
      mirror = lib.mirrorFunctionArgs f;
      call = origArgs:
        let
          result = f origArgs;
          override = mirror (newArgs: makeOverridable f (origArgs // (if lib.isFunction newArgs then newArgs origArgs else newArgs)));
        in
        if builtins.isAttrs result then
          result // {
            inherit override;
            overrideDerivation = fdrv: makeOverridable (mirror (args: overrideDerivation (f args) fdrv)) origArgs;
            ${if result ? overrideAttrs then "overrideAttrs" else null} =
              fdrv: makeOverridable (mirror (args: (f args).overrideAttrs fdrv)) origArgs;
          }
        else if lib.isFunction result then
          lib.setFunctionArgs result (lib.functionArgs result) // { inherit override; }
        else result;
    in
    if builtins.isAttrs f then
      f // mirror call // { ${if f ? override then "override" else null} = fdrv: makeOverridable (f.override fdrv); }
    else mirror call;

  # Arguments come from `args`, else from `autoArgs` where the function names them;
  # a required one found in neither aborts (not catchable: nix-env and CI tools must
  # not skip such packages silently), naming up to three near misses.
  callPackageWith = autoArgs: fn: args:
    let
      f = if lib.isFunction fn then fn else import fn;
      fargs = lib.functionArgs f;
      allArgs = builtins.intersectAttrs fargs autoArgs // args;
      missing = builtins.removeAttrs fargs (builtins.attrNames allArgs);
      arg = builtins.head (builtins.filter (n: !fargs.${n}) (builtins.attrNames missing));
      near = map (x: "\"" + x + "\"") (lib.take 3 (lib.sortOn (lib.levenshtein arg)
        (builtins.filter (lib.levenshteinAtMost 2 arg) (builtins.attrNames (autoArgs // args)))));
      hint =
        if near == [ ] then ""
        else if builtins.length near == 1 then ", did you mean ${builtins.head near}?"
        else ", did you mean ${builtins.concatStringsSep ", " (lib.init near)} or ${lib.last near}?";
      loc = builtins.unsafeGetAttrPos arg fargs;
      where = if loc != null then loc.file + ":" + toString loc.line else "<unknown location>";
    in
    if missing == { } || lib.all (x: x) (builtins.attrValues missing) then makeOverridable f allArgs
    else abort "lib.customisation.callPackageWith: Function called without required argument \"${arg}\" at ${where}${hint}";

  # For a function returning a set of packages: each one overridable on its own.
  callPackagesWith = autoArgs: fn: args:
    let
      f = if lib.isFunction fn then fn else import fn;
      origArgs = builtins.intersectAttrs (lib.functionArgs f) autoArgs // args;
      pkgs = f origArgs;
      mirror = lib.mirrorFunctionArgs f;
    in
    if lib.isDerivation pkgs then
      throw ("function `callPackages` was called on a *single* derivation "
        + ''"${pkgs.name or "<unknown-name>"}";'' + " did you mean to use `callPackage` instead?")
    else builtins.mapAttrs (name: _: makeOverridable (mirror (newArgs: (f newArgs).${name})) origArgs) pkgs;

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
  # A package set whose members see each other (and `callPackage`/`newScope` bound to
  # it); `overrideScope` rebuilds it with an overlay, `packages` is the function itself.
  makeScope = newScope: f:
    let
      self = { callPackage = self.newScope { }; }
        // f self
        // {
          newScope = scope: newScope (self // scope);
          overrideScope = g: makeScope newScope (lib.fixedPoints.extends g f);
          packages = f;
        };
    in
    self;
}
