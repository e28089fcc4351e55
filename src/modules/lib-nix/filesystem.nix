# Filesystem helpers (subset).
{ lib }:
rec {
  inherit (builtins) baseNameOf dirOf hashFile isPath readDir readFileType;
  pathType = path: builtins.readFileType path;
  pathIsDirectory = path: builtins.pathExists path && pathType path == "directory";
  pathIsRegularFile = path: builtins.pathExists path && pathType path == "regular";
  listFilesRecursive = dir:
    lib.flatten (lib.mapAttrsToList (name: type:
      if type == "directory" then listFilesRecursive (dir + "/${name}") else dir + "/${name}") (builtins.readDir dir));
}
