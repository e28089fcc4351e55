# diff
let
  a = 1;
  s = rec { a = 2; b = a + 1; inherit (t) c; d = c * 10; };
  t = { c = 5; };
  u = { inherit a; inherit (t) c; };
in [ s u (let inherit (s) b d; in b + d) ]
