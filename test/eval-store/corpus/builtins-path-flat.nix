with import ./lib.nix;
mk {
  name = "bp-flat";
  flat = builtins.path { path = ./data/hello.txt; recursive = false; };
  pinned = builtins.path { path = ./data/hello.txt; name = "pinned"; sha256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"; recursive = false; };
}
