# A non-default output: nix-instantiate prints `drv!dev`.
with import ./lib.nix;
(mk { name = "sel"; outputs = [ "out" "dev" ]; }).dev
