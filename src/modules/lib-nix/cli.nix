# Command-line rendering of attribute sets.
{ lib }:
rec {
  toGNUCommandLineShell = options: attrs: lib.escapeShellArgs (toGNUCommandLine options attrs);
  toGNUCommandLine = { mkOptionName ? k: if builtins.stringLength k == 1 then "-${k}" else "--${k}",
    mkBool ? k: v: lib.optional v (mkOptionName k),
    mkList ? k: v: lib.concatMap (mkOption k) v,
    mkOption ? k: v: if v == null then [ ] else [ (mkOptionName k) (lib.generators.mkValueStringDefault { } v) ],
    optionValueSeparator ? null }:
    options:
    let
      render = k: v:
        if builtins.isBool v then mkBool k v
        else if builtins.isList v then mkList k v
        else mkOption k v;
    in
    builtins.concatLists (lib.mapAttrsToList render options);
  toCommandLineShellGNU = toGNUCommandLineShell;
  toCommandLineGNU = toGNUCommandLine;
}
