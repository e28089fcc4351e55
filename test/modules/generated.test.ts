/**
 * The embedded lib's Nix half is compiled into generated.ts: it must hold exactly the
 * .nix files beside it, or the lib a user gets differs from the one in the sources.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { libSources } from '../../src/modules/lib-nix/generated.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('lib-nix/generated.ts holds exactly the .nix sources (run node src/modules/lib-nix/generate.mjs after editing)', () => {
  const dir = path.join(repoRoot, 'src/modules/lib-nix');
  const found: Record<string, string> = {};
  for (const e of fs.readdirSync(dir).sort()) if (e.endsWith('.nix')) found[e] = fs.readFileSync(path.join(dir, e), 'utf8');
  assert.deepEqual(Object.keys(libSources).sort(), Object.keys(found).sort());
  for (const [k, v] of Object.entries(found)) assert.equal(libSources[k], v, k);
});
