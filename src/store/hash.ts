/**
 * Hashes: computing them, printing them, parsing them.
 *
 * Everything Nix puts in a store path goes through here: `hashString` and `hashFile`,
 * the NAR hash of a copied source, the SHA-256 of an ATerm, the xor-fold to 160 bits
 * that becomes the 32 characters of a store path, and the four textual forms a user
 * may write a hash in (`outputHash`, `convertHash`, `fetchurl`'s `sha256`).
 *
 * Data comes in as *byte strings* (one byte per UTF-16 code unit, see
 * lang/source.ts) or as `Uint8Array`s. The hash functions want bytes, so a byte string
 * is converted in fixed-size chunks into one reused buffer: hashing a 100 MB file
 * never allocates a second 100 MB copy. (Giving a JS string straight to @noble/hashes
 * would be wrong, not just slow: it UTF-8-encodes it.)
 *
 * The digest functions come from @noble/hashes, which is pure JS and synchronous, so
 * the core stays free of `node:` imports. A host that has something faster (Node's
 * `crypto`) can install it with `setHashBackend`; nothing else changes.
 *
 * Encodings follow CppNix (libutil `hash.cc`, `base-n.cc`, `base-nix-32.cc`):
 *   - base16: lowercase on output, either case on input;
 *   - nix32: the alphabet `0123456789abcdfghijklmnpqrsvwxyz` (no e, o, u, t) with
 *     CppNix's bit order — the *last* character holds the lowest 5 bits of byte 0,
 *     i.e. the string is the little-endian bit stream read backwards;
 *   - base64: standard alphabet, `=`-padded; decoding stops at `=` and skips `\n`;
 *   - SRI: `<algo>-<base64>`.
 * When parsing, the encoding is not named: CppNix infers it from the length, which is
 * unambiguous for each algorithm (e.g. SHA-256: 64 hex, 52 nix32, 44 base64 chars).
 */

import { md5, sha1 } from '@noble/hashes/legacy';
import { sha256, sha512 } from '@noble/hashes/sha2';
import { BadHash, FormatError, missingExperimentalFeature, StoreUsageError, type WarnFn } from './errors.js';

export type HashAlgo = 'md5' | 'sha1' | 'sha256' | 'sha512';
export type HashFormat = 'base16' | 'nix32' | 'base64' | 'sri';

export const hashAlgos: readonly HashAlgo[] = ['md5', 'sha1', 'sha256', 'sha512'];

const hashSizes: Record<HashAlgo, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

export function hashSize(algo: HashAlgo): number {
  return hashSizes[algo];
}

/* ------------------------------------------------------------------------------------
 * Backends
 * ---------------------------------------------------------------------------------- */

/** An incremental digest, the shape both @noble/hashes and node:crypto can provide. */
export interface Digest {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
}

export type HashBackend = (algo: HashAlgo) => Digest;

const nobleFns = { md5, sha1, sha256, sha512 };

const nobleBackend: HashBackend = (algo) => {
  const h = nobleFns[algo].create();
  return {
    update(bytes) {
      h.update(bytes);
    },
    digest() {
      return h.digest();
    },
  };
};

let backend: HashBackend = nobleBackend;

/** Install a faster digest implementation (the Node host passes `node:crypto`). */
export function setHashBackend(b: HashBackend | undefined): void {
  backend = b ?? nobleBackend;
}

/* ------------------------------------------------------------------------------------
 * The Hash value
 * ---------------------------------------------------------------------------------- */

export class Hash {
  constructor(
    readonly algo: HashAlgo,
    readonly bytes: Uint8Array,
  ) {}

  /** CppNix `Hash::to_string`: SRI always carries the algorithm (`algo-`), the others
   * only when asked (`algo:`). */
  toString(format: HashFormat = 'base16', includeAlgo = false): string {
    let s = '';
    if (format === 'sri' || includeAlgo) s = this.algo + (format === 'sri' ? '-' : ':');
    switch (format) {
      case 'base16':
        return s + encodeBase16(this.bytes);
      case 'nix32':
        return s + encodeNix32(this.bytes);
      case 'base64':
      case 'sri':
        return s + encodeBase64(this.bytes);
    }
  }

  get hex(): string {
    return encodeBase16(this.bytes);
  }

  equals(other: Hash): boolean {
    if (this.algo !== other.algo || this.bytes.length !== other.bytes.length) return false;
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] !== other.bytes[i]) return false;
    return true;
  }
}

/* ------------------------------------------------------------------------------------
 * Hashing data
 * ---------------------------------------------------------------------------------- */

