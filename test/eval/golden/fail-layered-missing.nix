# A missing attribute of a layered set: the suggestions come from every layer.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString (i + 10)}"; value = i; }) 40);
  s = big // { name1 = 1; } // { name2 = 2; };
in
s.name3 + s.k99
