# diff
# Large and many-piece string results (the builders switch strategy past a few dozen
# pieces or a few hundred bytes), non-ASCII bytes, contexts, and fromJSON objects that
# share or do not share their key lists.
let
  h = s: [ (builtins.stringLength s) (builtins.hashString "sha256" s) (builtins.substring 0 40 s) ];
  nums = builtins.genList toString 3000;
  big = builtins.concatStringsSep "," nums;
  long = builtins.concatStringsSep "" (builtins.genList (i: "é${toString i}") 400);
  mixed = builtins.genList (i: if i / 7 * 7 == i then long else "s${toString i}ü") 60;
  d = derivation { name = "a"; builder = "b"; system = "x"; };
  d2 = derivation { name = "c"; builder = "b"; system = "x"; };
  withCtx = builtins.genList (i: if i == 17 then "${d}" else toString i) 50;
in
[
  (h big)
  (h (builtins.concatStringsSep "é" (builtins.genList (i: "x${toString i}") 100)))
  (h (builtins.concatStringsSep "" mixed))
  (h (builtins.concatStringsSep "\n" mixed))
  (h (builtins.concatStringsSep "," (builtins.genList (i: "") 40)))
  (h (builtins.concatStringsSep "é-" (builtins.genList (i: if i / 2 * 2 == i then long else "ü${toString i}") 40)))
  (h (builtins.replaceStrings [ "é5" ] [ "ü" ] long))
  (h (builtins.replaceStrings [ "1" ] [ "one" ] big))
  (h (builtins.replaceStrings [ "1" ] [ "é" ] big))
  (h (builtins.replaceStrings [ "é" ] [ "e" ] long))
  (h (builtins.replaceStrings [ "9" ] [ "nine" ] (builtins.concatStringsSep "" mixed)))
  (h (builtins.replaceStrings [ "1" "2" "12" ] [ "a" "bb" "X" ] big))
  (h (builtins.replaceStrings [ "1" "2" "3" "4" "5" "6" ] [ "a" "é" "" "dddd" "5" "66" ] big))
  (h (builtins.replaceStrings [ "" ] [ "-" ] (builtins.substring 0 700 long)))
  (h (builtins.replaceStrings [ "0" "" ] [ "z" "." ] (builtins.substring 0 300 big)))
  (builtins.getContext (builtins.concatStringsSep "," withCtx))
  (builtins.getContext (builtins.replaceStrings [ "1" ] [ "${d}" ] big))
  (builtins.getContext (builtins.replaceStrings [ "no such" ] [ "${d}" ] big))
  (builtins.getContext (builtins.replaceStrings [ "1" ] [ "x" ] (builtins.concatStringsSep "," withCtx)))
  (let s = "${d}-${d2}"; in [ (builtins.substring 3 20 s) (builtins.getContext (builtins.substring 3 20 s)) ])
  (map toString [ 0 7 (-5) 123456789012 (-9223372036854775807) ])
  (map (s: [ s (builtins.getContext s) ]) [ "${d}/bin" "${d}${d}" "${d}-${d2}-${d}" "x${d2.drvPath}${d}" ("a" + "${d}" + "b") ])
  (builtins.fromJSON ''[{"a":1,"b":"x"},{"a":2,"b":"y"},{"b":"z","a":3},{"a":4,"a":5},{"a":6,"b":"w"},{"a":7},{}]'')
  (let
     ks = builtins.genList (i: "k${toString (i * 7 - i / 3 * 20)}") 20;
     obj = ks: "{" + builtins.concatStringsSep "," (map (k: ''"${k}":"${k}v"'') ks) + "}";
   in builtins.fromJSON "[${obj ks},${obj ks},${obj (builtins.sort (a: b: a < b) ks)},${obj (ks ++ [ "k0" ])},${obj ks}]")
  (let l = builtins.genList (i: { n = i; s = "é${toString i}"; l = [ i true null ]; }) 500; in
    builtins.fromJSON (builtins.toJSON l) == l)
  (h (builtins.toJSON (builtins.genList (i: { k = "v${toString i}é\n"; }) 2000)))
]
