/**
 * Layered attribute sets (NixAttrs in src/eval/value.ts): `//` of a few names onto a
 * big set is a layer, chains stay at most MAX_LAYERS deep, and flattening gives the
 * set that copying would have. The golden test layered-update.nix checks what Nix
 * code sees; this checks the representation.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeHost } from '../../src/cli/node-host.js';
import { EvalState } from '../../src/eval/state.js';
import { MAX_LAYERS, NixAttrs, type Value } from '../../src/eval/value.js';

function evalNix(src: string): Value {
  const st = new EvalState(new NodeHost({ ...process.env, NIX_PATH: '' }), { searchPath: [] });
  return st.evalExpr(st.parseString(src, '/'));
}

const big = 'builtins.listToAttrs (builtins.genList (i: { name = "k${toString (i + 100)}"; value = i; }) 64)';

test('// of a few names onto a big set is a layer; a chain stays at most MAX_LAYERS deep', () => {
  for (let steps = 1; steps <= 3 * MAX_LAYERS; steps++) {
    const v = evalNix(`builtins.foldl' (s: i: s // { "n\${toString i}" = i; k100 = i; }) (${big}) (builtins.genList (i: i) ${steps})`);
    assert.ok(v instanceof NixAttrs);
    assert.ok(v.depth > 1 && v.depth <= MAX_LAYERS, `depth ${v.depth} after ${steps} steps`);
    assert.equal(v.size, 64 + steps);
  }
});

test('a small set or a big right-hand side is merged, not layered', () => {
  const small = evalNix('{ a = 1; b = 2; } // { c = 3; }');
  assert.ok(small instanceof NixAttrs && small.depth === 1);
  const wide = evalNix(`(${big}) // { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; i = 9; }`);
  assert.ok(wide instanceof NixAttrs && wide.depth === 1);
});

test('flattening gives the merged set, upper layers winning, in name order', () => {
  // (`//` associates to the right: parenthesised to stack three layers.)
  const v = evalNix(`(((${big}) // { k100 = "a"; zz = 1; }) // { k100 = "b"; aa = 2; }) // { zz = 3; }`);
  assert.ok(v instanceof NixAttrs);
  assert.equal(v.depth, 4);
  assert.equal(v.size, 66);
  const keys = v.keys();
  assert.equal(v.depth, 1);
  assert.equal(keys.length, 66);
  assert.deepEqual(keys, [...keys].sort());
  assert.equal(keys[0], 'aa');
  assert.equal(keys[65], 'zz');
  assert.equal(v.get('k100'), 'b');
  assert.equal(v.get('zz'), 3);
  assert.equal(v.get('k163'), 63);
});

test('flattening keeps every name at the position it was written', () => {
  // A literal base (positions by name) and a listToAttrs base (a position array), each
  // with names before, between and after the layers' names; the result is read after
  // the chain has been flattened at least once.
  const lit = `{ b = 1; d = 2; f = 3; h = 4; j = 5; l = 6; n = 7; p = 8; r = 9; t = 10;
    v = 11; x = 12; b1 = 13; d1 = 14; f1 = 15; h1 = 16; j1 = 17; l1 = 18; n1 = 19; p1 = 20;
    r1 = 21; t1 = 22; v1 = 23; x1 = 24; b2 = 25; d2 = 26; f2 = 27; h2 = 28; j2 = 29; l2 = 30;
    n2 = 31; p2 = 32; }`;
  for (const base of [lit, big]) {
    const src = `let
      base = ${base};
      s = builtins.foldl' (s: i: s // { "a\${toString i}" = i; "y\${toString i}" = i; d = i; }) base (builtins.genList (i: i) ${2 * MAX_LAYERS + 3});
      pos = n: let p = builtins.unsafeGetAttrPos n s; in if p == null then null else p.line * 1000 + p.column;
      bpos = n: let p = builtins.unsafeGetAttrPos n base; in if p == null then null else p.line * 1000 + p.column;
    in builtins.map (n: [ n (pos n) (bpos n) (s.\${n}) ]) (builtins.attrNames s)`;
    const rows = evalNix(src);
    assert.ok(Array.isArray(rows));
    let fromBase = 0;
    for (const r of rows as Value[]) {
      const row = (r instanceof Array ? r : []).map((x) => (x as { force?: () => Value }).force?.() ?? x);
      const [name, p, bp] = row as [string, number | null, number | null];
      if (/^[ay]\d+$/.test(name) || name === 'd') {
        assert.notEqual(p, null, name);
        if (name === 'd' && bp !== null) assert.notEqual(p, bp, 'd is the upper layers\' d');
      } else {
        assert.equal(p, bp, `position of ${name}`);
        fromBase++;
      }
    }
    assert.ok(fromBase > 20);
  }
});
