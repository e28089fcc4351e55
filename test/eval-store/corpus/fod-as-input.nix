# A fixed-output input contributes its content address, not its ATerm, to
# dependents' hashes: two fetches of the same content give the same dependent.
with import ./lib.nix;
let
  f1 = mk { name = "src"; outputHash = emptySha256; outputHashAlgo = "sha256"; url = "one"; };
  f2 = mk { name = "src"; outputHash = emptySha256; outputHashAlgo = "sha256"; url = "two"; };
in
[ (mk { name = "user"; src = f1; }) (mk { name = "user"; src = f2; }) ]
