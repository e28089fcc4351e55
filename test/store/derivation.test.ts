/**
 * Derivations against Nix: every golden/drv/<case>.spec.json is evaluated here through
 * the store API (see helpers.ts) and must reproduce, byte for byte, the `.drv` text
 * Nix wrote, its path, and every output path Nix printed.
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { toBinary } from '../../src/lang/source.js';
import {
  buildDerivation,
  checkDerivationName,
  checkOutputs,
  derivationNameFromPath,
  derivationPath,
  DerivationHasher,
  parseDerivation,
  parseOutputHashMode,
  unparseDerivation,
  type Derivation,
} from '../../src/store/derivation.js';
import { NixError } from '../../src/diag/diagnostic.js';
import { StoreDir } from '../../src/store/path.js';
import { ComputeStore } from '../../src/store/store.js';
import { fixtureHost, goldenDir, readGolden, readGoldenJSON, SpecEvaluator, type DrvExpected } from './helpers.js';

const cases = fs
  .readdirSync(goldenDir + 'drv')
  .filter((f) => f.endsWith('.spec.json'))
  .map((f) => f.slice(0, -'.spec.json'.length))
  .sort();

const sd = new StoreDir();

describe('golden derivations (Nix 2.8)', () => {
  it('has at least 40 cases', () => assert.ok(cases.length >= 40, `${cases.length} cases`));

  const ev = new SpecEvaluator(new ComputeStore(fixtureHost()));
  for (const c of cases) {
    it(c, () => {
      const expected = readGoldenJSON<DrvExpected>(`drv/${c}.expected.json`);
      const r = ev.drv(c);
      assert.equal(r.text, readGolden(`drv/${c}.drv`), 'ATerm text');
      assert.equal(r.drvPath, toBinary(expected.drvPath), 'drvPath');
      for (const [name, path] of Object.entries(expected.outputs))
        assert.equal(ev.outPath(r, name), toBinary(path), `output ${name}`);
      assert.deepEqual([...r.outputs.keys()].sort(), Object.keys(expected.outputs).sort());
    });
  }

  it('warns about an empty outputHash like Nix', () => {
    assert.ok(
      ev.warnings.includes("found empty hash, assuming 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='"),
      ev.warnings.join('\n'),
    );
  });
});

describe('ATerm parsing', () => {
  for (const c of cases) {
    it(`round-trips ${c}`, () => {
      const text = readGolden(`drv/${c}.drv`);
      const { drvPath } = readGoldenJSON<DrvExpected>(`drv/${c}.expected.json`);
      const drv = parseDerivation(text, derivationNameFromPath(sd, drvPath), sd);
      assert.equal(unparseDerivation(drv, sd), text);
      assert.equal(derivationPath(drv, sd).path, drvPath);
    });
  }

  it('unescapes what the printer escapes', () => {
    const drv = parseDerivation(readGolden('drv/env-escapes.drv'), 'env-escapes', sd);
    assert.equal(drv.env.get('MIXED'), '"\\\n\t\r"');
    assert.equal(drv.env.get('CR'), 'a\rb\r\n');
  });

  it('rejects malformed input with CppNix messages', () => {
    const text = readGolden('drv/a.drv');
    const bad = (t: string, msg: RegExp): void => assert.throws(() => parseDerivation(t, 'a', sd), msg);
    bad('Foo()', /expected string 'D'/);
    bad('Dx()', /derivation does not start with 'Derive' or 'DrvWithVersion'/);
    bad(text.slice(0, 40), /unterminated string in derivation|expected string/);
    bad(text.replace('Derive([', 'Derive(('), /expected string '\['/);
    bad('DrvWithVersion("v9",', /Unknown derivation ATerm format version 'v9'/);
    bad(text.replace('/nix/store/wd0ys9snp82b5v5j4pgp5wfhnfjhl2vm-a"', '/tmp/wd0ys9snp82b5v5j4pgp5wfhnfjhl2vm-a"'), /is not in the Nix store/);
    const fod = readGolden('drv/fod-sha256-hex.drv');
    bad(fod.replace(/"sha256","(.)/, '"sha256","0'), /does not match its content address|wrong length|invalid/);
  });
});

describe('hash modulo', () => {
  it('is independent of how a fixed output is produced', () => {
    const ev = new SpecEvaluator(new ComputeStore(fixtureHost()));
    const a = ev.drv('dep-fod');
    const b = ev.drv('dep-fod-other-builder');
    assert.notEqual(a.drvPath, b.drvPath);
    assert.equal(a.outputs.get('out'), b.outputs.get('out'));
  });

  it('reads input derivations through the callback when not memoised', () => {
    const ev = new SpecEvaluator(new ComputeStore(fixtureHost()));
    const top = ev.drv('dep-chain-3');
    // A fresh hasher that only knows how to read: it must recurse through the inputs.
    const all = new Map<string, Derivation>();
    for (const r of ev.results.values()) all.set(r.drvPath, r.drv);
    const reads: string[] = [];
    const hasher = new DerivationHasher(sd, (p) => {
      reads.push(p);
      const d = all.get(p);
      if (!d) throw new Error(`unknown ${p}`);
      return d;
    });
    const h = hasher.hashModulo(top.drv);
    assert.ok(h);
    assert.equal(sd.makeOutputPath('out', h, 'dep-chain-3'), top.outputs.get('out'));
    // a.drv is reached twice (directly and through the chain) but read once.
    assert.equal(reads.length, new Set(reads).size);
    assert.equal(reads.length, 3);
  });

  it('masks output env vars and paths', () => {
    const ev = new SpecEvaluator(new ComputeStore(fixtureHost()));
    const r = ev.drv('a');
    const masked = ev.store.hasher.unparseModulo(r.drv)!;
    assert.match(masked, /^Derive\(\[\("out","","",""\)\]/);
    assert.ok(masked.includes('("out","")'));
  });
});

describe('derivationStrict validation', () => {
  const hasher = new DerivationHasher(sd, () => {
    throw new Error('no inputs');
  });
  const base = { name: 'x', system: 'x86_64-linux', builder: '/bin/sh', env: {} };
  const fails = (spec: Parameters<typeof buildDerivation>[0], msg: string | RegExp): void =>
    assert.throws(() => buildDerivation(spec, hasher), (e: unknown) => {
      assert.ok(e instanceof NixError);
      if (typeof msg === 'string') assert.equal(e.message, msg);
      else assert.match(e.message, msg);
      return true;
    });

  it('requires builder and system', () => {
    fails({ ...base, builder: '' }, "required attribute 'builder' missing");
    fails({ ...base, system: '' }, "required attribute 'system' missing");
  });
  it('checks names', () => {
    assert.throws(
      () => checkDerivationName('~jiggle~'),
      { message: "invalid derivation name: name '~jiggle~' contains illegal character '~'. Please pass a different 'name'." },
    );
    fails({ ...base, name: 'foo.drv' }, "derivation names are allowed to end in '.drv' only if they produce a single derivation file");
  });
  it('checks outputs', () => {
    assert.throws(() => checkOutputs(['out', 'dev', 'out']), { message: "duplicate derivation output 'out'" });
    assert.throws(() => checkOutputs(['drvPath']), { message: "invalid derivation output name 'drvPath'" });
    assert.throws(() => checkOutputs([]), { message: 'derivation cannot have an empty set of outputs' });
    fails({ ...base, outputs: ['out', 'dev'], outputHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }, 'multiple outputs are not supported in fixed-output derivations');
  });
  it('checks hash modes and hashes', () => {
    assert.throws(() => parseOutputHashMode('bogus', 'x'), { message: "invalid value 'bogus' for 'outputHashMode' attribute" });
    assert.equal(parseOutputHashMode('recursive', 'x'), 'nar');
    assert.equal(parseOutputHashMode('nar', 'x'), 'nar');
    assert.throws(() => parseOutputHashMode('text', 'x'), /experimental Nix feature 'dynamic-derivations' is disabled \(text-hashed derivation 'x', outputHashMode = "text"\)/);
    assert.equal(parseOutputHashMode('git', 'x', new Set(['git-hashing'])), 'git');
    fails({ ...base, outputHash: 'abc' }, "hash 'abc' does not include a type, nor is the type otherwise known from context");
    // Unknown outputHashAlgo is ignored (parseHashAlgoOpt), as in CppNix.
    fails({ ...base, outputHash: 'abc', outputHashAlgo: 'sha3' }, "hash 'abc' does not include a type, nor is the type otherwise known from context");
    fails({ ...base, outputHash: 'sha1:abc', outputHashAlgo: 'sha256' }, "hash 'sha1:abc' should have type 'sha256'");
    fails({ ...base, outputHash: '', outputHashAlgo: undefined }, 'empty hash requires explicit hash algorithm');
    fails({ ...base, contentAddressed: true, impure: true }, 'derivation cannot be both content-addressed and impure');
  });
  it('rejects __json in env with structured attrs', () => {
    fails({ ...base, env: { __json: '{}' }, structuredAttrsJson: '{}' }, /reserved for encoding structured attrs/);
  });
  it('accepts the nar method name and git hashing paths', () => {
    const drv = buildDerivation({ ...base, outputHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', outputHashMode: 'nar' }, hasher);
    const o = drv.outputs.get('out')!;
    assert.equal(o.type, 'fixed');
    // SHA-256 over a NAR is a plain source path.
    assert.equal(drv.env.get('out'), sd.makeSourcePath('x', (o as { hash: import('../../src/store/hash.js').Hash }).hash));
  });
});
