# Tracing helpers.
{ lib }:
rec {
  inherit (builtins) addErrorContext trace unsafeGetAttrPos;
  traceIf = pred: msg: x: if pred then builtins.trace msg x else x;
  traceValFn = f: x: builtins.trace (f x) x;
  traceVal = traceValFn (x: x);
  traceSeq = x: y: builtins.trace (builtins.deepSeq x x) y;
  traceSeqN = depth: x: y: builtins.trace (lib.generators.toPretty { } x) y;
  traceValSeqFn = f: v: traceValFn f (builtins.deepSeq v v);
  traceValSeq = traceValSeqFn (x: x);
  traceValSeqNFn = f: depth: v: traceSeqN depth (f v) v;
  traceValSeqN = traceValSeqNFn (x: x);
  traceFnSeqN = depth: name: f: v: let res = f v; in builtins.trace (lib.generators.toPretty { } { fn = name; from = v; to = res; }) res;
  runTests = tests: lib.concatLists (lib.attrsets.mapAttrsToList (name: test:
    let testsToRun = if tests ? tests then tests.tests else [ ]; in
    if (lib.strings.hasPrefix "test" name && (testsToRun == [ ] || lib.elem name tests.tests)
      && (test.expr != test.expected)) then [ { inherit name; expected = test.expected; result = test.expr; } ] else [ ]
  ) tests);
  testAllTrue = expr: { inherit expr; expected = map (x: true) expr; };
}
