# Attribute set functions.
{ lib }:
let
  inherit (builtins) attrNames listToAttrs hasAttr isAttrs getAttr removeAttrs head tail length elemAt
    foldl' filter concatMap mapAttrs;
in
rec {
  inherit (builtins) attrNames attrValues listToAttrs hasAttr getAttr isAttrs removeAttrs intersectAttrs
    catAttrs mapAttrs zipAttrsWith;
  attrByPath = attrPath: default: set:
    let
      lenAttrPath = length attrPath;
      go = n: s:
        if n == lenAttrPath then s
        else let attr = elemAt attrPath n; in
          if s ? ${attr} then go (n + 1) s.${attr} else default;
    in
    go 0 set;
  hasAttrByPath = attrPath: e:
    let
      lenAttrPath = length attrPath;
      go = n: s:
        if n == lenAttrPath then true
        else let attr = elemAt attrPath n; in
          if s ? ${attr} then go (n + 1) s.${attr} else false;
    in
    go 0 e;
  longestValidPathPrefix = attrPath: v:
    let
      go = n: s:
        if n == length attrPath then attrPath
        else let attr = elemAt attrPath n; in
          if isAttrs s && s ? ${attr} then go (n + 1) s.${attr} else lib.lists.take n attrPath;
    in
    go 0 v;
  setAttrByPath = attrPath: value:
    let
      len = length attrPath;
      atDepth = n: if n == len then value else { ${elemAt attrPath n} = atDepth (n + 1); };
    in
    atDepth 0;
  getAttrFromPath = attrPath: set:
    attrByPath attrPath (abort ("cannot find attribute '" + builtins.concatStringsSep "." attrPath + "'")) set;
  concatMapAttrs = f: v: foldl' (a: b: a // b) { } (attrValues (mapAttrs f v));
  updateManyAttrsByPath =
    let
      go = prefixLength: hasValue: value: updates:
        let
          split = builtins.groupBy (u: if length u.path > prefixLength then elemAt u.path prefixLength else "") updates;
          terminal = split."" or [ ];
          nested = removeAttrs split [ "" ];
          result = foldl' (acc: u: u.update acc) value (map (u: u) terminal);
        in
        if nested == { } then result
        else
          let v = if terminal == [ ] && !hasValue then { } else result; in
          v // mapAttrs (name: us: go (prefixLength + 1) (v ? ${name}) (v.${name} or null) us) nested;
    in
    updates: value: go 0 true value updates;
  attrVals = nameList: set: map (x: set.${x}) nameList;
  getAttrs = names: attrs: lib.genAttrs names (name: attrs.${name});
  filterAttrs = pred: set: removeAttrs set (filter (name: !pred name set.${name}) (attrNames set));
  filterAttrsRecursive = pred: set:
    listToAttrs (concatMap (name:
      let v = set.${name}; in
      if pred name v then [ (nameValuePair name (if isAttrs v then filterAttrsRecursive pred v else v)) ] else [ ]
    ) (attrNames set));
  foldlAttrs = f: init: set: foldl' (acc: name: f acc name set.${name}) init (attrNames set);
  foldAttrs = op: nul: list_of_attrs:
    foldl' (a: n: foldl' (o: name: o // { ${name} = op n.${name} (a.${name} or nul); }) a (attrNames n)) { }
      (lib.lists.reverseList list_of_attrs);
  collect = pred: attrs:
    if pred attrs then [ attrs ]
    else if isAttrs attrs then concatMap (collect pred) (attrValues attrs)
    else [ ];
  cartesianProduct = attrsOfLists:
    foldl' (listOfAttrs: attrName:
      concatMap (attrs: map (listValue: attrs // { ${attrName} = listValue; }) attrsOfLists.${attrName}) listOfAttrs
    ) [ { } ] (attrNames attrsOfLists);
  mapCartesianProduct = f: attrsOfLists: map f (cartesianProduct attrsOfLists);
  nameValuePair = name: value: { inherit name value; };
  mapAttrs' = f: set: listToAttrs (map (attr: f attr set.${attr}) (attrNames set));
  mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (attrNames attrs);
  attrsToList = mapAttrsToList nameValuePair;
  mapAttrsRecursive = f: set: mapAttrsRecursiveCond (as: true) f set;
  mapAttrsRecursiveCond = cond: f: set:
    let
      recurse = path: mapAttrs (name: value:
        if isAttrs value && cond value then recurse (path ++ [ name ]) value else f (path ++ [ name ]) value);
    in
    recurse [ ] set;
  genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);
  genAttrs' = xs: f: listToAttrs (map f xs);
  isDerivation = value: value.type or null == "derivation";
  toDerivation = path:
    let
      path' = builtins.storePath path;
      res = {
        type = "derivation";
        name = builtins.unsafeDiscardStringContext (builtins.substring 33 (-1) (baseNameOf path'));
        outPath = path';
        outputs = [ "out" ];
        out = res;
        outputName = "out";
      };
    in
    res;
  optionalAttrs = cond: as: if cond then as else { };
  zipAttrsWithNames = names: f: sets:
    listToAttrs (map (name: { inherit name; value = f name (catAttrs name sets); }) names);
  zipAttrs = zipAttrsWith (name: values: values);
  mergeAttrsList = list: foldl' (a: b: a // b) { } list;
  recursiveUpdateUntil = pred: lhs: rhs:
    let
      f = attrPath:
        zipAttrsWith (n: values:
          let here = attrPath ++ [ n ]; in
          if length values == 1 || pred here (elemAt values 1) (head values) then head values
          else f here values);
    in
    f [ ] [ rhs lhs ];
  recursiveUpdate = lhs: rhs:
    recursiveUpdateUntil (path: lhs: rhs: !(isAttrs lhs && isAttrs rhs)) lhs rhs;
  matchAttrs = pattern: attrs:
    assert isAttrs pattern;
    builtins.all (attr:
      let lhs = pattern.${attr}; in
      attrs ? ${attr} && (if isAttrs lhs && isAttrs attrs.${attr} then matchAttrs lhs attrs.${attr} else lhs == attrs.${attr})
    ) (attrNames pattern);
  overrideExisting = old: new: mapAttrs (name: value: new.${name} or value) old;
  showAttrPath = path: if path == [ ] then "<root attribute path>" else builtins.concatStringsSep "." (map lib.strings.escapeNixIdentifier path);
  getOutput = output: pkg: if !pkg ? outputSpecified || !pkg.outputSpecified then pkg.${output} or pkg.out or pkg else pkg;
  getFirstOutput = candidates: pkg:
    let outputs = builtins.filter (name: hasAttr name pkg) candidates; output = builtins.head outputs; in
    if pkg.outputSpecified or false || outputs == [ ] then pkg else pkg.${output};
  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getStatic = getOutput "static";
  getDev = getOutput "dev";
  getInclude = getOutput "include";
  getMan = getOutput "man";
  chooseDevOutputs = builtins.map getDev;
  recurseIntoAttrs = attrs: attrs // { recurseForDerivations = true; };
  dontRecurseIntoAttrs = attrs: attrs // { recurseForDerivations = false; };
  unionOfDisjoint = x: y:
    let
      intersection = builtins.intersectAttrs x y;
      collisions = lib.concatStringsSep " " (attrNames intersection);
      mask = builtins.mapAttrs (name: value: builtins.throw "unionOfDisjoint: collision on ${name}; complete list: ${collisions}") intersection;
    in
    (x // y) // mask;

  # Leaves of nested sets (where `pred path set` declines to recurse, or a non-set),
  # mapped with their attribute paths, in path order.
  mapAttrsToListRecursiveCond = pred: f: set:
    let
      walk = path: v: if isAttrs v && pred path v then inside path v else [ (f path v) ];
      inside = path: s: concatMap (n: walk (path ++ [ n ]) s.${n}) (attrNames s);
    in
    inside [ ] set;
  mapAttrsToListRecursive = mapAttrsToListRecursiveCond (_: _: true);
}
