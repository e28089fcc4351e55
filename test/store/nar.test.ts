/**
 * NAR serialisation against `nix-store --dump` of the same fixture trees
 * (golden/nar/*.nar) and `nix-hash` of them (golden/nar/expected.json).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBinary } from '../../src/lang/source.js';
import { dumpPath, hashFile, narBytes, narHash, narStringBytes } from '../../src/store/nar.js';
import { hashString } from '../../src/store/hash.js';
import { fixtureHost, filters, readGoldenBytes, readGoldenJSON, MemHost } from './helpers.js';

const expected = readGoldenJSON<Record<string, { sha256: string; sha256nix32: string; sha1: string; size: number }>>(
  'nar/expected.json',
);
const host = fixtureHost();

describe('NAR against nix-store --dump', () => {
  for (const name of Object.keys(expected)) {
    it(name, () => {
      const path = '/fixtures/' + toBinary(name);
      assert.deepEqual(narBytes(host, path), readGoldenBytes(`nar/${name}.nar`));
      const { hash, size } = narHash(host, path);
      assert.equal(hash.hex, expected[name]!.sha256);
      assert.equal(hash.toString('nix32'), expected[name]!.sha256nix32);
      assert.equal(size, expected[name]!.size);
      assert.equal(narHash(host, path, undefined, 'sha1').hash.hex, expected[name]!.sha1);
    });
  }

  it('a single file NAR equals dumpString of its contents', () => {
    assert.deepEqual(narStringBytes(toBinary('hello\n')), readGoldenBytes('nar/f.txt.nar'));
  });
});

describe('NAR streaming and filters', () => {
  it('hands out bounded chunks for large files', () => {
    const h = new MemHost();
    h.put('/big', { type: 'regular', contents: 'x'.repeat(300000), executable: false });
    const sizes: number[] = [];
    dumpPath(h, '/big', (c) => sizes.push(c.length));
    assert.ok(sizes.length > 3);
    assert.ok(Math.max(...sizes) <= 65536);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      // each token: 8-byte length + contents padded to 8
      (8 + 16) /* nix-archive-1 */ + 4 * (8 + 8) /* ( type regular contents */ + (8 + 300000) + (8 + 8) /* ) */,
    );
  });

  it('asks the filter about every entry below the root, with full paths', () => {
    const asked: string[] = [];
    narBytes(host, '/fixtures/tree', (p, t) => {
      asked.push(`${t} ${p}`);
      return filters.noSymlinks!(p, t);
    });
    assert.ok(asked.includes('symlink /fixtures/tree/link'));
    assert.ok(asked.includes('regular /fixtures/tree/sub/deep/x'));
    assert.ok(!asked.some((a) => a.endsWith(' /fixtures/tree')));
  });

  it('enforces the depth limit', () => {
    const h = new MemHost();
    h.mkdirp('/d' + '/d'.repeat(70));
    assert.throws(() => narBytes(h, '/d'), /exceeds maximum NAR directory depth of 64/);
  });

  it('hashFile hashes contents, following symlinks', () => {
    assert.equal(hashFile(host, 'sha256', '/fixtures/link-to-f').hex, hashString('sha256', 'hello\n').hex);
  });

  it('reports missing paths', () => {
    assert.throws(() => narBytes(host, '/nope'), { message: "getting status of '/nope': No such file or directory" });
  });
});
