# diff
let l = builtins.genList (i: i * i) 10; in
[
  l
  (builtins.length l) (builtins.head l) (builtins.tail [ 1 2 3 ]) (builtins.elemAt l 3)
  (builtins.elem 9 l) (builtins.filter (x: x > 20) l)
  (builtins.foldl' (a: b: a + b) 0 l)
  (builtins.concatLists [ [ 1 ] [ ] [ 2 3 ] ])
  (builtins.concatMap (x: [ x x ]) [ 1 2 ])
  (builtins.sort (a: b: a < b) [ 3 1 2 5 4 ])
  (builtins.sort (a: b: a.k < b.k) [ { k = 1; v = "a"; } { k = 0; v = "b"; } { k = 1; v = "c"; } { k = 0; v = "d"; } ])
  (builtins.partition (x: x > 2) [ 1 2 3 4 ])
  (builtins.all (x: x > 0) l) (builtins.any (x: x > 80) l)
  (builtins.groupBy (x: if x > 10 then "big" else "small") l)
  ([ 1 ] ++ [ 2 ] ++ [ ])
  (builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 5 then [ { key = x.key + 1; } { key = x.key; } ] else [ ]; })
]
