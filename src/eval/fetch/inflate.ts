/**
 * DEFLATE decompression (RFC 1951) with the zlib (RFC 1950) and gzip (RFC 1952)
 * framings: what local fetchers need to read `.tar.gz` files and Git objects.
 *
 * The evaluator core runs without Node's APIs (see src/host.ts), so `node:zlib` is not
 * available here; this is a small, allocation-light decoder instead. It favours
 * clarity over speed — fetching is rare and the inputs are local — but decodes with
 * table lookups per symbol rather than bit-by-bit tree walks, so a few megabytes take
 * milliseconds. Errors are thrown as plain `Error`s with a short reason; callers wrap
 * them with the file they were reading.
 */

class BitReader {
  pos: number;
  private bitBuf = 0;
  private bitCnt = 0;
  constructor(
    private readonly data: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  bits(n: number): number {
    while (this.bitCnt < n) {
      if (this.pos >= this.data.length) throw new Error('unexpected end of compressed data');
      this.bitBuf |= this.data[this.pos++]! << this.bitCnt;
      this.bitCnt += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCnt -= n;
    return v;
  }

  /** Drop to the next byte boundary (stored blocks, end of stream). */
  align(): void {
    this.bitBuf = 0;
    this.bitCnt = 0;
  }

  byte(): number {
    if (this.pos >= this.data.length) throw new Error('unexpected end of compressed data');
    return this.data[this.pos++]!;
  }
}

/** A canonical Huffman code as (count per length, symbols by code order). */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function buildHuffman(lengths: ArrayLike<number>, n: number): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < n; i++) counts[lengths[i]!]!++;
  counts[0] = 0;
  const offs = new Uint16Array(16);
  for (let i = 1; i < 16; i++) offs[i] = offs[i - 1]! + counts[i - 1]!;
  const symbols = new Uint16Array(n);
  for (let i = 0; i < n; i++) if (lengths[i]) symbols[offs[lengths[i]!]!++] = i;
  return { counts, symbols };
}

/** Decode one symbol, reading the code MSB-first one bit at a time (zlib's `puff`). */
function decodeSym(br: BitReader, h: Huffman): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len < 16; len++) {
    code |= br.bits(1);
    const count = h.counts[len]!;
    if (code - count < first) return h.symbols[index + (code - first)]!;
    index += count;
    first += count;
    first <<= 1;
    code <<= 1;
  }
  throw new Error('invalid Huffman code');
}

const lenBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const lenExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const distBase = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
  12289, 16385, 24577,
];
const distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

let fixed: { lit: Huffman; dist: Huffman } | undefined;
function fixedCodes(): { lit: Huffman; dist: Huffman } {
  if (fixed) return fixed;
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  const d = new Uint8Array(30).fill(5);
  return (fixed = { lit: buildHuffman(l, 288), dist: buildHuffman(d, 30) });
}

const clOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A growable output buffer. */
class Out {
  buf: Uint8Array;
  len = 0;
  constructor(hint: number) {
    this.buf = new Uint8Array(Math.max(1024, hint));
  }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Raw DEFLATE from `start`; returns the data and the offset just past the stream. */
export function inflateRaw(data: Uint8Array, start = 0, sizeHint = 0): { data: Uint8Array; end: number } {
  const br = new BitReader(data, start);
  const out = new Out(sizeHint || data.length * 4);
  let last = 0;
  while (!last) {
    last = br.bits(1);
    const type = br.bits(2);
    if (type === 0) {
      br.align();
      const len = br.byte() | (br.byte() << 8);
      const nlen = br.byte() | (br.byte() << 8);
      if ((len ^ 0xffff) !== nlen) throw new Error('corrupt stored block');
      if (br.pos + len > data.length) throw new Error('unexpected end of compressed data');
      out.ensure(len);
      out.buf.set(data.subarray(br.pos, br.pos + len), out.len);
      out.len += len;
      br.pos += len;
      continue;
    }
    let lit: Huffman;
    let dist: Huffman;
    if (type === 1) ({ lit, dist } = fixedCodes());
    else if (type === 2) {
      const nlen = br.bits(5) + 257;
      const ndist = br.bits(5) + 1;
      const ncode = br.bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < ncode; i++) cl[clOrder[i]!] = br.bits(3);
      const clh = buildHuffman(cl, 19);
      const lengths = new Uint8Array(nlen + ndist);
      for (let i = 0; i < nlen + ndist; ) {
        const sym = decodeSym(br, clh);
        if (sym < 16) lengths[i++] = sym;
        else {
          let rep: number;
          let val = 0;
          if (sym === 16) {
            if (i === 0) throw new Error('repeat with no previous length');
            val = lengths[i - 1]!;
            rep = 3 + br.bits(2);
          } else if (sym === 17) rep = 3 + br.bits(3);
          else rep = 11 + br.bits(7);
          if (i + rep > nlen + ndist) throw new Error('too many code lengths');
          lengths.fill(val, i, i + rep);
          i += rep;
        }
      }
      lit = buildHuffman(lengths.subarray(0, nlen), nlen);
      dist = buildHuffman(lengths.subarray(nlen), ndist);
    } else throw new Error('invalid block type');
    for (;;) {
      const sym = decodeSym(br, lit);
      if (sym < 256) {
        out.ensure(1);
        out.buf[out.len++] = sym;
      } else if (sym === 256) break;
      else {
        const li = sym - 257;
        if (li >= 29) throw new Error('invalid length symbol');
        const len = lenBase[li]! + br.bits(lenExtra[li]!);
        const di = decodeSym(br, dist);
        if (di >= 30) throw new Error('invalid distance symbol');
        const d = distBase[di]! + br.bits(distExtra[di]!);
        if (d > out.len) throw new Error('distance too far back');
        out.ensure(len);
        const b = out.buf;
        let from = out.len - d;
        for (let k = 0; k < len; k++) b[out.len++] = b[from++]!;
      }
    }
  }
  br.align();
  return { data: out.result(), end: br.pos };
}

/** A zlib stream (Git objects): 2-byte header, DEFLATE, Adler-32 (not verified). */
export function inflateZlib(data: Uint8Array, start = 0, sizeHint = 0): { data: Uint8Array; end: number } {
  const cmf = data[start];
  const flg = data[start + 1];
  if (cmf === undefined || flg === undefined || (cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0)
    throw new Error('not a zlib stream');
  if (flg & 0x20) throw new Error('zlib preset dictionaries are not supported');
  const r = inflateRaw(data, start + 2, sizeHint);
  return { data: r.data, end: r.end + 4 };
}

/** A gzip file: every member, concatenated (as gunzip does). */
export function gunzip(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] !== 0x1f || data[pos + 1] !== 0x8b || data[pos + 2] !== 8) {
      if (parts.length > 0) break; // trailing garbage after a member is ignored
      throw new Error('not in gzip format');
    }
    const flags = data[pos + 3]!;
    let p = pos + 10;
    if (flags & 4) p += 2 + (data[p]! | (data[p + 1]! << 8));
    if (flags & 8) while (data[p++] !== 0 && p < data.length);
    if (flags & 16) while (data[p++] !== 0 && p < data.length);
    if (flags & 2) p += 2;
    const r = inflateRaw(data, p);
    parts.push(r.data);
    pos = r.end + 8;
  }
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((n, x) => n + x.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
