# diff
# Frames of `x: …` are Env1 objects, every other frame an array (value.ts); a variable
# is read from either kind, at every distance, through lets, recs, withs, formals and
# `inherit (e)` sources in between, lazily (as arguments, selections and calls held by
# thunks) and strictly, and forced values are stored back in both kinds.
let
  deep = a: { b, ... }@args: c: let d = a + b; in rec {
    e = x: with { w = 100; }; y: { z ? 1000 }: let q = x + y; in
      [ a b c d q w z args.b (f x) g.h (k a) ];
    f = n: n * 2;
    g = { h = c + 1; };
    inherit (g) h;
    k = m: m + h;
  };
  r = (deep 1 { b = 2; } 3).e 4 5 { };
  # Ten levels of x: frames between a use and its binding (beyond the specialised depths).
  ten = a: b: c: d: e: f: g: h: i: j: [ a j (a + j) ];
  # A lambda argument forced through one frame, then read again through another.
  shared = x: let once = x + 1; in y: [ once x y (x + y) ];
  s = shared (1 + 1);
  # Arguments passed on as they are (maybeThunk of a variable keeps sharing).
  same = x: [ x ] == [ x ];
  f = x: x;
  # `inherit (x)` where x is a lambda argument; selections of it held lazily.
  inh = x: { inherit (x) p q; r = x.p.s; };
  t = inh { p = { s = "s"; }; q = 7; };
  # Calls of a lambda-bound function with lambda-bound arguments, held lazily.
  app = g: a: b: let v = g a b; w = g b a; in [ v w ];
  # with inside x: inside with.
  w = with { u = 1; }; x: with { v = 2; }; y: u + v + x + y;
in
[
  r
  (ten 1 2 3 4 5 6 7 8 9 10)
  (s 10)
  (s 20)
  (same f)
  (same 1.5)
  t
  (app (a: b: a - b) 10 3)
  (w 3 4)
  (builtins.map (x: builtins.map (y: x * y) [ 1 2 ]) [ 3 4 ])
  (builtins.foldl' (acc: x: acc ++ [ (x: x) x ]) [ ] [ 1 2 ])
]
