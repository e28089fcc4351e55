# A small `lib.fileset`: file sets as explicit, sorted lists of file paths.
# Enough for options of type `types.fileset` (empty, unions, toList, coercion of
# paths); nixpkgs' lazy tree representation and source filtering are not provided.
{ lib }:
let
  mk = files: { _type = "fileset"; _files = files; };
  filesOf = p:
    let t = builtins.readFileType p; in
    if t == "directory" then
      lib.concatLists (lib.mapAttrsToList (n: _: filesOf (p + "/${n}")) (builtins.readDir p))
    else [ p ];
  coerceResult = v:
    if (v._type or null) == "fileset" then { success = true; value = v; }
    else if builtins.isPath v then
      if builtins.pathExists v then { success = true; value = mk (filesOf v); }
      else { success = false; message = "lib.fileset: Argument (${toString v}) is a path that does not exist."; }
    else { success = false; message = "lib.fileset: Argument is of type ${builtins.typeOf v}, but it should be a file set or a path instead."; };
  coerce = v: let r = coerceResult v; in if r.success then r.value else throw r.message;
  dedupe = files:
    map (x: x.p) (builtins.attrValues (builtins.listToAttrs (map (p: { name = toString p; value = { inherit p; }; }) files)));
in
rec {
  empty = mk [ ];
  isFileset = x: (coerceResult x).success;
  toList = fs: (coerce fs)._files;
  union = a: b: unions [ a b ];
  unions = filesets:
    if !builtins.isList filesets then
      throw "lib.fileset.unions: Argument is of type ${builtins.typeOf filesets}, but it should be a list instead."
    else mk (dedupe (lib.concatMap (fs: (coerce fs)._files) filesets));
  intersection = a: b:
    let bs = map toString (toList b); in mk (builtins.filter (p: builtins.elem (toString p) bs) (toList a));
  difference = a: b:
    let bs = map toString (toList b); in mk (builtins.filter (p: !builtins.elem (toString p) bs) (toList a));
  fileFilter = pred: path: mk (builtins.filter (p: pred { name = baseNameOf p; type = "regular"; hasExt = e: lib.hasSuffix ".${e}" (baseNameOf p); }) (filesOf path));
  maybeMissing = path: if builtins.pathExists path then coerce path else empty;
  trace = fs: x: builtins.trace (map toString (toList fs)) x;
}
