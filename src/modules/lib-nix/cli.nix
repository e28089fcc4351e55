# Command-line rendering of attribute sets.
#
# `toCommandLine` is the general form: the caller says, per option name, what the flag
# looks like (`option`), whether its argument is glued on (`sep`, or null for a separate
# word) and whether booleans are spelled out (`explicitBool`). The GNU variants fix
# that to `-x`/`--long`, short arguments glued on, long ones after `=`.
# `toGNUCommandLine` is the older interface (separate words unless
# `optionValueSeparator`), kept for the configurations that still use it.
{ lib }:
rec {
  toCommandLine = optionFormat: attrs:
    let
      one = k: v:
        let
          f = optionFormat k;
          explicit = f.explicitBool;
          format = f.formatArg or (lib.generators.mkValueStringDefault { });
        in
        if v == null || (!explicit && v == false) then [ ]
        else if !explicit && v == true then [ f.option ]
        else if f.sep != null then [ "${f.option}${f.sep}${format v}" ]
        else [ f.option (format v) ];
      pair = k: v:
        if k == "" then throw "lib.cli.toCommandLine only accepts non-empty option names."
        else if builtins.isList v then builtins.concatMap (one k) v
        else one k v;
    in
    builtins.concatLists (lib.mapAttrsToList pair attrs);

  toCommandLineShell = optionFormat: attrs: lib.escapeShellArgs (toCommandLine optionFormat attrs);

  toCommandLineGNU = { isLong ? name: builtins.stringLength name > 1, explicitBool ? false,
    formatArg ? lib.generators.mkValueStringDefault { } }:
    toCommandLine (name:
      let long = isLong name; in {
        option = if long then "--${name}" else "-${name}";
        sep = if long then "=" else "";
        inherit explicitBool formatArg;
      });

  toCommandLineShellGNU = options: attrs: lib.escapeShellArgs (toCommandLineGNU options attrs);

  # Deprecated from release 25.11 on (warnings follow this lib's oldestSupportedRelease).
  toGNUCommandLineShell = lib.warnIf (lib.oldestSupportedReleaseIsAtLeast 2511)
    "lib.cli.toGNUCommandLineShell is deprecated, please use lib.cli.toCommandLineShell or lib.cli.toCommandLineShellGNU instead."
    (options: attrs: lib.escapeShellArgs (toGNUCommandLine options attrs));
  toGNUCommandLine = lib.warnIf (lib.oldestSupportedReleaseIsAtLeast 2511)
    "lib.cli.toGNUCommandLine is deprecated, please use lib.cli.toCommandLine or lib.cli.toCommandLineShellGNU instead."
    ({ mkOptionName ? k: if builtins.stringLength k == 1 then "-${k}" else "--${k}",
    mkBool ? k: v: lib.optional v (mkOptionName k),
    mkList ? k: v: lib.concatMap (mkOption k) v,
    mkOption ? k: v:
      if v == null then [ ]
      else if optionValueSeparator == null then [ (mkOptionName k) (lib.generators.mkValueStringDefault { } v) ]
      else [ "${mkOptionName k}${optionValueSeparator}${lib.generators.mkValueStringDefault { } v}" ],
    optionValueSeparator ? null }:
    options:
    let
      render = k: v:
        if builtins.isBool v then mkBool k v
        else if builtins.isList v then mkList k v
        else mkOption k v;
    in
    builtins.concatLists (lib.mapAttrsToList render options));
}
