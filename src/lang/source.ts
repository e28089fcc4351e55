/**
 * Sources and positions.
 *
 * Every piece of Nix text tsnix reads (a file, an `-E` expression, stdin, a builtin's
 * embedded Nix code) is registered once in a `PosTable`. A position is then a single
 * integer: the source's base plus a byte offset into it, exactly as CppNix's `PosIdx`.
 * AST nodes, attributes and errors carry these integers; nothing computes a line or a
 * column until a diagnostic is printed, which keeps parsing and evaluation cheap.
 *
 * Text is held as a *byte string*: a JS string whose every code unit is one byte
 * (0–255, i.e. latin1-decoded UTF-8). Nix strings are byte strings, so this makes
 * `stringLength`, `substring`, ordering and regex matching byte-exact for free; text is
 * converted back to bytes only at the edges (files, stdout).
 */

export type PosIdx = number;
/** No position: used for values made by builtins. */
export const noPos: PosIdx = -1;

export type Origin =
  | { kind: 'file'; path: string }
  | { kind: 'string' } // -E / --expr
  | { kind: 'stdin' }
  | { kind: 'builtin'; name: string };

export interface Source {
  readonly origin: Origin;
  /** The text as a byte string. */
  readonly text: string;
  /** First PosIdx of this source. */
  readonly base: number;
  /** Lazily computed start offsets of each line. */
  lineStarts?: number[];
}

export interface Position {
  source: Source;
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in bytes as CppNix does. */
  column: number;
}

export class PosTable {
  private sources: Source[] = [];
  private next = 0;

  add(origin: Origin, text: string): Source {
    const src: Source = { origin, text, base: this.next };
    // +1 so that the end-of-input position of one source never aliases the next.
    this.next += text.length + 1;
    this.sources.push(src);
    return src;
  }

  /** The source a position belongs to (binary search over bases). */
  sourceOf(pos: PosIdx): Source | undefined {
    if (pos < 0) return undefined;
    const s = this.sources;
    let lo = 0;
    let hi = s.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const src = s[mid]!;
      if (pos < src.base) hi = mid - 1;
      else if (pos > src.base + src.text.length) lo = mid + 1;
      else return src;
    }
    return undefined;
  }

  resolve(pos: PosIdx): Position | undefined {
    const source = this.sourceOf(pos);
    if (!source) return undefined;
    const offset = pos - source.base;
    const { line, column } = lineColumn(source, offset);
    return { source, offset, line, column };
  }
}

export function lineStarts(src: Source): number[] {
  if (src.lineStarts) return src.lineStarts;
  const starts = [0];
  const t = src.text;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    // CppNix's lexer counts "\r\n", "\r" and "\n" each as one line break.
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (t.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  src.lineStarts = starts;
  return starts;
}

export function lineColumn(src: Source, offset: number): { line: number; column: number } {
  const starts = lineStarts(src);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** The text of one (1-based) line, without its terminator. */
export function lineText(src: Source, line: number): string {
  const starts = lineStarts(src);
  const start = starts[line - 1];
  if (start === undefined) return '';
  let end = line < starts.length ? starts[line]! : src.text.length;
  const t = src.text;
  while (end > start && (t.charCodeAt(end - 1) === 10 || t.charCodeAt(end - 1) === 13)) end--;
  return t.slice(start, end);
}

// « and » as UTF-8 bytes: names are byte strings like the paths and text they sit beside.
const LQ = '\xc2\xab';
const RQ = '\xc2\xbb';

/** How CppNix names a source in `at …:line:col:` lines (a byte string). */
export function originName(o: Origin): string {
  switch (o.kind) {
    case 'file':
      return o.path;
    case 'string':
      return `${LQ}string${RQ}`;
    case 'stdin':
      return `${LQ}stdin${RQ}`;
    case 'builtin':
      return `${LQ}${o.name}${RQ}`;
  }
}

/** Byte string <-> UTF-8 bytes. */
export function bytesToBinary(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder('utf-8', { fatal: false });

/** A JS (UTF-16) string to a Nix byte string. */
export function toBinary(s: string): string {
  // Fast path: ASCII is already a byte string.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return bytesToBinary(utf8enc.encode(s));
}

/** A Nix byte string to a JS string, for display (invalid UTF-8 becomes U+FFFD). */
export function fromBinary(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return utf8dec.decode(binaryToBytes(s));
}
