# diff
# Static scope beats `with`; the innermost `with` wins; `with` subjects are lazy.
let x = "lexical"; in
[
  (with { x = "with"; }; x)
  (with { y = "outer"; }; with { y = "inner"; }; y)
  (with { a = 1; }; with { b = 2; }; a + b)
  (with (throw "never forced"); 42)
  (with { true = false; }; true)
  (let true = false; in true)
]
