# Source filtering (subset).
{ lib }:
rec {
  cleanSourceFilter = name: type:
    let baseName = baseNameOf (toString name); in
    !((type == "directory" && (baseName == ".git" || baseName == ".svn")) || lib.hasSuffix "~" baseName);
  cleanSourceWith = { src, filter ? _: _: true, name ? null }: src;
  cleanSource = src: src;
  sourceByRegex = src: regexes: src;
  sourceFilesBySuffices = src: exts: src;
  pathIsGitRepo = path: false;
}
