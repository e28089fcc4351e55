/**
 * AttrLayout.indexOf: small layouts are scanned, large ones binary-searched until
 * looked up often, then indexed (a Map, or from HASH_INDEX_MIN names on an
 * open-addressing table). Every route must give the same slot, and -1 for an absent
 * name, whatever bytes the names hold.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttrLayout } from '../../src/eval/value.js';

/** A deterministic pseudo-random byte string (one char per byte, as Nix strings are). */
function name(seed: number): string {
  let x = seed * 2654435761 + 1;
  let s = '';
  const len = 1 + (seed % 13);
  for (let i = 0; i < len; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += String.fromCharCode(x >>> 24);
  }
  return s;
}

for (const size of [5, 100, 511, 512, 3000, 100000]) {
  test(`indexOf on a layout of ${size} names agrees with the sorted order`, () => {
    const set = new Set<string>();
    for (let i = 0; set.size < size; i++) set.add(name(i) + (i % 3 === 0 ? String(i) : ''));
    const keys = [...set].sort();
    const layout = new AttrLayout(keys);
    // Several rounds: the first lookups run before any index exists, later ones on it.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < keys.length; i += round === 0 ? 7 : 1) {
        // A copy, not the same string object: lookups compare contents.
        const k = (' ' + keys[i]!).slice(1);
        assert.equal(layout.indexOf(k), i);
      }
      for (const absent of ['', '\u0000', '\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff', 'zzz-not-there']) {
        if (!set.has(absent)) assert.equal(layout.indexOf(absent), -1);
      }
    }
  });
}
