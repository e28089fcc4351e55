/**
 * Hashing and hash encodings against Nix: golden/hashes.expected.json holds
 * `builtins.hashString` (base16) and `nix-hash --to-base32` / `nix hash to-base64` /
 * `nix hash to-sri` of the same digests, all produced by Nix 2.8.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBinary } from '../../src/lang/source.js';
import {
  compressHash,
  convertHash,
  decodeBase64,
  decodeNix32,
  encodeNix32,
  Hash,
  hashString,
  HashSink,
  newHashAllowEmpty,
  parseHash,
  parseHashAnyPrefixed,
  parseHashFormat,
  parseHashReturningFormat,
  parseSRI,
  setHashBackend,
  type HashAlgo,
} from '../../src/store/hash.js';
import { StoreUsageError, BadHash } from '../../src/store/errors.js';
import { readGoldenJSON } from './helpers.js';

interface Row {
  input: string;
  algo: HashAlgo;
  base16: string;
  nix32: string;
  base64: string;
  sri: string;
}
const rows = readGoldenJSON<Row[]>('hashes.expected.json');

describe('hash vectors from Nix', () => {
  it('has all algorithms for every input', () => assert.equal(rows.length, 8 * 4));
  for (const r of rows) {
    it(`${r.algo} ${JSON.stringify(r.input)}`, () => {
      const h = hashString(r.algo, toBinary(r.input));
      assert.equal(h.toString('base16'), r.base16);
      assert.equal(h.toString('nix32'), r.nix32);
      assert.equal(h.toString('base64'), r.base64);
      assert.equal(h.toString('sri'), r.sri);
      assert.equal(h.toString('nix32', true), `${r.algo}:${r.nix32}`);
      for (const form of [r.base16, r.nix32, r.base64]) {
        assert.ok(parseHash(form, r.algo).equals(h), form);
        assert.ok(parseHash(`${r.algo}:${form}`).equals(h), form);
      }
      assert.ok(parseHash(r.sri).equals(h));
      assert.ok(parseSRI(r.sri).equals(h));
      assert.ok(parseHash(r.base16.toUpperCase(), r.algo).equals(h), 'base16 is case-insensitive');
    });
  }
});

describe('hashing', () => {
  it('treats strings as bytes, not UTF-16', () => {
    // "é" as a byte string is two chars (UTF-8); hashing must see those two bytes.
    assert.equal(hashString('sha256', toBinary('é')).hex, hashString('sha256', new Uint8Array([0xc3, 0xa9])).hex);
  });
  it('streams across chunk boundaries', () => {
    const big = 'abcdefghij'.repeat(20000);
    const sink = new HashSink('sha1');
    for (let i = 0; i < big.length; i += 7777) sink.update(big.slice(i, i + 7777));
    assert.equal(sink.size, big.length);
    assert.equal(sink.finish().hex, hashString('sha1', big).hex);
  });
  it('can use another backend', () => {
    const seen: number[] = [];
    setHashBackend((algo) => ({
      update: (b) => void seen.push(b.length),
      digest: () => new Uint8Array(algo === 'md5' ? 16 : 32).fill(7),
    }));
    try {
      assert.equal(hashString('md5', 'abc').hex, '07'.repeat(16));
      assert.deepEqual(seen, [3]);
    } finally {
      setHashBackend(undefined);
    }
    assert.equal(hashString('md5', 'abc').hex, '900150983cd24fb0d6963f7d28e17f72');
  });
  it('xor-folds like compressHash', () => {
    const h = new Hash('sha256', Uint8Array.from({ length: 32 }, (_, i) => i));
    const c = compressHash(h, 20);
    assert.equal(c.bytes.length, 20);
    // byte i ^= byte i+20 for i < 12
    assert.equal(c.bytes[0], 0 ^ 20);
    assert.equal(c.bytes[11], 11 ^ 31);
    assert.equal(c.bytes[12], 12);
  });
});

describe('nix32', () => {
  it('round-trips every length', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      assert.deepEqual(decodeNix32(encodeNix32(b)).subarray(0, n), b);
    }
  });
  it('rejects overflowing high bits (sha256: first char must be 0 or 1)', () => {
    const good = hashString('sha256', 'x').toString('nix32');
    assert.throws(() => parseHash('z' + good.slice(1), 'sha256'), {
      message: `invalid nix32 hash 'z${good.slice(1)}', length 33 != expected length 32`,
    });
  });
  it('reports bad characters as CppNix 2.36 does (swallowed, length 0)', () => {
    const s = 'e'.repeat(52);
    assert.throws(() => parseHash(s, 'sha256'), { message: `invalid nix32 hash '${s}', length 0 != expected length 32` });
  });
});

describe('base64', () => {
  it('decodes like CppNix: stops at =, skips newlines', () => {
    assert.deepEqual([...decodeBase64('YW\nJj=ignored')], [0x61, 0x62, 0x63]);
  });
});

describe('parsing errors', () => {
  const msg = (f: () => unknown, m: string): void => assert.throws(f, { message: m });
  it('matches CppNix messages', () => {
    msg(() => parseHash('abc'), "hash 'abc' does not include a type, nor is the type otherwise known from context");
    msg(() => parseHash('sha1:abc', 'sha256'), "hash 'sha1:abc' should have type 'sha256'");
    msg(() => parseHash('abc', 'sha256'), "hash 'abc' has wrong length for hash algorithm 'sha256'");
    msg(() => parseHash('foo:abc'), "unknown hash algorithm 'foo', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'");
    msg(() => parseHash('sha256-AAAA'), "invalid SRI hash 'AAAA', length 3 != expected length 32");
    msg(() => parseHashAnyPrefixed('abc'), "hash 'abc' does not include a type");
    msg(
      () => parseHash('blake3:abc'),
      "experimental Nix feature 'blake3-hashes' is disabled; add '--extra-experimental-features blake3-hashes' to enable it",
    );
    msg(() => parseSRI('abc'), "hash 'abc' is not SRI");
    msg(() => newHashAllowEmpty('', undefined), 'empty hash requires explicit hash algorithm');
    msg(() => parseHashFormat('hex'), "unknown hash format 'hex', expect 'base16', 'base32', 'base64', or 'sri'");
  });
  it('uses error classes the evaluator can tell apart', () => {
    assert.throws(() => parseHash('foo:abc'), StoreUsageError);
    assert.throws(() => parseHash('abc'), BadHash);
  });
  it('returns the detected format', () => {
    const h = hashString('md5', '');
    assert.equal(parseHashReturningFormat(h.toString('nix32'), 'md5').format, 'nix32');
    assert.equal(parseHashReturningFormat(h.toString('sri')).format, 'sri');
  });
});

describe('convertHash (CppNix prim_convertHash semantics)', () => {
  const hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  it('follows the documented examples', () => {
    assert.equal(
      convertHash({ hash: hex, hashAlgo: 'sha256', toHashFormat: 'sri' }),
      'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    );
    assert.equal(convertHash({ hash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', toHashFormat: 'base16' }), hex);
    assert.equal(convertHash({ hash: `sha256:${hex}`, toHashFormat: 'sri' }), 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });
  it('warns for the base32 alias and prints no prefix', () => {
    const warnings: string[] = [];
    const r = convertHash({ hash: hex, hashAlgo: 'sha256', toHashFormat: 'base32' }, (m) => warnings.push(m));
    assert.equal(r, '0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73');
    assert.deepEqual(warnings, ['"base32" is a deprecated alias for hash format "nix32".']);
    assert.equal(convertHash({ hash: hex, hashAlgo: 'sha256', toHashFormat: 'nix32' }), r);
  });
  it('parses hashAlgo before toHashFormat', () => {
    assert.throws(() => convertHash({ hash: hex, hashAlgo: 'x', toHashFormat: 'y' }), /unknown hash algorithm 'x'/);
  });
  it('agrees with eval-okay-convertHash for every golden row', () => {
    for (const r of rows) {
      for (const [fmt, want] of [['base16', r.base16], ['nix32', r.nix32], ['base64', r.base64], ['sri', r.sri]] as const)
        for (const input of [r.base16, r.nix32, r.base64, r.sri])
          assert.equal(convertHash({ hash: input, hashAlgo: r.algo, toHashFormat: fmt }), want);
    }
  });
});
