/**
 * An append-only byte buffer that becomes a byte string at the end.
 *
 * Serialisers that emit many small pieces (toJSON: a quote, a key, a colon, a digit…)
 * spend most of their time in the JS string machinery if they build with `+=` (a rope
 * node per piece, all live until the final flatten, and copied by every scavenge on the
 * way) or with `parts.join('')` (which in V8 is slower still for millions of short
 * parts). Bytes are written into a fixed-size buffer instead, and each full buffer is
 * decoded into one string piece: the buffer is reused (and stays in cache), nothing
 * large is allocated or copied while writing, and the result is a short rope of large
 * flat pieces. The chunk is larger than V8's largest regular heap object, so every
 * piece is born in large-object space, which the scavenger never copies.
 *
 * Long inputs (`str`, `range`) are not copied byte by byte: they join the rope as they
 * are, between two flushed pieces.
 */

const CHUNK = 0x40000;
/** fromCharCode.apply takes its bytes as arguments: keep the argument count modest. */
const APPLY_CHUNK = 0x2000;
/** Appended strings longer than this become rope pieces of their own instead of being copied. */
const LONG = 512;

// Decoding by TextDecoder is only trusted for ASCII (where UTF-8 is the identity):
// WHATWG's "latin1" is windows-1252, which is not byte-for-byte in 0x80–0x9f.
const asciiDecoder = new TextDecoder('utf-8');

/**
 * Buffers kept between writers, so that small serialisations allocate nothing. A pool,
 * not one buffer: writers nest (an element forced by concatStringsSep may run another).
 */
const spare: Uint8Array[] = [];
const SPARE_MAX = 8;

export class ByteWriter {
  buf: Uint8Array;
  /** Bytes used in `buf`. */
  len = 0;
  /** Whether a byte ≥ 0x80 may be in `buf` (writers must set it when they write one). */
  high = false;
  private done = '';

  constructor() {
    this.buf = spare.length > 0 ? spare.pop()! : new Uint8Array(CHUNK);
  }

  /**
   * Makes room for `n` more bytes in `buf` (which may then be a different buffer, with
   * `len` reset): callers writing into `buf` directly must re-read both afterwards.
   */
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  private flush(): void {
    const len = this.len;
    if (len === 0) return;
    const b = this.buf;
    if (len <= 12) {
      // A few bytes between two long pieces: a decoder call would cost more than this
      // (and strings this short are built flat anyway).
      let t = '';
      for (let i = 0; i < len; i++) t += String.fromCharCode(b[i]!);
      this.done += t;
    } else if (!this.high) this.done += asciiDecoder.decode(b.subarray(0, len));
    else {
      for (let i = 0; i < len; i += APPLY_CHUNK) {
        this.done += String.fromCharCode.apply(null, b.subarray(i, Math.min(len, i + APPLY_CHUNK)) as unknown as number[]);
      }
    }
    this.len = 0;
    this.high = false;
  }

  byte(c: number): void {
    if (this.len === this.buf.length) this.flush();
    this.buf[this.len++] = c;
  }

  /** Appends a byte string known to be ASCII (literals, numbers). */
  ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /** Appends any byte string. */
  str(s: string): void {
    this.range(s, 0, s.length);
  }

  /** Appends bytes `from` to `to` (exclusive) of a byte string. */
  range(s: string, from: number, to: number): void {
    const n = to - from;
    if (n > LONG) {
      this.flush();
      this.done += from === 0 && to === s.length ? s : s.slice(from, to);
      return;
    }
    if (this.len + n > this.buf.length) this.flush();
    const b = this.buf;
    let p = this.len;
    let or = 0;
    for (let i = from; i < to; i++) {
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

  /** Everything written, as a byte string. The writer must not be used afterwards. */
  finish(): string {
    this.flush();
    this.discard();
    return this.done;
  }

  /** Gives the buffer back (after an error, too). The writer must not be used afterwards. */
  discard(): void {
    if (this.buf.length === CHUNK && spare.length < SPARE_MAX) spare.push(this.buf);
  }
}

/** From this many pieces on, a StringBuilder copies into a ByteWriter. */
const MANY_PIECES = 32;

/**
 * A byte string built from pieces: with `+=` while they are few (cheapest for the
 * short results most calls produce), through a ByteWriter once they are many (where a
 * rope node per piece would cost more than the copying).
 */
export class StringBuilder {
  private s = '';
  private n = 0;
  private w: ByteWriter | undefined = undefined;

  add(x: string): void {
    const w = this.w;
    if (w !== undefined) w.str(x);
    else {
      this.s += x;
      if (++this.n === MANY_PIECES) this.spill();
    }
  }

  /** Appends bytes `from` to `to` (exclusive) of `x`. */
  addRange(x: string, from: number, to: number): void {
    if (from >= to) return;
    const w = this.w;
    if (w !== undefined) w.range(x, from, to);
    else {
      this.s += x.slice(from, to);
      if (++this.n === MANY_PIECES) this.spill();
    }
  }

  private spill(): void {
    const w = new ByteWriter();
    w.str(this.s);
    this.s = '';
    this.w = w;
  }

  /** The string built. The builder must not be used afterwards. */
  finish(): string {
    return this.w !== undefined ? this.w.finish() : this.s;
  }

  /** Gives up (after an error). The builder must not be used afterwards. */
  discard(): void {
    this.w?.discard();
  }
}
