/**
 * JSON for builtins.fromJSON / builtins.toJSON, byte-exact with CppNix.
 *
 * CppNix parses with nlohmann::json's SAX parser and dumps with nlohmann's serialiser,
 * so what users observe is nlohmann's behaviour: its error messages name a line and a
 * column computed by its lexer's own get/unget bookkeeping, and quote the "last read"
 * text, which is not the current token but everything read since the last string or
 * number token began (e.g. `last read: '[tru]'`). Reproducing that means mirroring
 * the lexer's character-level state machine, which is what `Lexer` does; the parser
 * mirrors nlohmann's iterative SAX loop (the context words `value`, `array`, `object`,
 * `object key`, `object separator` and the expected-token names come from there).
 *
 * Input and output are byte strings (one byte per code unit). The grammar is
 * byte-oriented anyway: raw bytes inside strings are checked against the UTF-8
 * well-formedness table, `\u` escapes (with surrogate pairs) are encoded to UTF-8
 * bytes. A NUL byte outside strings ends the input, as in nlohmann.
 *
 * Numbers follow nlohmann + json-to-value.cc: an integer token that fits uint64 is
 * "unsigned" and must be ≤ INT64_MAX for Nix; a negative one that fits int64 is an
 * int; anything else (fractions, exponents, out-of-range integers) is a double, and a
 * non-finite double is `number overflow parsing '…'`. Duplicate keys: last one wins.
 * Strings and keys containing NUL are rejected from the SAX callbacks, i.e. in input
 * order with the syntax errors.
 *
 * The messages are nlohmann 3.11.3's (the version CppNix 2.36 builds with; the only
 * wording change since 3.11.2 is the one for an empty document).
 *
 * Syntax errors carry the code `JSON_PARSE_ERROR` (CppNix's JSONParseError, which
 * prim_fromJSON decorates with "while decoding a JSON string"); the NUL and integer
 * range errors are plain evaluation errors, as in CppNix.
 *
 * `jsonString` is nlohmann's dump of a std::string with ensure_ascii = false and the
 * strict UTF-8 handler: only `"` `\` and C0 controls are escaped (`\b \t \n \f \r`,
 * others `\u00XX` in lowercase hex); DEL and non-ASCII pass through; ill-formed UTF-8
 * is `[json.exception.type_error.316] …`.
 */

import { NixError } from '../../diag/diagnostic.js';
import { NixFloat } from '../value.js';
import type { ByteWriter } from './byte-writer.js';
import { normInt, INT64_MAX, INT64_MIN } from './int64.js';
import { identityObject, type MkObject, type MkPairs, type Neutral, type NeutralMap, type Tree } from './neutral.js';

/** `NixError.diag.code` of malformed-JSON errors (CppNix's JSONParseError). */
export const JSON_PARSE_ERROR = 'eval/json-parse';

const EOF = -1;

const enum Tok {
  Uninitialized,
  True,
  False,
  Null,
  String,
  Unsigned,
  Integer,
  Float,
  BeginArray,
  BeginObject,
  EndArray,
  EndObject,
  NameSep,
  ValueSep,
  ParseError,
  EndOfInput,
  LiteralOrValue,
}

const TOKEN_NAMES: Record<Tok, string> = {
  [Tok.Uninitialized]: '<uninitialized>',
  [Tok.True]: 'true literal',
  [Tok.False]: 'false literal',
  [Tok.Null]: 'null literal',
  [Tok.String]: 'string literal',
  [Tok.Unsigned]: 'number literal',
  [Tok.Integer]: 'number literal',
  [Tok.Float]: 'number literal',
  [Tok.BeginArray]: "'['",
  [Tok.BeginObject]: "'{'",
  [Tok.EndArray]: "']'",
  [Tok.EndObject]: "'}'",
  [Tok.NameSep]: "':'",
  [Tok.ValueSep]: "','",
  [Tok.ParseError]: '<parse error>',
  [Tok.EndOfInput]: 'end of input',
  [Tok.LiteralOrValue]: "'[', '{', or a literal",
};

const CONTROL_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
];
const CONTROL_SHORT: Record<number, string> = { 8: 'b', 9: 't', 10: 'n', 12: 'f', 13: 'r' };

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

class Lexer {
  private i = 0;
  private cur = EOF;
  /** Start (input index) of nlohmann's token_string: reset by strings and numbers only. */
  private tokStart = 0;
  // nlohmann's position_t
  total = 0;
  col = 0;
  lines = 0;
  errorMessage = '';
  /** Decoded bytes of the last string token / text of the last number token. */
  buf = '';
  intValue: number | bigint = 0;
  floatValue = 0;

