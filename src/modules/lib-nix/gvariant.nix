# GVariant values in GLib's text format (https://docs.gtk.org/glib/gvariant-text.html),
# as dconf settings take them. A value is `{ _type = "gvariant"; type; value; }` with a
# `__toString` that prints it: every value carries its type string, and prints a type
# annotation (`@u 42`) wherever the text format could not infer the type from the
# literal itself (strings, booleans, int32 and doubles need none).
{ lib }:
let
  inherit (lib) concatStrings concatMapStringsSep escape replaceStrings;

  type = {
    arrayOf = t: "a${t}";
    maybeOf = t: "m${t}";
    tupleOf = ts: "(${concatStrings ts})";
    dictionaryEntryOf = k: v: "{${k}${v}}";
    string = "s";
    boolean = "b";
    uchar = "y";
    int16 = "n";
    uint16 = "q";
    int32 = "i";
    uint32 = "u";
    int64 = "x";
    uint64 = "t";
    double = "d";
    variant = "v";
  };

  # A value printing with its type annotation; constructors override the printing.
  annotated = t: v: {
    _type = "gvariant";
    type = t;
    value = v;
    __toString = self: "@${self.type} ${toString self.value}";
  };
  printedAs = show: t: v: annotated t v // { __toString = show; };

  # Plain Nix integers are ambiguous: the error lists the constructors whose range fits.
  intConstructors = [
    { name = "mkInt32"; type = type.int32; min = -2147483648; max = 2147483647; }
    { name = "mkUint32"; type = type.uint32; min = 0; max = 4294967295; }
    { name = "mkInt64"; type = type.int64; min = null; max = null; }
    { name = "mkUint64"; type = type.uint64; min = 0; max = null; }
    { name = "mkInt16"; type = type.int16; min = -32768; max = 32767; }
    { name = "mkUint16"; type = type.uint16; min = 0; max = 65535; }
    { name = "mkUchar"; type = type.uchar; min = 0; max = 255; }
  ];
  fits = v: c: (c.min == null || c.min <= v) && (c.max == null || v <= c.max);
in
rec {
  inherit type intConstructors;

  isGVariant = v: v._type or "" == "gvariant";

  mkValue = v:
    if builtins.isBool v then mkBoolean v
    else if builtins.isFloat v then mkDouble v
    else if builtins.isString v then mkString v
    else if builtins.isList v then mkArray v
    else if isGVariant v then v
    else if builtins.isInt v then
      throw ''
        The GVariant type for number “${toString v}” is unclear.
        Please wrap the value with one of the following, depending on the value type in GSettings schema:

        ${concatMapStringsSep "\n" (c: "- `lib.gvariant.${c.name}` for `${c.type}`") (builtins.filter (fits v) intConstructors)}
      ''
    else if builtins.isAttrs v then
      throw "Cannot construct GVariant value from an attribute set. If you want to construct a dictionary, you will need to create an array containing items constructed with `lib.gvariant.mkDictionaryEntry`."
    else throw "The GVariant type of “${builtins.typeOf v}” can't be inferred.";

  mkArray = elems:
    let
      vs = map mkValue (lib.throwIf (elems == [ ]) "Please create empty array with mkEmptyArray." elems);
      t = (builtins.head vs).type;
      elemType = lib.throwIfNot (lib.all (e: e.type == t) vs) "Elements in a list should have same type." t;
    in
    printedAs (self: "@${self.type} [${concatMapStringsSep "," toString self.value}]") (type.arrayOf elemType) vs;

  mkEmptyArray = elemType: printedAs (self: "@${self.type} []") (type.arrayOf elemType) [ ];

  mkVariant = elem: printedAs (self: "<${toString self.value}>") type.variant (mkValue elem);

  mkDictionaryEntry = name: value:
    let
      k = mkValue name;
      v = mkValue value;
    in
    printedAs (self: "@${self.type} {${toString k},${toString v}}") (type.dictionaryEntryOf k.type v.type) {
      inherit name value;
    };

  mkMaybe = elemType: elem:
    printedAs (self: if self.value == null then "@${self.type} nothing" else "just ${toString self.value}")
      (type.maybeOf elemType) elem;

  mkNothing = elemType: mkMaybe elemType null;

  mkJust = elem: let v = mkValue elem; in mkMaybe v.type v;

  mkTuple = elems:
    let vs = map mkValue elems; in
    printedAs (self: "@${self.type} (${concatMapStringsSep "," toString self.value})") (type.tupleOf (map (e: e.type) vs)) vs;

  mkBoolean = v: printedAs (self: if self.value then "true" else "false") type.boolean v;

  # Quotes and backslashes escaped, newlines as `\n`: one line of text format.
  mkString = v:
    printedAs (self: "'${replaceStrings [ "\n" ] [ "\\n" ] (escape [ "'" "\\" ] self.value)}'") type.string v;

  mkObjectpath = v: printedAs (self: "objectpath '${escape [ "'" ] self.value}'") type.string v;

  mkUchar = annotated type.uchar;
  mkInt16 = annotated type.int16;
  mkUint16 = annotated type.uint16;
  mkInt32 = printedAs (self: toString self.value) type.int32;
  mkUint32 = annotated type.uint32;
  mkInt64 = annotated type.int64;
  mkUint64 = annotated type.uint64;
  mkDouble = printedAs (self: toString self.value) type.double;
}
