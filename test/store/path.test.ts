/**
 * Store path computation: the anchor vectors, golden/paths.expected.json (toFile,
 * path copies, builtins.path with filters and flat mode, placeholders — all printed by
 * Nix 2.8), and CppNix's name validation messages.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashString, parseHash } from '../../src/store/hash.js';
import {
  checkName,
  hashPlaceholder,
  makeFixedOutputPath,
  makeStorePath,
  makeTextPath,
  StoreDir,
} from '../../src/store/path.js';
import { BadStorePath, BadStorePathName } from '../../src/store/errors.js';
import { ComputeStore } from '../../src/store/store.js';
import { narHash } from '../../src/store/nar.js';
import { fixtureHost, readGoldenJSON, SpecEvaluator } from './helpers.js';

describe('anchor vectors (nix-evaluator-anchors.md 1.10)', () => {
  it('toFile "x" "y"', () => assert.equal(makeTextPath('x', 'y'), '/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x'));
  it('"${./f.txt}" with hello\\n', () => {
    const host = fixtureHost();
    const store = new ComputeStore(host);
    assert.equal(store.addToStore('f.txt', '/fixtures/f.txt'), '/nix/store/6h9lcbx523532ax1c5g2351w9bm8ykhy-f.txt');
    assert.equal(
      new StoreDir().makeSourcePath('f.txt', narHash(host, '/fixtures/f.txt').hash),
      '/nix/store/6h9lcbx523532ax1c5g2351w9bm8ykhy-f.txt',
    );
  });
});

describe('golden paths (Nix 2.8)', () => {
  const expected = readGoldenJSON<Record<string, string>>('paths.expected.json');
  const specs = readGoldenJSON<Record<string, unknown>>('paths.json');
  const ev = new SpecEvaluator(new ComputeStore(fixtureHost()));
  for (const [id, spec] of Object.entries(specs)) {
    it(id, () => assert.equal(ev.str(spec).s, expected[id]));
  }
  it('covers every spec', () => assert.deepEqual(Object.keys(expected).sort(), Object.keys(specs).sort()));
});

describe('path construction', () => {
  it('makeStorePath accepts a hex digest or a Hash', () => {
    const h = hashString('sha256', 'y');
    assert.equal(makeStorePath('text', h, 'x'), makeStorePath('text', h.hex, 'x'));
    assert.equal(makeStorePath('text', h, 'x'), '/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x');
  });
  it('depends on the store directory', () => {
    const other = new StoreDir('/gnu/store').makeTextPath('x', 'y');
    assert.match(other, /^\/gnu\/store\/[0-9a-z]{32}-x$/);
    assert.notEqual(other.slice(-34), '/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x'.slice(-34));
  });
  it('fixed outputs: refs only for nar+sha256', () => {
    const h = parseHash('sha1:0000000000000000000000000000000000000000');
    assert.throws(
      () => makeFixedOutputPath('x', { method: 'flat', hash: h, references: ['/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x'] }),
      /fixed output derivation 'x' is not allowed to refer to other store paths/,
    );
    assert.throws(
      () => makeFixedOutputPath('x', { method: 'git', hash: parseHash('md5:00000000000000000000000000000000') }),
      { message: 'Git file ingestion must use SHA-1 or SHA-256 hash, but instead using: md5' },
    );
  });
  it('source paths spell references and self into the type', () => {
    const sd = new StoreDir();
    const h = hashString('sha256', 'nar');
    const refs = ['/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x', '/nix/store/6h9lcbx523532ax1c5g2351w9bm8ykhy-f.txt'];
    assert.equal(
      sd.makeSourcePath('s', h, refs, true),
      sd.makeStorePath(`source:${refs[1]}:${refs[0]}:self`, h, 's'),
    );
  });
  it('placeholders', () => {
    assert.equal(hashPlaceholder('out'), '/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9');
  });
});

describe('names and parsing', () => {
  const nameErr = (n: string, m: string): void => assert.throws(() => checkName(n), (e: unknown) => e instanceof BadStorePathName && e.message === m);
  it('checkName messages', () => {
    nameErr('', 'name must not be empty');
    nameErr('x'.repeat(212), `name '${'x'.repeat(212)}' must be no longer than 211 characters`);
    nameErr('.', "name '.' is not valid");
    nameErr('..', "name '..' is not valid");
    nameErr('.-x', "name '.-x' is not valid: first dash-separated component must not be '.'");
    nameErr('..-x', "name '..-x' is not valid: first dash-separated component must not be '..'");
    nameErr('a b', "name 'a b' contains illegal character ' '");
    checkName('.x');
    checkName('..x');
    checkName('a+b-c.d_e?f=g');
    checkName('x'.repeat(211));
  });
  it('invalid names in computed paths', () => {
    assert.throws(() => makeTextPath('a~b', 'x'), (e: unknown) => {
      assert.ok(e instanceof BadStorePath);
      assert.match(e.message, /^path '[0-9a-z]{32}-a~b' is not a valid store path: name 'a~b' contains illegal character '~'$/);
      return true;
    });
  });
  it('parseStorePath', () => {
    const sd = new StoreDir();
    assert.deepEqual(sd.parseStorePath('/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x'), {
      baseName: 'lfngsssysp6h1v4ccqg23c52s9sjl779-x',
      hashPart: 'lfngsssysp6h1v4ccqg23c52s9sjl779',
      name: 'x',
    });
    assert.equal(sd.parseStorePath('/nix//store/./lfngsssysp6h1v4ccqg23c52s9sjl779-x').name, 'x');
    assert.throws(() => sd.parseStorePath('/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x/bin'), {
      message: 'path "/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x/bin" is not in the Nix store',
    });
    assert.throws(() => sd.parseStorePath('/nix/store/abc'), { message: "'abc' is too short to be a valid store path" });
    assert.throws(() => sd.parseStorePath('/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779_x'), {
      message: "'lfngsssysp6h1v4ccqg23c52s9sjl779_x' can't name a store path because the hash part is not followed by a '-'",
    });
    assert.throws(() => sd.parseStorePath('/nix/store/efngsssysp6h1v4ccqg23c52s9sjl779-x'), {
      message: "store path 'efngsssysp6h1v4ccqg23c52s9sjl779-x' contains illegal base-32 character 'e'",
    });
    assert.throws(() => sd.parseStorePath(''), { message: 'empty path is not a valid store path' });
    assert.equal(sd.isStorePath('/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x'), true);
    assert.equal(sd.isStorePath('/tmp/x'), false);
    assert.deepEqual(sd.toStorePath('/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x/bin/sh'), {
      storePath: '/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x',
      rest: '/bin/sh',
    });
  });
});