  constructor(private readonly s: string) {}

  private get(): number {
    this.total++;
    this.col++;
    this.cur = this.i < this.s.length ? this.s.charCodeAt(this.i++) : EOF;
    if (this.cur === 10) {
      this.lines++;
      this.col = 0;
    }
    return this.cur;
  }

  private unget(): void {
    this.total--;
    if (this.col === 0) {
      if (this.lines > 0) this.lines--;
    } else this.col--;
    if (this.cur !== EOF) this.i--;
  }

  private reset(): void {
    // token_string restarts with the current (already read) character.
    this.tokStart = this.cur === EOF ? this.i : this.i - 1;
  }

  /** nlohmann's get_token_string: control bytes as <U+XXXX>. */
  tokenString(): string {
    const raw = this.s.slice(this.tokStart, this.i);
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const c = raw.charCodeAt(k);
      out += c <= 0x1f ? `<U+${hex4(c)}>` : raw[k];
    }
    return out;
  }

  scan(): Tok {
    if (this.total === 0) {
      // BOM: EF BB BF is skipped; a lone EF is an error.
      if (this.get() === 0xef) {
        if (!(this.get() === 0xbb && this.get() === 0xbf)) {
          this.errorMessage = 'invalid BOM; must be 0xEF 0xBB 0xBF if given';
          return Tok.ParseError;
        }
      } else this.unget();
    }
    let c: number;
    do c = this.get();
    while (c === 32 || c === 9 || c === 10 || c === 13);
    switch (c) {
      case 0x5b:
        return Tok.BeginArray;
      case 0x5d:
        return Tok.EndArray;
      case 0x7b:
        return Tok.BeginObject;
      case 0x7d:
        return Tok.EndObject;
      case 0x3a:
        return Tok.NameSep;
      case 0x2c:
        return Tok.ValueSep;
      case 0x74:
        return this.literal('true', Tok.True);
      case 0x66:
        return this.literal('false', Tok.False);
      case 0x6e:
        return this.literal('null', Tok.Null);
      case 0x22:
        return this.scanString();
      case 0x2d:
      case 0x30:
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37:
      case 0x38:
      case 0x39:
        return this.scanNumber();
      case 0:
      case EOF:
        return Tok.EndOfInput;
      default:
        this.errorMessage = 'invalid literal';
        return Tok.ParseError;
    }
  }

  private literal(text: string, t: Tok): Tok {
    for (let k = 1; k < text.length; k++) {
      if (this.get() !== text.charCodeAt(k)) {
        this.errorMessage = 'invalid literal';
        return Tok.ParseError;
      }
    }
    return t;
  }

  private codepoint(): number {
    let cp = 0;
    for (let shift = 12; shift >= 0; shift -= 4) {
      const c = this.get();
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 65 && c <= 70) d = c - 55;
      else if (c >= 97 && c <= 102) d = c - 87;
      else return -1;
      cp += d << shift;
    }
    return cp;
  }

  /** Reads continuation bytes in the given inclusive ranges (lo, hi pairs). */
  private continuation(out: number[], ...ranges: number[]): boolean {
    out.push(this.cur);
    for (let k = 0; k < ranges.length; k += 2) {
      const c = this.get();
      if (c >= ranges[k]! && c <= ranges[k + 1]!) out.push(c);
      else {
        this.errorMessage = 'invalid string: ill-formed UTF-8 byte';
        return false;
      }
    }
    return true;
  }

  private scanString(): Tok {
    this.reset();
    // Runs of plain bytes are sliced rather than copied byte by byte.
    let out = '';
    const pending: number[] = [];
    const flush = (): void => {
      if (pending.length) {
        out += String.fromCharCode.apply(null, pending);
        pending.length = 0;
      }
    };
    for (;;) {
      const start = this.i;
      // Fast path over ASCII that needs no checks.
      let j = start;
      const s = this.s;
      while (j < s.length) {
        const c = s.charCodeAt(j);
        if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) break;
        j++;
      }
      if (j > start) {
        flush();
        out += s.slice(start, j);
        this.total += j - start;
        this.col += j - start;
        this.i = j;
        this.cur = s.charCodeAt(j - 1);
      }
      const c = this.get();
      if (c === EOF) {
        this.errorMessage = 'invalid string: missing closing quote';
        return Tok.ParseError;
      }
      if (c === 0x22) {
        flush();
        this.buf = out;
        return Tok.String;
      }
      if (c === 0x5c) {
        const e = this.get();
        switch (e) {
          case 0x22:
          case 0x5c:
          case 0x2f:
            pending.push(e);
            break;
          case 0x62:
            pending.push(8);
            break;
          case 0x66:
            pending.push(12);
            break;
          case 0x6e:
            pending.push(10);
            break;
          case 0x72:
            pending.push(13);
            break;
          case 0x74:
            pending.push(9);
            break;
          case 0x75: {
            const cp1 = this.codepoint();
            let cp = cp1;
            if (cp1 === -1) {
              this.errorMessage = "invalid string: '\\u' must be followed by 4 hex digits";
              return Tok.ParseError;
            }
            if (cp1 >= 0xd800 && cp1 <= 0xdbff) {
              if (this.get() === 0x5c && this.get() === 0x75) {
                const cp2 = this.codepoint();
                if (cp2 === -1) {
                  this.errorMessage = "invalid string: '\\u' must be followed by 4 hex digits";
                  return Tok.ParseError;
                }
                if (cp2 >= 0xdc00 && cp2 <= 0xdfff) {
                  cp = ((cp1 - 0xd800) << 10) + (cp2 - 0xdc00) + 0x10000;
                } else {
                  this.errorMessage = 'invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF';
                  return Tok.ParseError;
                }
              } else {
                this.errorMessage = 'invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF';
                return Tok.ParseError;
              }
            } else if (cp1 >= 0xdc00 && cp1 <= 0xdfff) {
              this.errorMessage = 'invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF';
              return Tok.ParseError;
            }
            if (cp < 0x80) pending.push(cp);
            else if (cp < 0x800) pending.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
            else if (cp < 0x10000) pending.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
            else
              pending.push(
                0xf0 | (cp >> 18),
                0x80 | ((cp >> 12) & 0x3f),
                0x80 | ((cp >> 6) & 0x3f),
                0x80 | (cp & 0x3f),
              );
            break;
          }
          default:
            this.errorMessage = 'invalid string: forbidden character after backslash';
            return Tok.ParseError;
        }
        if (pending.length > 4096) flush();
        continue;
      }
      if (c < 0x20) {
        const short = CONTROL_SHORT[c];
        this.errorMessage =
          `invalid string: control character U+${hex4(c)} (${CONTROL_NAMES[c]}) must be escaped to \\u${hex4(c)}` +
          (short ? ` or \\${short}` : '');
        return Tok.ParseError;
      }
      // c ≥ 0x80: a UTF-8 sequence, checked against the well-formedness table.
      let ok: boolean;
      if (c >= 0xc2 && c <= 0xdf) ok = this.continuation(pending, 0x80, 0xbf);
      else if (c === 0xe0) ok = this.continuation(pending, 0xa0, 0xbf, 0x80, 0xbf);
      else if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) ok = this.continuation(pending, 0x80, 0xbf, 0x80, 0xbf);
      else if (c === 0xed) ok = this.continuation(pending, 0x80, 0x9f, 0x80, 0xbf);
      else if (c === 0xf0) ok = this.continuation(pending, 0x90, 0xbf, 0x80, 0xbf, 0x80, 0xbf);
      else if (c >= 0xf1 && c <= 0xf3) ok = this.continuation(pending, 0x80, 0xbf, 0x80, 0xbf, 0x80, 0xbf);
      else if (c === 0xf4) ok = this.continuation(pending, 0x80, 0x8f, 0x80, 0xbf, 0x80, 0xbf);
      else {
        this.errorMessage = 'invalid string: ill-formed UTF-8 byte';
        ok = false;
      }
      if (!ok) return Tok.ParseError;
      if (pending.length > 4096) flush();
    }
  }

  private isDigit(c: number): boolean {
    return c >= 48 && c <= 57;
  }

  private scanNumber(): Tok {
    this.reset();
    const begin = this.i - 1;
    let type = Tok.Unsigned;
    let c = this.cur;
    if (c === 0x2d) {
      type = Tok.Integer;
      c = this.get();
      if (!this.isDigit(c)) {
        this.errorMessage = "invalid number; expected digit after '-'";
        return Tok.ParseError;
      }
    }
    // c is the first digit
    if (c !== 0x30) {
      do c = this.get();
      while (this.isDigit(c));
    } else c = this.get();
    if (c === 0x2e) {
      type = Tok.Float;
      c = this.get();
      if (!this.isDigit(c)) {
        this.errorMessage = "invalid number; expected digit after '.'";
        return Tok.ParseError;
      }
      do c = this.get();
      while (this.isDigit(c));
    }
    if (c === 0x65 || c === 0x45) {
      type = Tok.Float;
      c = this.get();
      if (c === 0x2b || c === 0x2d) {
        c = this.get();
        if (!this.isDigit(c)) {
          this.errorMessage = 'invalid number; expected digit after exponent sign';
          return Tok.ParseError;
        }
      } else if (!this.isDigit(c)) {
        this.errorMessage = "invalid number; expected '+', '-', or digit after exponent";
        return Tok.ParseError;
      }
      do c = this.get();
      while (this.isDigit(c));
    }
    this.unget();
    const text = this.s.slice(begin, this.i);
    this.buf = text;
    if (type === Tok.Unsigned) {
      if (text.length <= 15) {
        this.intValue = +text;
        return Tok.Unsigned;
      }
      const b = BigInt(text);
      if (b <= 0xffffffffffffffffn) {
        this.intValue = b;
        return Tok.Unsigned;
      }
    } else if (type === Tok.Integer) {
      if (text.length <= 16) {
        const v = +text;
        this.intValue = v === 0 ? 0 : v;
        return Tok.Integer;
      }
      const b = BigInt(text);
      if (b >= INT64_MIN) {
        this.intValue = normInt(b);
        return Tok.Integer;
      }
    }
    // strtod: JS's conversion is correctly rounded as glibc's is.
    this.floatValue = Number(text);
    return Tok.Float;
  }

  position(): string {
    return ` at line ${this.lines + 1}, column ${this.col}`;
  }
}

