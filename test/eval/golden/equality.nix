# diff
let
  f = x: x;
  s = { inherit f; };
  drv1 = { type = "derivation"; outPath = "/a"; x = 1; };
  drv2 = { type = "derivation"; outPath = "/a"; x = 2; };
in [
  (f == f)
  ([ f ] == [ f ])
  (s == s)
  ({ inherit f; } == { inherit f; })
  (1 == 1.0)
  ("a" == "a")
  ([ 1 2 ] == [ 1 2 ])
  ({ a = 1; } == { a = 1; })
  (drv1 == drv2)
  (null == null)
  (1 == "1")
  ([ 1 [ 2 ] ] < [ 1 [ 3 ] ])
  ("abc" < "abd")
]
