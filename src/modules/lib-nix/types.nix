# Option types. Each type is the attribute set nixpkgs defines
# (`{ _type = "option-type"; name; description; check; merge; functor; … }`), so
# modules can inspect, override (`//`) and merge them as usual. Composite types use
# the "v2" merge protocol (`merge.v2 { loc; defs; }` returning `headError`, `value`
# and `valueMeta`) so that `options.x.valueMeta` works; the per-element work is done
# by the native `mergeDefinitions`.
{ lib }:
let
  inherit (lib) all any elem filter foldl' head tail last length concatLists concatMap imap1 elemAt
    mapAttrs attrNames filterAttrs zipAttrsWith optionalAttrs isAttrs isList isString isInt isBool isFloat
    isPath isFunction isDerivation isStringLike toList concatStringsSep concatMapStringsSep showOption showFiles
    showDefs getFiles getValues mergeEqualOption mergeOneOption mergeUniqueOption mergeDefaultOption
    escapeNixString boolToString throwIf;
  inherit (lib.modules) mergeDefinitions fixupOptionType mergeOptionDecls defaultOrderPriority
    defaultOverridePriority mkOverride mkOrder mkDefinition;
  # The merges the engine runs natively on its own definition records.
  nativeMerges = (import ./native.nix).engine lib;

  inAttrPosSuffix = v: name:
    let pos = builtins.unsafeGetAttrPos name v; in
    if pos == null then "" else " at ${pos.file}:${toString pos.line}:${toString pos.column}";

  elemTypeFunctor = name: { elemType, ... }@payload: {
    inherit name payload;
    type = lib.types.${name};
    binOp = a: b:
      let merged = a.elemType.typeMerge b.elemType.functor; in
      if merged == null then null else { elemType = merged; };
  };

  checkDefsForError = check: loc: defs:
    if all (def: check def.value) defs then null
    else { message = "Definition values: ${showDefs (filter (def: !check def.value) defs)}"; };

  coherentCheck = f: { __functor = _self: f; isV2MergeCoherent = true; };
  v2Merge = v2: { __functor = self: loc: defs: (self.v2 { inherit loc defs; }).value; inherit v2; };

  checkV2MergeCoherence = loc: type: result:
    if type.check.isV2MergeCoherent or false then result
    else throw ''
      The option `${showOption loc}' has a type `${type.description}' that uses
      an ad-hoc `type // { check = ...; }' override, which is incompatible with
      the v2 merge mechanism.

      Please use `lib.types.addCheck` instead of `type // { check }' to add
      custom validation. For example:

        lib.types.addCheck baseType (value: /* your check */)

      instead of:

        baseType // { check = value: /* your check */; }
    '';

  # What a (possibly v1) type's merge yields, in v2 shape.
  mergeAsV2 = type: loc: defs:
    if type.merge ? v2 then checkV2MergeCoherence loc type (type.merge.v2 { inherit loc defs; })
    else { value = type.merge loc defs; headError = checkDefsForError type.check loc defs; valueMeta = { }; };