const CHUNK = 1 << 16;
const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex
const asciiRe = /^[\x00-\x7f]*$/;

/** Incremental hashing of byte strings and byte arrays (CppNix `HashSink`). */
export class HashSink {
  private readonly d: Digest;
  private buf: Uint8Array | undefined;
  /** Number of bytes hashed so far (the NAR size, when hashing a NAR). */
  size = 0;

  constructor(readonly algo: HashAlgo) {
    this.d = backend(algo);
  }

  update(data: string | Uint8Array): this {
    if (typeof data !== 'string') {
      this.size += data.length;
      this.d.update(data);
      return this;
    }
    const n = data.length;
    this.size += n;
    if (n === 0) return this;
    // Grow the buffer to the largest string seen (up to CHUNK): hashing many small
    // ATerms then needs one digest update each.
    if (!this.buf || (this.buf.length < n && this.buf.length < CHUNK))
      this.buf = new Uint8Array(Math.min(CHUNK, Math.max(n, 256)));
    const buf = this.buf;
    // For ASCII text (ATerms, fingerprints, most sources) the native encoder is much
    // faster than a charCodeAt loop, and byte string = UTF-8 there.
    const ascii = n >= 64 && asciiRe.test(data);
    for (let off = 0; off < n; ) {
      const len = Math.min(buf.length, n - off);
      if (ascii) encoder.encodeInto(off === 0 && len === n ? data : data.slice(off, off + len), buf);
      else for (let i = 0; i < len; i++) buf[i] = data.charCodeAt(off + i);
      this.d.update(len === buf.length ? buf : buf.subarray(0, len));
      off += len;
    }
    return this;
  }

  finish(): Hash {
    return new Hash(this.algo, this.d.digest());
  }
}

/** Hash a byte string (one byte per code unit) or a byte array. */
export function hashString(algo: HashAlgo, data: string | Uint8Array): Hash {
  return new HashSink(algo).update(data).finish();
}

/** CppNix `compressHash`: xor-fold the digest to `newSize` bytes (store paths use 20). */
export function compressHash(hash: Hash, newSize: number): Hash {
  const out = new Uint8Array(newSize);
  for (let i = 0; i < hash.bytes.length; i++) out[i % newSize]! ^= hash.bytes[i]!;
  return new Hash(hash.algo, out);
}

/* ------------------------------------------------------------------------------------
 * Encodings
 * ---------------------------------------------------------------------------------- */

const hexChars = '0123456789abcdef';

export function encodeBase16(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    s += hexChars[b >> 4]! + hexChars[b & 15]!;
  }
  return s;
}

function hexDigit(c: string): number {
  const x = c.charCodeAt(0);
  if (x >= 48 && x <= 57) return x - 48;
  if (x >= 65 && x <= 70) return x - 55;
  if (x >= 97 && x <= 102) return x - 87;
  throw new FormatError(`invalid character in Base16 string: '${c}'`);
}

export function decodeBase16(s: string): Uint8Array {
  if (s.length % 2 !== 0) throw new FormatError(`invalid Base16 string length ${s.length}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (hexDigit(s[2 * i]!) << 4) | hexDigit(s[2 * i + 1]!);
  return out;
}

export const nix32Chars = '0123456789abcdfghijklmnpqrsvwxyz';

const nix32Reverse: Int8Array = (() => {
  const m = new Int8Array(256).fill(-1);
  for (let i = 0; i < 32; i++) m[nix32Chars.charCodeAt(i)] = i;
  return m;
})();

export function nix32EncodedLength(size: number): number {
  return size === 0 ? 0 : Math.floor((size * 8 - 1) / 5) + 1;
}

export function encodeNix32(bytes: Uint8Array): string {
  const len = nix32EncodedLength(bytes.length);
  let s = '';
  for (let n = len - 1; n >= 0; n--) {
    const b = n * 5;
    const i = b >> 3;
    const j = b & 7;
    const c = (bytes[i]! >> j) | (i >= bytes.length - 1 ? 0 : bytes[i + 1]! << (8 - j));
    s += nix32Chars[c & 0x1f]!;
  }
  return s;
}

/** Decodes like CppNix: the result's length follows the input (bits that overflow the
 * last byte make it one byte longer), so callers check the length they expect. */
export function decodeNix32(s: string): Uint8Array {
  const res: number[] = [];
  for (let n = 0; n < s.length; n++) {
    const c = s[s.length - n - 1]!;
    const code = c.charCodeAt(0);
    const digit = code < 256 ? nix32Reverse[code]! : -1;
    if (digit < 0) throw new FormatError(`invalid character in Nix32 (Nix's Base32 variation) string: '${c}'`);
    const b = n * 5;
    const i = b >> 3;
    const j = b & 7;
    while (res.length < i + 1) res.push(0);
    res[i] = (res[i]! | (digit << j)) & 0xff;
    if (digit >> (8 - j)) {
      while (res.length < i + 2) res.push(0);
      res[i + 1] = res[i + 1]! | (digit >> (8 - j));
    }
  }
  return Uint8Array.from(res);
}

const b64Chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64Reverse: Int8Array = (() => {
  const m = new Int8Array(256).fill(-1);
  for (let i = 0; i < 64; i++) m[b64Chars.charCodeAt(i)] = i;
  return m;
})();

export function base64EncodedLength(size: number): number {
  return (Math.floor((4 * size) / 3) + 3) & ~3;
}

export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  let data = 0;
  let nbits = 0;
  for (let k = 0; k < bytes.length; k++) {
    data = ((data << 8) | bytes[k]!) & 0xffff;
    nbits += 8;
    while (nbits >= 6) {
      nbits -= 6;
      s += b64Chars[(data >> nbits) & 0x3f]!;
    }
  }
  if (nbits) s += b64Chars[(data << (6 - nbits)) & 0x3f]!;
  while (s.length % 4) s += '=';
  return s;
}

