# Merging by option type: every built-in type with two or more definitions.
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types;
  opt = type: mkOption { inherit type; };
  eval = lib.evalModules {
    modules = [
      {
        options = {
          bool = opt types.bool;
          boolByOr = opt types.boolByOr;
          int = opt types.int;
          u8 = opt types.ints.u8;
          between = opt (types.ints.between 1 10);
          port = opt types.port;
          float = opt types.float;
          number = opt types.number;
          str = opt types.str;
          nonEmptyStr = opt types.nonEmptyStr;
          lines = opt types.lines;
          commas = opt types.commas;
          envVar = opt types.envVar;
          sep = opt (types.separatedString "+");
          enum = opt (types.enum [ "a" "b" ]);
          listOf = opt (types.listOf types.int);
          attrsOf = opt (types.attrsOf types.int);
          lazyAttrsOf = opt (types.lazyAttrsOf types.str);
          nullOr = opt (types.nullOr types.str);
          either = opt (types.either types.int types.str);
          oneOf = opt (types.oneOf [ types.bool types.int types.str ]);
          coercedTo = opt (types.coercedTo types.int toString types.str);
          attrs = opt types.attrs;
          anything = opt types.anything;
          unspecified = opt types.unspecified;
          raw = opt types.raw;
          uniq = opt (types.uniq types.int);
          functionTo = opt (types.functionTo (types.listOf types.str));
          submodule = opt (types.submodule { options.x = mkOption { type = types.int; default = 1; }; options.y = mkOption { type = types.listOf types.int; }; });
          listOfSub = opt (types.listOf (types.submodule { options.n = mkOption { type = types.str; }; }));
          attrsOfSub = opt (types.attrsOf (types.submodule ({ name, ... }: { options.name = mkOption { type = types.str; default = name; }; })));
          deferred = opt types.deferredModule;
          path = opt types.path;
          package = opt (types.nullOr types.package);
          optionType = opt types.optionType;
        };
      }
      {
        bool = true; boolByOr = false; int = 3; u8 = 255; between = 10; port = 8080; float = 1.5; number = 2;
        str = "s"; nonEmptyStr = "x"; lines = "one"; commas = "a"; envVar = "/bin"; sep = "p";
        enum = "a"; listOf = [ 1 2 ]; attrsOf = { a = 1; }; lazyAttrsOf = { a = "x"; }; nullOr = null;
        either = 1; oneOf = true; coercedTo = 42; attrs = { a = 1; }; anything = { a.b = 1; l = [ 1 ]; };
        unspecified = [ 1 ]; raw = { r = 1; }; uniq = 7; functionTo = x: [ x ];
        submodule = { y = [ 1 ]; }; listOfSub = [ { n = "first"; } ]; attrsOfSub.foo = { };
        deferred = { x = 1; }; path = /etc; package = null; optionType = types.int;
      }
      {
        bool = true; boolByOr = true; int = 3; u8 = 255; between = 10; port = 8080; float = 1.5; number = 2;
        str = "s"; nonEmptyStr = "x"; lines = "two"; commas = "b"; envVar = "/usr/bin"; sep = "q";
        enum = "a"; listOf = [ 3 ]; attrsOf = { b = 2; }; lazyAttrsOf = { b = "y"; }; nullOr = null;
        either = 1; oneOf = true; coercedTo = "42"; attrs = { b = 2; }; anything = { a.c = 2; l = [ 1 ]; };
        functionTo = x: [ "${x}!" ];
        submodule = { x = 5; y = [ 2 ]; }; listOfSub = [ { n = "second"; } ]; attrsOfSub.bar = { };
        deferred = { y = 2; };
      }
    ];
  };
  c = eval.config;
in
{
  inherit (c) bool boolByOr int u8 between port float number str nonEmptyStr lines commas envVar sep enum
    listOf attrsOf lazyAttrsOf nullOr either oneOf coercedTo attrs anything unspecified raw uniq submodule
    listOfSub attrsOfSub path package;
  functionTo = c.functionTo "arg";
  deferredImports = builtins.length c.deferred.imports;
  optionType = c.optionType.name;
  descriptions = builtins.mapAttrs (n: o: o.type.description) (removeAttrs eval.options [ "_module" ]);
  names = builtins.mapAttrs (n: o: o.type.name) (removeAttrs eval.options [ "_module" ]);
}
