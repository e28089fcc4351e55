/**
 * The Nix lexer: a hand-written equivalent of CppNix's flex scanner (`lexer.l`).
 *
 * Why hand-written and not a table of regexes: the parser is on the hot path of every
 * evaluation, and a flex scanner is just longest-match-wins over a handful of rules.
 * At each position only a few rules can start, so we dispatch on the first byte and
 * compute, for the rules that can apply, how far each would match; the longest wins
 * and ties go to the rule flex lists first. The subtle cases this must reproduce are
 * all consequences of that one principle: `a/b` is a path rather than a division,
 * `x:x` is a URI, `1e5` is an integer followed by the identifier `e5`, `a->b` is the
 * identifier `a-` followed by `>`, `-a/b` is a path, `.5` is a float.
 *
 * The scanner is independent of the parser, exactly like CppNix's (its start
 * conditions are driven only by lexer actions), so tokens can be produced lazily, one
 * at a time, and errors raised by the lexer (`invalid integer`, `path has a trailing
 * slash`, NUL bytes in strings) come out in the same order relative to syntax errors
 * as in CppNix: the parser only ever asks for the one token bison would have read.
 *
 * The start-condition stack (`DEFAULT`, `STRING`, `IND_STRING`, `INPATH`, …) is an
 * explicit array, so nested `${ }` in strings never recurse on the JS stack. Text is a
 * byte string (see source.ts): every char code is a byte, so classification is a table
 * lookup and no decoding happens.
 *
 * Token kinds use bison's numbering (named tokens from 258, single characters as their
 * own code, 257 for a byte the grammar doesn't know), which keeps error messages and
 * differential testing against a bison-built oracle straightforward.
 */

import { parseError } from '../diag/diagnostic.js';
import { toBinary } from './source.js';

/** Token kinds. Single-character tokens (`;`, `{`, …) are their char code. */
export const enum T {
  EOF = 0,
  INVALID = 257,
  ID = 258,
  STR,
  IND_STR,
  INT,
  FLOAT,
  PATH,
  HPATH,
  SPATH,
  PATH_END,
  URI,
  IF,
  THEN,
  ELSE,
  ASSERT,
  WITH,
  LET,
  IN,
  REC,
  INHERIT,
  EQ,
  NEQ,
  LEQ,
  GEQ,
  UPDATE,
  CONCAT,
  AND,
  OR,
  IMPL,
  OR_KW,
  PIPE_FROM,
  PIPE_INTO,
  DOLLAR_CURLY,
  IND_STRING_OPEN,
  IND_STRING_CLOSE,
  ELLIPSIS,
}

const NAMES: Record<number, string> = {
  [T.EOF]: 'end of file',
  [T.INVALID]: 'invalid token',
  [T.ID]: 'identifier',
  [T.STR]: 'string',
  [T.IND_STR]: 'indented string',
  [T.INT]: 'integer',
  [T.FLOAT]: 'floating-point literal',
  [T.PATH]: 'path',
  [T.HPATH]: toBinary("'~/…' path"),
  [T.SPATH]: toBinary("'<…>' path"),
  [T.PATH_END]: 'end of path',
  [T.URI]: 'URI',
  [T.IF]: "'if'",
  [T.THEN]: "'then'",
  [T.ELSE]: "'else'",
  [T.ASSERT]: "'assert'",
  [T.WITH]: "'with'",
  [T.LET]: "'let'",
  [T.IN]: "'in'",
  [T.REC]: "'rec'",
  [T.INHERIT]: "'inherit'",
  [T.EQ]: "'=='",
  [T.NEQ]: "'!='",
  [T.LEQ]: "'<='",
  [T.GEQ]: "'>='",
  [T.UPDATE]: "'//'",
  [T.CONCAT]: "'++'",
  [T.AND]: "'&&'",
  [T.OR]: "'||'",
  [T.IMPL]: "'->'",
  [T.OR_KW]: "'or'",
  [T.PIPE_FROM]: "'<|'",
  [T.PIPE_INTO]: "'|>'",
  [T.DOLLAR_CURLY]: "'${'",
  [T.IND_STRING_OPEN]: 'start of an indented string',
  [T.IND_STRING_CLOSE]: 'end of an indented string',
  [T.ELLIPSIS]: "'...'",
};

