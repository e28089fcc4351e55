# The module system as nixpkgs exposes it. The engine (evalModules, merging,
# priorities, unmatched-definition checks) is native TypeScript bound to this lib
# (`native.engine lib`); what remains here are the small property constructors and
# the rename/alias/removal helper modules, which are ordinary modules.
{ lib }:
let
  native = import ./native.nix;
  engine = native.engine lib;
  inherit (lib) mkOption types setAttrByPath getAttrFromPath attrByPath showOption showFiles optionalAttrs
    optional optionalString filter map any foldl' recursiveUpdate id;
in
rec {
  inherit (engine) evalModules mergeDefinitions evalOptionValue mergeOptionDecls fixupOptionType;
  inherit (native) pushDownProperties dischargeProperties filterOverrides sortProperties;
  "filterOverrides'" = native.filterOverridesPrime;

  defaultOverridePriority = 100;
  defaultOrderPriority = 1000;

  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkAssert = assertion: message: content:
    mkIf (if assertion then true else throw "\nFailed assertion: ${message}") content;
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkDefinition = args@{ file, value, ... }: args // { _type = "definition"; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkOptionDefault = mkOverride 1500;
  mkDefault = mkOverride 1000;
  mkImageMediaOverride = mkOverride 60;
  mkForce = mkOverride 50;
  mkVMOverride = mkOverride 10;
  mkFixStrictness = lib.warn "lib.mkFixStrictness has no effect and will be removed. It returns its argument unmodified, so you can just remove any calls." id;
  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;

  mapDefinitionValue = f: def:
    if def ? _type then
      if def._type == "merge" then def // { contents = map (mapDefinitionValue f) def.contents; }
      else if def._type == "if" || def._type == "override" || def._type == "order" then
        def // { content = mapDefinitionValue f def.content; }
      else if def._type == "definition" then def // { value = mapDefinitionValue f def.value; }
      else f def
    else f def;

  mkAliasDefinitions = mkAliasAndWrapDefinitions id;
  mkAliasAndWrapDefinitions = wrap: option: mkIf option.isDefined (wrap (mkMerge option.definitions));
  mkAliasAndWrapDefsWithPriority = wrap: option:
    let
      prio = option.highestPrio or defaultOverridePriority;
      defsWithPrio = map (mkOverride prio) option.definitions;
    in
    mkIf option.isDefined (wrap (mkMerge defsWithPrio));
  mkAliasIfDef = lib.warn "Usage of 'mkAliasIfDef' has been deprecated. Use 'mkIf option.isDefined' instead." (option: mkIf option.isDefined);

  fixMergeModules = modules: args: evalModules { inherit modules args; check = false; };

  setDefaultModuleLocation = file: m: { _file = file; imports = [ m ]; };

  mkRemovedOptionModule = optionName: replacementInstructions:
    { options, ... }:
    {
      options = setAttrByPath optionName (mkOption {
        visible = false;
        apply = x: throw "The option `${showOption optionName}' can no longer be used since it's been removed. ${replacementInstructions}";
      });
      config.assertions =
        let opt = getAttrFromPath optionName options; in
        [ {
          assertion = !opt.isDefined;
          message = ''
            The option definition `${showOption optionName}' in ${showFiles opt.files} no longer has any effect; please remove it.
            ${replacementInstructions}
          '';
        } ];
    };

  mkRenamedOptionModule = from: to: doRename {
    inherit from to;
    visible = false;
    warn = true;
    use = builtins.trace "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
  };
  mkRenamedOptionModuleWith = { from, to, sinceRelease }: doRename {
    inherit from to;
    visible = false;
    warn = lib.oldestSupportedReleaseIsAtLeast sinceRelease;
    use = lib.warnIf (lib.oldestSupportedReleaseIsAtLeast sinceRelease)
      "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
  };

  mkMergedOptionModule = from: to: mergeFn:
    { config, options, ... }:
    {
      options = foldl' recursiveUpdate { } (map (path: setAttrByPath path (mkOption {
        visible = false;
        default = "_mkMergedOptionModule";
      })) from);
      config = {
        warnings = filter (x: x != "") (map (f:
          let val = getAttrFromPath f config; opt = getAttrFromPath f options; in
          optionalString (val != "_mkMergedOptionModule")
            "The option `${showOption f}' defined in ${showFiles opt.files} has been changed to `${showOption to}' that has a different type. Please read `${showOption to}' documentation and update your configuration accordingly."
        ) from);
      } // setAttrByPath to (mkMerge (optional (any (f: (getAttrFromPath f config) != "_mkMergedOptionModule") from) (mergeFn config)));
    };
  mkChangedOptionModule = from: to: changeFn: mkMergedOptionModule [ from ] to changeFn;

  mkAliasOptionModule = from: to: doRename { inherit from to; visible = true; warn = false; use = id; };
  mkAliasOptionModuleMD = lib.warn "mkAliasOptionModuleMD is deprecated and will be removed in 26.05; please use mkAliasOptionModule." mkAliasOptionModule;

  mkDerivedConfig = opt: f: mkOverride (opt.highestPrio or defaultOverridePriority) (f opt.value);

  doRename = { from, to, visible, warn, use, withPriority ? true, condition ? true }:
    { config, options, ... }:
    let
      fromOpt = getAttrFromPath from options;
      toOf = attrByPath to (abort "Renaming error: option `${showOption to}' does not exist.");
      toType = let opt = attrByPath to { } options; in opt.type or (types.submodule { });
    in
    {
      options = setAttrByPath from (mkOption {
        inherit visible;
        description = "Alias of {option}`${showOption to}`.";
        apply = x: use (toOf config);
      } // optionalAttrs (toType != null) { type = toType; });
      config = mkIf condition (mkMerge [
        (optionalAttrs (options ? warnings) {
          warnings = optional (warn && fromOpt.isDefined)
            "The option `${showOption from}' defined in ${showFiles fromOpt.files} has been renamed to `${showOption to}'.";
        })
        (if withPriority then mkAliasAndWrapDefsWithPriority (setAttrByPath to) fromOpt
         else mkAliasAndWrapDefinitions (setAttrByPath to) fromOpt)
      ]);
    };

  importApply = modulePath: staticArg: setDefaultModuleLocation modulePath (import modulePath staticArg);
  importJSON = file: { _file = file; config = lib.importJSON file; };
  importTOML = file: { _file = file; config = lib.importTOML file; };

  mergeAttrDefinitionsWithPrio = opt:
    let
      defsByAttr = lib.zipAttrs (lib.concatLists (lib.concatMap ({ value, ... }@def:
        map (lib.mapAttrsToList (k: value: { ${k} = def // { inherit value; }; })) (pushDownProperties value)
      ) opt.definitionsWithLocations));
    in
    assert opt.type.name == "attrsOf" || opt.type.name == "lazyAttrsOf";
    lib.mapAttrs (k: v:
      let merging = mergeDefinitions (opt.loc ++ [ k ]) opt.type.nestedTypes.elemType v; in
      { value = merging.mergedValue; inherit (merging."defsFinal'") highestPrio; }
    ) defsByAttr;

}