export function decodeBase64(s: string): Uint8Array {
  const out: number[] = [];
  let d = 0;
  let bits = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (c === '=') break;
    if (c === '\n') continue;
    const code = c.charCodeAt(0);
    const digit = code < 256 ? b64Reverse[code]! : -1;
    if (digit < 0) throw new FormatError(`invalid character in Base64 string: '${c}'`);
    bits += 6;
    d = ((d << 6) | digit) & 0xffff;
    if (bits >= 8) {
      out.push((d >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/* ------------------------------------------------------------------------------------
 * Names of algorithms and formats
 * ---------------------------------------------------------------------------------- */

export function parseHashAlgoOpt(s: string): HashAlgo | undefined {
  return s === 'md5' || s === 'sha1' || s === 'sha256' || s === 'sha512' ? s : undefined;
}

export function parseHashAlgo(s: string): HashAlgo {
  const a = parseHashAlgoOpt(s);
  if (a) return a;
  // CppNix knows BLAKE3 but gates it; we don't implement it, so always say "disabled".
  if (s === 'blake3') throw missingExperimentalFeature('blake3-hashes');
  // CppNix lists blake3 too (behind an experimental feature); keep the message identical.
  throw new StoreUsageError(
    `unknown hash algorithm '${s}', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'`,
  );
}

export function parseHashFormatOpt(s: string, warn?: WarnFn): HashFormat | undefined {
  switch (s) {
    case 'base16':
    case 'nix32':
    case 'base64':
    case 'sri':
      return s;
    case 'base32':
      warn?.(`"base32" is a deprecated alias for hash format "nix32".`);
      return 'nix32';
  }
  return undefined;
}

export function parseHashFormat(s: string, warn?: WarnFn): HashFormat {
  const f = parseHashFormatOpt(s, warn);
  if (f) return f;
  throw new StoreUsageError(`unknown hash format '${s}', expect 'base16', 'base32', 'base64', or 'sri'`);
}

/* ------------------------------------------------------------------------------------
 * Parsing hashes
 * ---------------------------------------------------------------------------------- */

type Decoder = { decode: (s: string) => Uint8Array; name: string };

const decoders: Record<Exclude<HashFormat, 'sri'>, Decoder> = {
  base16: { decode: decodeBase16, name: 'base16' },
  nix32: { decode: decodeNix32, name: 'nix32' },
  base64: { decode: decodeBase64, name: 'Base64' },
};
const sriDecoder: Decoder = { decode: decodeBase64, name: 'SRI' };

function formatFromSize(rest: string, algo: HashAlgo): Exclude<HashFormat, 'sri'> {
  const size = hashSizes[algo];
  if (rest.length === size * 2) return 'base16';
  if (rest.length === nix32EncodedLength(size)) return 'nix32';
  if (rest.length === base64EncodedLength(size)) return 'base64';
  throw new BadHash(`hash '${rest}' has wrong length for hash algorithm '${algo}'`);
}

function parseLowLevel(rest: string, algo: HashAlgo, dec: Decoder): Hash {
  let d: Uint8Array = new Uint8Array(0);
  try {
    d = dec.decode(rest);
  } catch (e) {
    // CppNix (2.36) catches the decoding error, adds a trace and drops it, so what the
    // user sees is the length check below with length 0. Reproduced deliberately.
    if (!(e instanceof FormatError)) throw e;
  }
  const size = hashSizes[algo];
  if (d.length !== size)
    throw new BadHash(`invalid ${dec.name} hash '${rest}', length ${d.length} != expected length ${size}`);
  return new Hash(algo, d);
}

function splitPrefixTo(s: string, sep: string): [string, string] | undefined {
  const i = s.indexOf(sep);
  return i < 0 ? undefined : [s.slice(0, i), s.slice(i + 1)];
}

function parseAnyHelper(
  original: string,
  resolveAlgo: (parsed: HashAlgo | undefined) => HashAlgo,
): { hash: Hash; format: HashFormat } {
  let rest = original;
  let isSRI = false;
  let parsed: HashAlgo | undefined;
  let split = splitPrefixTo(rest, ':');
  if (!split) {
    split = splitPrefixTo(rest, '-');
    if (split) isSRI = true;
  }
  if (split) {
    parsed = parseHashAlgo(split[0]);
    rest = split[1];
  }
  const algo = resolveAlgo(parsed);
  if (isSRI) return { hash: parseLowLevel(rest, algo, sriDecoder), format: 'sri' };
  const format = formatFromSize(rest, algo);
  return { hash: parseLowLevel(rest, algo, decoders[format]), format };
}

/** CppNix `Hash::parseAnyReturningFormat`: `algo:` or SRI prefix optional when `algo`
 * is given; if both are present they must agree. */
export function parseHashReturningFormat(s: string, algo?: HashAlgo): { hash: Hash; format: HashFormat } {
  return parseAnyHelper(s, (parsed) => {
    if (!parsed && !algo)
      throw new BadHash(`hash '${s}' does not include a type, nor is the type otherwise known from context`);
    if (parsed && algo && parsed !== algo) throw new BadHash(`hash '${s}' should have type '${algo}'`);
    return (parsed ?? algo)!;
  });
}

/** CppNix `Hash::parseAny`. */
export function parseHash(s: string, algo?: HashAlgo): Hash {
  return parseHashReturningFormat(s, algo).hash;
}

/** CppNix `Hash::parseAnyPrefixed`: the string must name its algorithm. */
export function parseHashAnyPrefixed(s: string): Hash {
  return parseAnyHelper(s, (parsed) => {
    if (!parsed) throw new BadHash(`hash '${s}' does not include a type`);
    return parsed;
  }).hash;
}

/** CppNix `Hash::parseSRI`. */
export function parseSRI(s: string): Hash {
  const split = splitPrefixTo(s, '-');
  if (!split) throw new BadHash(`hash '${s}' is not SRI`);
  return parseLowLevel(split[1], parseHashAlgo(split[0]), sriDecoder);
}

/** CppNix `Hash::parseNonSRIUnprefixed`: a bare hash, format inferred from length. */
export function parseHashUnprefixed(s: string, algo: HashAlgo): Hash {
  return parseLowLevel(s, algo, decoders[formatFromSize(s, algo)]);
}

/** CppNix `newHashAllowEmpty` (used for `outputHash`): `""` means an all-zero hash of
 * the given algorithm, with a warning, so that a build reports the real hash. */
export function newHashAllowEmpty(s: string, algo: HashAlgo | undefined, warn?: WarnFn): Hash {
  if (s === '') {
    if (!algo) throw new BadHash('empty hash requires explicit hash algorithm');
    const h = new Hash(algo, new Uint8Array(hashSizes[algo]));
    warn?.(`found empty hash, assuming '${h.toString('sri', true)}'`);
    return h;
  }
  return parseHash(s, algo);
}

/**
 * The string operations behind `builtins.convertHash` (CppNix `prim_convertHash`), once
 * the evaluator has forced the attributes: `hashAlgo` is parsed before `toHashFormat`,
 * so with both wrong the algorithm error wins, as in CppNix. SRI output always carries
 * its algorithm; the other formats never do.
 */
export function convertHash(
  args: { hash: string; hashAlgo?: string | undefined; toHashFormat: string },
  warn?: WarnFn,
): string {
  const algo = args.hashAlgo === undefined ? undefined : parseHashAlgo(args.hashAlgo);
  const format = parseHashFormat(args.toHashFormat, warn);
  return parseHash(args.hash, algo).toString(format, format === 'sri');
}
