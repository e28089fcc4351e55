[
  (builtins.toJSON { a = [ 1 2.5 "x\n" null true ]; b = { c = "é"; }; })
  (builtins.fromJSON ''{"a": [1, 2.5, "x", null, true, {"b": -3}], "u": "\u00e9\ud83d\ude00"}'')
  (builtins.toJSON 1.0) (builtins.toJSON 0.1) (builtins.toJSON 1.0e21)
]