function nulError(s: string): NixError {
  return new NixError(
    'eval',
    `input string '${s.replace(/\0/g, '\xe2\x90\x80')}' cannot be represented as Nix string because it contains null bytes`,
  );
}

/**
 * Parse a JSON text (a byte string) as builtins.fromJSON does. Objects are finished
 * bottom-up through `mkObject` (default: the Map itself).
 */
export function parseJSON(text: string): Neutral;
export function parseJSON<O>(text: string, mkObject: MkObject<O>, mkPairs?: MkPairs<O>): Tree<O>;
export function parseJSON<O>(text: string, mkObject?: MkObject<O>, mkPairs?: MkPairs<O>): Tree<O> {
  const mk = (mkObject ?? identityObject) as MkObject<O>;
  const fast = new FastParser(text, mk, mkPairs);
  try {
    return fast.document();
  } catch (e) {
    if (e !== BAIL) throw e;
  }
  return parseExact(text, mk);
}

/**
 * nlohmann's lexer/parser, step by step, for the exact error messages and positions.
 * Only reached when FastParser gave up, i.e. (nearly always) for input with an error.
 */
export function parseExact<O>(text: string, mk: MkObject<O>): Tree<O> {
  const lx = new Lexer(text);
  let last = Tok.Uninitialized as Tok;
  const next = (): Tok => (last = lx.scan());

  const fail = (expected: Tok, context: string): NixError => {
    let msg = 'syntax error ';
    if (context) msg += `while parsing ${context} `;
    msg += '- ';
    if (last === Tok.ParseError) msg += `${lx.errorMessage}; last read: '${lx.tokenString()}'`;
    else msg += `unexpected ${TOKEN_NAMES[last]}`;
    if (expected !== Tok.Uninitialized) msg += `; expected ${TOKEN_NAMES[expected]}`;
    return new NixError(
      'eval',
      `[json.exception.parse_error.101] parse error${lx.position()}: ${msg}`,
      undefined,
      JSON_PARSE_ERROR,
    );
  };

  const key = (): string => {
    if (lx.buf.indexOf('\0') >= 0) throw nulError(lx.buf);
    return lx.buf;
  };

  // The SAX loop, with explicit stacks so that deep nesting cannot overflow ours.
  type Frame = { arr: Tree<O>[] } | { obj: Map<string, Tree<O>>; key: string };
  const stack: Frame[] = [];
  let result: Tree<O> = null;
  let skipToState = false;
  let value: Tree<O> = null;

  next();
  for (;;) {
    if (!skipToState) {
      let have = true;
      switch (last) {
        case Tok.BeginObject: {
          const t = next();
          if (t === Tok.EndObject) {
            value = mk(new Map());
            break;
          }
          if (t !== Tok.String) throw fail(Tok.String, 'object key');
          const k = key();
          if (next() !== Tok.NameSep) throw fail(Tok.NameSep, 'object separator');
          stack.push({ obj: new Map(), key: k });
          next();
          have = false;
          break;
        }
        case Tok.BeginArray: {
          if (next() === Tok.EndArray) {
            value = [];
            break;
          }
          stack.push({ arr: [] });
          have = false;
          break;
        }
        case Tok.Float: {
          if (!Number.isFinite(lx.floatValue)) {
            throw new NixError(
              'eval',
              `[json.exception.out_of_range.406] number overflow parsing '${lx.tokenString()}'`,
              undefined,
              JSON_PARSE_ERROR,
            );
          }
          value = new NixFloat(lx.floatValue);
          break;
        }
        case Tok.False:
          value = false;
          break;
        case Tok.True:
          value = true;
          break;
        case Tok.Null:
          value = null;
          break;
        case Tok.Integer:
          value = lx.intValue;
          break;
        case Tok.Unsigned: {
          const v = lx.intValue;
          if (typeof v === 'bigint' && v > INT64_MAX) {
            throw new NixError('eval', `unsigned json number ${v} outside of Nix integer range`);
          }
          value = typeof v === 'bigint' ? normInt(v) : v;
          break;
        }
        case Tok.String:
          if (lx.buf.indexOf('\0') >= 0) throw nulError(lx.buf);
          value = lx.buf;
          break;
        case Tok.ParseError:
          throw fail(Tok.Uninitialized, 'value');
        case Tok.EndOfInput:
          // nlohmann ≥ 3.11.3 words an empty document specially.
          if (lx.total === 1) {
            throw new NixError(
              'eval',
              '[json.exception.parse_error.101] parse error at line 1, column 1: attempting to parse an empty input; check that your input string or stream contains the expected JSON',
              undefined,
              JSON_PARSE_ERROR,
            );
          }
          throw fail(Tok.LiteralOrValue, 'value');
        default:
          throw fail(Tok.LiteralOrValue, 'value');
      }
      if (!have) continue;
      // Deliver the value to the enclosing container (or the result).
      const top = stack[stack.length - 1];
      if (top === undefined) result = value;
      else if ('arr' in top) top.arr.push(value);
      else top.obj.set(top.key, value);
    } else skipToState = false;

    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if ('arr' in top) {
      if (next() === Tok.ValueSep) {
        next();
        continue;
      }
      if (last === Tok.EndArray) {
        stack.pop();
        deliver(stack, top.arr);
        skipToState = true;
        continue;
      }
      throw fail(Tok.EndArray, 'array');
    }
    if (next() === Tok.ValueSep) {
      if (next() !== Tok.String) throw fail(Tok.String, 'object key');
      top.key = key();
      if (next() !== Tok.NameSep) throw fail(Tok.NameSep, 'object separator');
      next();
      continue;
    }
    if (last === Tok.EndObject) {
      stack.pop();
      deliver(stack, mk(top.obj));
      skipToState = true;
      continue;
    }
    throw fail(Tok.EndObject, 'object');
  }

  function deliver(st: Frame[], v: Tree<O>): void {
    const t = st[st.length - 1];
    if (t === undefined) result = v;
    else if ('arr' in t) t.arr.push(v);
    else t.obj.set(t.key, v);
  }

  if (next() !== Tok.EndOfInput) throw fail(Tok.EndOfInput, 'value');
  return result;
}

