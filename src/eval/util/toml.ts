/**
 * builtins.fromTOML on top of smol-toml, shaped to CppNix 2.36 (toml11 v4, TOML 1.0).
 *
 * smol-toml does the parsing; this module adapts its output and fills the gaps:
 *   - Input is a Nix byte string. It is decoded as UTF-8 (ill-formed input is an
 *     error, as in toml11) so that smol-toml sees characters, and every key and string
 *     of the result is encoded back to a byte string — `\u00E9` must become the two
 *     bytes of `é`, not one byte 0xE9.
 *   - Integers are requested as BigInt so that `1` and `1.0` stay distinct (Nix int vs
 *     float), then checked against int64 with toml11's message, whose source excerpt
 *     needs the literal's position: smol-toml does not report it, so the literal is
 *     searched for in the text (first decimal token with that value).
 *   - Dates and times are an error (`Dates and times are not supported`) unless the
 *     caller enables timestamps (CppNix's `parse-toml-timestamps` feature), in which
 *     case they become `{ _type = "timestamp"; value = "…"; }` with CppNix's
 *     normalised text: `T` delimiter, seconds always shown, fraction cut to 0/3/6/9
 *     digits by the highest non-zero milli/micro/nano group, `Z` for a zero offset.
 *     smol-toml's legacy TomlDate keeps only milliseconds and accepts invalid dates,
 *     so the parse always runs smol-toml's Temporal code path with a tiny stand-in for
 *     the global `Temporal` that validates the literal and keeps its text (installed
 *     only for the duration of the synchronous parse call). TOML 1.0 requires seconds;
 *     smol-toml (TOML 1.1) does not, so a missing seconds field is rejected there.
 *   - Keys and strings containing NUL are CppNix's `input string '…' cannot be
 *     represented as Nix string because it contains null bytes` (prefixed, as in CppNix,
 *     with `while parsing TOML: error: `).
 * All errors read `while parsing TOML: …`. For malformed documents the text after that
 * prefix is smol-toml's description, not toml11's (which quotes the source with its own
 * layout); only the integer range error reproduces toml11 exactly.
 *
 * Known divergences: smol-toml implements TOML 1.1, so a few 1.1-only forms that
 * toml11 rejects are accepted (newlines and trailing commas in inline tables, `\e` and
 * `\xHH` escapes, non-ASCII bare keys); `-nan` loses its sign.
 */

import { parse as tomlParse, TomlError } from 'smol-toml';
import { NixError } from '../../diag/diagnostic.js';
import { NixFloat } from '../value.js';
import { INT64_MAX, INT64_MIN, normInt } from './int64.js';
import { identityObject, type MkObject, type Neutral, type Tree } from './neutral.js';

export interface TomlOptions {
  /** CppNix's experimental `parse-toml-timestamps`. */
  timestamps?: boolean;
}

function tomlError(msg: string): NixError {
  // CppNix formats the parser's text as a HintFmt argument, which ends in an ANSI
  // reset: trailing newlines of the text then survive as an (indented) empty line.
  return new NixError('eval', `while parsing TOML: ${msg}${msg.endsWith('\n') ? '\x1b[0m' : ''}`);
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function toBytes(s: string): string {
  // ASCII needs no work; anything else goes through UTF-8.
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      const b = encoder.encode(s);
      let out = '';
      for (let k = 0; k < b.length; k += 0x8000) {
        out += String.fromCharCode.apply(null, b.subarray(k, k + 0x8000) as unknown as number[]);
      }
      return out;
    }
  }
  return s;
}

function fromBytes(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      const b = new Uint8Array(s.length);
      for (let k = 0; k < s.length; k++) b[k] = s.charCodeAt(k);
      try {
        return decoder.decode(b);
      } catch {
        throw tomlError('[error] toml::parse: invalid UTF-8 in input');
      }
    }
  }
  return s;
}

function checkNoNul(s: string): void {
  if (s.indexOf('\0') >= 0) {
    throw tomlError(
      `error: input string '${s.replace(/\0/g, '\xe2\x90\x80')}' cannot be represented as Nix string because it contains null bytes`,
    );
  }
}

// ---------------------------------------------------------------------------------
// Timestamps

/** A date/time literal kept verbatim (already validated and normalised). */
class TomlTimestamp {
  constructor(readonly text: string) {}
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function leap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function normDate(y: string, m: string, d: string): string {
  const mi = +m;
  const di = +d;
  const max = mi === 2 && leap(+y) ? 29 : DAYS[mi - 1];
  if (mi < 1 || mi > 12 || max === undefined || di < 1 || di > max) throw new Error('invalid date');
  return `${y}-${m}-${d}`;
}

function normTime(h: string, mi: string, s: string | undefined, frac: string | undefined): string {
  if (s === undefined) throw new Error('invalid time: TOML 1.0 requires seconds');
  if (+h > 23 || +mi > 59 || +s > 60) throw new Error('invalid time');
  let out = `${h}:${mi}:${s}`;
  if (frac !== undefined) {
    const d = (frac + '000000000').slice(0, 9);
    const ms = d.slice(0, 3);
    const us = d.slice(3, 6);
    const ns = d.slice(6, 9);
    if (ns !== '000') out += '.' + d;
    else if (us !== '000') out += '.' + d.slice(0, 6);
    else if (ms !== '000') out += '.' + ms;
  }
  return out;
}

function normOffset(o: string): string {
  if (o === 'Z' || o === 'z') return 'Z';
  const h = +o.slice(1, 3);
  const m = +o.slice(4, 6);
  if (h > 23 || m > 59) throw new Error('invalid offset');
  if (h === 0 && m === 0) return 'Z';
  return o.slice(0, 6);
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|z|[+-]\d{2}:\d{2})?(?:\[[^\]]*\])?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

