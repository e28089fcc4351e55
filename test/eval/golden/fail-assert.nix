let f = x: assert x == 2; x; in f 1
