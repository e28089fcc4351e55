# One package set per platform (and allowUnfree setting), shared by every NixOS
# evaluation of a session: a file's value is computed once, so the parent and its
# specialisations see the same derivations instead of recomputing identical ones.
# Only the common case is shared — no overlays, no other nixpkgs.config settings —
# because anything else could make two sets differ.
let
  mk = system: allowUnfree: import ./. { inherit system; config = { inherit allowUnfree; }; };
  platforms = [ "x86_64-linux" "aarch64-linux" "i686-linux" "riscv64-linux" ];
in
builtins.listToAttrs (map (system: {
  name = system;
  value = { free = mk system false; unfree = mk system true; };
}) platforms)
