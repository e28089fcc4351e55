# Generators: values to configuration-file text.
{ lib }:
let
  inherit (lib) concatStringsSep mapAttrsToList isAttrs isList isString isInt isFloat isBool isDerivation
    concatMapStringsSep escape;
  native = import ./native.nix;
in
rec {
  mkValueStringDefault = { }: v:
    let err = t: v: abort ("generators.mkValueStringDefault: " + "${t} not supported: ${toPretty { } v}"); in
    if isInt v then toString v
    else if isDerivation v then toString v
    else if isString v then v
    else if true == v then "true"
    else if false == v then "false"
    else if null == v then "null"
    else if isList v then err "lists" v
    else if isAttrs v then err "attrsets" v
    else if lib.isFunction v then err "functions" v
    else if isFloat v then lib.strings.floatToString v
    else err "this value is" (toString v);
  mkKeyValueDefault = { mkValueString ? mkValueStringDefault { } }: sep: k: v:
    "${escape [ sep ] k}${sep}${mkValueString v}";
  toKeyValue = { mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false, indent ? "" }:
    let
      mkLine = k: v: indent + mkKeyValue k v + "\n";
      mkLines = if listsAsDuplicateKeys then k: v: map (mkLine k) (if isList v then v else [ v ]) else k: v: [ (mkLine k v) ];
    in
    attrs: lib.concatStrings (lib.concatLists (mapAttrsToList mkLines attrs));
  toINI = { mkSectionName ? (name: escape [ "[" "]" ] name), mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }:
    attrsOfAttrs:
    let
      mapAttrsToStringsSep = sep: mapFn: attrs: concatStringsSep sep (mapAttrsToList mapFn attrs);
      mkSection = sectName: sectValues: ''
        [${mkSectionName sectName}]
      '' + toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } sectValues;
    in
    mapAttrsToStringsSep "\n" mkSection attrsOfAttrs;
  toINIWithGlobalSection = { mkSectionName ? (name: escape [ "[" "]" ] name), mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }:
    { globalSection, sections ? { } }:
    (if globalSection == { } then "" else (toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } globalSection) + "\n")
    + (toINI { inherit mkSectionName mkKeyValue listsAsDuplicateKeys; } sections);
  toGitINI = attrs: toINI { } attrs;
  mkDconfKeyValue = mkKeyValueDefault { mkValueString = v: toString v; } "=";
  toDconfINI = toINI { mkKeyValue = mkDconfKeyValue; };
  withRecursion = { depthLimit, throwOnDepthLimit ? true }:
    assert isInt depthLimit;
    let
      specialAttrs = [ "__functor" "__functionArgs" "__toString" "__pretty" ];
      stepIntoAttr = evalNext: name: if lib.elem name specialAttrs then lib.id else evalNext;
      transform = depth:
        if depthLimit != null && depth > depthLimit then
          if throwOnDepthLimit then throw "Exceeded maximum eval-depth limit of ${toString depthLimit} while trying to evaluate with `generators.withRecursion'!"
          else lib.const "<unevaluated>"
        else lib.id;
      mapAny = depth: v:
        let evalNext = x: mapAny (depth + 1) (transform (depth + 1) x); in
        if isAttrs v then lib.mapAttrs (stepIntoAttr evalNext) v
        else if isList v then map evalNext v
        else transform (depth + 1) v;
    in
    mapAny 0;
  toPretty = { allowPrettyValues ? false, multiline ? true, indent ? "" }:
    if allowPrettyValues then toPrettyNix { inherit allowPrettyValues multiline indent; }
    else native.toPretty { inherit multiline indent; };
  toPrettyNix = { allowPrettyValues ? false, multiline ? true, indent ? "" }:
    let
      go = indent: v:
        let
          introSpace = if multiline then "\n${indent}  " else " ";
          outroSpace = if multiline then "\n${indent}" else " ";
        in
        if isAttrs v && allowPrettyValues && v ? __pretty && v ? val then v.__pretty v.val
        else if isList v then
          if v == [ ] then "[ ]" else "[" + introSpace + concatMapStringsSep introSpace (go (indent + "  ")) v + outroSpace + "]"
        else if isAttrs v && !(lib.isFunction v) && v != { } && !(v ? type && v.type == "derivation") then
          "{" + introSpace + concatStringsSep introSpace (mapAttrsToList (name: value:
            "${lib.strings.escapeNixIdentifier name} = ${go (indent + "  ") value};") v) + outroSpace + "}"
        else native.toPretty { inherit multiline indent; } v;
    in
    go indent;
  toJSON = { }: builtins.toJSON;
  toYAML = { }: builtins.toJSON;
  toLua = { multiline ? true, indent ? "", asBindings ? false }: v: builtins.toJSON v;
  mkLuaInline = expr: { _type = "lua-inline"; inherit expr; };
  toPlist = { escape ? false }: v: builtins.toJSON v;
  toDhall = { }: v: builtins.toJSON v;
  toGitINIDefault = toGitINI;
  toSSHConfig = toKeyValue { mkKeyValue = mkKeyValueDefault { } " "; };
  mkListToString = sep: list: concatMapStringsSep sep toString list;
}
