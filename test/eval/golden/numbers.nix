# diff
[
  (1 + 2) (7 / 2) (-7 / 2) (2 * 3.5) (1.0 / 3) 1.0e3 (builtins.div 10 3)
  0.1 100000.0 1000000.0 1.5e-7 123456789.0
  (builtins.bitAnd 12 10) (builtins.bitOr 12 10) (builtins.bitXor 12 10)
  (builtins.floor 2.7) (builtins.ceil 2.1) (builtins.floor (-2.5))
  9223372036854775807 (-9223372036854775807)
  (builtins.toString 3.5) (builtins.toString 100)
  (builtins.typeOf 1) (builtins.typeOf 1.0)
]