// ---------------------------------------------------------------------------------
// Fast path

/** Thrown by FastParser when the input needs the exact parser. */
const BAIL: unique symbol = Symbol('bail');

/** Deeper documents go to the exact parser, whose stack is on the heap. */
const FAST_MAX_DEPTH = 512;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * A plain recursive-descent parser for well-formed documents, which is what
 * `fromJSON` sees nearly always. It keeps none of the lexer bookkeeping nlohmann's
 * messages need (line, column, "last read"): on anything it does not accept — a
 * syntax error, a NUL in a string, an out-of-range integer, a non-finite float, a
 * BOM, very deep nesting — it throws BAIL and the exact parser starts over, so every
 * error (and which error comes first) is the exact parser's. On the documents it does
 * accept, it builds the same tree: same number classification (int / bigint / float),
 * same `\u` decoding to UTF-8, same UTF-8 well-formedness checks, last duplicate key
 * wins, and a NUL byte after the document ends the input.
 */
class FastParser<O> {
  private i = 0;
  /**
   * Scratch space for the elements of the arrays and objects being read; `sp` is its
   * top (the array is never shortened: setting `length` is a runtime call).
   */
  private readonly stack: Tree<O>[] = [];
  private sp = 0;
  private readonly keyCache: (string | undefined)[] = [];