/** The characters the grammar uses as tokens; any other byte is bison's "invalid token". */
const GRAMMAR_CHARS = ':@;!-<>+*/?."(){}[]=,';

/** How bison names a token kind in "unexpected X, expecting Y". */
export function tokenName(kind: number): string {
  const n = NAMES[kind];
  if (n !== undefined) return n;
  if (kind < 128 && GRAMMAR_CHARS.includes(String.fromCharCode(kind))) return `'${String.fromCharCode(kind)}'`;
  return 'invalid token';
}

// Character classes, as bit flags in a 256-entry table.
const PATH_CHAR = 1; // [a-zA-Z0-9._+-]
const ID_START = 2; // [a-zA-Z_]
const ID_CHAR = 4; // [a-zA-Z0-9_'-]
const SCHEME_CHAR = 8; // [a-zA-Z0-9+.-]
const URI_CHAR = 16; // [a-zA-Z0-9%/?:@&=+$,_.!~*'-]
const DIGIT = 32;
const CC = new Uint8Array(256);
(() => {
  const add = (chars: string, f: number) => {
    for (let i = 0; i < chars.length; i++) CC[chars.charCodeAt(i)]! |= f;
  };
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const alpha = lower + lower.toUpperCase();
  const digits = '0123456789';
  add(alpha + digits + '._+-', PATH_CHAR);
  add(alpha + '_', ID_START);
  add(alpha + digits + "_'-", ID_CHAR);
  add(alpha + digits + '+.-', SCHEME_CHAR);
  add(alpha + digits + "%/?:@&=+$,_.!~*'-", URI_CHAR);
  add(digits, DIGIT);
})();

// Start conditions.
const INITIAL = 0;
const DEFAULT = 1;
const STRING = 2;
const IND_STRING = 3;
const INPATH = 4;
const INPATH_SLASH = 5;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MAX = (1n << 63n) - 1n;
const DBL_MIN = 2.2250738585072014e-308;

export interface LexerOptions {
  /** The `pipe-operators` experimental feature (`|>`, `<|`). */
  pipeOperators?: boolean;
}

export class Lexer {
  readonly text: string;
  readonly len: number;
  /** PosIdx of offset 0. */
  readonly base: number;
  private pos = 0;
  private modes: number[] = [INITIAL];
  // flex's location bookkeeping, which leaks into a few error positions: the start and
  // end of the last rule matched (whitespace and comments included), the end of the
  // one before it (CppNix's "stash"), and the location end-of-file is reported at,
  // which a path ending at end of input rewinds to before the path's last segment.
  private lastStart = 0;
  private lastEnd = 0;
  private stashEnd = 0;
  private eofEnd = -1;
  private readonly pipes: boolean;
  // Memoised maximal runs of path / scheme characters, so that long dotted chains like
  // `a.b.c.d…` (which every identifier start and every `.` re-examine as potential
  // paths or URIs) stay linear.
  private runFrom = -1;
  private runTo = -1;
  private schemeFrom = -1;
  private schemeTo = -1;
  // No comment terminator at or after this offset (keeps unterminated comments linear).
  private noCommentCloseFrom = Infinity;

  // The current token.
  kind: number = T.EOF;
  start = 0;
  end = 0;
  /** ID name, STR/IND_STR text (unescaped), PATH/HPATH/SPATH/URI literal. */
  sval = '';
  /** INT value. */
  ival: number | bigint = 0;
  /** FLOAT value. */
  fval = 0;
  /** IND_STR: whether the text takes part in indentation stripping (not an escape). */
  indent = false;

  constructor(text: string, base = 0, opts: LexerOptions = {}) {
    this.text = text;
    this.len = text.length;
    this.base = base;
    this.pipes = opts.pipeOperators ?? false;
  }

  /** Advance to the next token; returns its kind (also in `this.kind`). */
  next(): number {
    switch (this.modes[this.modes.length - 1]) {
      case STRING:
        return this.lexString();
      case IND_STRING:
        return this.lexIndString();
      case INPATH:
      case INPATH_SLASH:
        return this.lexInPath();
      default:
        return this.lexDefault();
    }
  }

  private tok(kind: number, start: number, end: number): number {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.lastStart = start;
    this.stashEnd = this.lastEnd;
    this.lastEnd = end;
    this.pos = end;
    return kind;
  }

