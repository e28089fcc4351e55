# diff
# listToAttrs stores the pairs and names it forces back into the list and the pairs:
# the list and its pairs, read again afterwards (and compared, and partly failing
# before), must be what they were.
let
  pairs = builtins.genList (i: { name = "n" + toString (i - i / 5 * 5); value = i * 10; }) 12;
  s = builtins.listToAttrs pairs;
  f = x: x;
  withFn = [ { name = "f"; value = f; } { name = "g"; value = builtins.head [ f ]; } ];
  sf = builtins.listToAttrs withFn;
  bad = [ { name = "ok"; value = 1; } { name = throw "no name"; value = 2; } ];
  tried = builtins.tryEval (builtins.listToAttrs bad);
in
{
  inherit s;
  names = map (p: p.name) pairs;
  values = map (p: p.value) pairs;
  same = pairs == builtins.genList (i: { name = "n" + toString (i - i / 5 * 5); value = i * 10; }) 12;
  again = builtins.listToAttrs pairs == s;
  fnSame = sf.f == sf.f && (builtins.head withFn).value == f;
  tried = tried.success;
  badFirst = (builtins.head bad).name;
}
