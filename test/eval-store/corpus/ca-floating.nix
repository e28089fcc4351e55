# flags: --extra-experimental-features ca-derivations
# Floating content-addressed outputs and a dependent with deferred outputs.
with import ./lib.nix;
let a = mk { name = "ca-a"; __contentAddressed = true; outputHashMode = "recursive"; outputHashAlgo = "sha256"; outputs = [ "out" "dev" ]; }; in
mk { name = "ca-user"; dep = a; dev = a.dev; }
