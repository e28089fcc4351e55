with import ./lib.nix;
mk {
  name = "escapes";
  q = "\"quoted\"";
  bs = "back\\slash";
  nl = "line1\nline2";
  cr = "a\rb";
  tab = "a\tb";
  dollar = "$out \${x}";
  utf8 = "héllo wörld ✓";
  args = [ "a\"b" "c\\d" "e\nf" ];
}
