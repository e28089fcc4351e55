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
      # Top-level re-exports, as nixpkgs' lib/default.nix writes them: explicit `inherit`
      # lists, so that a file is imported only when one of its names is used. The `//`
      # chain these replace imported, parsed and evaluated every re-exported file
      # (customisation, meta, debug, …) just to learn its names, on every `import
      # <nixpkgs/lib>`. Where two files have a name, the later file's is listed, as the
      # chain had it; test/modules/lib-names.test.ts checks the lists against the files.
      inherit (builtins) toPath tryEval getEnv toString baseNameOf convertHash dirOf filterSource fromTOML
        getContext hasContext hashFile hashString placeholder readDir readFileType toFile
        toXML;
      inherit (trivial) add and bitAnd bitNot bitOr bitXor boolToString boolToYesNo ceil checkListOfEnum
        codeName compare concat const deepSeq defaultTo div flip floor fromHexString
        functionArgs genericClosure id inNixShell inPureEvalMode info isBool isFloat
        isFunction isInOldestRelease lessThan libNixpkgsVersion mapNullable max mergeAttrs
        min mirrorFunctionArgs mod mul nixpkgsVersion oldestSupportedRelease
        oldestSupportedReleaseIsAtLeast or pathExists pipe release revisionWithDefault seq
        setFunctionArgs showWarnings splitByAndCompare sub throwIf throwIfNot toBaseDigits
        toFunction toHexString version versionSuffix warn warnIf warnIfNot xor;
      inherit (fixedPoints) composeExtensions composeManyExtensions converge extends fix fix'
        makeExtensible makeExtensibleWithCustomName toExtension;
      inherit (lists) all allUnique any commonPrefix compareLists concatAttrValues concatLists concatMap
        count crossLists drop dropEnd findFirst findFirstIndex findSingle flatten fold foldl
        foldl' foldr forEach groupBy groupBy' ifilter0 imap0 imap1 init intersectLists last
        length listDfs map mutuallyExclusive naturalSort optional optionals partition range
        remove replaceElemAt replicate reverseList singleton sort sortOn sublist
        subtractLists take takeEnd toList toposort unique uniqueStrings zipLists
        zipListsWith zipWithIndex;
      inherit (strings) addContextFrom appendContext asciiTable charToInt cmakeBool cmakeFeature
        cmakeOptionType commonPrefixLength commonSuffixLength compareVersions
        concatImapStrings concatImapStringsSep concatLines concatMapAttrsStringSep
        concatMapStrings concatMapStringsSep concatStrings concatStringsSep elem elemAt
        enableFeature enableFeatureAs escape escapeC escapeNixIdentifier escapeNixString
        escapeRegex escapeShellArg escapeShellArgs escapeURL escapeXML fileContents filter
        fixedWidthNumber fixedWidthString floatToString fromJSON genList getName
        getVersion hasInfix hasPrefix hasSuffix head intersperse isCoercibleToString
        isConvertibleWithToString isInt isList isPath isStorePath isString isStringLike
        isValidPosixName join levenshtein levenshteinAtMost lowerChars makeBinPath
        makeIncludePath makeLibraryPath makeSearchPath makeSearchPathOutput match
        mesonBool mesonEnable mesonOption nameFromURL normalizePath optionalString
        parseDrvName readFile readPathsFromFile removePrefix removeSuffix replaceChars
        replaceString replaceStrings sanitizeDerivationName split splitString
        splitStringBy stringAsChars stringLength stringToCharacters substring tail
        toCamelCase toInt toIntBase10 toJSON toLower toSentenceCase toShellVar toShellVars
        toUpper trim trimWith typeOf unsafeDiscardStringContext upperChars versionAtLeast
        versionOlder withFeature withFeatureAs;
      inherit (attrsets) attrByPath attrNames attrVals attrValues attrsToList cartesianProduct catAttrs
        chooseDevOutputs collect concatMapAttrs dontRecurseIntoAttrs filterAttrs
        filterAttrsRecursive foldAttrs foldlAttrs genAttrs genAttrs' getAttr
        getAttrFromPath getAttrs getBin getDev getFirstOutput getInclude getLib getMan
        getOutput getStatic hasAttr hasAttrByPath intersectAttrs isAttrs isDerivation
        listToAttrs longestValidPathPrefix mapAttrs mapAttrs' mapAttrsRecursive
        mapAttrsRecursiveCond mapAttrsToList mapAttrsToListRecursive
        mapAttrsToListRecursiveCond mapCartesianProduct matchAttrs mergeAttrsList
        nameValuePair optionalAttrs overrideExisting recurseIntoAttrs recursiveUpdate
        recursiveUpdateUntil removeAttrs setAttrByPath showAttrPath toDerivation
        unionOfDisjoint updateManyAttrsByPath zipAttrs zipAttrsWith zipAttrsWithNames;
      inherit (asserts) assertEachOneOf assertMsg assertOneOf checkAssertWarn;
      inherit (debug) addErrorContext runTests testAllTrue trace traceFnSeqN traceIf traceSeq traceSeqN
        traceVal traceValFn traceValSeq traceValSeqFn traceValSeqN traceValSeqNFn
        unsafeGetAttrPos;
      inherit (customisation) callPackageWith callPackagesWith extendDerivation hydraJob makeOverridable
        makeScope overrideDerivation;
      inherit (meta) addMetaAttrs appendToName availableOn defaultPriority dontDistribute getExe getExe'
        getLicenseFromSpdxId hiPrio hiPrioSet lowPrio lowPrioSet mapDerivationAttrset
        platformMatch setName setPrio updateName;
      inherit (derivations) addDrvOutputDependencies lazyDerivation optionalDrvAttr
        unsafeDiscardOutputDependency warnOnInstantiate;
      inherit (options) getFiles getValues isOption literalCode literalExample literalExpression literalMD
        mdDoc mergeDefaultOption mergeEqualOption mergeOneOption mergeUniqueOption
        mkEnableOption mkOption mkPackageOption mkPackageOptionMD mkSinkUndeclaredOptions
        optionAttrSetToDocList optionAttrSetToDocList' prioritySuggestion
        renderOptionValue scrubOptionValue showDefs showFiles showOption
        showOptionWithDefLocs unknownModule;
      inherit (modules) defaultOrderPriority defaultOverridePriority dischargeProperties doRename
        evalModules evalOptionValue filterOverrides filterOverrides' fixMergeModules
        fixupOptionType importApply importJSON importTOML mapDefinitionValue
        mergeAttrDefinitionsWithPrio mergeDefinitions mergeOptionDecls mkAfter
        mkAliasAndWrapDefinitions mkAliasAndWrapDefsWithPriority mkAliasDefinitions
        mkAliasIfDef mkAliasOptionModule mkAliasOptionModuleMD mkAssert mkBefore
        mkChangedOptionModule mkDefault mkDefinition mkDerivedConfig mkFixStrictness
        mkForce mkIf mkImageMediaOverride mkMerge mkMergedOptionModule mkOptionDefault
        mkOrder mkOverride mkRemovedOptionModule mkRenamedOptionModule
        mkRenamedOptionModuleWith mkVMOverride pushDownProperties setDefaultModuleLocation
        sortProperties;
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