in
rec {
  isType = type: x: (x._type or "") == type;
  setType = typeName: value: value // { _type = typeName; };

  defaultTypeMerge = f: f':
    let
      mergedPayload = f.binOp f.payload f'.payload;
      hasPayload = assert (f'.payload != null) == (f.payload != null); f.payload != null;
    in
    if f.name != f'.name then null
    else if hasPayload then (if mergedPayload == null then null else f.type mergedPayload)
    else f.type;

  defaultFunctor = name: {
    inherit name;
    type = lib.types.${name} or null;
    payload = null;
    binOp = a: b: null;
  };

  isOptionType = isType "option-type";
  mkOptionType = { name, description ? null, descriptionClass ? null, check ? (x: true), merge ? mergeDefaultOption,
    emptyValue ? { }, getSubOptions ? prefix: { }, getSubModules ? null, substSubModules ? m: null,
    typeMerge ? defaultTypeMerge functor, functor ? defaultFunctor name, deprecationMessage ? null, nestedTypes ? { } }:
    {
      _type = "option-type";
      inherit name check merge emptyValue getSubOptions getSubModules substSubModules typeMerge
        deprecationMessage nestedTypes descriptionClass functor;
      description = if description == null then name else description;
    };

  optionDescriptionPhrase = unparenthesize: t:
    if unparenthesize (t.descriptionClass or null) then t.description else "(${t.description})";

  noCheckForDocsModule = {
    config._module.check = lib.mkForce false;
    _file = "<built-in module that disables checks for the purpose of documentation generation>";
  };

  raw = mkOptionType { name = "raw"; description = "raw value"; descriptionClass = "noun"; check = value: true; merge = mergeOneOption; };

  anything = mkOptionType {
    name = "anything";
    description = "anything";
    descriptionClass = "noun";
    check = value: true;
    merge = loc: defs:
      let
        getType = value: if isAttrs value && isStringLike value then "stringCoercibleSet" else builtins.typeOf value;
        commonType = foldl' (type: def:
          if getType def.value == type then type
          else throw "The option `${showOption loc}' has conflicting option types in ${showFiles (getFiles defs)}"
        ) (getType (head defs).value) defs;
        mergeFunction = {
          set = (attrsOf anything).merge;
          stringCoercibleSet = mergeOneOption;
          lambda = loc: defs: arg:
            anything.merge (loc ++ [ "<function body>" ]) (map (def: { file = def.file; value = def.value arg; }) defs);
        }.${commonType} or mergeEqualOption;
      in
      mergeFunction loc defs;
  };

  unspecified = mkOptionType { name = "unspecified"; description = "unspecified value"; descriptionClass = "noun"; };

  bool = mkOptionType { name = "bool"; description = "boolean"; descriptionClass = "noun"; check = isBool; merge = mergeEqualOption; };
  boolByOr = mkOptionType {
    name = "boolByOr";
    description = "boolean (merged using or)";
    descriptionClass = "noun";
    check = isBool;
    merge = loc: defs: foldl' (result: def: result || def.value) false defs;
  };

  int = mkOptionType { name = "int"; description = "signed integer"; descriptionClass = "noun"; check = isInt; merge = mergeEqualOption; };

  ints =
    let
      betweenDesc = lowest: highest: "${toString lowest} and ${toString highest} (both inclusive)";
      between = lowest: highest:
        assert lib.assertMsg (lowest <= highest) "ints.between: lowest must be smaller than highest";
        addCheck int (x: x >= lowest && x <= highest) // {
          name = "intBetween";
          description = "integer between ${betweenDesc lowest highest}";
        };
      ign = lowest: highest: name: docStart:
        between lowest highest // { inherit name; description = docStart + "; between ${betweenDesc lowest highest}"; };
      unsign = bit: range: ign 0 (range - 1) "unsignedInt${toString bit}" "${toString bit} bit unsigned integer";
      sign = bit: range: ign (0 - (range / 2)) (range / 2 - 1) "signedInt${toString bit}" "${toString bit} bit signed integer";
    in
    {
      inherit between;
      unsigned = addCheck int (x: x >= 0) // {
        name = "unsignedInt";
        description = "unsigned integer, meaning >=0";
        descriptionClass = "nonRestrictiveClause";
      };
      positive = addCheck int (x: x > 0) // {
        name = "positiveInt";
        description = "positive integer, meaning >0";
        descriptionClass = "nonRestrictiveClause";
      };
      u8 = unsign 8 256;
      u16 = unsign 16 65536;
      u32 = unsign 32 4294967296;
      s8 = sign 8 256;
      s16 = sign 16 65536;
      s32 = sign 32 4294967296;
    };

  port = ints.u16;

  float = mkOptionType { name = "float"; description = "floating point number"; descriptionClass = "noun"; check = isFloat; merge = mergeEqualOption; };
  number = either int float;
  numbers =
    let betweenDesc = lowest: highest: "${builtins.toJSON lowest} and ${builtins.toJSON highest} (both inclusive)"; in
    {
      between = lowest: highest:
        assert lib.assertMsg (lowest <= highest) "numbers.between: lowest must be smaller than highest";
        addCheck number (x: x >= lowest && x <= highest) // {
          name = "numberBetween";
          description = "integer or floating point number between ${betweenDesc lowest highest}";
        };
      nonnegative = addCheck number (x: x >= 0) // {
        name = "numberNonnegative";
        description = "nonnegative integer or floating point number, meaning >=0";
        descriptionClass = "nonRestrictiveClause";
      };
      positive = addCheck number (x: x > 0) // {
        name = "numberPositive";
        description = "positive integer or floating point number, meaning >0";
        descriptionClass = "nonRestrictiveClause";
      };
    };

  str = mkOptionType { name = "str"; description = "string"; descriptionClass = "noun"; check = isString; merge = mergeEqualOption; };
  nonEmptyStr = mkOptionType {
    name = "nonEmptyStr";
    description = "non-empty string";
    descriptionClass = "noun";
    check = x: str.check x && builtins.match "[ \t\n]*" x == null;
    inherit (str) merge;
  };
  singleLineStr =
    let inherit (strMatching "[^\n\r]*\n?") check merge; in
    mkOptionType {
      name = "singleLineStr";
      description = "(optionally newline-terminated) single-line string";
      descriptionClass = "noun";
      inherit check;
      merge = loc: defs: lib.removeSuffix "\n" (merge loc defs);
    };
  strMatching = pattern: mkOptionType {
    name = "strMatching ${escapeNixString pattern}";
    description = "string matching the pattern ${pattern}";
    descriptionClass = "noun";
    check = x: str.check x && builtins.match pattern x != null;
    inherit (str) merge;
    functor = defaultFunctor "strMatching" // {
      type = payload: strMatching payload.pattern;
      payload = { inherit pattern; };
      binOp = lhs: rhs: if lhs == rhs then lhs else null;
    };
  };
  separatedString = sep: mkOptionType rec {
    name = "separatedString";
    description = "strings concatenated with ${builtins.toJSON sep}";
    descriptionClass = "noun";
    check = isString;
    merge = loc: defs: concatStringsSep sep (getValues defs);
    functor = (defaultFunctor name) // {
      payload = { inherit sep; };
      type = payload: lib.types.separatedString payload.sep;
      binOp = lhs: rhs: if lhs.sep == rhs.sep then { inherit (lhs) sep; } else null;
    };
  };
  lines = separatedString "\n";
  commas = separatedString ",";
  envVar = separatedString ":";
  string = lib.warn "The type `types.string` is deprecated. See https://github.com/NixOS/nixpkgs/pull/66346 for better alternative types." (
    separatedString "" // { name = "string"; deprecationMessage = "See https://github.com/NixOS/nixpkgs/pull/66346 for better alternative types."; });
  passwdEntry = entryType: addCheck entryType (str: !(lib.hasInfix ":" str || lib.hasInfix "\n" str)) // {
    name = "passwdEntry ${entryType.name}";
    description = "${optionDescriptionPhrase (class: class == "noun") entryType}, not containing newlines or colons";
    descriptionClass = "nonRestrictiveClause";
  };

  attrs = mkOptionType {
    name = "attrs";
    description = "attribute set";
    check = isAttrs;
    merge = loc: foldl' (res: def: res // def.value) { };
    emptyValue = { value = { }; };
  };

  package = mkOptionType {
    name = "package";
    descriptionClass = "noun";
    check = x: isDerivation x || lib.isStorePath x;
    merge = loc: defs:
      let res = mergeOneOption loc defs; in
      if isPath res || (isString res && !builtins.hasContext res) then lib.toDerivation res else res;
  };
  shellPackage = package // { check = x: isDerivation x && builtins.hasAttr "shellPath" x; };
  pkgs = addCheck (unique { message = "A Nixpkgs pkgs set can not be merged with another pkgs set."; } attrs // {
    name = "pkgs";
    descriptionClass = "noun";
    description = "Nixpkgs package set";
  }) (x: (x._type or null) == "pkgs");

  path = pathWith { absolute = true; };
  pathInStore = pathWith { inStore = true; };
  externalPath = pathWith { absolute = true; inStore = false; };
  pathWith = { inStore ? null, absolute ? null }:
    throwIf (inStore != null && absolute != null && inStore && !absolute)
      "In pathWith, inStore means the path must be absolute"
      mkOptionType {
        name = "path";
        description =
          (if absolute == null then "" else (if absolute then "absolute " else "relative "))
          + "path"
          + (if inStore == null then "" else (if inStore then " in the Nix store" else " not in the Nix store"));
        descriptionClass = "noun";
        merge = mergeEqualOption;
        functor = defaultFunctor "path" // {
          type = pathWith;
          payload = { inherit inStore absolute; };
          binOp = lhs: rhs: if lhs == rhs then lhs else null;
        };
        check = x:
          let
            isInStore = lib.path.hasStorePathPrefix (if isPath x then x else /. + builtins.unsafeDiscardStringContext x);
            isAbsolute = builtins.substring 0 1 (toString x) == "/";
            isExpectedType = if inStore == null || inStore then isStringLike x else isString x;
          in
          isExpectedType && (inStore == null || inStore == isInStore) && (absolute == null || absolute == isAbsolute);
      };

  listOf = elemType: mkOptionType rec {
    name = "listOf";
    description = "list of ${optionDescriptionPhrase (class: class == "noun" || class == "composite") elemType}";
    descriptionClass = "composite";
    check = coherentCheck isList;
    merge = v2Merge (nativeMerges.listOfMergeV2 elemType);
    emptyValue = { value = [ ]; };
    getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "*" ]);
    getSubModules = elemType.getSubModules;
    substSubModules = m: listOf (elemType.substSubModules m);
    functor = (elemTypeFunctor name { inherit elemType; }) // { type = payload: lib.types.listOf payload.elemType; };
    nestedTypes.elemType = elemType;
  };
  nonEmptyListOf = elemType:
    let list = addCheck (lib.types.listOf elemType) (l: l != [ ]); in
    list // {
      description = "non-empty ${optionDescriptionPhrase (class: class == "noun") list}";
      emptyValue = { };
      substSubModules = m: nonEmptyListOf (elemType.substSubModules m);
    };

  attrListOf = elemType: attrListWith { inherit elemType; };
  attrListWith = { elemType, asAttrs ? false, mergeAttrValues ? _name: values: values }: mkOptionType rec {
    name = "attrListOf";
    description = "attribute list of ${optionDescriptionPhrase (class: class == "noun" || class == "composite") elemType}";
    descriptionClass = "composite";
    check = coherentCheck (x: isList x || isAttrs x);
    merge = v2Merge ({ loc, defs }:
      let
        peel = value:
          let t = value._type or null; in
          if t == "order" then let inner = peel value.content; in { inherit (inner) value overridePrio; prio = value.priority; }
          else if t == "override" then let inner = peel value.content; in
            { inherit (inner) prio; overridePrio = value.priority; value = mkOverride value.priority inner.value; }
          else { inherit value; prio = defaultOrderPriority; overridePrio = defaultOverridePriority; };
        extractItem = file: raw:
          let
            hasOrder = isType "order" raw;
            item = if hasOrder then raw.content else raw;
            key = head (attrNames item);
            peeled = peel item.${key};
          in
          if isAttrs item && length (attrNames item) == 1 then peeled // { inherit file key; prio = if hasOrder then raw.priority else peeled.prio; }
          else throw "A definition for option `${showOption loc}' is not of type `${description}'. ${
            if !isAttrs item then "Each list element must be an attribute set, but got ${builtins.typeOf item}"
            else "Each list element must be a single-key attribute set, but got ${toString (length (attrNames item))} keys"
          }.${showDefs [ { inherit file; value = raw; } ]}";
        defToItems = def:
          if isList def.value then map (extractItem def.file) def.value
          else map (key: peel def.value.${key} // { inherit (def) file; inherit key; }) (attrNames def.value);
        allItems = concatMap defToItems defs;
        winning = foldl' (acc: item:
          let prev = acc.${item.key} or defaultOverridePriority; in
          if item.overridePrio < prev then acc // { ${item.key} = item.overridePrio; } else acc) { } allItems;
        items = builtins.sort (a: b: a.prio < b.prio)
          (filter (item: item.overridePrio == winning.${item.key} or defaultOverridePriority) allItems);
        evals = filter (e: e.eval.optionalValue ? value) (map (item: {
          inherit (item) key file prio;
          eval = mergeDefinitions (loc ++ [ item.key ]) elemType [ { inherit (item) file value; } ];
        }) items);
        attrListValue = map (e: { ${e.key} = e.eval.optionalValue.value or e.eval.mergedValue; }) evals;
      in
      {
        headError = checkDefsForError check loc defs;
        value = if asAttrs then zipAttrsWith mergeAttrValues attrListValue else attrListValue;
        valueMeta.attrList = map (e: e.eval.checkedAndMerged.valueMeta) evals;
        valueMeta.attrListValue = attrListValue;
        valueMeta.definitions = map (e: mkDefinition {
          inherit (e) file;
          value = mkOrder e.prio { ${e.key} = e.eval.optionalValue.value or e.eval.mergedValue; };
        }) evals;
      });
    emptyValue = { value = if asAttrs then { } else [ ]; };
    getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "*" ]);
    getSubModules = elemType.getSubModules;
    substSubModules = m: attrListWith { inherit asAttrs mergeAttrValues; elemType = elemType.substSubModules m; };
    typeMerge = t: null;
    nestedTypes.elemType = elemType;
  };

  attrsOf = elemType: attrsWith { inherit elemType; };
  lazyAttrsOf = elemType: attrsWith { inherit elemType; lazy = true; };
  attrsWith =
    let
      binOp = lhs: rhs:
        let
          elemType = lhs.elemType.typeMerge rhs.elemType.functor;
          lazy = if lhs.lazy == rhs.lazy then lhs.lazy else null;
          placeholder =
            if lhs.placeholder == rhs.placeholder then lhs.placeholder
            else if lhs.placeholder == "name" then rhs.placeholder
            else if rhs.placeholder == "name" then lhs.placeholder
            else null;
        in
        if elemType == null || lazy == null || placeholder == null then null
        else { inherit elemType lazy placeholder; };
    in
    { elemType, lazy ? false, placeholder ? "name" }:
    mkOptionType rec {
      name = if lazy then "lazyAttrsOf" else "attrsOf";
      description = (if lazy then "lazy attribute set" else "attribute set")
        + " of ${optionDescriptionPhrase (class: class == "noun" || class == "composite") elemType}";
      descriptionClass = "composite";
      check = coherentCheck isAttrs;
      merge = v2Merge (nativeMerges.attrsWithMergeV2 elemType lazy);
      emptyValue = { value = { }; };
      getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<${placeholder}>" ]);
      getSubModules = elemType.getSubModules;
      substSubModules = m: attrsWith { elemType = elemType.substSubModules m; inherit lazy placeholder; };
      functor = (elemTypeFunctor "attrsWith" { inherit elemType lazy placeholder; }) // { inherit binOp; };
      nestedTypes.elemType = elemType;
    };
  loaOf = elemType: lib.types.attrsOf elemType // {
    name = "loaOf";
    deprecationMessage = "Mixing lists with attribute values is no longer"
      + " possible; please use `types.attrsOf` instead. See"
      + " https://github.com/NixOS/nixpkgs/issues/1800 for the motivation.";
    nestedTypes.elemType = elemType;
  };

  attrTag = tags_:
    let
      tags = mapAttrs (n: opt:
        builtins.addErrorContext "while checking that attrTag tag ${lib.strings.escapeNixIdentifier n} is an option with a type${inAttrPosSuffix tags_ n}" (
          throwIf (opt._type or null != "option")
            "In attrTag, each tag value must be an option, but tag ${lib.strings.escapeNixIdentifier n} ${
              if opt ? _type then
                if opt._type == "option-type" then "was a bare type, not wrapped in mkOption."
                else "was of type ${escapeNixString opt._type}."
              else "was not."}"
            opt // {
              declarations = opt.declarations or (let pos = builtins.unsafeGetAttrPos n tags_; in if pos == null then [ ] else [ pos.file ]);
              declarationPositions = opt.declarationPositions or (let pos = builtins.unsafeGetAttrPos n tags_; in if pos == null then [ ] else [ pos ]);
            })) tags_;
      choicesStr = concatMapStringsSep ", " lib.strings.escapeNixIdentifier (attrNames tags);
    in
    mkOptionType {
      name = "attrTag";
      description = "attribute-tagged union with choices: ${choicesStr}";
      descriptionClass = "noun";
      getSubOptions = prefix: mapAttrs (tagName: tagOption: tagOption // { loc = prefix ++ [ tagName ]; }) tags;
      check = v: isAttrs v && length (attrNames v) == 1 && tags ? ${head (attrNames v)};
      merge = loc: defs:
        let
          choice = head (attrNames (head defs).value);
          checkedValueDefs = map (def:
            assert (length (attrNames def.value)) == 1;
            if (head (attrNames def.value)) != choice then
              throw "The option `${showOption loc}` is defined both as `${choice}` and `${head (attrNames def.value)}`, in ${showFiles (getFiles defs)}."
            else { inherit (def) file; value = def.value.${choice}; }) defs;
        in
        if tags ? ${choice} then
          { ${choice} = (lib.modules.evalOptionValue (loc ++ [ choice ]) tags.${choice} checkedValueDefs).value; }
        else
          throw "The option `${showOption loc}` is defined as ${lib.strings.escapeNixIdentifier choice}, but ${lib.strings.escapeNixIdentifier choice} is not among the valid choices (${choicesStr}). Value ${choice} was defined in ${showFiles (getFiles defs)}.";
      nestedTypes = tags;
      functor = defaultFunctor "attrTag" // {
        type = { tags, ... }: lib.types.attrTag tags;
        payload = { inherit tags; };
        binOp =
          let wrapOptionDecl = option: { options = option; _file = "<attrTag {...}>"; pos = null; }; in
          a: b: {
            tags = a.tags // b.tags // mapAttrs (tagName: bOpt:
              lib.mergeOptionDecls [ tagName ] [ (wrapOptionDecl a.tags.${tagName}) (wrapOptionDecl bOpt) ] // {
                declarations = a.tags.${tagName}.declarations ++ bOpt.declarations;
                declarationPositions = a.tags.${tagName}.declarationPositions ++ bOpt.declarationPositions;
              }) (builtins.intersectAttrs a.tags b.tags);
          };
      };
    };

  luaInline = mkOptionType {
    name = "luaInline";
    description = "inline lua";
    descriptionClass = "noun";
    check = x: x._type or null == "lua-inline";
    merge = mergeEqualOption;
  };

  uniq = unique { message = ""; };
  unique = { message }: type: mkOptionType rec {
    name = "unique";
    inherit (type) description descriptionClass check;
    merge = mergeUniqueOption { inherit message; inherit (type) merge; };
    emptyValue = type.emptyValue;
    getSubOptions = type.getSubOptions;
    getSubModules = type.getSubModules;
    substSubModules = m: uniq (type.substSubModules m);
    functor = elemTypeFunctor name { elemType = type; } // { type = payload: lib.types.unique { inherit message; } payload.elemType; };
    nestedTypes.elemType = type;
  };

  nullOr = elemType: mkOptionType rec {
    name = "nullOr";
    description = "null or ${optionDescriptionPhrase (class: class == "noun" || class == "conjunction") elemType}";
    descriptionClass = "conjunction";
    check = x: x == null || elemType.check x;
    merge = nativeMerges.nullOrMerge elemType;
    emptyValue = { value = null; };
    getSubOptions = elemType.getSubOptions;
    getSubModules = elemType.getSubModules;
    substSubModules = m: nullOr (elemType.substSubModules m);
    functor = (elemTypeFunctor name { inherit elemType; }) // { type = payload: lib.types.nullOr payload.elemType; };
    nestedTypes.elemType = elemType;
  };

  functionTo = elemType: mkOptionType {
    name = "functionTo";
    description = "function that evaluates to a(n) ${optionDescriptionPhrase (class: class == "noun" || class == "composite") elemType}";
    descriptionClass = "composite";
    check = isFunction;
    merge = loc: defs: {
      __functionArgs = zipAttrsWith (_: all (x: x)) (map (fn: lib.functionArgs fn.value) defs);
      __functor = _: callerArgs:
        (mergeDefinitions (loc ++ [ "<function body>" ]) elemType (map (fn: {
          inherit (fn) file;
          value = fn.value callerArgs;
        }) defs)).mergedValue;
    };
    getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<function body>" ]);
    getSubModules = elemType.getSubModules;
    substSubModules = m: functionTo (elemType.substSubModules m);
    functor = (elemTypeFunctor "functionTo" { inherit elemType; }) // { type = payload: lib.types.functionTo payload.elemType; };
    nestedTypes.elemType = elemType;
  };

  submodule = modules: submoduleWith { shorthandOnlyDefinesConfig = true; modules = toList modules; };

  deferredModule = deferredModuleWith { };
  deferredModuleWith = attrs@{ staticModules ? [ ] }: mkOptionType {
    name = "deferredModule";
    description = "module";
    descriptionClass = "noun";
    check = x: isAttrs x || isFunction x || path.check x;
    merge = loc: defs: {
      imports = staticModules ++ map (def: lib.setDefaultModuleLocation "${def.file}, via option ${showOption loc}" def.value) defs;
    };
    inherit (submoduleWith { modules = staticModules; }) getSubOptions getSubModules;
    substSubModules = m: deferredModuleWith (attrs // { staticModules = m; });
    functor = defaultFunctor "deferredModuleWith" // {
      type = lib.types.deferredModuleWith;
      payload = { inherit staticModules; };
      binOp = lhs: rhs: { staticModules = lhs.staticModules ++ rhs.staticModules; };
    };
  };

  optionDeclaration = mkOptionType {
    name = "optionDeclaration";
    description = "option declaration";
    descriptionClass = "noun";
    check = opt: isType "option" opt && !(opt ? value);
  };

  optionType = mkOptionType {
    name = "optionType";
    description = "optionType";
    descriptionClass = "noun";
    check = isType "option-type";
    merge = loc: defs:
      if length defs == 1 then (head defs).value
      else
        let
          optionModules = map ({ value, file }: { _file = file; options = lib.mkOption { type = value; }; }) defs;
          mergedOption = fixupOptionType loc (mergeOptionDecls loc optionModules);
        in
        mergedOption.type;
  };

  submoduleWith = { modules, specialArgs ? { }, shorthandOnlyDefinesConfig ? false, description ? null, class ? null }@attrs:
    let
      inherit (lib.modules) evalModules;
      allModules = defs: map ({ value, file }:
        if isAttrs value && shorthandOnlyDefinesConfig then { _file = file; config = value; }
        else { _file = file; imports = [ value ]; }) defs;
      base = evalModules {
        inherit class specialArgs;
        modules = [ { _module.args.name = lib.mkOptionDefault "‹name›"; } ] ++ modules;
      };
      freeformType = base._module.freeformType;
      name = "submodule";
      check = coherentCheck (x: isAttrs x || isFunction x || path.check x);
    in
    mkOptionType {
      inherit name;
      description =
        if description != null then description
        else
          let docsEval = base.extendModules { modules = [ noCheckForDocsModule ]; }; in
          if docsEval._module.freeformType ? description then
            "open ${name} of ${optionDescriptionPhrase (class: class == "noun" || class == "composite") docsEval._module.freeformType}"
          else name;
      inherit check;
      # base.extendModules { modules = [ { _module.args.name = last loc; } ] ++ allModules defs; prefix = loc; },
      # its `config` the value and `{ configuration }` the valueMeta (engine.ts, submoduleMerge).
      merge = v2Merge (nativeMerges.submoduleMergeV2 base shorthandOnlyDefinesConfig allModules check);
      emptyValue = { value = base.config; };
      getSubOptions = prefix:
        let
          docsEval = base.extendModules { inherit prefix; modules = [ noCheckForDocsModule ]; };
          inherit (docsEval._module) freeformType;
        in
        docsEval.options // optionalAttrs (freeformType != null) { _freeformOptions = freeformType.getSubOptions prefix; };
      getSubModules = modules;
      substSubModules = m: submoduleWith (attrs // { modules = m; });
      nestedTypes = lib.optionalAttrs (freeformType != null) { freeformType = freeformType; };
      functor = defaultFunctor name // {
        type = lib.types.submoduleWith;
        payload = { inherit modules class specialArgs shorthandOnlyDefinesConfig description; };
        binOp = lhs: rhs: {
          class =
            if lhs.class or null == null then rhs.class or null
            else if rhs.class or null == null then lhs.class or null
            else if lhs.class or null == rhs.class then lhs.class or null
            else throw "A submoduleWith option is declared multiple times with conflicting class values \"${toString lhs.class}\" and \"${toString rhs.class}\".";
          modules = lhs.modules ++ rhs.modules;
          specialArgs =
            let intersecting = builtins.intersectAttrs lhs.specialArgs rhs.specialArgs; in
            if intersecting == { } then lhs.specialArgs // rhs.specialArgs
            else throw "A submoduleWith option is declared multiple times with the same specialArgs \"${toString (attrNames intersecting)}\"";
          shorthandOnlyDefinesConfig =
            if lhs.shorthandOnlyDefinesConfig == null then rhs.shorthandOnlyDefinesConfig
            else if rhs.shorthandOnlyDefinesConfig == null then lhs.shorthandOnlyDefinesConfig
            else if lhs.shorthandOnlyDefinesConfig == rhs.shorthandOnlyDefinesConfig then lhs.shorthandOnlyDefinesConfig
            else throw "A submoduleWith option is declared multiple times with conflicting shorthandOnlyDefinesConfig values";
          description =
            if lhs.description == null then rhs.description
            else if rhs.description == null then lhs.description
            else if lhs.description == rhs.description then lhs.description
            else throw "A submoduleWith option is declared multiple times with conflicting descriptions";
        };
      };
    };

  enum = values:
    let
      show = v:
        if builtins.isString v then ''"${v}"''
        else if builtins.isInt v then toString v
        else if builtins.isBool v then boolToString v
        else "<${builtins.typeOf v}>";
    in
    mkOptionType rec {
      name = "enum";
      description =
        if values == [ ] then "impossible (empty enum)"
        else if builtins.length values == 1 then "value ${show (builtins.head values)} (singular enum)"
        else "one of ${concatMapStringsSep ", " show values}";
      descriptionClass = if builtins.length values < 2 then "noun" else "conjunction";
      check = lib.flip elem values;
      merge = mergeEqualOption;
      functor = (defaultFunctor name) // {
        payload = { inherit values; };
        type = payload: lib.types.enum payload.values;
        binOp = a: b: { values = lib.lists.unique (a.values ++ b.values); };
      };
    };

  serializableValueWith = { typeName, nullable ? true }:
    let
      baseType = oneOf [ bool int float str path (attrsOf valueType) (listOf valueType) ];
      valueType = (if nullable then nullOr baseType else baseType) // { description = "${typeName} value"; };
    in
    valueType;
  json = serializableValueWith { typeName = "JSON"; };
  toml = serializableValueWith { typeName = "TOML"; nullable = false; };

  either = t1: t2: mkOptionType rec {
    name = "either";
    description =
      if t1.descriptionClass or null == "nonRestrictiveClause" then
        "${t1.description}, or ${optionDescriptionPhrase (class: class == "noun" || class == "conjunction") t2}"
      else
        "${optionDescriptionPhrase (class: class == "noun" || class == "conjunction") t1} or ${
          optionDescriptionPhrase (class: class == "noun" || class == "conjunction" || class == "composite") t2}";
    descriptionClass = "conjunction";
    check = coherentCheck (x: t1.check x || t2.check x);
    merge = v2Merge ({ loc, defs }:
      let
        r1 = mergeAsV2 t1 loc defs;
        r2 = mergeAsV2 t2 loc defs;
      in
      if r1.headError == null then r1
      else if r2.headError == null then r2
      else rec {
        valueMeta = { inherit headError; };
        headError = {
          message = "The option `${showOption loc}` is neither a value of type `${t1.description}` nor `${t2.description}`, Definition values: ${showDefs defs}";
        };
        value = lib.warn ''
          One or more definitions did not pass the type-check of the 'either' type.
          ${headError.message}
          If `either`, `oneOf` or similar is used in freeformType, ensure that it is preceded by an 'attrsOf' such as: `freeformType = types.attrsOf (types.either t1 t2)`.
          Otherwise consider using the correct type for the option `${showOption loc}`.  This will be an error in Nixpkgs 26.05.
        '' (mergeOneOption loc defs);
      });
    typeMerge = f':
      let
        mt1 = t1.typeMerge (head f'.payload.elemType).functor;
        mt2 = t2.typeMerge (elemAt f'.payload.elemType 1).functor;
      in
      if (name == f'.name) && (mt1 != null) && (mt2 != null) then functor.type mt1 mt2 else null;
    functor = elemTypeFunctor name { elemType = [ t1 t2 ]; };
    nestedTypes.left = t1;
    nestedTypes.right = t2;
  };
  oneOf = ts:
    let head' = if ts == [ ] then throw "types.oneOf needs to get at least one type in its argument" else head ts; in
    foldl' either head' (tail ts);

  coercedTo = coercedType: coerceFunc: finalType:
    assert lib.assertMsg (coercedType.getSubModules == null)
      "coercedTo: coercedType must not have submodules (it’s a ${coercedType.description})";
    mkOptionType rec {
      name = "coercedTo";
      description = "${optionDescriptionPhrase (class: class == "noun") finalType} or ${
        optionDescriptionPhrase (class: class == "noun") coercedType} convertible to it";
      check = coherentCheck (x: (coercedType.check x && finalType.check (coerceFunc x)) || finalType.check x);
      merge = v2Merge ({ loc, defs }:
        let
          finalDefs = map (def: def // {
            value =
              if coercedType.merge ? v2 then
                let merged = checkV2MergeCoherence loc coercedType (coercedType.merge.v2 { inherit loc; defs = [ def ]; }); in
                if merged.headError == null then coerceFunc def.value else def.value
              else if coercedType.check def.value then coerceFunc def.value
              else def.value;
          }) defs;
        in
        if finalType.merge ? v2 then checkV2MergeCoherence loc finalType (finalType.merge.v2 { inherit loc; defs = finalDefs; })
        else { value = finalType.merge loc finalDefs; valueMeta = { }; headError = checkDefsForError check loc defs; });
      emptyValue = finalType.emptyValue;
      getSubOptions = finalType.getSubOptions;
      getSubModules = finalType.getSubModules;
      substSubModules = m: coercedTo coercedType coerceFunc (finalType.substSubModules m);
      typeMerge = t: null;
      functor = defaultFunctor name;
      nestedTypes.coercedType = coercedType;
      nestedTypes.finalType = finalType;
    };

  addCheck = elemType: check:
    if elemType.merge ? v2 then
      elemType // {
        check = coherentCheck (x: elemType.check x && check x);
        merge = v2Merge ({ loc, defs }@args:
          let
            orig = checkV2MergeCoherence loc elemType (elemType.merge.v2 args);
            headError' = if orig.headError != null then orig.headError else checkDefsForError check loc defs;
          in
          orig // { headError = headError'; });
      }
    else elemType // { check = x: elemType.check x && check x; };

  mergeTypes = a: b:
    assert isOptionType a && isOptionType b;
    let merged = a.typeMerge b.functor; in
    if merged == null then setType "merge-error" { error = "Cannot merge types"; } else merged;

  fileset = mkOptionType {
    name = "fileset";
    description = "fileset";
    descriptionClass = "noun";
    check = lib.fileset.isFileset;
    merge = loc: defs: lib.fileset.unions (map (x: x.value) defs);
    emptyValue.value = lib.fileset.empty;
  };

  types = lib.types;
}
