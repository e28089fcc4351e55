# lib.fileset: toSource copies exactly a set's files and the directories leading to
# them; fromSource takes what a lib.sources filter accepts; roots are checked.
# store: read-write
# oracle: tsnix
let
  lib = import <nixpkgs/lib>;
  fs = lib.fileset;
  root = ./lib-extras-src;
  names = s: builtins.attrNames (builtins.readDir s);
  s1 = fs.toSource { inherit root; fileset = fs.unions [ (root + "/a.c") (root + "/sub/x.c") ]; };
  s2 = fs.toSource { inherit root; fileset = fs.difference root (root + "/sub"); };
  s3 = fs.toSource { inherit root; fileset = fs.fileFilter (f: f.hasExt "c") root; };
  fromSrc = fs.toList (fs.fromSource (lib.sources.sourceFilesBySuffices root [ ".h" ".c" ]));
  fails = e: (builtins.tryEval e).success;
in
{
  unions = [ (names s1) (names "${s1}/sub") s1.name ];
  difference = names s2;
  fileFilter = [ (names s3) (names "${s3}/sub") ];
  fromSource = map (p: lib.removePrefix (toString root) (toString p)) fromSrc;
  outsideRoot = fails (fs.toSource { root = root + "/sub"; fileset = root + "/a.c"; });
  stringRoot = fails (fs.toSource { root = "/tmp"; fileset = root; });
  fileRoot = fails (fs.toSource { root = root + "/a.c"; fileset = root + "/a.c"; });
}
