with import ./lib.nix;
mk {
  name = "structured";
  __structuredAttrs = true;
  n = 42;
  neg = -7;
  f = 1.5;
  b = true;
  nul = null;
  l = [ 1 "two" [ ] { x = 3; } ];
  set = { z = 1; a = { b = "c"; }; };
  s = "quote\" backslash\\ newline\n tab\t";
}
