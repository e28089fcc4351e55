let s = { foo = 1; foobar = 2; }; in s.fo
