# lib.gvariant: every constructor's text form and type string, inference by mkValue, its refusals.
let lib = import <nixpkgs/lib>; g = lib.gvariant; s = v: toString (g.mkValue v); in {
  all = with g; map s [ true 3.14 (mkInt32 (-42)) (mkUint32 42) (mkInt16 (-42)) (mkUint16 42) (mkInt64 (-42)) (mkUint64 42) (mkUchar 7)
    [ "one" ] (mkArray [ (mkInt32 1) ]) (mkArray [ (mkUint32 2) (mkUint32 3) ]) (mkEmptyArray type.uint32) "foo" "a'b\\c\nd"
    (mkTuple [ (mkInt32 1) [ "foo" ] ]) (mkNothing type.string) (mkJust (mkUint32 4)) (mkVariant "foo") (mkDictionaryEntry (mkInt32 1) [ "foo" ])
    (mkObjectpath "/org/x'y") (mkArray [ (mkDictionaryEntry "k" (mkVariant true)) ]) (mkDouble 1.5) (mkJust [ true ]) ];
  types = with g; map (v: v.type) [ (mkTuple [ true "x" (mkInt64 1) ]) (mkDictionaryEntry "a" (mkMaybe "i" null)) (mkObjectpath "/") ];
  errs = map (x: (builtins.tryEval (s x)).success) [ 5 { a = 1; } [ ] [ "a" true ] (x: x) ];
  is = [ (g.isGVariant (g.mkInt32 1)) (g.isGVariant 1) ];
  t = g.type.tupleOf [ "i" "s" ];
  ic = map (c: c.name) g.intConstructors;
}
