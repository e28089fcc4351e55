/**
 * CppNix's language suite (tests/functional/lang of NixOS/nix), run with the shared
 * runner against the built CLI. The suite is not part of this repository: set
 * NIX_LANG_TESTS to a checkout's tests/functional/lang to run it; otherwise skipped.
 * Floors (from the issues): eval-okay ≥ 141 of 148 pass.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliPath, repoRoot } from '../support/cli.js';

const langDir = process.env.NIX_LANG_TESTS;
const runner = path.resolve(repoRoot, '../shared/tools/run-nix-lang-tests.sh');

test('CppNix language suite: eval-okay', { skip: !langDir || !fs.existsSync(runner) ? 'NIX_LANG_TESTS not set' : false }, () => {
  const r = spawnSync('bash', [runner, `${process.execPath} ${cliPath} instantiate`, langDir!, '/tmp/tsnix-lang-failed.txt'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const m = /(\d+) passed, (\d+) failed/.exec(r.stdout);
  assert.ok(m, r.stdout + r.stderr);
  console.log(`eval-okay: ${m![1]} passed, ${m![2]} failed`);
  assert.ok(Number(m![1]) >= 141, `only ${m![1]} eval-okay tests pass`);
});
