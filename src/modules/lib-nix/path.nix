# Path helpers (subset).
{ lib }:
rec {
  hasStorePathPrefix = path:
    let
      s = toString path;
      storeDir = builtins.storeDir;
      rest = lib.removePrefix (storeDir + "/") s;
      first = builtins.head (lib.splitString "/" rest);
    in
    lib.hasPrefix (storeDir + "/") s && first != "" && builtins.match "[0-9a-df-np-sv-z]{32}-.+" first != null;
  append = path: subpath: path + ("/" + subpath);
  subpath = {
    isValid = value: builtins.isString value && value != "" && !(lib.hasPrefix "/" value);
    join = subpaths: lib.concatStringsSep "/" subpaths;
    normalise = s: s;
    components = s: builtins.filter (x: x != "" && x != ".") (lib.splitString "/" s);
  };
}
