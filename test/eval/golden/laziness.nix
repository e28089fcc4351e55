# diff
let
  ones = { head = 1; tail = ones; };
  nats = builtins.genList (i: i) 1000000;
  s = { a = throw "not forced"; b = 2; };
in [
  ones.tail.tail.head
  (builtins.length nats)
  (builtins.elemAt nats 999999)
  s.b
  (builtins.length [ (throw "x") (abort "y") ])
  (builtins.tryEval (throw "caught")).success
  (builtins.tryEval (assert false; 1)).success
  (builtins.tryEval 42)
  (builtins.seq 1 2)
  (builtins.foldl' (a: b: a + b) 0 nats)
]
