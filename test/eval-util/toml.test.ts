import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTOML } from '../../src/eval/util/toml.js';
import { formatFloatG } from '../../src/eval/util/float.js';
import { NixFloat } from '../../src/eval/value.js';
import { NixError } from '../../src/diag/diagnostic.js';
import type { Neutral } from '../../src/eval/util/neutral.js';
import { readFileSync } from 'node:fs';

const LANG = '/work/ext/nix/tests/functional/lang';
const haveLang = (() => {
  try {
    readFileSync(`${LANG}/eval-okay-fromTOML.nix`);
    return true;
  } catch {
    return false;
  }
})();

/** Enough of printAmbiguous for the .exp files (identifiers quoted when needed). */
function show(v: Neutral): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof NixFloat) return formatFloatG(v.v);
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return v.length === 0 ? '[ ]' : '[ ' + v.map(show).join(' ') + ' ]';
  const keys = [...v.keys()].sort();
  if (keys.length === 0) return '{ }';
  return '{ ' + keys.map((k) => `${ident(k)} = ${show(v.get(k)!)};`).join(' ') + ' }';
}
function str(s: string): string {
  return '"' + s.replace(/[\\"\n\r\t]|\$\{/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? '\\${') + '"';
}
function ident(k: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_'-]*$/.test(k) && !['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or'].includes(k) ? k : str(k);
}

/** The indented-string arguments of `builtins.fromTOML ''…''` calls in a test file. */
function tomlArgs(nix: string): string[] {
  const out: string[] = [];
  const open = "fromTOML ''";
  let at = 0;
  for (;;) {
    const k = nix.indexOf(open, at);
    if (k < 0) return out;
    let i = k + open.length;
    let body = '';
    for (;;) {
      if (nix.startsWith("'''", i)) {
        body += "''";
        i += 3;
      } else if (nix.startsWith("''$", i)) {
        body += '$';
        i += 3;
      } else if (nix.startsWith("''\\", i)) {
        const c = nix[i + 3]!;
        body += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
        i += 4;
      } else if (nix.startsWith("''", i)) {
        i += 2;
        break;
      } else body += nix[i++];
    }
    at = i;
    // Strip the common indentation as Nix indented strings do (enough for these files).
    const lines = body.replace(/^ *\n/, '').split('\n');
    const ind = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
    let s = lines.map((l) => l.slice(Math.min(ind, l.match(/^ */)![0].length))).join('\n');
    s = s.replace(/\n *$/, '\n');
    out.push(s);
  }
}

const bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** The error thrown, with the message's trailing ANSI reset (a rendering detail) removed. */
function errorOf(f: () => unknown): { message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof NixError) return { message: e.message.replace(/\x1b\[0m$/, '') };
    throw e;
  }
  assert.fail('expected an error');
}

test('basic values', () => {
  assert.deepEqual(parseTOML('x=1\ns="a"\n[table]\ny=2\n'), new Map<string, Neutral>([['x', 1], ['s', 'a'], ['table', new Map([['y', 2]])]]));
  assert.deepEqual(parseTOML('a = 1.0\nb = 9223372036854775807\nc = -9223372036854775808'), new Map<string, Neutral>([['a', new NixFloat(1)], ['b', 9223372036854775807n], ['c', -9223372036854775808n]]));
  assert.deepEqual(parseTOML('s = "Jos\\u00E9 \\U0001F600"'), new Map([['s', bytes('José 😀')]]));
  assert.deepEqual(parseTOML(bytes('"ʎǝʞ" = "日本"')), new Map([[bytes('ʎǝʞ'), bytes('日本')]]));
  const inf = parseTOML('a = inf\nb = -inf\nc = nan') as Map<string, NixFloat>;
  assert.equal(inf.get('a')!.v, Infinity);
  assert.equal(inf.get('b')!.v, -Infinity);
  assert.ok(Number.isNaN(inf.get('c')!.v));
});

test('CppNix error messages (eval-fail-fromTOML-*)', () => {
  assert.equal(
    errorOf(() => parseTOML('attr = 9223372036854775808')).message,
    'while parsing TOML: [error] toml::parse_dec_integer: too large integer: current max digits = 2^63\n --> fromTOML\n   |\n 1 | attr = 9223372036854775808\n   |                           ^-- must be < 2^63\n',
  );
  assert.equal(
    errorOf(() => parseTOML('attr = -9223372036854775809')).message,
    'while parsing TOML: [error] toml::parse_dec_integer: too large integer: current max digits = 2^63\n --> fromTOML\n   |\n 1 | attr = -9223372036854775809\n   |                            ^-- must be < 2^63\n',
  );
  const nul = "while parsing TOML: error: input string 'a\xe2\x90\x80b' cannot be represented as Nix string because it contains null bytes";
  assert.equal(errorOf(() => parseTOML('"a\\u0000b" = 1')).message, nul);
  assert.equal(errorOf(() => parseTOML('k = "a\\u0000b"')).message, nul);
  assert.equal(errorOf(() => parseTOML('d = 1979-05-27')).message, 'while parsing TOML: Dates and times are not supported');
  assert.match(errorOf(() => parseTOML('a = ')).message, /^while parsing TOML: \[error\] /);
  assert.match(errorOf(() => parseTOML('t = 07:32', { timestamps: true })).message, /^while parsing TOML: /);
  assert.match(errorOf(() => parseTOML('t = 1979-02-30', { timestamps: true })).message, /^while parsing TOML: /);
});

test('timestamps', () => {
  const r = parseTOML('a = 1979-05-27 07:32:00.1234567891z\nb = 00:32:00.000\nc = 1979-05-27T00:32:00+00:00\nd = 2000-02-29', { timestamps: true }) as Map<string, Map<string, string>>;
  assert.equal(r.get('a')!.get('value'), '1979-05-27T07:32:00.123456789Z');
  assert.equal(r.get('a')!.get('_type'), 'timestamp');
  assert.equal(r.get('b')!.get('value'), '00:32:00');
  assert.equal(r.get('c')!.get('value'), '1979-05-27T00:32:00Z');
  assert.equal(r.get('d')!.get('value'), '2000-02-29');
});

test('eval-okay-fromTOML and eval-okay-fromTOML-timestamps', { skip: !haveLang }, () => {
  const plain = tomlArgs(readFileSync(`${LANG}/eval-okay-fromTOML.nix`, 'latin1'));
  assert.equal('[ ' + plain.map((t) => show(parseTOML(t))).join(' ') + ' ]', readFileSync(`${LANG}/eval-okay-fromTOML.exp`, 'latin1').trim());
  const ts = tomlArgs(readFileSync(`${LANG}/eval-okay-fromTOML-timestamps.nix`, 'latin1'));
  assert.equal(ts.length, 1);
  assert.equal(show(parseTOML(ts[0]!, { timestamps: true })), readFileSync(`${LANG}/eval-okay-fromTOML-timestamps.exp`, 'latin1').trim());
  const failing = tomlArgs(readFileSync(`${LANG}/eval-fail-fromTOML-timestamps.nix`, 'latin1'));
  assert.equal(errorOf(() => parseTOML(failing[0]!)).message, 'while parsing TOML: Dates and times are not supported');
});