  /** A skipped match (a whitespace run or a comment) from `start` to `end`. */
  private skipped(start: number, end: number): void {
    this.lastStart = start;
    this.stashEnd = this.lastEnd;
    this.lastEnd = end;
  }

  private push(mode: number): void {
    this.modes.push(mode);
  }

  private pop(): void {
    if (this.modes.length > 1) this.modes.pop();
  }

  private error(message: string, offset: number): never {
    throw parseError(message, this.base + offset);
  }

  private lexDefault(): number {
    const t = this.text;
    const len = this.len;
    let p = this.pos;
    // Whitespace and comments.
    for (;;) {
      if (p >= len) {
        this.pos = p;
        return this.eof();
      }
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 9 || c === 13) {
        const s = p++;
        while (p < len) {
          const d = t.charCodeAt(p);
          if (d !== 32 && d !== 10 && d !== 9 && d !== 13) break;
          p++;
        }
        this.skipped(s, p);
      } else if (c === 35 /* # */) {
        const s = p++;
        while (p < len) {
          const d = t.charCodeAt(p);
          if (d === 10 || d === 13) break;
          p++;
        }
        this.skipped(s, p);
      } else if (c === 47 /* / */ && p + 1 < len && t.charCodeAt(p + 1) === 42 /* * */) {
        // A comment only if it is closed; otherwise `/` and `*` are tokens.
        const close = p + 2 >= this.noCommentCloseFrom ? -1 : t.indexOf('*/', p + 2);
        if (close < 0) {
          if (p + 2 < this.noCommentCloseFrom) this.noCommentCloseFrom = p + 2;
          break;
        }
        this.skipped(p, close + 2);
        p = close + 2;
      } else break;
    }
    const c = t.charCodeAt(p);
    const cc = CC[c]!;
    if (cc & ID_START) return this.lexWord(p);
    if (cc & DIGIT) return this.lexNumber(p);
    switch (c) {
      case 0:
        // flex hands a NUL byte to bison as token 0, i.e. end of input.
        return this.tok(T.EOF, p, p + 1);
      case 46 /* . */: {
        const r = this.pathLike(p);
        if (r !== 0) return r;
        if (t.charCodeAt(p + 1) === 46 && t.charCodeAt(p + 2) === 46) return this.tok(T.ELLIPSIS, p, p + 3);
        if (p + 1 < len && CC[t.charCodeAt(p + 1)]! & DIGIT) return this.lexFloatFrom(p, p + 1);
        return this.tok(c, p, p + 1);
      }
      case 43 /* + */: {
        const r = this.pathLike(p);
        if (r !== 0) return r;
        if (t.charCodeAt(p + 1) === 43) return this.tok(T.CONCAT, p, p + 2);
        return this.tok(c, p, p + 1);
      }
      case 45 /* - */: {
        const r = this.pathLike(p);
        if (r !== 0) return r;
        if (t.charCodeAt(p + 1) === 62) return this.tok(T.IMPL, p, p + 2);
        return this.tok(c, p, p + 1);
      }
      case 47 /* / */: {
        const d = p + 1 < len ? t.charCodeAt(p + 1) : -1;
        if (d === 47) return this.tok(T.UPDATE, p, p + 2);
        const r = this.pathLike(p);
        if (r !== 0) return r;
        return this.tok(c, p, p + 1);
      }
      case 126 /* ~ */: {
        if (t.charCodeAt(p + 1) === 47) {
          if (p + 2 < len && CC[t.charCodeAt(p + 2)]! & PATH_CHAR) {
            const e = this.scanPathSegments(p + 1);
            return this.pathToken(T.HPATH, p, e);
          }
          if (t.charCodeAt(p + 2) === 36 && t.charCodeAt(p + 3) === 123) {
            this.sval = '~/';
            this.push(INPATH_SLASH);
            return this.tok(T.HPATH, p, p + 2);
          }
        }
        return this.tok(T.INVALID, p, p + 1);
      }
      case 60 /* < */: {
        // SPATH: <PATH_CHAR+(/PATH_CHAR+)*>
        let q = p + 1;
        if (q < len && CC[t.charCodeAt(q)]! & PATH_CHAR) {
          for (;;) {
            while (q < len && CC[t.charCodeAt(q)]! & PATH_CHAR) q++;
            if (q + 1 < len && t.charCodeAt(q) === 47 && CC[t.charCodeAt(q + 1)]! & PATH_CHAR) {
              q++;
              continue;
            }
            break;
          }
          if (q < len && t.charCodeAt(q) === 62) {
            this.sval = t.slice(p, q + 1);
            return this.tok(T.SPATH, p, q + 1);
          }
        }
        const d = t.charCodeAt(p + 1);
        if (d === 61) return this.tok(T.LEQ, p, p + 2);
        if (d === 124) return this.pipe(T.PIPE_FROM, p);
        return this.tok(c, p, p + 1);
      }
      case 62 /* > */:
        if (t.charCodeAt(p + 1) === 61) return this.tok(T.GEQ, p, p + 2);
        return this.tok(c, p, p + 1);
      case 61 /* = */:
        if (t.charCodeAt(p + 1) === 61) return this.tok(T.EQ, p, p + 2);
        return this.tok(c, p, p + 1);
      case 33 /* ! */:
        if (t.charCodeAt(p + 1) === 61) return this.tok(T.NEQ, p, p + 2);
        return this.tok(c, p, p + 1);
      case 38 /* & */:
        if (t.charCodeAt(p + 1) === 38) return this.tok(T.AND, p, p + 2);
        return this.tok(T.INVALID, p, p + 1);
      case 124 /* | */: {
        const d = t.charCodeAt(p + 1);
        if (d === 124) return this.tok(T.OR, p, p + 2);
        if (d === 62) return this.pipe(T.PIPE_INTO, p);
        return this.tok(T.INVALID, p, p + 1);
      }
      case 36 /* $ */:
        if (t.charCodeAt(p + 1) === 123) {
          this.push(DEFAULT);
          return this.tok(T.DOLLAR_CURLY, p, p + 2);
        }
        return this.tok(T.INVALID, p, p + 1);
      case 123 /* { */:
        this.push(DEFAULT);
        return this.tok(c, p, p + 1);
      case 125 /* } */:
        this.pop();
        return this.tok(c, p, p + 1);
      case 34 /* " */:
        this.push(STRING);
        return this.tok(c, p, p + 1);
      case 39 /* ' */: {
        if (t.charCodeAt(p + 1) !== 39) return this.tok(T.INVALID, p, p + 1);
        // `''(\ *\n)?`: the opening swallows trailing spaces and one newline.
        let q = p + 2;
        while (q < len && t.charCodeAt(q) === 32) q++;
        const e = q < len && t.charCodeAt(q) === 10 ? q + 1 : p + 2;
        this.push(IND_STRING);
        return this.tok(T.IND_STRING_OPEN, p, e);
      }
      case 58: // :
      case 64: // @
      case 59: // ;
      case 40: // (
      case 41: // )
      case 91: // [
      case 93: // ]
      case 44: // ,
      case 63: // ?
      case 42: // *
        return this.tok(c, p, p + 1);
      default:
        return this.tok(T.INVALID, p, p + 1);
    }
  }

  private pipe(kind: number, p: number): number {
    if (!this.pipes) {
      this.error(
        "experimental Nix feature 'pipe-operators' is disabled; add '--extra-experimental-features pipe-operators' to enable it",
        p,
      );
    }
    return this.tok(kind, p, p + 2);
  }

  /**
   * From the end `q` of a `PATH_CHAR*` prefix that is followed by `/` + PATH_CHAR, the
   * end of `(\/{PATH_CHAR}+)+\/?`.
   */
  private scanPathSegments(q: number): number {
    const t = this.text;
    const len = this.len;
    while (q + 1 < len && t.charCodeAt(q) === 47 && CC[t.charCodeAt(q + 1)]! & PATH_CHAR) {
      q += 2;
      while (q < len && CC[t.charCodeAt(q)]! & PATH_CHAR) q++;
    }
    if (q < len && t.charCodeAt(q) === 47) q++;
    return q;
  }

  /**
   * PATH (`{PATH_CHAR}*(\/{PATH_CHAR}+)+\/?`) or the start of an interpolated path
   * (`{PATH_SEG}\$\{`) at `p`, if either matches; they always beat the shorter rules
   * that can start with the same byte. Returns 0 if neither matches.
   */
  private pathLike(p: number): number {
    const t = this.text;
    const len = this.len;
    const q = this.pathRunEnd(p);
    if (q >= len || t.charCodeAt(q) !== 47) return 0;
    if (q + 1 < len && CC[t.charCodeAt(q + 1)]! & PATH_CHAR) {
      return this.pathToken(T.PATH, p, this.scanPathSegments(q));
    }
    if (t.charCodeAt(q + 1) === 36 && t.charCodeAt(q + 2) === 123) {
      // `{PATH_SEG}\$\{`: flex rescans the segment as a PATH token, then `${`.
      this.sval = t.slice(p, q + 1);
      this.push(INPATH_SLASH);
      return this.tok(T.PATH, p, q + 1);
    }
    return 0;
  }

  /** End of the maximal run of PATH_CHARs starting at `p`. */
  private pathRunEnd(p: number): number {
    if (p >= this.runFrom && p <= this.runTo) return this.runTo;
    const t = this.text;
    const len = this.len;
    let q = p;
    while (q < len && CC[t.charCodeAt(q)]! & PATH_CHAR) q++;
    this.runFrom = p;
    this.runTo = q;
    return q;
  }

  private pathToken(kind: number, p: number, e: number): number {
    this.sval = this.text.slice(p, e);
    this.push(this.text.charCodeAt(e - 1) === 47 ? INPATH_SLASH : INPATH);
    return this.tok(kind, p, e);
  }

  /** Identifiers, keywords, and the paths and URIs that can start with a letter or `_`. */
  private lexWord(p: number): number {
    const t = this.text;
    const len = this.len;
    let h = t.charCodeAt(p);
    let q = p + 1;
    for (; q < len; q++) {
      const c = t.charCodeAt(q);
      if (!(CC[c]! & ID_CHAR)) break;
      h = (Math.imul(h, 31) + c) | 0;
    }
    // An identifier can only lose to a path or a URI, both of which need a `/` or `:`
    // right after a run of path/scheme characters.
    if (q < len) {
      const d = t.charCodeAt(q);
      if (d === 47 || d === 58 || CC[d]! & PATH_CHAR) {
        const r = this.pathLike(p);
        if (r !== 0) return r;
        const u = this.uri(p);
        if (u !== 0) return u;
      }
    }
    const slot = symbolSlot(t, p, q, h);
    if (slot < 0) {
      // The table is full (hostile input): an unshared identifier.
      this.sval = t.slice(p, q);
      return this.tok(T.ID, p, q);
    }
    this.sval = symKeys[slot]!;
    return this.tok(symKinds[slot]!, p, q);
  }

  private uri(p: number): number {
    const t = this.text;
    const len = this.len;
    if (!(CC[t.charCodeAt(p)]! & ID_START) || t.charCodeAt(p) === 95) return 0;
    let q: number;
    if (p >= this.schemeFrom && p <= this.schemeTo) q = this.schemeTo;
    else {
      q = p + 1;
      while (q < len && CC[t.charCodeAt(q)]! & SCHEME_CHAR) q++;
      this.schemeFrom = p;
      this.schemeTo = q;
    }
    if (q + 1 >= len || t.charCodeAt(q) !== 58 || !(CC[t.charCodeAt(q + 1)]! & URI_CHAR)) return 0;
    q += 2;
    while (q < len && CC[t.charCodeAt(q)]! & URI_CHAR) q++;
    this.sval = t.slice(p, q);
    return this.tok(T.URI, p, q);
  }

  private lexNumber(p: number): number {
    const t = this.text;
    const len = this.len;
    const r = this.pathLike(p);
    if (r !== 0) return r;
    let q = p + 1;
    while (q < len && CC[t.charCodeAt(q)]! & DIGIT) q++;
    // FLOAT: ([1-9][0-9]*\.[0-9]*) or (0?\.[0-9]+), then an optional exponent.
    if (q < len && t.charCodeAt(q) === 46) {
      if (t.charCodeAt(p) !== 48) return this.lexFloatFrom(p, q + 1);
      if (q === p + 1 && q + 1 < len && CC[t.charCodeAt(q + 1)]! & DIGIT) return this.lexFloatFrom(p, q + 1);
    }
    return this.lexInt(p, q);
  }

  /** A float whose digits after the `.` start at `q`. */
  private lexFloatFrom(p: number, q: number): number {
    const t = this.text;
    const len = this.len;
    while (q < len && CC[t.charCodeAt(q)]! & DIGIT) q++;
    const e = t.charCodeAt(q);
    if (e === 101 || e === 69) {
      let r = q + 1;
      const s = t.charCodeAt(r);
      if (s === 43 || s === 45) r++;
      if (r < len && CC[t.charCodeAt(r)]! & DIGIT) {
        while (r < len && CC[t.charCodeAt(r)]! & DIGIT) r++;
        q = r;
      }
    }
    const lit = t.slice(p, q);
    const v = Number(lit);
    // strtod reports ERANGE on overflow and on (gradual) underflow.
    if (v === Infinity || (v < DBL_MIN && /[1-9]/.test(lit.replace(/[eE].*$/, '')))) {
      this.error(`invalid float '${lit}'`, p);
    }
    this.fval = v;
    return this.tok(T.FLOAT, p, q);
  }

  private lexInt(p: number, q: number): number {
    const t = this.text;
    if (q - p <= 15) {
      let v = 0;
      for (let i = p; i < q; i++) v = v * 10 + (t.charCodeAt(i) - 48);
      this.ival = v;
    } else {
      const lit = t.slice(p, q);
      const b = BigInt(lit);
      if (b > INT64_MAX) this.error(`invalid integer '${lit}'`, p);
      this.ival = b <= MAX_SAFE ? Number(b) : b;
    }
    return this.tok(T.INT, p, q);
  }

  /** Inside `"…"`. */
  private lexString(): number {
    const t = this.text;
    const len = this.len;
    const p = this.pos;
    if (p >= len) return this.eof();
    const c = t.charCodeAt(p);
    if (c === 34) {
      this.pop();
      return this.tok(c, p, p + 1);
    }
    if (c === 36 && t.charCodeAt(p + 1) === 123) {
      this.push(DEFAULT);
      return this.tok(T.DOLLAR_CURLY, p, p + 2);
    }
    // ([^$"\\]|\$[^{"\\]|\\{ANY}|\$\\{ANY})+, or the same ending in `$` right before `"`.
    let q = p;
    let plain = true;
    while (q < len) {
      const d = t.charCodeAt(q);
      if (d === 34) break;
      if (d === 92) {
        if (q + 1 >= len) break;
        plain = false;
        q += 2;
      } else if (d === 36) {
        if (q + 1 >= len) break;
        const n = t.charCodeAt(q + 1);
        if (n === 123) break;
        if (n === 34) {
          q++;
          break;
        }
        if (n === 92) {
          if (q + 2 >= len) break;
          plain = false;
          q += 3;
        } else {
          if (n === 13 || n === 0) plain = false;
          q += 2;
        }
      } else {
        if (d === 13 || d === 0) plain = false;
        q++;
      }
    }
    // Nothing matched: a lone `$`, `\` or `$\` at the end of input, which CppNix turns
    // into end-of-file so the parser reports the unterminated string.
    if (q === p) return this.tok(T.EOF, p, len);
    this.sval = plain ? t.slice(p, q) : this.unescape(p, q);
    return this.tok(T.STR, p, q);
  }

  /** CppNix's unescapeStr: `\n \r \t`, `\x` → x, and CR / CRLF → LF. */
  private unescape(p: number, q: number): string {
    const t = this.text;
    let out = '';
    let run = p;
    let nul = false;
    for (let i = p; i < q; ) {
      const c = t.charCodeAt(i);
      if (c === 92) {
        out += t.slice(run, i);
        const d = t.charCodeAt(i + 1);
        out += d === 110 ? '\n' : d === 114 ? '\r' : d === 116 ? '\t' : t[i + 1];
        if (d === 0) nul = true;
        i += 2;
        run = i;
      } else if (c === 13) {
        out += t.slice(run, i) + '\n';
        i++;
        if (i < q && t.charCodeAt(i) === 10) i++;
        run = i;
      } else {
        if (c === 0) nul = true;
        i++;
      }
    }
    out += t.slice(run, q);
    if (nul) this.nullByte(out, p);
    return out;
  }

  private nullByte(s: string, p: number): never {
    const shown = s.split('\0').join(toBinary('␀'));
    throw parseError(
      `input string '${shown}' cannot be represented as Nix string because it contains null bytes`,
      this.base + p,
      'parse/null-byte',
    );
  }

  /** Inside `''…''`. */
  private lexIndString(): number {
    const t = this.text;
    const len = this.len;
    const p = this.pos;
    if (p >= len) return this.eof();
    const c = t.charCodeAt(p);
    const n = p + 1 < len ? t.charCodeAt(p + 1) : -1;
    if (c === 39 /* ' */) {
      if (n === 39) {
        const d = p + 2 < len ? t.charCodeAt(p + 2) : -1;
        if (d === 36) return this.indLiteral('$', p, p + 3); // ''$
        if (d === 39) return this.indLiteral("''", p, p + 3); // '''
        if (d === 92 && p + 3 < len) {
          // ''\X: an escape as in "…" strings.
          const x = t.charCodeAt(p + 3);
          let s: string;
          if (x === 110) s = '\n';
          else if (x === 114) s = '\r';
          else if (x === 116) s = '\t';
          else if (x === 13) s = '\n';
          else {
            if (x === 0) this.nullByte('\0', p);
            s = t[p + 3]!;
          }
          return this.indLiteral(s, p, p + 4);
        }
        this.pop();
        return this.tok(T.IND_STRING_CLOSE, p, p + 2);
      }
      if (n === 36 || n === -1) return this.indLiteral("'", p, p + 1);
    } else if (c === 36 /* $ */) {
      if (n === 123) {
        this.push(DEFAULT);
        return this.tok(T.DOLLAR_CURLY, p, p + 2);
      }
      if (n === 39 || n === -1) return this.indLiteral('$', p, p + 1);
    }
    // ([^$']|\$[^{']|'[^'$])+
    let q = p;
    let nul = false;
    while (q < len) {
      const d = t.charCodeAt(q);
      if (d === 36) {
        if (q + 1 >= len) break;
        const e = t.charCodeAt(q + 1);
        if (e === 123 || e === 39) break;
        if (e === 0) nul = true;
        q += 2;
      } else if (d === 39) {
        if (q + 1 >= len) break;
        const e = t.charCodeAt(q + 1);
        if (e === 39 || e === 36) break;
        if (e === 0) nul = true;
        q += 2;
      } else {
        if (d === 0) nul = true;
        q++;
      }
    }
    const s = t.slice(p, q);
    if (nul) this.nullByte(s, p);
    this.sval = s;
    this.indent = true;
    return this.tok(T.IND_STR, p, q);
  }

  private indLiteral(s: string, p: number, e: number): number {
    this.sval = s;
    this.indent = false;
    return this.tok(T.IND_STR, p, e);
  }

  /** After a path segment: more segments, `${`, or the end of the path. */
  private lexInPath(): number {
    const t = this.text;
    const len = this.len;
    const p = this.pos;
    const slash = this.modes[this.modes.length - 1] === INPATH_SLASH;
    if (p + 1 < len && t.charCodeAt(p) === 36 && t.charCodeAt(p + 1) === 123) {
      this.pop();
      this.push(INPATH);
      this.push(DEFAULT);
      return this.tok(T.DOLLAR_CURLY, p, p + 2);
    }
    // {PATH}|{PATH_SEG}|{PATH_CHAR}+
    let q = p;
    while (q < len && CC[t.charCodeAt(q)]! & PATH_CHAR) q++;
    let e = -1;
    if (q < len && t.charCodeAt(q) === 47) {
      e = q + 1 < len && CC[t.charCodeAt(q + 1)]! & PATH_CHAR ? this.scanPathSegments(q) : q + 1;
    } else if (q > p) e = q;
    if (e > 0) {
      this.pop();
      this.push(t.charCodeAt(e - 1) === 47 ? INPATH_SLASH : INPATH);
      this.sval = t.slice(p, e);
      return this.tok(T.STR, p, e);
    }
    if (slash) {
      // At end of input flex reports at the last token it matched (the path itself).
      this.error('path has a trailing slash', p < len ? p : this.lastStart);
    }
    // At end of input CppNix rewinds its location to before the last path segment,
    // and end-of-file is then reported there.
    if (p >= len && this.eofEnd < 0) this.eofEnd = this.stashEnd;
    this.pop();
    // A zero-width token; the character is lexed again in the enclosing state.
    this.kind = T.PATH_END;
    this.start = this.end = p;
    return T.PATH_END;
  }

  /** End of input (not a match: flex's location stays where it was). */
  private eof(): number {
    this.kind = T.EOF;
    this.end = this.eofEnd >= 0 ? this.eofEnd : this.len;
    this.start = this.end;
    return T.EOF;
  }
}

