let s = { a = 1;
  b = 2; }; in [ __curPos (builtins.unsafeGetAttrPos "b" s) ]
