# `lib.fileset` with file sets as explicit lists of file paths (nixpkgs keeps a lazy
# tree; a list is simpler and says the same for the sizes configurations use): the
# combinators, coercion of paths, and the bridges to sources — `toSource` copies
# exactly the set's files (and the directories leading to them) from a root,
# `fromSource` takes the files a `lib.sources` filter accepts.
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
  fileFilter = pred: path: mk (builtins.filter (p: pred { name = baseNameOf p; type = builtins.readFileType p; hasExt = e: lib.hasSuffix ".${e}" (baseNameOf p); }) (filesOf path));

  toSource = { root, fileset }:
    let
      files = toList fileset;
      names = map toString files;
      outside = builtins.filter (f: !lib.hasPrefix (toString root + "/") (toString f)) files;
      # Where the set's files could be: the deepest directory holding all of them.
      base =
        let
          parts = map (f: lib.splitString "/" (toString (dirOf f))) files;
          same = a: b: i: if i < builtins.length a && i < builtins.length b && builtins.elemAt a i == builtins.elemAt b i then same a b (i + 1) else i;
          common = builtins.foldl' (acc: p: lib.take (same acc p 0) acc) (builtins.head parts) (builtins.tail parts);
        in
        if common == [ "" ] then "/" else lib.concatStringsSep "/" common;
      # Every directory between the root and an included file.
      dirsOf = f: let d = dirOf f; in if d == f || toString d == toString root then [ ] else [ (toString d) ] ++ dirsOf d;
      keep = builtins.listToAttrs (map (n: { name = n; value = true; }) (names ++ lib.concatMap dirsOf files));
    in
    if !builtins.isPath root then
      if root ? _isLibCleanSourceWith then
        throw ''
          lib.fileset.toSource: `root` is a `lib.sources`-based value, but it should be a path instead.
              To use a `lib.sources`-based value, convert it to a file set using `lib.fileset.fromSource` and pass it as `fileset`.
              Note that this only works for sources created from paths.''
      else if builtins.isString root || root ? outPath || root ? __toString then
        throw ''
          lib.fileset.toSource: `root` (${toString root}) is a string-like value, but it should be a path instead.
              Paths in strings are not supported by `lib.fileset`, use `lib.sources` or derivations instead.''
      else throw "lib.fileset.toSource: `root` is of type ${builtins.typeOf root}, but it should be a path instead."
    else if !builtins.pathExists root then
      throw "lib.fileset.toSource: `root` (${toString root}) is a path that does not exist."
    else if builtins.readFileType root != "directory" then
      throw ''
        lib.fileset.toSource: `root` (${toString root}) is a file, but it should be a directory instead. Potential solutions:
            - If you want to import the file into the store _without_ a containing directory, use string interpolation or `builtins.path` instead of this function.
            - If you want to import the file into the store _with_ a containing directory, set `root` to the containing directory, such as ${toString (dirOf root)}, and set `fileset` to the file path.''
    else if outside != [ ] then
      throw ''
        lib.fileset.toSource: `fileset` could contain files in ${base}, which is not under the `root` (${toString root}). Potential solutions:
            - Set `root` to ${base} or any directory higher up. This changes the layout of the resulting store path.
            - Set `fileset` to a file set that cannot contain files outside the `root` (${toString root}). This could change the files included in the result.''
    else
      lib.sources.cleanSourceWith {
        name = "source";
        src = root;
        filter = path: _: keep ? ${toString path};
      };

  # The files of a path-based `lib.sources` value its filter accepts (directories the
  # filter rejects are not entered, as when copying).
  fromSource = source:
    let
      src = if source ? _isLibCleanSourceWith then source else { origSrc = source; filter = _: _: true; };
      walk = dir: lib.concatLists (lib.mapAttrsToList (n: t:
        let p = dir + "/${n}"; in
        if !src.filter (toString p) t then [ ]
        else if t == "directory" then walk p
        else [ p ]) (builtins.readDir dir));
    in
    if builtins.isPath src.origSrc then
      (if builtins.readFileType src.origSrc == "directory" then mk (walk src.origSrc) else mk [ src.origSrc ])
    else throw "lib.fileset.fromSource: The source origin of the argument is of type ${builtins.typeOf src.origSrc}, but it should be a path instead.";
  maybeMissing = path: if builtins.pathExists path then coerce path else empty;
  trace = fs: x: builtins.trace (map toString (toList fs)) x;
}