/**
 * The symbol table: one copy of each identifier, like CppNix's. Names are retained by
 * the AST and become attribute names at run time; sharing them saves memory and lets
 * V8 hash each name once. It is an open-addressing table probed with a hash computed
 * while the identifier is scanned and compared against the source text in place, so
 * an identifier seen before costs no allocation at all. Keywords live in the same
 * table with their token kind. Bounded, so hostile input can't grow it forever.
 */
let symKeys: (string | undefined)[] = new Array(1 << 12);
let symHashes = new Int32Array(1 << 12);
let symKinds = new Uint16Array(1 << 12);
let symCount = 0;
const MAX_SYMBOLS = 1 << 20;

function hashOf(s: string): number {
  let h = s.charCodeAt(0);
  for (let i = 1; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

function symbolInsert(key: string, h: number, kind: number): number {
  if ((symCount + 1) * 2 > symKeys.length) {
    const oldKeys = symKeys;
    const oldKinds = symKinds;
    const oldHashes = symHashes;
    symKeys = new Array(oldKeys.length * 2);
    symHashes = new Int32Array(oldKeys.length * 2);
    symKinds = new Uint16Array(oldKeys.length * 2);
    symCount = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i];
      if (k !== undefined) symbolInsert(k, oldHashes[i]!, oldKinds[i]!);
    }
  }
  const mask = symKeys.length - 1;
  let i = h & mask;
  while (symKeys[i] !== undefined) i = (i + 1) & mask;
  symKeys[i] = key;
  symHashes[i] = h;
  symKinds[i] = kind;
  symCount++;
  return i;
}

