# How values become environment strings (toString rules).
with import ./lib.nix;
mk {
  name = "env";
  int = 123;
  negative = -5;
  big = 9007199254740993;
  float = 0.1;
  true_ = true;
  false_ = false;
  null_ = null;
  list = [ 1 "a" true false null [ ] [ "x" [ "y" ] ] 2.5 ];
  empty = [ ];
  nested = [ [ ] [ ] "a" ];
  withToString = { __toString = self: "from toString"; };
  withOutPath = { outPath = "/some/path"; };
}
