# diff
# 9000 nested non-tail calls evaluate (CppNix's max-call-depth is 10000).
let
  count = n: if n == 0 then 0 else 1 + count (n - 1);
in count 9000