function stamp(kind: 1 | 2 | 3 | 4, s: string): TomlTimestamp {
  if (kind === 3) {
    const m = DATE_RE.exec(s);
    if (!m) throw new Error('invalid date');
    return new TomlTimestamp(normDate(m[1]!, m[2]!, m[3]!));
  }
  if (kind === 4) {
    const m = TIME_RE.exec(s);
    if (!m) throw new Error('invalid time');
    return new TomlTimestamp(normTime(m[1]!, m[2]!, m[3], m[4]));
  }
  const m = DATETIME_RE.exec(s);
  if (!m) throw new Error('invalid date-time');
  let text = normDate(m[1]!, m[2]!, m[3]!) + 'T' + normTime(m[4]!, m[5]!, m[6], m[7]);
  if (kind === 1) {
    if (m[8] === undefined) throw new Error('invalid date-time');
    text += normOffset(m[8]);
  }
  return new TomlTimestamp(text);
}

/** The subset of the Temporal API that smol-toml's parser calls. */
const temporalStandIn = {
  ZonedDateTime: { from: (s: string) => stamp(1, s) },
  PlainDateTime: { from: (s: string) => stamp(2, s) },
  PlainDate: { from: (s: string) => stamp(3, s) },
  PlainTime: { from: (s: string) => stamp(4, s) },
};

function parseWithStandIn(text: string): unknown {
  const g = globalThis as { Temporal?: unknown };
  const had = Object.prototype.hasOwnProperty.call(g, 'Temporal');
  const saved = g.Temporal;
  g.Temporal = temporalStandIn;
  try {
    return tomlParse(text, { integersAsBigInt: true, useLegacyDate: false });
  } finally {
    if (had) g.Temporal = saved;
    else delete g.Temporal;
  }
}

// ---------------------------------------------------------------------------------
// Integer range errors

function rangeError(src: string, value: bigint): NixError {
  // Locate the literal for toml11's excerpt: a decimal token (underscores allowed)
  // with this value, not glued to other word characters.
  const re = /[+-]?[0-9][0-9_]*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    const before = m.index > 0 ? src[m.index - 1]! : ' ';
    const after = src[m.index + m[0].length] ?? ' ';
    if (/[A-Za-z0-9_.:-]/.test(before) || /[A-Za-z0-9_.:]/.test(after)) continue;
    let v: bigint;
    try {
      v = BigInt(m[0].replace(/_/g, ''));
    } catch {
      continue;
    }
    if (v !== value) continue;
    const lineStart = src.lastIndexOf('\n', m.index) + 1;
    let lineEnd = src.indexOf('\n', m.index);
    if (lineEnd < 0) lineEnd = src.length;
    const lineNo = String(src.slice(0, lineStart).split('\n').length);
    const line = src.slice(lineStart, lineEnd).replace(/\r$/, '');
    const col = m.index + m[0].length - lineStart;
    const pad = ' '.repeat(lineNo.length);
    return tomlError(
      '[error] toml::parse_dec_integer: too large integer: current max digits = 2^63\n' +
        ' --> fromTOML\n' +
        ` ${pad} |\n` +
        ` ${lineNo} | ${toBytes(line)}\n` +
        ` ${pad} | ${' '.repeat(col)}^-- must be < 2^63\n`,
    );
  }
  return tomlError('[error] toml::parse_integer: too large integer: current max digits = 2^63');
}

// ---------------------------------------------------------------------------------

/** Parse a TOML document (a byte string) as builtins.fromTOML. */
export function parseTOML(text: string, options?: TomlOptions): Neutral;
export function parseTOML<O>(text: string, mkObject: MkObject<O>, options?: TomlOptions): Tree<O>;
export function parseTOML<O>(
  text: string,
  a?: MkObject<O> | TomlOptions,
  b?: TomlOptions,
): Tree<O> {
  const mk = (typeof a === 'function' ? a : identityObject) as MkObject<O>;
  const opts = (typeof a === 'function' ? b : a) ?? {};
  let src = fromBytes(text);
  if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);

  let doc: unknown;
  try {
    doc = parseWithStandIn(src);
  } catch (e) {
    if (e instanceof TomlError) {
      throw tomlError(`[error] ${toBytes(e.message.split('\n')[0] ?? '')}`);
    }
    throw e;
  }

  const convert = (v: unknown): Tree<O> => {
    switch (typeof v) {
      case 'string':
        checkNoNul(v);
        return toBytes(v);
      case 'bigint':
        if (v > INT64_MAX || v < INT64_MIN) throw rangeError(src, v);
        return normInt(v);
      case 'number':
        return new NixFloat(v);
      case 'boolean':
        return v;
      case 'object': {
        if (v === null) return null;
        if (Array.isArray(v)) return v.map(convert);
        if (v instanceof TomlTimestamp) {
          if (!opts.timestamps) throw tomlError('Dates and times are not supported');
          return timestampAttrs(v.text);
        }
        const m = new Map<string, Tree<O>>();
        for (const k of Object.keys(v)) {
          checkNoNul(k);
          m.set(toBytes(k), convert((v as Record<string, unknown>)[k]));
        }
        return mk(m);
      }
      default:
        throw tomlError('unsupported value');
    }
  };
  const timestampAttrs = (s: string): O =>
    mk(
      new Map<string, Tree<O>>([
        ['_type', 'timestamp'],
        ['value', s],
      ]),
    );
  return convert(doc);
}
