# diff
# `//` of a few names onto a big set makes a layer, not a copy (NixAttrs in value.ts):
# every way of reading a set must see the same set either way.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString (i + 10)}"; value = i; }) 40);
  # 20 steps: more than the 8 layers a chain may have, so it is flattened on the way.
  step = s: i: s // { "n${toString i}" = i; k10 = s.k10 + 1; };
  chain = builtins.foldl' step big (builtins.genList (i: i) 20);
  over = big // { k11 = "over"; };
  nested = (big // { a = 1; }) // { b = 2; } // { a = 3; };
  f = { k10, n19 ? 0, ... }: k10 + n19;
  g = { k10, ... }@args: builtins.length (builtins.attrNames args);
in
{
  size = builtins.length (builtins.attrNames chain);
  first = builtins.head (builtins.attrNames chain);
  last = builtins.elemAt (builtins.attrNames chain) 59;
  k10 = chain.k10;
  n0 = chain.n0;
  n19 = chain.n19;
  k49 = chain.k49;
  has = [ (chain ? n5) (chain ? k20) (chain ? zz) (chain ? n5.x) ];
  orDefault = [ (chain.zz or "dflt") (chain.n3 or "no") (chain.k11 or "no") ];
  values = builtins.foldl' (a: b: a + b) 0 (builtins.attrValues chain);
  over = [ over.k11 over.k12 (builtins.length (builtins.attrNames over)) ];
  nested = [ nested.a nested.b nested.k10 (builtins.length (builtins.attrNames nested)) ];
  eq = [ (over == big // { k11 = "over"; }) (over == big) (nested == nested // { }) ];
  mapped = (builtins.mapAttrs (n: v: n) chain).n7;
  removed = builtins.attrNames (builtins.removeAttrs nested (builtins.genList (i: "k${toString (i + 10)}") 40));
  intersected = builtins.intersectAttrs { n1 = null; k10 = null; x = null; } chain;
  json = builtins.substring 0 40 (builtins.toJSON nested);
  calls = [ (f chain) (g chain) (f big) ];
  inherited = let inherit (chain) n2 k12; in n2 + k12;
  withScope = with chain; n4 + k13;
  catted = builtins.catAttrs "n1" [ chain big chain ];
  zipped = builtins.length (builtins.attrNames (builtins.zipAttrsWith (n: vs: vs) [ chain over ]));
  pos = (builtins.unsafeGetAttrPos "a" (big // { a = 1; })).line;
  posDeep = builtins.unsafeGetAttrPos "k10" (big // { a = 1; });
  hasAttrBuiltin = builtins.hasAttr "n8" chain;
  getAttrBuiltin = builtins.getAttr "n8" chain;
  dyn = chain.${"n" + "9"};
  deep = builtins.deepSeq chain "ok";
  seqd = builtins.seq nested "ok";
}
