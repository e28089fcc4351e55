/**
 * Evaluation golden tests: every test/eval/golden/NAME.nix is evaluated with
 * `tsnix eval --strict`; stdout must equal NAME.exp, or — for files named fail-* —
 * the exit status must be 1 and stderr must equal NAME.err.exp. Where nix-instantiate
 * is installed, files marked `# diff` on their first line are also compared with it
 * (outputs that Nix 2.8 prints differently from 2.36 are not marked).
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { golden, hasNixInstantiate, repoRoot, runCli, runNix } from '../support/cli.js';

const dir = path.join(repoRoot, 'test/eval/golden');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.nix')).sort();

for (const f of files) {
  const name = f.slice(0, -4);
  const file = path.join(dir, f);
  const fail = name.startsWith('fail-');
  test(`eval golden: ${name}`, () => {
    const r0 = runCli(['eval', '--strict', `test/eval/golden/${f}`]);
    // Absolute paths differ between checkouts: show the repository root as /repo.
    const r = { ...r0, stdout: r0.stdout.split(repoRoot).join('/repo'), stderr: r0.stderr.split(repoRoot).join('/repo') };
    if (fail) {
      assert.equal(r.status, 1, `exit status (stderr: ${r.stderr})`);
      const g = golden(path.join(dir, name + '.err.exp'), r.stderr);
      assert.equal(r.stderr, g.expected);
    } else {
      assert.equal(r.status, 0, r.stderr);
      const g = golden(path.join(dir, name + '.exp'), r.stdout);
      assert.equal(r.stdout, g.expected);
    }
  });
  const src = fs.readFileSync(file, 'latin1');
  if (src.startsWith('# diff') && hasNixInstantiate()) {
    test(`eval differential vs nix-instantiate: ${name}`, () => {
      const ours = runCli(['eval', '--strict', `test/eval/golden/${f}`]);
      const theirs = runNix(['--eval', '--strict', `test/eval/golden/${f}`]);
      assert.equal(ours.status, theirs.status === 0 ? 0 : 1);
      if (theirs.status === 0) assert.equal(ours.stdout, theirs.stdout);
    });
  }
}
