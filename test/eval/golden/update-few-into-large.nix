# diff
# `//` of a few names into a large set (mergeFew / mergeInsertOne): names, values and positions.
let
  lit = { a0 = 0; a1 = 1; a2 = 2; a3 = 3; a4 = 4; a5 = 5; a6 = 6; a7 = 7; a8 = 8; a9 = 9; a10 = 10; a11 = 11; a12 = 12; a13 = 13; a14 = 14; a15 = 15; a16 = 16; a17 = 17; a18 = 18; a19 = 19; a20 = 20; a21 = 21; a22 = 22; a23 = 23; a24 = 24; a25 = 25; a26 = 26; a27 = 27; a28 = 28; a29 = 29; a30 = 30; a31 = 31; a32 = 32; a33 = 33; a34 = 34; a35 = 35; a36 = 36; a37 = 37; a38 = 38; a39 = 39; a40 = 40; a41 = 41; a42 = 42; a43 = 43; a44 = 44; a45 = 45; a46 = 46; a47 = 47; a48 = 48; a49 = 49; a50 = 50; a51 = 51; a52 = 52; a53 = 53; a54 = 54; a55 = 55; a56 = 56; a57 = 57; a58 = 58; a59 = 59; a60 = 60; a61 = 61; a62 = 62; a63 = 63; a64 = 64; a65 = 65; a66 = 66; a67 = 67; a68 = 68; a69 = 69; a70 = 70; a71 = 71; a72 = 72; a73 = 73; a74 = 74; a75 = 75; a76 = 76; a77 = 77; a78 = 78; a79 = 79; a80 = 80; a81 = 81; a82 = 82; a83 = 83; a84 = 84; a85 = 85; a86 = 86; a87 = 87; a88 = 88; a89 = 89; a90 = 90; a91 = 91; a92 = 92; a93 = 93; a94 = 94; a95 = 95; a96 = 96; a97 = 97; a98 = 98; a99 = 99; };
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString (i * 2)}"; value = i; }) 200);
  small = { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; i = 9; j = 10; k = 11; l = 12; };
  sets = {
    insertReplace = big // { k5 = "new"; k10 = "old"; };
    firstAndLast = big // { k0 = "x"; zz = "end"; };
    emptyName = big // { "" = 0; k398 = 1; };
    smallInsert = small // { bb = 1; c = 30; };
    smallOne = small // { aa = 1; };
    litThree = lit // { a50x = 1; a7 = 2; a99 = 3; };
    litAppend = lit // { zzz = 1; };
    chain = builtins.foldl' (acc: i: acc // { "n${toString i}" = i; a3 = i; }) lit (builtins.genList (i: i) 30);
  };
  p = builtins.unsafeGetAttrPos;
  posOf = s: map (k: p k s) (builtins.filter (k: builtins.elem k [ "k5" "a7" "a50x" "a99" "a0" "zz" "bb" "c" "aa" "l" "zzz" "n29" "a3" ]) (builtins.attrNames s));
in builtins.mapAttrs (_: s: { names = builtins.attrNames s; values = builtins.attrValues s; pos = posOf s; }) sets
