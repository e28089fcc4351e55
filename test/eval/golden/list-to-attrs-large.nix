# diff
# listToAttrs on long lists (sorted by name, the first pair of a name winning), read
# back by enough lookups that the result builds its name index; and toString of ints
# around the boundaries of the three-digit pieces it is built from.
let
  n = 300;
  # Names repeat every 97 pairs: the first pair of each name wins, later ones may lack `value`.
  pairs = builtins.genList (i: if i < 97 then { name = "k${toString (i * 7 - i / 13 * 13)}"; value = i; } else { name = "k${toString ((i - 97 * (i / 97)) * 7 - (i - 97 * (i / 97)) / 13 * 13)}"; }) n;
  s = builtins.listToAttrs pairs;
  names = builtins.attrNames s;
  lookups = builtins.map (k: s.${k}) names;
  again = builtins.map (k: s.${k} or null) (builtins.genList (i: "k${toString i}") 700);
  pos = builtins.unsafeGetAttrPos (builtins.head names) s;
  ints = [ 0 9 10 99 100 999 1000 1001 9999 10000 99999 100000 999999 1000000 1000001 12345678 99999999 100000000 999999999 1000000000 4294967296 9007199254740993 (-1) (-999) (-1000) (-1000001) ];
in
{
  size = builtins.length names;
  inherit names lookups;
  again = builtins.length (builtins.filter (x: x != null) again);
  sum = builtins.foldl' (a: b: a + b) 0 lookups;
  pos = [ pos.line pos.column ];
  strings = map toString ints;
  interpolated = builtins.concatStringsSep "," (map (i: "<${toString i}>") ints);
  numbered = builtins.concatStringsSep "" (builtins.genList toString 1200);
}
