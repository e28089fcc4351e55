# diff
# Values of forced thunks are stored back where they were read from (value.ts,
# `settles`); functions keep their thunk, so pointer equality stays CppNix's.
let
  fs = map (x: y: y) [ 1 2 ];
  f = builtins.head fs;
  s = { g = builtins.elemAt fs 1; n = 1 + 1; h = f; };
  g = s.g;
  strs = map toString [ 1 2 3 ];
  joined = builtins.concatStringsSep "," strs;
in
builtins.seq f (builtins.seq g (builtins.seq joined [
  ([ f ] == [ f ])
  ([ g ] == [ s.g ])
  ([ s.g ] == [ s.g ])
  ([ s.h ] == [ f ])
  (s.n == 2)
  ([ (builtins.head fs) ] == [ f ])
  ([ (builtins.head fs) ] == [ (builtins.head fs) ])
  (strs == [ "1" "2" "3" ])
  joined
  ([ s ] == [ s ])
  (fs == fs)
  ([ fs ] == [ fs ])
]))