  constructor(
    private readonly s: string,
    private readonly mk: MkObject<O>,
    private readonly mkPairs: MkPairs<O> | undefined,
  ) {}

  document(): Tree<O> {
    const s = this.s;
    if (s.charCodeAt(0) === 0xef) throw BAIL;
    const v = this.value(0);
    this.ws();
    if (this.i < s.length && s.charCodeAt(this.i) !== 0) throw BAIL;
    return v;
  }

  private ws(): number {
    const s = this.s;
    let i = this.i;
    let c = s.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++i);
    this.i = i;
    return c;
  }

  private value(depth: number): Tree<O> {
    const c = this.ws();
    switch (c) {
      case 0x22:
        return this.string();
      case 0x7b:
        return this.object(depth);
      case 0x5b:
        return this.array(depth);
      case 0x74:
        return this.literal('true', true);
      case 0x66:
        return this.literal('false', false);
      case 0x6e:
        return this.literal('null', null);
      default:
        if (c === 0x2d || isDigit(c)) return this.number();
        throw BAIL;
    }
  }

  private literal<T>(text: string, v: T): T {
    if (!this.s.startsWith(text, this.i)) throw BAIL;
    this.i += text.length;
    return v;
  }

  private array(depth: number): Tree<O>[] {
    if (depth >= FAST_MAX_DEPTH) throw BAIL;
    this.i++;
    if (this.ws() === 0x5d) {
      this.i++;
      return [];
    }
    // Elements collect on a shared scratch stack and are copied out once the size is
    // known: an array grown by push carries spare capacity for as long as it lives.
    const stack = this.stack;
    const base = this.sp;
    for (;;) {
      const v = this.value(depth + 1);
      stack[this.sp++] = v;
      const c = this.ws();
      this.i++;
      if (c === 0x2c) continue;
      if (c === 0x5d) break;
      throw BAIL;
    }
    const out = copyOut(stack, base, this.sp);
    this.sp = base;
    return out;
  }

  private object(depth: number): O {
    if (depth >= FAST_MAX_DEPTH) throw BAIL;
    this.i++;
    let c = this.ws();
    if (c === 0x7d) {
      this.i++;
      return this.mk(new Map());
    }
    // Keys and values collect on the scratch stack, alternating, in input order.
    const stack = this.stack;
    const base = this.sp;
    let j = 0;
    for (;;) {
      if (c !== 0x22) throw BAIL;
      const k = this.key(j++);
      if (this.ws() !== 0x3a) throw BAIL;
      this.i++;
      const v = this.value(depth + 1);
      stack[this.sp++] = k;
      stack[this.sp++] = v;
      c = this.ws();
      this.i++;
      if (c === 0x2c) {
        c = this.ws();
        continue;
      }
      if (c === 0x7d) break;
      throw BAIL;
    }
    let r: O;
    const top = this.sp;
    if (this.mkPairs !== undefined) r = this.mkPairs(stack as readonly unknown[] as readonly (string | Tree<O>)[], base, top);
    else {
      const m = new Map<string, Tree<O>>();
      for (let j = base; j < top; j += 2) m.set(stack[j] as string, stack[j + 1]!);
      r = this.mk(m);
    }
    this.sp = base;
    return r;
  }

  /**
   * The `j`th key of an object, at its opening quote. Objects in a document tend to
   * repeat their keys: the last plain key (printable ASCII, no quote or backslash, so
   * its text in the input is itself) seen at each index is reused when the input has
   * it again, which saves the string and makes mkPairs' comparison an identity check.
   */
  private key(j: number): string {
    const cache = this.keyCache;
    const c = cache[j];
    if (c !== undefined) {
      const s = this.s;
      const start = this.i + 1;
      const end = start + c.length;
      if (s.charCodeAt(end) === 0x22 && s.startsWith(c, start)) {
        this.i = end + 1;
        return c;
      }
    }
    const k = this.string();
    if (j < 32 && isPlainKey(k)) cache[j] = k;
    return k;
  }

  /** At the opening quote. Never returns a string containing NUL. */
  private string(): string {
    const s = this.s;
    const n = s.length;
    let j = this.i + 1;
    let runStart = j;
    let out = '';
    for (;;) {
      if (j >= n) throw BAIL;
      const c = s.charCodeAt(j);
      if (c === 0x22) {
        this.i = j + 1;
        return runStart === j ? out : out + s.slice(runStart, j);
      }
      if (c < 0x20) throw BAIL;
      if (c < 0x80) {
        if (c !== 0x5c) {
          j++;
          continue;
        }
        if (j > runStart) out += s.slice(runStart, j);
        const e = s.charCodeAt(j + 1);
        j += 2;
        switch (e) {
          case 0x22:
          case 0x5c:
          case 0x2f:
            out += String.fromCharCode(e);
            break;
          case 0x62:
            out += '\b';
            break;
          case 0x66:
            out += '\f';
            break;
          case 0x6e:
            out += '\n';
            break;
          case 0x72:
            out += '\r';
            break;
          case 0x74:
            out += '\t';
            break;
          case 0x75: {
            let cp = hex4At(s, j);
            j += 4;
            if (cp >= 0xd800 && cp <= 0xdbff) {
              if (s.charCodeAt(j) !== 0x5c || s.charCodeAt(j + 1) !== 0x75) throw BAIL;
              const lo = hex4At(s, j + 2);
              if (lo < 0xdc00 || lo > 0xdfff) throw BAIL;
              j += 6;
              cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
            } else if (cp >= 0xdc00 && cp <= 0xdfff) throw BAIL;
            if (cp === 0) throw BAIL;
            out += utf8Bytes(cp);
            break;
          }
          default:
            throw BAIL;
        }
        runStart = j;
        continue;
      }
      // A UTF-8 sequence: the lead byte decides how many continuation bytes, and the
      // allowed range of the first one (no overlongs, surrogates or > U+10FFFF).
      const lead = utf8Lead(c);
      if (lead < 0) throw BAIL;
      const need = lead & 0xff;
      const lo = (lead >> 8) & 0xff;
      const hi = lead >> 16;
      const d = s.charCodeAt(j + 1);
      if (!(d >= lo && d <= hi)) throw BAIL;
      for (let k = 2; k <= need; k++) {
        const e = s.charCodeAt(j + k);
        if (!(e >= 0x80 && e <= 0xbf)) throw BAIL;
      }
      j += need + 1;
    }
  }

  private number(): Tree<O> {
    const s = this.s;
    const begin = this.i;
    let i = begin;
    const neg = s.charCodeAt(i) === 0x2d;
    if (neg) i++;
    let c = s.charCodeAt(i);
    if (!isDigit(c)) throw BAIL;
    // The integer part's value, exact while it is short enough to be used (see below).
    let v = 0;
    if (c === 0x30) c = s.charCodeAt(++i);
    else {
      do {
        v = v * 10 + (c - 48);
        c = s.charCodeAt(++i);
      } while (isDigit(c));
    }
    let float = false;
    if (c === 0x2e) {
      float = true;
      c = s.charCodeAt(++i);
      if (!isDigit(c)) throw BAIL;
      do c = s.charCodeAt(++i);
      while (isDigit(c));
    }
    if (c === 0x65 || c === 0x45) {
      float = true;
      c = s.charCodeAt(++i);
      if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
      if (!isDigit(c)) throw BAIL;
      do c = s.charCodeAt(++i);
      while (isDigit(c));
    }
    this.i = i;
    const len = i - begin;
    if (!float) {
      // As the exact parser's scanNumber: short tokens are safe integers.
      if (!neg && len <= 15) return v;
      if (neg && len <= 16) return v === 0 ? 0 : -v;
      const b = BigInt(s.slice(begin, i));
      if (neg ? b >= INT64_MIN : b <= INT64_MAX) return normInt(b);
      // Beyond int64: an unsigned one up to 2^64-1 is an error (exact parser's);
      // anything else is a double, as strtod gives it.
      if (!neg && b <= 0xffffffffffffffffn) throw BAIL;
    }
    const f = Number(s.slice(begin, i));
    if (!Number.isFinite(f)) throw BAIL;
    return new NixFloat(f);
  }
}

