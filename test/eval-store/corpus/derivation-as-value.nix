# A derivation as an attribute value is its outPath; a list of them is space-joined.
with import ./lib.nix;
let a = mk { name = "val-a"; }; b = mk { name = "val-b"; }; in
mk { name = "drv-values"; one = a; many = [ a b ]; }