/** The table slot of the identifier `t[p, q)` whose hash is `h` (inserting it if new). */
function symbolSlot(t: string, p: number, q: number, h: number): number {
  const mask = symKeys.length - 1;
  const n = q - p;
  for (let i = h & mask; ; i = (i + 1) & mask) {
    const k = symKeys[i];
    if (k === undefined) break;
    if (symHashes[i] === h && k.length === n) {
      let j = 0;
      while (j < n && k.charCodeAt(j) === t.charCodeAt(p + j)) j++;
      if (j === n) return i;
    }
  }
  if (symCount >= MAX_SYMBOLS) return -1;
  return symbolInsert(t.slice(p, q), h, T.ID);
}

for (const [kw, kind] of [
  ['if', T.IF],
  ['then', T.THEN],
  ['else', T.ELSE],
  ['assert', T.ASSERT],
  ['with', T.WITH],
  ['let', T.LET],
  ['in', T.IN],
  ['rec', T.REC],
  ['inherit', T.INHERIT],
  ['or', T.OR_KW],
] as const)
  symbolInsert(kw, hashOf(kw), kind);

/** All tokens of a text (for tests and tools); stops after the first EOF. */
export function tokenize(
  text: string,
  opts: LexerOptions = {},
): { kind: number; start: number; end: number; value?: string | number | bigint }[] {
  const lx = new Lexer(text, 0, opts);
  const out: { kind: number; start: number; end: number; value?: string | number | bigint }[] = [];
  for (;;) {
    const k = lx.next();
    const tok: { kind: number; start: number; end: number; value?: string | number | bigint } = {
      kind: k,
      start: lx.start,
      end: lx.end,
    };
    if (k === T.ID || k === T.STR || k === T.IND_STR || k === T.PATH || k === T.HPATH || k === T.SPATH || k === T.URI)
      tok.value = lx.sval;
    else if (k === T.INT) tok.value = lx.ival;
    else if (k === T.FLOAT) tok.value = lx.fval;
    out.push(tok);
    if (k === T.EOF) return out;
  }
}
