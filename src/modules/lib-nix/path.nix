# Path values and subpath strings. A subpath is a relative path string without `..`;
# normalised, it is `./` followed by its components (`./.` for none). A path value is
# taken apart into its filesystem root and components by walking `dirOf` up to the
# root, so that prefixes are compared component by component, never as strings.
{ lib }:
let
  inherit (builtins) isString isPath typeOf substring match split length elemAt head genList concatStringsSep
    dirOf baseNameOf;
  inherit (lib) assertMsg;

  invalidReason = value:
    if !isString value then "The given value is of type ${typeOf value}, but a string was expected"
    else if value == "" then "The given string is empty"
    else if substring 0 1 value == "/" then "The given string \"${value}\" starts with a `/`, representing an absolute path"
    else if match "(.*/)?\\.\\.(/.*)?" value != null then
      "The given string \"${value}\" contains a `..` component, which is not allowed in subpaths"
    else null;
  isValid = value: invalidReason value == null;

  # The components of a valid subpath: runs of `/` and `.` components are separators.
  componentsOf = s:
    let
      parts = split "/+(\\./+)*" s;
      n = length parts / 2 + 1;
      skipStart = if head parts == "." then 1 else 0;
      skipEnd = if lib.last parts == "." || lib.last parts == "" then 1 else 0;
    in
    if s == "." then [ ] else genList (i: elemAt parts ((skipStart + i) * 2)) (n - skipStart - skipEnd);

  joinComponents = cs: "./" + (if cs == [ ] then "." else concatStringsSep "/" cs);

  deconstruct = path:
    let
      up = cs: p: if p == dirOf p then { root = p; components = cs; } else up ([ (baseNameOf p) ] ++ cs) (dirOf p);
    in
    up [ ] path;

  sameRoot = fn: a: b: da: db:
    assertMsg (da.root == db.root) ''
      lib.path.${fn}: Filesystem roots must be the same for both paths, but paths with different roots were given:
          first argument: "${toString a}" with root "${toString da.root}"
          second argument: "${toString b}" with root "${toString db.root}"'';
in
rec {
  hasStorePathPrefix = (import ./native.nix).hasStorePathPrefix;

  append = path: subpath:
    assert assertMsg (isPath path)
      "lib.path.append: The first argument is of type ${typeOf path}, but a path was expected";
    assert assertMsg (isValid subpath) ''
      lib.path.append: Second argument is not a valid subpath string:
          ${invalidReason subpath}'';
    path + ("/" + subpath);

  hasPrefix = path1:
    assert assertMsg (isPath path1) "lib.path.hasPrefix: First argument is of type ${typeOf path1}, but a path was expected";
    let d1 = deconstruct path1; in
    path2:
    assert assertMsg (isPath path2) "lib.path.hasPrefix: Second argument is of type ${typeOf path2}, but a path was expected";
    let d2 = deconstruct path2; in
    assert sameRoot "hasPrefix" path1 path2 d1 d2;
    lib.take (length d1.components) d2.components == d1.components;

  removePrefix = path1:
    assert assertMsg (isPath path1) "lib.path.removePrefix: First argument is of type ${typeOf path1}, but a path was expected.";
    let d1 = deconstruct path1; n = length d1.components; in
    path2:
    assert assertMsg (isPath path2) "lib.path.removePrefix: Second argument is of type ${typeOf path2}, but a path was expected.";
    let
      d2 = deconstruct path2;
      rest =
        if lib.take n d2.components == d1.components then lib.drop n d2.components
        else throw ''lib.path.removePrefix: The first path argument "${toString path1}" is not a component-wise prefix of the second path argument "${toString path2}".'';
    in
    assert sameRoot "removePrefix" path1 path2 d1 d2;
    joinComponents rest;

  splitRoot = path:
    assert assertMsg (isPath path) "lib.path.splitRoot: Argument is of type ${typeOf path}, but a path was expected";
    let d = deconstruct path; in
    { root = d.root; subpath = joinComponents d.components; };

  subpath = {
    inherit isValid;
    join = subpaths:
      if lib.all isValid subpaths then joinComponents (builtins.concatMap componentsOf subpaths)
      else
        # Name the first invalid element.
        builtins.foldl' (i: p:
          if isValid p then i + 1
          else throw ''
            lib.path.subpath.join: Element at index ${toString i} is not a valid subpath string:
                ${invalidReason p}'') 0 subpaths;
    components = s:
      assert assertMsg (isValid s) ''
        lib.path.subpath.components: Argument is not a valid subpath string:
            ${invalidReason s}'';
      componentsOf s;
    normalise = s:
      assert assertMsg (isValid s) ''
        lib.path.subpath.normalise: Argument is not a valid subpath string:
            ${invalidReason s}'';
      joinComponents (componentsOf s);
  };
}
