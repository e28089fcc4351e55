# The merges of attrsOf/lazyAttrsOf, listOf and nullOr, which the engine runs natively:
# element definitions with properties, filtering of undefined elements, emptyValue of
# lazy attribute sets, valueMeta, and the same merges called from Nix (`type.merge`,
# `type.merge.v2`).
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types mkIf mkForce mkDefault mkBefore mkAfter mkMerge mkOverride;
  opt = type: mkOption { inherit type; };
  eval = lib.evalModules {
    modules = [
      {
        options = {
          a = opt (types.attrsOf types.int);
          aNested = opt (types.attrsOf (types.attrsOf (types.listOf types.str)));
          aEmpty = mkOption { type = types.attrsOf types.str; default = { }; };
          lazy = opt (types.lazyAttrsOf (types.nullOr types.int));
          lazyList = opt (types.lazyAttrsOf (types.listOf types.int));
          l = opt (types.listOf types.int);
          lSub = opt (types.listOf (types.submodule { options.n = mkOption { type = types.int; default = 7; }; }));
          lNested = opt (types.listOf (types.listOf types.str));
          n = opt (types.nullOr types.str);
          nNull = opt (types.nullOr types.int);
          nList = opt (types.nullOr (types.listOf types.int));
          nDefault = mkOption { type = types.nullOr types.str; default = null; };
          nOverride = mkOption { type = types.nullOr types.str; default = "d"; };
        };
      }
      {
        a = { x = 1; y = mkIf false 2; z = mkDefault 3; w = mkMerge [ (mkIf true 4) ]; };
        aNested.p.q = mkBefore [ "first" ];
        aNested.p.r = [ "r" ];
        lazy = { x = 1; y = mkIf false 2; };
        lazyList = { x = [ 1 ]; y = mkIf false [ 2 ]; };
        l = [ 1 (mkIf false 2) 3 ];
        lSub = [ { } { n = 1; } ];
        lNested = [ [ "a" ] [ ] ];
        n = "one";
        nNull = null;
        nList = mkAfter [ 2 ];
        nOverride = null;
      }
      {
        a = { z = 5; v = mkForce 6; };
        aNested.p.q = [ "second" ];
        aNested.s = { };
        l = mkAfter [ 4 ];
        lNested = [ [ "b" "c" ] ];
        n = mkDefault "ignored";
        nNull = null;
        nList = [ 1 ];
      }
      { a.v = 7; l = mkBefore [ 0 ]; }
    ];
  };
  o = eval.options;
  t = types;
  fromNix = {
    attrs = (t.attrsOf t.int).merge [ "x" ] [ { file = "f1"; value = { a = 1; }; } { file = "f2"; value = { b = mkIf true 2; c = mkIf false 3; }; } ];
    lazyAttrs = builtins.attrNames ((t.lazyAttrsOf t.int).merge [ "x" ] [ { file = "f1"; value = { a = 1; b = mkIf false 2; }; } ]);
    lazyAttrsEmpty = ((t.lazyAttrsOf (t.nullOr t.int)).merge [ "x" ] [ { file = "f1"; value = { b = mkIf false 2; }; } ]).b;
    list = (t.listOf t.int).merge [ "x" ] [ { file = "f1"; value = [ 1 (mkIf false 2) ]; } { file = "f2"; value = [ 3 ]; } ];
    nullOr = (t.nullOr t.str).merge [ "x" ] [ { file = "f1"; value = "s"; } { file = "f2"; value = "s"; } ];
    nulls = (t.nullOr t.str).merge [ "x" ] [ { file = "f1"; value = null; } { file = "f2"; value = null; } ];
    v2 = let r = (t.attrsOf t.int).merge.v2 { loc = [ "x" ]; defs = [ { file = "f"; value = { a = 1; }; } ]; }; in { inherit (r) headError value; meta = builtins.attrNames r.valueMeta.attrs; };
    v2Bad = let r = (t.listOf t.int).merge.v2 { loc = [ "x" ]; defs = [ { file = "f"; value = 1; } ]; }; in r.headError;
    v2List = let r = (t.listOf t.int).merge.v2 { loc = [ "x" ]; defs = [ { file = "f"; value = [ 1 (mkIf false 2) 3 ]; } ]; }; in { inherit (r) value; meta = builtins.length r.valueMeta.list; };
  };
in
{
  config = { inherit (eval.config) a aNested aEmpty l lSub lNested n nNull nList nDefault nOverride; lazy = eval.config.lazy.x; lazyList = eval.config.lazyList; lazyNames = builtins.attrNames eval.config.lazy; };
  lazyY = builtins.tryEval eval.config.lazy.y;
  meta = {
    a = builtins.attrNames o.a.valueMeta.attrs;
    l = builtins.length o.l.valueMeta.list;
    lSub = map (m: m.configuration.config.n) o.lSub.valueMeta.list;
    aNested = builtins.attrNames o.aNested.valueMeta.attrs.p.attrs;
  };
  defs = { a = o.a.definitions; l = o.l.files; n = o.n.highestPrio; nList = o.nList.definitions; };
  inherit fromNix;
}
