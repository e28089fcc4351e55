# lib.cli: toCommandLine and its GNU forms (short options glued on, long ones after
# `=`), the older toGNUCommandLine, and rendered definitions fed through
# mapDefinitionValue into an ordered listOf (as declare-attrList.nix does).
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption mkOrder mkMerge mkDefinition types;
  a = {
    v = true;
    verbose = [ true true false null ];
    i = ".bak";
    testsuite = [ "unit" "integration" ];
    e = [ "s/a/b/" "s/b/c/" ];
    n = false;
    data = builtins.toJSON { id = 0; };
    x = 3;
  };
  defs = [
    (mkDefinition { file = "a.nix"; value = mkOrder 500 { x = "first"; }; })
    (mkDefinition { file = "b.nix"; value = mkOrder 1000 { y = "only"; }; })
    (mkDefinition { file = "c.nix"; value = mkOrder 1500 { x = "last"; }; })
  ];
  rendered = lib.modules.mapDefinitionValue (lib.cli.toCommandLineGNU { }) (mkMerge defs);
in
{
  gnu = lib.cli.toCommandLineGNU { } a;
  gnuExplicit = lib.cli.toCommandLineGNU { explicitBool = true; isLong = _: true; } a;
  shell = lib.cli.toCommandLineShellGNU { } a;
  general = lib.cli.toCommandLine (n: { option = "-${n}"; sep = null; explicitBool = true; formatArg = builtins.toJSON; }) a;
  old = lib.cli.toGNUCommandLine { } a;
  oldSep = lib.cli.toGNUCommandLine { optionValueSeparator = "="; } a;
  oldShell = lib.cli.toGNUCommandLineShell { } a;
  ordered =
    (lib.evalModules {
      modules = [
        { options.out = mkOption { type = types.listOf types.str; }; }
        { config.out = rendered; }
        { config.out = mkOrder 800 [ "--interleaved" ]; }
      ];
    }).config.out;
}
