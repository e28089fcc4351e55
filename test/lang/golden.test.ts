/**
 * Golden tests of the front end: every `test/lang/golden/NAME.nix` is parsed as
 * `nix-instantiate --parse` would read it from stdin; the printed expression must equal
 * `NAME.exp`, or the rendered error `NAME.err.exp`. `UPDATE_GOLDEN=1` rewrites them
 * (review the diff: the point of a golden file is that a person checked it once).
 *
 * Free variables are allowed, as if inside an outer `with`, so that cases can be
 * written without binding every name; cases whose name contains `undefined` use the
 * real base environment and report undefined variables as CppNix does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { latin1, parseShow, repoRoot } from './helpers.js';

const dir = path.join(repoRoot, 'test/lang/golden');
const update = process.env['UPDATE_GOLDEN'] === '1';

for (const file of readdirSync(dir).filter((f) => f.endsWith('.nix')).sort()) {
  const name = file.slice(0, -4);
  test(`golden ${name}`, () => {
    const r = parseShow(latin1(readFileSync(path.join(dir, file))), {}, { kind: 'stdin' }, !name.includes('undefined'));
    const okPath = path.join(dir, name + '.exp');
    const errPath = path.join(dir, name + '.err.exp');
    const want = r.ok ? okPath : errPath;
    const other = r.ok ? errPath : okPath;
    if (update) {
      writeFileSync(want, Buffer.from(r.text, 'latin1'));
      if (existsSync(other)) rmSync(other);
      return;
    }
    assert.ok(existsSync(want), `${path.basename(want)} missing; got:\n${r.text}`);
    assert.equal(r.text, latin1(readFileSync(want)));
  });
}
