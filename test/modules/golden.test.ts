/**
 * Module-system golden tests: test/modules/golden/NAME.nix evaluates
 * `import <nixpkgs/lib>` with NIX_PATH empty, i.e. against tsnix's embedded lib.
 *
 * The expectations are not tsnix's own output: `gen-golden.mjs` produces them with
 * CppNix 2.8 (`nix-instantiate --eval --strict`) and the real nixpkgs lib, so each
 * file is a differential test of the embedded lib against nixpkgs. NAME.exp is the
 * printed value; for fail-NAME the final error message is kept in NAME.err.exp.
 *
 * With NIXPKGS_LIB_DIR set, the same files are also evaluated by tsnix with the
 * real lib (`-I nixpkgs=…`), checking the evaluator against the same oracle.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, runCli } from '../support/cli.js';
import { errorMessage } from './golden-support.js';

const dir = path.join(repoRoot, 'test/modules/golden');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.nix')).sort();
const realLib = process.env.NIXPKGS_LIB_DIR;

function check(name: string, f: string, extra: string[]): void {
  const fail = name.startsWith('fail-');
  const r = runCli(['eval', '--strict', ...extra, `test/modules/golden/${f}`]);
  if (fail) {
    assert.equal(r.status, 1, `exit status (stdout: ${r.stdout})`);
    const expected = fs.readFileSync(path.join(dir, name + '.err.exp'), 'latin1');
    assert.equal(errorMessage(r.stderr), expected);
  } else {
    assert.equal(r.status, 0, r.stderr);
    const expected = fs.readFileSync(path.join(dir, name + '.exp'), 'latin1');
    assert.equal(r.stdout, expected);
  }
}

for (const f of files) {
  const name = f.slice(0, -4);
  test(`modules golden (embedded lib): ${name}`, () => check(name, f, []));
  if (realLib) test(`modules golden (real lib): ${name}`, () => check(name, f, ['-I', `nixpkgs=${realLib}`]));
}
