# diff
# replaceStrings of one one-byte pattern in long strings (the byte-by-byte path):
# occurrences at both ends, none before the first, replacements empty, long, non-ASCII
# and with context, outputs long enough to fill several of the writer's 256 KiB chunks.
let
  digits = builtins.concatStringsSep "," (builtins.genList toString 60000);
  h = builtins.hashString "sha256";
  e = builtins.substring 0 1 "é"; # the byte 0xc3 alone
  accents = builtins.concatStringsSep "" (builtins.genList (i: if i / 7 * 7 == i then "é" else "ab") 20000);
  withCtx = "${builtins.toFile "x" "x"}";
  r1 = builtins.replaceStrings [ "1" ] [ "one" ] digits;
  r2 = builtins.replaceStrings [ "," ] [ "" ] digits;
  r3 = builtins.replaceStrings [ "0" ] [ "ééééé-long-replacement-of-forty-or-so-bytes-é" ] digits;
  r4 = builtins.replaceStrings [ e ] [ "E" ] accents;
  r5 = builtins.replaceStrings [ "a" ] [ withCtx ] accents;
  r6 = builtins.replaceStrings [ "9" ] [ "nine" ] ("9" + builtins.substring 0 400 digits + "9");
in
{
  lengths = map builtins.stringLength [ digits r1 r2 r3 r4 r5 r6 ];
  hashes = map h [ r1 r2 r3 r4 r5 ];
  r6 = r6;
  ends = [ (builtins.substring 0 20 r1) (builtins.substring (builtins.stringLength r3 - 60) 60 r3) (builtins.substring 0 12 r4) ];
  ctx = builtins.hasContext r5;
  noMatch = builtins.replaceStrings [ "x" ] [ "y" ] digits == digits;
}
