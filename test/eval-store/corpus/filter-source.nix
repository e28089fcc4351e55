# The filter sees full paths and lstat types; excluded directories are not entered.
with import ./lib.nix;
let
  isTxt = path: let b = baseNameOf path; l = builtins.stringLength b; in l > 4 && builtins.substring (l - 4) 4 b == ".txt";
in
mk { name = "fs"; src = builtins.filterSource (path: type: type == "directory" || isTxt path) ./data/tree; }
