# mkOrder / mkBefore / mkAfter sort list and string definitions (stable).
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkOption types mkBefore mkAfter mkOrder mkForce;
  eval = lib.evalModules {
    modules = [
      { options.l = mkOption { type = types.listOf types.str; }; options.s = mkOption { type = types.lines; }; }
      { l = [ "plain1" ]; s = "plain1"; }
      { l = mkAfter [ "after" ]; s = mkAfter "after"; }
      { l = mkBefore [ "before" ]; s = mkBefore "before"; }
      { l = mkOrder 10 [ "order10" ]; s = mkOrder 10 "order10"; }
      { l = [ "plain2" ]; s = "plain2"; }
      { l = mkOrder 1000 [ "order1000" ]; }
    ];
  };
in
{ inherit (eval.config) l s; }