/**
 * `stack.slice(from, to)`, but short arrays are made by array literals. A document's
 * arrays are nearly all kept (they become Nix lists), and V8 allocates a literal
 * straight in the old generation once most arrays made at that literal have survived
 * (allocation-site pretenuring); arrays from `slice` are always born young and copied
 * by the scavenger twice on their way to the old generation.
 */
export function copyOut<T>(stack: readonly T[], from: number, to: number): T[] {
  switch (to - from) {
    case 1:
      return [stack[from]!];
    case 2:
      return [stack[from]!, stack[from + 1]!];
    case 3:
      return [stack[from]!, stack[from + 1]!, stack[from + 2]!];
    case 4:
      return [stack[from]!, stack[from + 1]!, stack[from + 2]!, stack[from + 3]!];
    default:
      return stack.slice(from, to);
  }
}

/** Whether a key reads the same in JSON source: printable ASCII without `"` or `\`. */
function isPlainKey(k: string): boolean {
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Four hex digits at `j` (-1 makes the caller bail via the range checks). */
function hex4At(s: string, j: number): number {
  let cp = 0;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(j + k);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c >= 97 && c <= 102) d = c - 87;
    else throw BAIL;
    cp = (cp << 4) | d;
  }
  return cp;
}

/** A code point as its UTF-8 bytes (a byte string). */
function utf8Bytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

