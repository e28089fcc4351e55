# diff
let s = { b = 2; a = 1; c = { d = 4; }; "with space" = 5; }; in
[
  (builtins.attrNames s) (builtins.attrValues { x = 1; y = 2; })
  (s.c.d) (s.x or "default") (s.c.e or s.a) (s ? c.d) (s ? c.e)
  (s // { a = 10; z = 26; })
  (builtins.removeAttrs s [ "a" "c" ])
  (builtins.listToAttrs [ { name = "x"; value = 1; } { name = "x"; value = 2; } ])
  (builtins.intersectAttrs { a = 0; z = 0; } s)
  (builtins.catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ])
  (builtins.mapAttrs (n: v: "${n}=${toString v}") { x = 1; y = 2; })
  (builtins.zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ])
  (builtins.getAttr "b" s) (builtins.hasAttr "q" s)
  { a.b.c = 1; a.b.d = 2; "x y".z = 3; ${"dyn" + "amic"} = 4; ${null} = 5; }
]
