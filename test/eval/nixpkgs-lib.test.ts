/**
 * Real nixpkgs `lib` on tsnix: its own test suites (`lib/tests/misc.nix`,
 * `lib/tests/systems.nix`) evaluate to `[ ]` when every case passes. nixpkgs is not
 * part of this repository: set NIXPKGS_LIB to a checkout's lib/ directory, otherwise
 * these tests are skipped. Where nix-instantiate is installed, a few lib functions are
 * also compared with it directly.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasNixInstantiate, runCli, runNix } from '../support/cli.js';

const lib = process.env.NIXPKGS_LIB;
const skip = !lib || !fs.existsSync(path.join(lib, 'default.nix')) ? 'NIXPKGS_LIB not set' : false;

for (const suite of ['misc.nix', 'systems.nix']) {
  test(`nixpkgs lib/tests/${suite} evaluates to [ ] on tsnix`, { skip }, () => {
    const r = runCli(['eval', '--strict', path.join(lib!, 'tests', suite)]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '[ ]\n');
  });
}

const exprs = [
  'with lib; strings.concatMapStringsSep "," toUpper [ "a" "b" ]',
  'with lib; attrsets.recursiveUpdate { a.b = 1; a.c = 2; } { a.b = 3; }',
  'with lib; lists.unique [ 3 1 3 2 1 ]',
  'with lib; versions.majorMinor "25.05.1"',
  'with lib; (evalModules { modules = [ { options.x = mkOption { type = types.listOf types.int; }; config.x = mkMerge [ [ 1 ] (mkBefore [ 0 ]) (mkAfter [ 9 ]) ]; } ]; }).config.x',
  'with lib; generators.toINI { } { sec = { a = 1; b = "x"; }; }',
  'with lib; fix (self: { a = 1; b = self.a + 1; })',
  'with lib; splitString "/" "a/b//c"',
  'with lib; escapeShellArg "it\'s"',
  'with lib; toposort (a: b: a < b) [ 3 1 2 ]',
];

for (const e of exprs) {
  test(`nixpkgs lib differential: ${e.slice(9, 60)}`, { skip: skip || (!hasNixInstantiate() && 'nix-instantiate not installed') }, () => {
    const full = `let lib = import ${lib}; in ${e}`;
    const ours = runCli(['eval', '--strict', '-E', full]);
    const theirs = runNix(['--eval', '--strict', '-E', full]);
    assert.equal(ours.status, 0, ours.stderr);
    if (theirs.status === 0) assert.equal(ours.stdout, theirs.stdout);
  });
}
