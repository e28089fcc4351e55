# String functions.
{ lib }:
let
  native = import ./native.nix;
  inherit (builtins) length elemAt head tail filter genList stringLength substring concatStringsSep
    replaceStrings foldl' match split isString isList isAttrs isPath;
in
rec {
  inherit (builtins) stringLength substring concatStringsSep replaceStrings match split head tail
    unsafeDiscardStringContext appendContext compareVersions elem elemAt filter fromJSON genList isAttrs
    isInt isList isString parseDrvName readFile storeDir toJSON typeOf;
  join = builtins.concatStringsSep;
  replicate = n: s: concatStrings (lib.lists.replicate n s);
  concatStrings = builtins.concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatImapStrings = f: list: concatStrings (lib.lists.imap1 f list);
  intersperse = separator: list:
    if list == [ ] || length list == 1 then list
    else tail (lib.lists.concatMap (x: [ separator x ]) list);
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  concatImapStringsSep = sep: f: list: concatStringsSep sep (lib.lists.imap1 f list);
  concatMapAttrsStringSep = sep: f: attrs: concatStringsSep sep (lib.attrsets.mapAttrsToList f attrs);
  concatLines = concatMapStrings (s: s + "\n");
  replaceString = from: to: replaceStrings [ from ] [ to ];
  makeSearchPath = subDir: paths:
    concatStringsSep ":" (map (path: path + "/" + subDir) (filter (x: x != null) paths));
  makeSearchPathOutput = output: subDir: pkgs: makeSearchPath subDir (map (lib.attrsets.getOutput output) pkgs);
  makeLibraryPath = makeSearchPathOutput "lib" "lib";
  makeIncludePath = makeSearchPathOutput "dev" "include";
  makeBinPath = makeSearchPathOutput "bin" "bin";
  normalizePath = s:
    builtins.foldl' (x: y: if y == "/" && hasSuffix "/" x then x else x + y) "" (stringToCharacters s);
  optionalString = cond: string: if cond then string else "";
  hasPrefix = pref: str: substring 0 (stringLength pref) str == pref;
  hasSuffix = suffix: content:
    let lenContent = stringLength content; lenSuffix = stringLength suffix; in
    lenContent >= lenSuffix && substring (lenContent - lenSuffix) lenContent content == suffix;
  hasInfix = native.hasInfix;
  stringToCharacters = s: genList (p: substring p 1 s) (stringLength s);
  stringAsChars = f: s: concatStrings (map f (stringToCharacters s));
  charToInt = c: builtins.getAttr c asciiTable;
  asciiTable = builtins.listToAttrs (genList (i: { name = builtins.substring i 1 " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"; value = i + 32; }) 95);
  escape = list: replaceStrings list (map (c: "\\${c}") list);
  escapeC = list: replaceStrings list (map (c: "\\x${lib.toLower (lib.fixedWidthString 2 "0" (lib.toHexString (charToInt c)))}") list);
  escapeURL =
    let
      unreserved = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z"
        "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z"
        "0" "1" "2" "3" "4" "5" "6" "7" "8" "9" "-" "_" "." "~" ];
      toEscape = builtins.removeAttrs asciiTable unreserved;
    in
    replaceStrings (builtins.attrNames toEscape) (lib.mapAttrsToList (_: c: "%${fixedWidthString 2 "0" (lib.toHexString c)}") toEscape);
  escapeShellArg = arg:
    let string = toString arg; in
    if match "[[:alnum:],._+:@%/-]+" string == null then "'${replaceStrings [ "'" ] [ "'\\''" ] string}'" else string;
  escapeShellArgs = concatMapStringsSep " " escapeShellArg;
  isValidPosixName = name: match "[a-zA-Z_][a-zA-Z0-9_]*" name != null;
  toShellVar = name: value:
    lib.throwIfNot (isValidPosixName name) "toShellVar: ${name} is not a valid shell variable name" (
      if isAttrs value && !isStringLike value then
        "declare -A ${name}=(${concatStringsSep " " (lib.mapAttrsToList (n: v: "[${escapeShellArg n}]=${escapeShellArg v}") value)})"
      else if isList value then "declare -a ${name}=(${escapeShellArgs value})"
      else "${name}=${escapeShellArg value}");
  toShellVars = vars: concatStringsSep "\n" (lib.mapAttrsToList toShellVar vars);
  escapeNixString = native.escapeNixString;
  escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");
  escapeNixIdentifier = native.escapeNixIdentifier;
  escapeXML = builtins.replaceStrings [ "\"" "'" "<" ">" "&" ] [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];
  replaceChars = builtins.replaceStrings;
  lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  toLower = replaceStrings upperChars lowerChars;
  toUpper = replaceStrings lowerChars upperChars;
  toSentenceCase = str:
    let firstChar = substring 0 1 str; rest = substring 1 (stringLength str) str;
    in addContextFrom str (toUpper firstChar + toLower rest);
  addContextFrom = src: target: substring 0 0 src + target;
  splitString = sep: s:
    let splits = builtins.filter builtins.isString (builtins.split (escapeRegex (toString sep)) (toString s));
    in map (addContextFrom s) splits;
  removePrefix = prefix: str:
    let preLen = stringLength prefix; in
    if substring 0 preLen str == prefix then substring preLen (-1) str else str;
  removeSuffix = suffix: str:
    let sufLen = stringLength suffix; sLen = stringLength str; in
    if sufLen <= sLen && suffix == substring (sLen - sufLen) sufLen str then substring 0 (sLen - sufLen) str else str;
  versionOlder = v1: v2: builtins.compareVersions v2 v1 == 1;
  versionAtLeast = v1: v2: !versionOlder v1 v2;
  getName = x: let parse = drv: (builtins.parseDrvName drv).name; in
    if isString x then parse x else x.pname or (parse x.name);
  getVersion = x: let parse = drv: (builtins.parseDrvName drv).version; in
    if isString x then parse x else x.version or (parse x.name);
  nameFromURL = url: sep:
    let components = splitString "/" url; filename = lib.last components;
        name = head (splitString sep filename);
    in assert name != filename; name;
  cmakeOptionType = type: feature: value:
    assert (builtins.elem (toUpper type) [ "BOOL" "FILEPATH" "PATH" "STRING" "INTERNAL" "LIST" ]);
    "-D${feature}:${toUpper type}=${value}";
  cmakeBool = condition: flag: cmakeOptionType "bool" condition (lib.toUpper (lib.boolToString flag));
  cmakeFeature = feature: value: cmakeOptionType "string" feature value;
  mesonOption = feature: value: "-D${feature}=${value}";
  mesonBool = condition: flag: mesonOption condition (lib.boolToString flag);
  mesonEnable = feature: flag: mesonOption feature (if flag then "enabled" else "disabled");
  enableFeature = flag: feature: "--${if flag then "enable" else "disable"}-${feature}";
  enableFeatureAs = flag: feature: value: enableFeature flag feature + optionalString flag "=${value}";
  withFeature = flag: feature: "--${if flag then "with" else "without"}-${feature}";
  withFeatureAs = flag: feature: value: withFeature flag feature + optionalString flag "=${value}";
  fixedWidthString = width: filler: str:
    let strw = stringLength str; reqWidth = width - (stringLength filler); in
    assert lib.assertMsg (strw <= width) "fixedWidthString: requested string length (${toString width}) must not be shorter than actual length (${toString strw})";
    if strw == width then str else filler + fixedWidthString reqWidth filler str;
  fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);
  floatToString = float: let result = toString float; in result;
  isConvertibleWithToString = x:
    let types = [ "null" "int" "float" "bool" ]; in
    (isStringLike x) || builtins.elem (builtins.typeOf x) types || (isList x && lib.all isConvertibleWithToString x);
  isCoercibleToString = isConvertibleWithToString;
  isStringLike = x: isString x || isPath x || x ? outPath || x ? __toString;
  isStorePath = x:
    if isStringLike x then
      let str = toString x; in
      substring 0 1 str == "/" && (dirOf str == builtins.storeDir
        || (lib.hasPrefix (builtins.storeDir + "/") str && builtins.match ".{32}-.+" (substring (stringLength builtins.storeDir + 1) (-1) (head (splitString "/" (substring (stringLength builtins.storeDir + 1) (-1) str)))) != null && dirOf str == builtins.storeDir))
    else false;
  toInt = str:
    let
      strippedInput = match "[[:space:]]*(0*)(-?[[:digit:]]+)[[:space:]]*" str;
      isLeadingZero = head strippedInput == "0" && (head (tail strippedInput)) == "0" && false;
      parsedInput = builtins.fromJSON (head (tail strippedInput));
      generic = throw "toInt: Could not convert ${escapeNixString str} to int.";
    in
    if strippedInput == null then generic
    else if !(builtins.isInt parsedInput) then generic
    else parsedInput;
  toIntBase10 = str:
    let
      strippedInput = match "[[:space:]]*(0*)([[:digit:]]+)[[:space:]]*" str;
      parsedInput = builtins.fromJSON (elemAt strippedInput 1);
    in
    if strippedInput == null then throw "toIntBase10: Could not convert ${escapeNixString str} to int."
    else parsedInput;
  readPathsFromFile = rootPath: file:
    let
      lines = lib.splitString "\n" (builtins.readFile file);
      removeComments = lib.filter (line: line != "" && !(lib.hasPrefix "#" line));
    in
    map (path: rootPath + "/" + path) (removeComments lines);
  fileContents = file: removeSuffix "\n" (builtins.readFile file);
  sanitizeDerivationName =
    string: lib.pipe string [
      (x: builtins.unsafeDiscardStringContext x)
      (x: lib.concatStrings (map (c: if builtins.isString c then c else "-") (builtins.split "[^[:alnum:]+._?=-]+" x)))
      (x: if stringLength x > 207 then substring (stringLength x - 207) 207 x else x)
      (x: if x == "" then "unknown" else x)
      (x: let m = match "^[.]*(.*)" x; in if m == null then x else head m)
    ];
  levenshtein = a: b:
    let
      arr = lib.genList (i: lib.genList (j: dist i j) (stringLength b + 1)) (stringLength a + 1);
      d = x: y: lib.elemAt (lib.elemAt arr x) y;
      dist = i: j:
        let c = if substring (i - 1) 1 a == substring (j - 1) 1 b then 0 else 1; in
        if j == 0 then i else if i == 0 then j
        else lib.min (lib.min (d (i - 1) j + 1) (d i (j - 1) + 1)) (d (i - 1) (j - 1) + c);
    in
    d (stringLength a) (stringLength b);
  levenshteinAtMost = k: a: b: levenshtein a b <= k;
  commonPrefixLength = a: b:
    let m = lib.min (stringLength a) (stringLength b);
        go = i: if i >= m then m else if substring i 1 a == substring i 1 b then go (i + 1) else i;
    in go 0;
  commonSuffixLength = a: b:
    let m = lib.min (stringLength a) (stringLength b);
        go = i: if i >= m then m else if substring (stringLength a - i - 1) 1 a == substring (stringLength b - i - 1) 1 b then go (i + 1) else i;
    in go 0;
  trim = trimWith { start = true; end = true; };
  trimWith = { start ? false, end ? false }:
    let
      regex =
        if start && end then "[[:space:]]*(.*[^[:space:]])[[:space:]]*"
        else if start then "[[:space:]]*(.*)"
        else if end then "(.*[^[:space:]])[[:space:]]*"
        else "(.*)";
    in
    s: let res = match regex s; in
      if res == null then (if start || end then (if match "[[:space:]]*" s != null then "" else s) else s)
      else head res;
  # Words split at `-`, `_`, spaces and lower-to-upper steps; the first lowercased, the
  # others capitalised.
  toCamelCase = str:
    lib.throwIfNot (isString str) "toCamelCase does only accepts string values, but got ${builtins.typeOf str}" (
      let
        words = splitStringBy (_: c: builtins.elem c [ "-" "_" " " ]) false str;
        parts = lib.flatten (map (splitStringBy (p: c: match "[a-z]" p != null && match "[A-Z]" c != null) true) words);
        first = if parts == [ ] then "" else toLower (head parts);
        rest = if builtins.length parts > 1 then map toSentenceCase (tail parts) else [ ];
      in
      concatStrings (map (addContextFrom str) ([ first ] ++ rest)));
  isPath = builtins.isPath;

  # Cut `str` before every character `c` where `predicate prev c` holds (`prev` is ""
  # at the start); `keepSplit` keeps that character at the start of the next part.
  splitStringBy = predicate: keepSplit: str:
    let
      len = stringLength str;
      go = pos: part: acc:
        if pos == len then acc ++ [ part ]
        else
          let
            c = substring pos 1 str;
            prev = if pos > 0 then substring (pos - 1) 1 str else "";
          in
          if predicate prev c then go (pos + 1) (if keepSplit then c else "") (acc ++ [ part ])
          else go (pos + 1) (part + c) acc;
    in
    if len == 0 then [ (addContextFrom str "") ] else map (addContextFrom str) (go 0 "" [ ]);
}
