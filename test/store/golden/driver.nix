# Evaluates the golden specs (JSON) with the real Nix, for test/store/gen-golden.sh.
#
# A spec value is JSON with a few tagged objects standing for the Nix constructs whose
# store effects are under test:
#   "s", 1, true, null, [ … ]     → the same Nix value
#   { "concat": [ v … ] }         → the values interpolated into one string
#   { "out": "case", "output": "dev" }  → that output path of derivation `case`
#                                         (`output` omitted: the derivation itself)
#   { "drvPath": "case" }         → the .drv path of `case` (whole-closure context)
#   { "toFile": "name", "text": v }     → builtins.toFile name v
#   { "path": "fixture" }         → "${fixtures + "/fixture"}" (copied as a source)
#   { "builtinsPath": { "path": "fixture", "name"?, "recursive"?, "filter"? } }
#                                 → "${builtins.path { … }}" with a named filter
#   { "placeholder": "out" }      → builtins.placeholder "out"
#   { "attrs": { k: v … } }       → an attribute set (for structured attrs)
{ fixtures, specDir, case ? null }:
let
  inherit (builtins) fromJSON readFile isAttrs isList isString map mapAttrs concatStringsSep;
  load = name: fromJSON (readFile (specDir + "/drv/${name}.spec.json"));
  filters = {
    noSymlinks = path: type: type != "symlink";
    noExecutables = path: type: builtins.match ".*\\.sh" path == null;
    noSubdirs = path: type: type != "directory";
  };
  drvOf = name: derivation (mapAttrs (_: value) (load name).attrs);
  str = v: let x = value v; in if isString x then x else toString x;
  value = v:
    if isList v then map value v
    else if !(isAttrs v) then v
    else if v ? concat then concatStringsSep "" (map str v.concat)
    else if v ? out then (let d = drvOf v.out; in if v ? output then d.${v.output}.outPath else d)
    else if v ? drvPath then (drvOf v.drvPath).drvPath
    else if v ? toFile then builtins.toFile v.toFile (str v.text)
    else if v ? path then "${fixtures + "/${v.path}"}"
    else if v ? builtinsPath then
      (let p = v.builtinsPath; in "${builtins.path ({ path = fixtures + "/${p.path}"; }
        // (if p ? name then { inherit (p) name; } else { })
        // (if p ? recursive then { inherit (p) recursive; } else { })
        // (if p ? filter then { filter = filters.${p.filter}; } else { }))}")
    else if v ? placeholder then builtins.placeholder v.placeholder
    else if v ? attrs then mapAttrs (_: value) v.attrs
    else throw "unknown spec value ${builtins.toJSON v}";
in {
  drv = drvOf case;
  info = let d = drvOf case; in {
    drvPath = d.drvPath;
    outputs = builtins.listToAttrs (map (o: { name = o; value = d.${o}.outPath; }) (d.outputs or [ "out" ]));
  };
  paths = mapAttrs (_: str) (fromJSON (readFile (specDir + "/paths.json")));
  hashes = map (s: { input = s; } // builtins.listToAttrs (map (a: { name = a; value = builtins.hashString a s; })
    [ "md5" "sha1" "sha256" "sha512" ])) (fromJSON (readFile (specDir + "/hashes.json")));
}