// ---------------------------------------------------------------------------------
// Output

/**
 * Where a byte string stops being well-formed UTF-8, as nlohmann's strict dump reports
 * it: `null` if valid, else the message (index = the byte at which the decoder fails).
 */
export function utf8Error(s: string): string | null {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    const lead = utf8Lead(c);
    if (lead < 0) return badByte(i, c);
    const need = lead & 0xff;
    const lo = (lead >> 8) & 0xff;
    const hi = lead >> 16;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) {
        return `[json.exception.type_error.316] incomplete UTF-8 string; last byte: 0x${hexByte(s.charCodeAt(n - 1))}`;
      }
      const d = s.charCodeAt(i + k);
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return badByte(i + k, d);
    }
    i += need + 1;
  }
  return null;
}

/**
 * A UTF-8 lead byte: how many continuation bytes follow and the range allowed for the
 * first of them (which rules out overlongs, surrogates and code points past U+10FFFF),
 * packed as `need | lo << 8 | hi << 16`; -1 for a byte that cannot lead.
 */
function utf8Lead(c: number): number {
  if (c >= 0xc2 && c <= 0xdf) return 1 | (0x80 << 8) | (0xbf << 16);
  if (c === 0xe0) return 2 | (0xa0 << 8) | (0xbf << 16);
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return 2 | (0x80 << 8) | (0xbf << 16);
  if (c === 0xed) return 2 | (0x80 << 8) | (0x9f << 16);
  if (c === 0xf0) return 3 | (0x90 << 8) | (0xbf << 16);
  if (c >= 0xf1 && c <= 0xf3) return 3 | (0x80 << 8) | (0xbf << 16);
  if (c === 0xf4) return 3 | (0x80 << 8) | (0x8f << 16);
  return -1;
}

