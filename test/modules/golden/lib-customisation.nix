# makeOverridable (override, overrideDerivation), callPackageWith/callPackagesWith, makeScope with overrideScope, overrideDerivation.
let lib = import <nixpkgs/lib>;
  f = { a, b ? 2 }: { result = a + b; };
  o = lib.makeOverridable f { a = 1; };
  d = derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; };
  mkd = { name ? "y" }: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; };
  od = lib.makeOverridable mkd { };
  cp = lib.callPackageWith { a = 10; b = 20; c = 30; };
  sets = lib.callPackagesWith { a = 1; } ({ a }: { p = { v = a; }; q = { v = a + 1; }; }) { };
  scope = lib.makeScope (extra: lib.callPackageWith ({ base = 1; } // extra)) (self: { x = self.callPackage ({ base }: base + 1) { }; y = self.callPackage ({ x }: x * 10) { }; });
  scope2 = scope.overrideScope (final: prev: { x = 100; });
in {
  o = [ o.result (o.override { a = 5; }).result (o.override (old: { b = old.a * 3; })).result ((o.override { a = 2; }).override { b = 0; }).result ];
  names = builtins.attrNames o;
  od = [ od.name (od.override { name = "z"; }).name (od.overrideDerivation (old: { name = "w"; })).name ];
  odOver = builtins.attrNames (od.overrideDerivation (old: { }));
  cp = [ (cp ({ a, b }: a + b) { }) (cp ({ a, c ? 0 }: a + c) { a = 1; }) ];
  sets = [ sets.p.v sets.q.v (sets.p.override { a = 5; }).v ];
  scope = [ scope.x scope.y scope2.x scope2.y (builtins.isFunction scope.packages) ];
  ovd = (lib.overrideDerivation d (old: { name = "x2"; })).name;
}
