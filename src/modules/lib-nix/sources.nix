# Source filtering: `cleanSourceWith` results carry their original path and the
# conjunction of all filters applied so far, so filtering a filtered source makes one
# `builtins.path` call on the original (a store path can't be filtered again), and the
# name survives until someone renames it. Git helpers read `.git` directly: HEAD, the
# ref it names (loose or packed) and worktrees' `gitdir:` links.
{ lib }:
let
  inherit (builtins) match readFile split filter isString;
  inherit (lib.filesystem) pathIsRegularFile;

  asSource = src:
    if src ? _isLibCleanSourceWith then { inherit (src) origSrc filter name; }
    else { origSrc = src; filter = _: _: true; name = "source"; };

  mkSource = { origSrc, filter, name }: {
    _isLibCleanSourceWith = true;
    inherit origSrc filter name;
    outPath = builtins.path { inherit filter name; path = origSrc; };
  };

  # `base/path` unless `path` is absolute (and always absolute itself).
  resolveFrom = base: path:
    if lib.hasPrefix "/" path then path
    else if lib.hasPrefix "/" base then "${base}/${path}"
    else "/${base}/${path}";

  # { value = commit; } or { error = why; }: `file` (a ref) looked up in git dir `dir`.
  commitOf = file: dir:
    let
      loose = dir + "/${file}";
      packed = dir + "/packed-refs";
    in
    if pathIsRegularFile dir then
      # A worktree or submodule: `.git` is a file naming the real git dir.
      let m = match "^gitdir: (.*)$" (lib.fileContents dir); in
      if m == null then { error = "File contains no gitdir reference: " + dir; }
      else
        let
          gitDir = resolveFrom (dirOf dir) (lib.head m);
          common = resolveFrom gitDir (lib.removeSuffix "/"
            (if pathIsRegularFile "${gitDir}/commondir" then lib.fileContents "${gitDir}/commondir" else gitDir));
        in
        commitOf (lib.removePrefix "${common}/" "${gitDir}/${file}") common
    else if pathIsRegularFile loose then
      let
        text = lib.fileContents loose;
        ref = match "^ref: (.*)$" text;
      in
      if ref == null then { value = text; } else commitOf (lib.head ref) dir
    else if pathIsRegularFile packed then
      let
        line = match "([a-z0-9]+) ${file}";
        hits = filter (s: isString s && line s != null) (split "\n" (readFile packed));
      in
      if hits == [ ] then { error = "Could not find " + file + " in " + packed; }
      else { value = lib.head (line (lib.head hits)); }
    else { error = "Not a .git directory: " + toString dir; };
in
rec {
  inherit (builtins) filterSource;

  # Version-control metadata, editor droppings, build objects, `result*` links, sockets.
  cleanSourceFilter = name: type:
    let base = baseNameOf name; in
    !(
      base == ".git"
      || (type == "directory" && builtins.elem base [ ".svn" "CVS" ".hg" ".jj" ".pijul" "_darcs" ])
      || lib.hasSuffix "~" base
      || match "^\\.sw[a-z]$" base != null
      || match "^\\..*\\.sw[a-z]$" base != null
      || lib.hasSuffix ".o" base
      || lib.hasSuffix ".so" base
      || (type == "symlink" && lib.hasPrefix "result" base)
      || type == "unknown"
    );

  cleanSourceWith = { src, filter ? _: _: true, name ? null }:
    let orig = asSource src; in
    mkSource {
      inherit (orig) origSrc;
      # The earlier filter runs only where the new one accepts.
      filter = path: type: filter path type && orig.filter path type;
      name = if name != null then name else orig.name;
    };

  cleanSource = src: cleanSourceWith { filter = cleanSourceFilter; inherit src; };

  # Keep what some regular expression matches, relative to the original source.
  sourceByRegex = src: regexes:
    let origSrc = (asSource src).origSrc; in
    cleanSourceWith {
      inherit src;
      filter = path: type:
        let rel = lib.removePrefix (toString origSrc + "/") (toString path); in
        lib.any (re: match re rel != null) regexes;
    };

  sourceFilesBySuffices = src: exts:
    cleanSourceWith {
      inherit src;
      filter = name: type: type == "directory" || lib.any (ext: lib.hasSuffix ext (baseNameOf name)) exts;
    };

  commitIdFromGitRepo = path: let r = commitOf "HEAD" path; in r.value or (throw r.error);
  pathIsGitRepo = path: commitOf "HEAD" path ? value;

  pathHasContext = builtins.hasContext;
  # A string with context is a store path already: it can't be filtered.
  canCleanSource = src: src ? _isLibCleanSourceWith || !(pathHasContext (toString src));

  # A commit hash shortened to 7, a version-like tag to its version, anything else as is.
  shortRev = rev:
    let
      base = baseNameOf (toString rev);
      version = match "([A-Za-z]+[-_. ]?)*(v)?([0-9.]+.*)" base;
    in
    if match "[a-f0-9]+" base != null then builtins.substring 0 7 base
    else if version != null then lib.last version
    else base;

  revOrTag = rev: tag: if tag != null then tag else if rev != null then rev else "HEAD";
}
