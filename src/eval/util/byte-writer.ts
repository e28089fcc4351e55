/**
 * An append-only byte buffer that becomes a byte string at the end.
 *
 * Serialisers that emit many small pieces (toJSON: a quote, a key, a colon, a digit…)
 * spend most of their time in the JS string machinery if they build with `+=` (a rope
 * node per piece, all live until the final flatten) or with `parts.join('')` (which in
 * V8 is slower still for millions of short parts). Writing the bytes into a growing
 * Uint8Array and decoding once keeps the work linear in the output and leaves the
 * garbage collector a single buffer to deal with.
 */

// Decoding is only trusted for ASCII: WHATWG maps the "latin1" label to windows-1252,
// which differs from a byte-for-byte mapping in 0x80–0x9f.
const asciiDecoder = new TextDecoder('latin1');
const CHUNK = 0x2000;

export class ByteWriter {
  buf: Uint8Array;
  len = 0;
  /** Whether a byte ≥ 0x80 has been written. */
  high = false;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  byte(c: number): void {
    if (this.len === this.buf.length) this.reserve(1);
    this.buf[this.len++] = c;
  }

  /** Appends a byte string known to be ASCII (literals, numbers). */
  ascii(s: string): void {
    const n = s.length;
    if (this.len + n > this.buf.length) this.reserve(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /** Appends any byte string. */
  bytes(s: string): void {
    const n = s.length;
    if (this.len + n > this.buf.length) this.reserve(n);
    const b = this.buf;
    let p = this.len;
    let or = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      or |= c;
      b[p++] = c;
    }
    if (or >= 0x80) this.high = true;
    this.len = p;
  }

  /** Appends the decimal form of a safe integer. */
  int(v: number): void {
    if (v >= 0 && v < 10) {
      this.byte(48 + v);
      return;
    }
    if (v < 0 || v > 0x7fffffff) {
      this.ascii(String(v));
      return;
    }
    let digits = 0;
    for (let t = v; t > 0; t = (t / 10) | 0) digits++;
    this.reserve(digits);
    const b = this.buf;
    let p = this.len + digits;
    this.len = p;
    for (let t = v; t > 0; t = (t / 10) | 0) b[--p] = 48 + (t % 10);
  }

  /** The bytes written so far, as a byte string. */
  toString(): string {
    const b = this.buf.subarray(0, this.len);
    if (!this.high) return asciiDecoder.decode(b);
    let out = '';
    for (let i = 0; i < b.length; i += CHUNK) {
      out += String.fromCharCode.apply(null, b.subarray(i, Math.min(b.length, i + CHUNK)) as unknown as number[]);
    }
    return out;
  }
}
