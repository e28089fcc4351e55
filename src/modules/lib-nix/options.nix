# Option declarations and the classic merge functions.
#
# The merge functions most types use (mergeEqualOption, mergeOneOption) and the
# message helpers (showOption, showDefs, showFiles) are native: they run for nearly
# every option of a NixOS evaluation and print nixpkgs' exact error texts.
{ lib }:
let
  native = import ./native.nix;
  inherit (lib) isList isAttrs isBool isString isFunction head tail length filter concatMap
    all foldl' optionalAttrs last toList attrByPath showAttrPath literalExpression collect optionals;
in
rec {
  isOption = lib.isType "option";
  mkOption = { default ? null, defaultText ? null, example ? null, description ? null, relatedPackages ? null,
    type ? null, apply ? null, internal ? null, visible ? null, readOnly ? null }@attrs:
    attrs // { _type = "option"; };
  mkEnableOption = name: mkOption {
    default = false;
    example = true;
    description = "Whether to enable ${name}.";
    type = lib.types.bool;
  };
  mkPackageOption = pkgs: name:
    { nullable ? false, default ? name, example ? null, extraDescription ? "", pkgsText ? "pkgs" }:
    let
      name' = if isList name then last name else name;
      default' = toList default;
      defaultText = showAttrPath default';
      defaultValue = attrByPath default' (throw "${defaultText} cannot be found in ${pkgsText}") pkgs;
      defaults =
        if default != null then { default = defaultValue; defaultText = literalExpression "${pkgsText}.${defaultText}"; }
        else optionalAttrs nullable { default = null; };
    in
    mkOption (
      defaults // {
        description = "The ${name'} package to use." + (if extraDescription == "" then "" else " ") + extraDescription;
        type = (if nullable then lib.types.nullOr else lib.id) lib.types.package;
      }
      // optionalAttrs (example != null) {
        example = literalExpression (if isList example then "${pkgsText}.${showAttrPath example}" else example);
      });
  mkPackageOptionMD = mkPackageOption;
  mkSinkUndeclaredOptions = attrs: mkOption ({
    internal = true;
    visible = false;
    default = false;
    description = "Sink for option definitions.";
    type = lib.types.mkOptionType { name = "sink"; check = x: true; merge = loc: defs: false; };
    apply = x: throw "Option value is not readable because the option is not declared.";
  } // attrs);

  mergeDefaultOption = loc: defs:
    let list = getValues defs; in
    if length list == 1 then head list
    else if all isFunction list then x: mergeDefaultOption loc (map (f: f x) list)
    else if all isList list then lib.concatLists list
    else if all isAttrs list then foldl' lib.mergeAttrs { } list
    else if all isBool list then foldl' lib."or" false list
    else if all isString list then lib.concatStrings list
    else if all builtins.isInt list && all (x: x == head list) list then head list
    else throw "Cannot merge definitions of `${showOption loc}'. Definition values:${showDefs defs}";
  mergeOneOption = native.mergeOneOption;
  mergeUniqueOption = { message, merge ? loc: defs: (head defs).value }:
    loc: defs:
    if length defs == 1 then merge loc defs
    else assert length defs > 1;
      throw "The option `${showOption loc}' is defined multiple times while it's expected to be unique.\n${message}\nDefinition values:${showDefs defs}\n${prioritySuggestion}";
  prioritySuggestion = ''
    Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.
  '';
  mergeEqualOption = native.mergeEqualOption;
  getValues = map (x: x.value);
  getFiles = map (x: x.file);
  optionAttrSetToDocList = optionAttrSetToDocList' [ ];
  optionAttrSetToDocList' = _: options:
    concatMap (opt:
      let
        name = showOption opt.loc;
        visible = opt.visible or true;
        docOption = {
          loc = opt.loc;
          inherit name;
          description = opt.description or null;
          declarations = filter (x: x != unknownModule) opt.declarations;
          internal = opt.internal or false;
          visible = if isBool visible then visible else visible == "shallow";
          readOnly = opt.readOnly or false;
          type = opt.type.description or "unspecified";
        }
        // optionalAttrs (opt ? example) { example = renderOptionValue opt.example; }
        // optionalAttrs (opt ? defaultText || opt ? default
          || ((opt.type or { }).emptyValue or { }) ? value && (opt.type or { }).getSubModules or null == null) {
          default = renderOptionValue (opt.defaultText or opt.default or opt.type.emptyValue.value);
        }
        // optionalAttrs (opt ? relatedPackages && opt.relatedPackages != null) { inherit (opt) relatedPackages; };
        subOptions = let ss = opt.type.getSubOptions opt.loc; in
          if ss != { } then optionAttrSetToDocList' opt.loc ss else [ ];
        subOptionsVisible = if isBool visible then visible else visible == "transparent";
      in
      [ docOption ] ++ optionals subOptionsVisible subOptions
    ) (collect isOption options);
  scrubOptionValue = x:
    if lib.isDerivation x then { type = "derivation"; drvPath = x.name; outPath = x.name; name = x.name; }
    else if isList x then map scrubOptionValue x
    else if isAttrs x then lib.mapAttrs (n: v: scrubOptionValue v) (removeAttrs x [ "_args" ])
    else x;
  renderOptionValue = v:
    if v ? _type && v ? text then v
    else literalExpression (lib.generators.toPretty { multiline = true; allowPrettyValues = true; } v);
  literalExpression = text:
    if !isString text then throw "literalExpression expects a string."
    else { _type = "literalExpression"; inherit text; };
  literalExample = literalExpression;
  literalCode = languageTag: text: literalMD ''
    ```${languageTag}
    ${text}
    ```
  '';
  literalMD = text:
    if !isString text then throw "literalMD expects a string."
    else { _type = "literalMD"; inherit text; };
  mdDoc = lib.warn "lib.mdDoc will be removed from nixpkgs in 24.11. Option descriptions are now in Markdown by default; you can remove any remaining uses of lib.mdDoc." (x: x);
  showOption = native.showOption;
  showFiles = native.showFiles;
  showDefs = native.showDefs;
  showOptionWithDefLocs = opt: ''
    ${showOption opt.loc}, with values defined in:
    ${lib.concatMapStringsSep "\n" (defFile: "  - ${defFile}") opt.files}
  '';
  unknownModule = "<unknown-file>";
}
