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

  # A package set laid out as files: `foo.nix` is `callPackage ./foo.nix { }`, a
  # directory with a `package.nix` is that package, any other directory a nested set
  # (a scope of its own when `newScope` is given, so its packages see each other);
  # other regular files are ignored.
  packagesFromDirectoryRecursive = { callPackage, newScope ? throw "lib.packagesFromDirectoryRecursive: newScope wasn't passed in args", directory }@args:
    let
      entries = args: lib.concatMapAttrs (name: type:
        let path = args.directory + "/${name}"; in
        if type == "directory" then { ${name} = packagesFromDirectoryRecursive (args // { directory = path; }); }
        else if type == "regular" && lib.hasSuffix ".nix" name then { ${lib.removeSuffix ".nix" name} = args.callPackage path { }; }
        else if type == "regular" then { }
        else throw ''
          lib.filesystem.packagesFromDirectoryRecursive: Unsupported file type ${type} at path ${toString path}
        '') (builtins.readDir args.directory);
    in
    if builtins.pathExists (directory + "/package.nix") then callPackage (directory + "/package.nix") { }
    else if args ? newScope then
      lib.recurseIntoAttrs (lib.makeScope newScope (self: entries (args // { inherit (self) callPackage newScope; })))
    else entries args;
}
