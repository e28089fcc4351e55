# Option records: value, definitions, files, declarations, highestPrio, loc, ...
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types;
  eval = lib.evalModules {
    modules = [
      { _file = "/decl.nix"; options.services.foo = {
          enable = lib.mkEnableOption "foo";
          port = mkOption { type = types.port; default = 80; description = "Port."; example = 8080; };
          extra = mkOption { type = types.attrsOf types.str; default = { }; internal = true; visible = false; };
          ro = mkOption { type = types.int; default = 1; readOnly = true; };
        }; }
      { _file = "/a.nix"; services.foo.enable = true; services.foo.extra.x = "1"; }
      { _file = "/b.nix"; services.foo.port = lib.mkDefault 81; services.foo.extra.y = "2"; }
    ];
  };
  o = eval.options.services.foo;
  pick = opt: {
    inherit (opt) value isDefined highestPrio files definitions declarations loc;
    type = opt.type.description;
    str = "${opt}";
    hasDefault = opt ? default;
    desc = opt.description or null;
  };
in
{
  enable = pick o.enable;
  port = pick o.port // { inherit (o.port) example; };
  extra = pick o.extra // { inherit (o.extra) internal visible; };
  ro = pick o.ro // { inherit (o.ro) readOnly; };
  config = eval.config;
  class = eval.class;
  _type = eval._type;
  args = builtins.attrNames eval._module.args;
  docs = map (d: { inherit (d) name type; default = d.default.text or null; }) (lib.optionAttrSetToDocList eval.options);
}