function hexByte(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

function badByte(i: number, b: number): string {
  return `[json.exception.type_error.316] invalid UTF-8 byte at index ${i}: 0x${hexByte(b)}`;
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\x00-\x1f]/;
// eslint-disable-next-line no-control-regex
const ESCAPE_ALL = /["\\\x00-\x1f]/g;

function escapeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 8:
      return '\\b';
    case 9:
      return '\\t';
    case 10:
      return '\\n';
    case 12:
      return '\\f';
    case 13:
      return '\\r';
    default:
      return '\\u' + c.toString(16).padStart(4, '0');
  }
}

/**
 * A byte string as a quoted JSON string, as `builtins.toJSON` prints it. Throws
 * CppNix's `JSON serialization error: …` for ill-formed UTF-8.
 */
export function jsonString(s: string): string {
  // Pure ASCII is always valid; only look for bytes ≥ 0x80 when present.
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      const err = utf8Error(s);
      if (err !== null) throw new NixError('eval', `JSON serialization error: ${err}`);
      break;
    }
  }
  return '"' + (NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, escapeChar) : s) + '"';
}

/** `jsonString` written straight into a ByteWriter (same bytes, same errors). */
export function writeJsonString(w: ByteWriter, s: string): void {
  const n = s.length;
  w.reserve(n + 2);
  let b = w.buf;
  let p = w.len;
  b[p++] = 0x22;
  let checked = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
      if (c >= 0x80 && !checked) {
        const err = utf8Error(s);
        if (err !== null) throw new NixError('eval', `JSON serialization error: ${err}`);
        checked = true;
        w.high = true;
      }
      b[p++] = c;
      continue;
    }
    // An escape is at most 6 bytes; keep room for the rest of the string and the quote.
    w.len = p;
    w.reserve(6 + (n - i));
    b = w.buf;
    p = w.len;
    // The buffer may have been flushed, which clears the flag for the bytes still to come.
    if (checked) w.high = true;
    b[p++] = 0x5c;
    switch (c) {
      case 0x22:
      case 0x5c:
        b[p++] = c;
        break;
      case 8:
        b[p++] = 0x62;
        break;
      case 9:
        b[p++] = 0x74;
        break;
      case 10:
        b[p++] = 0x6e;
        break;
      case 12:
        b[p++] = 0x66;
        break;
      case 13:
        b[p++] = 0x72;
        break;
      default: {
        // \u00XX, lowercase hex
        const hi = c >> 4;
        const lo = c & 15;
        b[p++] = 0x75;
        b[p++] = 0x30;
        b[p++] = 0x30;
        b[p++] = 48 + hi;
        b[p++] = lo < 10 ? 48 + lo : 87 + lo;
      }
    }
  }
  b[p++] = 0x22;
  w.len = p;
}
