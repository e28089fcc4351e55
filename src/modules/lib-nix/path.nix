# Path helpers (subset).
{ lib }:
rec {
  hasStorePathPrefix = (import ./native.nix).hasStorePathPrefix;
  append = path: subpath: path + ("/" + subpath);
  subpath = {
    isValid = value: builtins.isString value && value != "" && !(lib.hasPrefix "/" value);
    join = subpaths: lib.concatStringsSep "/" subpaths;
    normalise = s: s;
    components = s: builtins.filter (x: x != "" && x != ".") (lib.splitString "/" s);
  };
}
