# A directory with a subdirectory, an executable, a symlink and a dotfile.
with import ./lib.nix;
mk { name = "path-dir"; src = ./data/tree; }
