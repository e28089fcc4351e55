# diff
let
  f = { a, b ? a * 2, ... }@args: a + b + builtins.length (builtins.attrNames args);
  g = args@{ x, y ? 10 }: x + y;
  functor = { __functor = self: n: self.base + n; base = 100; };
  curry = a: b: c: a * 100 + b * 10 + c;
in [
  (f { a = 1; })
  (f { a = 1; b = 1; z = 0; })
  (g { x = 1; })
  (functor 5)
  (curry 1 2 3)
  (builtins.functionArgs f)
  (builtins.functionArgs (x: x))
  (map (curry 1 2) [ 1 2 ])
]
