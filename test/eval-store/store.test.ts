/**
 * Derivations end to end: every corpus case (test/eval-store/corpus/NAME.nix) is
 * instantiated by the tsnix CLI into a fresh `--store` directory, and the printed
 * paths, the `--eval --json` result and the written `.drv` files must equal the golden
 * NAME.exp recorded from Nix 2.8 by gen-golden.sh. Where nix-instantiate is installed
 * each case is also compared live (catches a corpus edited without regenerating).
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasNixInstantiate } from '../support/cli.js';
import { corpusCases, corpusDir, nix, snapshot, tsnix } from './harness.js';

const cases = corpusCases();

test('eval-store corpus has at least 40 cases', () => {
  assert.ok(cases.length >= 40, `only ${cases.length} cases`);
});

for (const name of cases) {
  test(`eval-store golden: ${name}`, () => {
    const expected = fs.readFileSync(path.join(corpusDir, name + '.exp'), 'latin1');
    const ours = snapshot(tsnix, name);
    assert.equal(ours.text, expected, ours.stderr);
  });
}

if (hasNixInstantiate()) {
  for (const name of cases) {
    test(`eval-store differential vs nix-instantiate: ${name}`, () => {
      const theirs = snapshot(nix, name);
      const ours = snapshot(tsnix, name);
      assert.equal(ours.text, theirs.text, ours.stderr);
    });
  }
}
