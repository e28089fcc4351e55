# The rest of lib that configurations reach for: recursive attrset listing, list and
# string helpers, camelCase, subpaths and path prefixes, source filtering, meta and
# kernel helpers, re-exports of builtins under their lib namespaces.
# store: read-write
let
  lib = import <nixpkgs/lib>;
  tree = { a = { b = 1; c = { d = 2; }; }; e = 3; f = { }; };
  src = ./lib-extras-src;
  names = s: builtins.attrNames (builtins.readDir s);
  callPackageWith = auto: fn: args: let f = import fn; in f (builtins.intersectAttrs (builtins.functionArgs f) auto // args);
  pkgs = ./lib-extras-pkgs;
  scoped = lib.makeScope (extra: callPackageWith ({ x = 5; } // extra)) (self:
    lib.packagesFromDirectoryRecursive { inherit (self) callPackage newScope; directory = pkgs; });
  pkg = platforms: { type = "derivation"; name = "p"; meta = { inherit platforms; }; };
in
{
  recursive = lib.mapAttrsToListRecursive (p: v: "${lib.concatStringsSep "." p}=${toString v}") tree;
  recursiveCond = lib.mapAttrsToListRecursiveCond (p: _: p != [ "a" ]) (p: v: p) tree;
  concatAttrValues = lib.concatAttrValues { a = [ 1 2 ]; b = [ 3 ]; };
  replaceElemAt = lib.replaceElemAt [ 1 2 3 ] 1 20;
  replaceElemAtOut = (builtins.tryEval (lib.replaceElemAt [ 1 ] 5 0)).success;
  join = lib.join "," [ "a" "b" ];
  strReplicate = lib.strings.replicate 3 "ab";
  listReplicate = lib.replicate 2 "x";
  splitBy = lib.splitStringBy (p: c: c == "-") false "a-b--c";
  splitKeep = lib.splitStringBy (p: c: builtins.match "[A-Z]" c != null) true "fooBarBaz";
  splitEmpty = lib.splitStringBy (p: c: true) false "";
  camel = map lib.toCamelCase [ "hello-world" "foo_bar baz" "alreadyCamelCase" "XMLHttp-request" "" "a" ];
  strElem = lib.strings.elem 2 [ 1 2 ];
  normalise = map lib.path.subpath.normalise [ "foo//bar/./" "./." "." "a" "./a/b/." ];
  normaliseBad = map (s: (builtins.tryEval (lib.path.subpath.normalise s)).success) [ "/a" "a/../b" "" ];
  subJoin = [ (lib.path.subpath.join [ "a/" "./b" "." ]) (lib.path.subpath.join [ ]) ];
  components = lib.path.subpath.components "./a//b/";
  isValid = map lib.path.subpath.isValid [ "a" "/a" ".." "a/.." "..a" "" ];
  hasPrefix = [ (lib.path.hasPrefix /foo /foo/bar) (lib.path.hasPrefix /foo/bar /foo) (lib.path.hasPrefix /foo /foobar) (lib.path.hasPrefix /. /x) ];
  removePrefix = [ (lib.path.removePrefix /foo /foo/bar/baz) (lib.path.removePrefix /foo /foo) ];
  splitRoot = lib.path.splitRoot /foo/bar;
  cleaned = names (lib.cleanSource src);
  cleanedSub = names "${lib.cleanSource src}/sub";
  byRegex = names (lib.sourceByRegex src [ "sub" "sub/.*\\.c" "a\\.c" ]);
  bySuffix = names (lib.sourceFilesBySuffices src [ ".h" ]);
  cleanName = (lib.cleanSourceWith { src = lib.cleanSource src; name = "renamed"; }).name;
  filteredTwice = names (lib.cleanSourceWith { src = lib.cleanSource src; filter = p: t: baseNameOf p != "a.c"; });
  canClean = [ (lib.canCleanSource src) (lib.canCleanSource (lib.cleanSource src)) (lib.canCleanSource "${src}") ];
  shortRev = map lib.sources.shortRev [ "0123456789abcdef" "v1.2.3" "release-2.0" "main" ];
  revOrTag = [ (lib.revOrTag "abc" null) (lib.revOrTag null "v1") (lib.revOrTag null null) ];
  kernel = with lib.kernel; [ yes no module unset (freeform "42") (option yes) ];
  availableOn = [
    (lib.meta.availableOn { system = "x86_64-linux"; } (pkg [ "x86_64-linux" ]))
    (lib.meta.availableOn { system = "aarch64-linux"; } (pkg [ "x86_64-linux" ]))
    (lib.meta.availableOn { system = "x86_64-linux"; } { meta = { badPlatforms = [ "x86_64-linux" ]; }; })
    (lib.meta.availableOn { system = "x86_64-linux"; } { })
  ];
  prioSet = lib.mapAttrs (_: v: v.meta.priority or null) (lib.hiPrioSet { a = pkg [ ]; b = 1; });
  lowPrio = (lib.lowPrioSet { a = pkg [ ]; }).a.meta.priority;
  defaultPriority = lib.meta.defaultPriority;
  fromDirectory = lib.packagesFromDirectoryRecursive { callPackage = callPackageWith { x = 1; a = "A"; }; directory = pkgs; };
  fromDirectoryScoped = [ scoped.a scoped.sub.b scoped.sub.inner.c scoped.withpkg scoped.sub.recurseForDerivations ];
  reexports = [ (lib.trivial.add 1 2) (lib.trivial.ceil 1.5) (lib.versions.compareVersions "1.2" "1.10") (lib.filesystem.baseNameOf "/a/b") (lib.debug.trace "" 1) (lib.strings.typeOf 1) ];
}
