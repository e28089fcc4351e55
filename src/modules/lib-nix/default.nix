# tsnix's embedded nixpkgs `lib`: what `<nixpkgs/lib>` means when no nixpkgs is on
# the search path. Same names and behaviour as nixpkgs' lib; the module system core
# (evalModules, merging, priorities) is native TypeScript, reached through
# ./native.nix, and everything else is written here in Nix.
#
# Like nixpkgs, the lib is a fixpoint so that `lib.extend` works and every part sees
# the final (possibly extended) lib.
let
  makeExtensible' =
    rattrs:
    let
      self = rattrs self // {
        extend = f: makeExtensible' (final: let prev = rattrs final; in prev // f final prev);
      };
    in
    self;

  lib = makeExtensible' (
    self:
    let
      callLibs = file: import file { lib = self; };
      # Bound outside the result set: the set's names must not depend on `self`.
      trivial = callLibs ./trivial.nix;
      fixedPoints = callLibs ./fixed-points.nix;
      attrsets = callLibs ./attrsets.nix;
      lists = callLibs ./lists.nix;
      strings = callLibs ./strings.nix;
      stringsWithDeps = callLibs ./strings-with-deps.nix;
      versions = callLibs ./versions.nix;
      options = callLibs ./options.nix;
      modules = callLibs ./modules.nix;
      types = callLibs ./types.nix;
      generators = callLibs ./generators.nix;
      asserts = callLibs ./asserts.nix;
      debug = callLibs ./debug.nix;
      customisation = callLibs ./customisation.nix;
      meta = callLibs ./meta.nix;
      systems = callLibs ./systems.nix;
      cli = callLibs ./cli.nix;
      gvariant = callLibs ./gvariant.nix;
      kernel = callLibs ./kernel.nix;
      licenses = callLibs ./licenses.nix;
      sources = callLibs ./sources.nix;
      path = callLibs ./path.nix;
      filesystem = callLibs ./filesystem.nix;
      derivations = callLibs ./derivations.nix;
      fileset = callLibs ./fileset.nix;
    in
    {
      inherit (builtins) add sub mul div lessThan bitAnd bitOr bitXor
        seq deepSeq genericClosure isInt isBool isString isFloat isList isAttrs isPath
        pathExists readFile toJSON fromJSON toPath tryEval typeOf getEnv toString
        addDrvOutputDependencies addErrorContext appendContext baseNameOf ceil compareVersions convertHash
        dirOf filterSource floor fromTOML getContext hasContext hashFile hashString parseDrvName placeholder
        readDir readFileType toFile toXML unsafeDiscardOutputDependency unsafeGetAttrPos;
    }
    # Top-level re-exports, as nixpkgs' lib/default.nix does with its long inherit lists.
    // trivial
    // fixedPoints
    // lists
    // builtins.removeAttrs strings [ "replicate" "storeDir" ]
    // attrsets
    // asserts
    // debug
    // customisation
    // meta
    // derivations
    // options
    // modules
    // {
      inherit trivial fixedPoints attrsets lists strings stringsWithDeps versions options modules types
        generators asserts debug customisation meta systems cli gvariant kernel licenses sources path filesystem derivations
        fileset;
      deprecated = { };
      maintainers = { };
      teams = { };
      inherit (stringsWithDeps) textClosureList textClosureMap noDepEntry fullDepEntry packEntry stringAfter;
      inherit (versions) splitVersion;
      inherit (sources) cleanSource cleanSourceWith sourceByRegex sourceFilesBySuffices cleanSourceFilter
        pathIsGitRepo commitIdFromGitRepo pathHasContext canCleanSource revOrTag;
      inherit (filesystem) pathType pathIsDirectory pathIsRegularFile packagesFromDirectoryRecursive;
      inherit (types) isType setType mkOptionType isOptionType defaultFunctor defaultTypeMerge;
      inherit (generators) mkLuaInline;
      imap = lists.imap1;
      ifEnable = cond: val: if cond then val else "";
      fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
      fakeSha256 = "0000000000000000000000000000000000000000000000000000000000000000";
      fakeSha512 = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
      uniqList = { inputList, acc ? [ ] }: lists.unique (acc ++ inputList);
      # nixpkgs' name for the system doubles, as package `meta.platforms` uses them.
      platforms = systems.doubles;
      sourceTypes = { fromSource = { isSource = true; shortName = "fromSource"; }; binaryNativeCode = { isSource = false; shortName = "binaryNativeCode"; }; };
    }
  );
in
lib
