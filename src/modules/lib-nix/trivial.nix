# Basic combinators, booleans, numbers, function-argument helpers, warnings.
{ lib }:
let
  inherit (builtins) isAttrs foldl' elem;
in
rec {
  inherit (builtins) add sub mul div ceil floor lessThan genericClosure;
  id = x: x;
  const = x: _: x;
  pipe = val: functions: foldl' (x: f: f x) val functions;
  concat = x: y: x ++ y;
  "or" = x: y: x || y;
  "and" = x: y: x && y;
  xor = x: y: (!x) != (!y);
  bitAnd = builtins.bitAnd;
  bitOr = builtins.bitOr;
  bitXor = builtins.bitXor;
  bitNot = builtins.sub (-1);
  boolToString = b: if b then "true" else "false";
  boolToYesNo = b: if b then "yes" else "no";
  mergeAttrs = x: y: x // y;
  flip = f: a: b: f b a;
  defaultTo = default: maybeValue: if maybeValue != null then maybeValue else default;
  mapNullable = f: a: if a == null then a else f a;

  version = "25.11pre-tsnix";
  release = "25.11";
  codeName = "Xantusia";
  oldestSupportedRelease = 2505;
  isInOldestRelease = release: release <= oldestSupportedRelease;
  oldestSupportedReleaseIsAtLeast = isInOldestRelease;
  versionSuffix = "pre-tsnix";
  revisionWithDefault = default: default;
  inNixShell = builtins.getEnv "IN_NIX_SHELL" != "";
  inPureEvalMode = !builtins ? currentSystem;

  min = x: y: if x < y then x else y;
  max = x: y: if x > y then x else y;
  mod = base: int: base - (int * (builtins.div base int));
  compare = a: b: if a < b then -1 else if a > b then 1 else 0;
  splitByAndCompare = p: yes: no: a: b:
    if p a then (if p b then yes a b else -1) else if p b then 1 else no a b;

  importJSON = path: builtins.fromJSON (builtins.readFile path);
  importTOML = path: builtins.fromTOML (builtins.readFile path);

  warn =
    if builtins ? warn then builtins.warn
    else msg: builtins.trace "[1;31mevaluation warning:[0m ${msg}";
  warnIf = cond: msg: if cond then warn msg else x: x;
  warnIfNot = cond: msg: if cond then x: x else warn msg;
  throwIfNot = cond: msg: if cond then x: x else throw msg;
  throwIf = cond: msg: if cond then throw msg else x: x;
  info = msg: builtins.trace "INFO: ${msg}";
  showWarnings = warnings: res: lib.lists.foldr (w: x: warn w x) res warnings;

  checkListOfEnum = msg: valid: given:
    let unexpected = lib.lists.subtractLists valid given;
    in lib.trivial.throwIfNot (unexpected == [ ])
      "${msg}: ${builtins.concatStringsSep ", " (map builtins.toString unexpected)} unexpected; valid ones: ${builtins.concatStringsSep ", " (map builtins.toString valid)}";

  setFunctionArgs = f: args: {
    __functor = self: f;
    __functionArgs = args;
  };
  functionArgs = f:
    if f ? __functor then f.__functionArgs or (functionArgs (f.__functor f))
    else builtins.functionArgs f;
  isFunction = f: builtins.isFunction f || (f ? __functor && isFunction (f.__functor f));
  mirrorFunctionArgs = f: g: setFunctionArgs g (functionArgs f);
  toFunction = v: if isFunction v then v else k: v;

  toHexString = i:
    let
      toHexDigit = d: if d < 10 then toString d else builtins.elemAt [ "A" "B" "C" "D" "E" "F" ] (d - 10);
    in
    builtins.concatStringsSep "" (map toHexDigit (toBaseDigits 16 i));
  toBaseDigits = base: i:
    let
      go = i: if i < base then [ i ] else
        let r = i - ((i / base) * base); q = (i - r) / base; in [ r ] ++ go q;
    in
    assert (base >= 2); assert (i >= 0); lib.lists.reverseList (go i);
  fromHexString = str:
    let
      chars = lib.strings.stringToCharacters (lib.strings.toLower (lib.strings.removePrefix "0x" str));
      val = c: let i = lib.lists.findFirstIndex (x: x == c) null (lib.strings.stringToCharacters "0123456789abcdef"); in
        if i == null then throw "fromHexString: invalid hex digit ${c}" else i;
    in
    foldl' (acc: c: acc * 16 + val c) 0 chars;

  seq = builtins.seq;
  deepSeq = builtins.deepSeq;
  typeOf = builtins.typeOf;
  isBool = builtins.isBool;
  isInt = builtins.isInt;
  inherit (builtins) pathExists readFile isString isFloat isList isAttrs isPath;
  libNixpkgsVersion = version;
  trace = builtins.trace;
  nixpkgsVersion = version;
}
