# nix-instantiate's traversal: sorted names, attribute-path names only,
# `recurseForDerivations`, duplicates once.
with import ./lib.nix;
let a = mk { name = "rfd-a"; }; in
{
  z = mk { name = "rfd-z"; };
  a = a;
  again = a;
  "1notanattr" = mk { name = "rfd-skipped"; };
  nested = { recurseForDerivations = true; x = mk { name = "rfd-nested"; }; deeper = { y = mk { name = "rfd-not-reached"; }; }; };
  notRecursed = { x = mk { name = "rfd-hidden"; }; };
  list = [ (mk { name = "rfd-list"; }) ];
}
