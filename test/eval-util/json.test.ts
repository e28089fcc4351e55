import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJSON, jsonString, utf8Error, JSON_PARSE_ERROR } from '../../src/eval/util/json.js';
import { NixFloat } from '../../src/eval/value.js';
import { NixError } from '../../src/diag/diagnostic.js';
import type { Neutral } from '../../src/eval/util/neutral.js';
import { fixtureLines } from './helpers.js';

const unhex = (h: string): string => Buffer.from(h, 'hex').toString('latin1');

/** Decode the oracle's compact tree (see oracle/json-oracle.cc); duplicate keys: last wins. */
function decodeTree(s: string): Neutral {
  let i = 0;
  const upto = (c: string): string => {
    const j = s.indexOf(c, i);
    const r = s.slice(i, j);
    i = j + 1;
    return r;
  };
  const val = (): Neutral => {
    const c = s[i++];
    switch (c) {
      case 'n':
        return null;
      case 't':
        return true;
      case 'f':
        return false;
      case 'i': {
        const b = BigInt(upto(';'));
        return b >= -BigInt(Number.MAX_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
      }
      case 'd': {
        const dv = new DataView(new ArrayBuffer(8));
        dv.setBigUint64(0, BigInt('0x' + upto(';')));
        return new NixFloat(dv.getFloat64(0));
      }
      case 's':
        return unhex(upto(';'));
      case '[': {
        const a: Neutral[] = [];
        while (s[i] !== ']') a.push(val());
        i++;
        return a;
      }
      case '{': {
        const m = new Map<string, Neutral>();
        while (s[i] !== '}') {
          const k = val() as string;
          m.set(k, val());
        }
        i++;
        return m;
      }
      default:
        throw new Error('bad oracle tree at ' + i + ': ' + s);
    }
  };
  return val();
}

function errorOf(f: () => unknown): NixError {
  try {
    f();
  } catch (e) {
    if (e instanceof NixError) return e;
    throw e;
  }
  assert.fail('expected an error');
}

test('fromJSON: basic values', () => {
  assert.deepEqual(parseJSON('{"x": [1, 2, 3], "y": null}'), new Map<string, Neutral>([['x', [1, 2, 3]], ['y', null]]));
  assert.deepEqual(parseJSON('{"a": 1, "a": 2}'), new Map([['a', 2]]));
  assert.deepEqual(parseJSON('1.5'), new NixFloat(1.5));
  assert.deepEqual(parseJSON('1'), 1);
  assert.deepEqual(parseJSON('9223372036854775807'), 9223372036854775807n);
  assert.deepEqual(parseJSON('-9223372036854775808'), -9223372036854775808n);
  assert.deepEqual(parseJSON('-9223372036854775809'), new NixFloat(-9223372036854775808));
  assert.deepEqual(parseJSON('18446744073709551616'), new NixFloat(18446744073709551616));
  assert.deepEqual(parseJSON('-0'), 0);
  assert.ok(Object.is((parseJSON('-0.0') as NixFloat).v, -0));
  assert.deepEqual(parseJSON('"\\ud83d\\ude00"'), '\xf0\x9f\x98\x80');
  assert.deepEqual(parseJSON('"é"'.replace('é', '\xc3\xa9')), '\xc3\xa9');
  assert.deepEqual(parseJSON('[1]\0 trailing'), [1]);
});

test('fromJSON: object hook', () => {
  const r = parseJSON('[{"a": {"b": 1}}]', (m) => ({ wrapped: m }));
  assert.deepEqual(r, [{ wrapped: new Map([['a', { wrapped: new Map([['b', 1]]) }]]) }]);
});

test('fromJSON: CppNix error messages (eval-fail-fromJSON-*)', () => {
  let e = errorOf(() => parseJSON('{"attr": 18446744073709551615}'));
  assert.equal(e.message, 'unsigned json number 18446744073709551615 outside of Nix integer range');
  assert.notEqual(e.diag.code, JSON_PARSE_ERROR);
  e = errorOf(() => parseJSON('{"a\\u0000b": 1}'));
  assert.equal(e.message, "input string 'a\xe2\x90\x80b' cannot be represented as Nix string because it contains null bytes");
  e = errorOf(() => parseJSON('"a\\u0000b"'));
  assert.equal(e.message, "input string 'a\xe2\x90\x80b' cannot be represented as Nix string because it contains null bytes");
  e = errorOf(() => parseJSON('[tru]'));
  assert.equal(
    e.message,
    "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while parsing value - invalid literal; last read: '[tru]'",
  );
  assert.equal(e.diag.code, JSON_PARSE_ERROR);
  e = errorOf(() => parseJSON('[1e400]'));
  assert.equal(e.message, "[json.exception.out_of_range.406] number overflow parsing '1e400'");
});

test('fromJSON agrees with nlohmann + json-to-value.cc (fixtures/json.tsv)', () => {
  let n = 0;
  for (const line of fixtureLines('json.tsv')) {
    const [cmd, expected] = line.split('\t') as [string, string];
    const input = unhex(cmd.slice(2));
    if (cmd[0] !== 'P') continue;
    n++;
    if (expected[0] === 'E') {
      const e = errorOf(() => parseJSON(input));
      assert.equal(e.message, unhex(expected.slice(1)), JSON.stringify(input));
    } else {
      let got: Neutral;
      try {
        got = parseJSON(input);
      } catch (err) {
        assert.fail(`${JSON.stringify(input)}: unexpected ${String(err)}`);
      }
      assert.deepEqual(got, decodeTree(expected), JSON.stringify(input));
    }
  }
  assert.ok(n > 5000);
});

test('toJSON strings agree with nlohmann dump (fixtures/json.tsv)', () => {
  let n = 0;
  for (const line of fixtureLines('json.tsv')) {
    const [cmd, expected] = line.split('\t') as [string, string];
    if (cmd[0] !== 'D') continue;
    n++;
    const input = unhex(cmd.slice(2));
    if (expected[0] === 'E') {
      const e = errorOf(() => jsonString(input));
      assert.equal(e.message, 'JSON serialization error: ' + unhex(expected.slice(1)), JSON.stringify(input));
      assert.equal(utf8Error(input), unhex(expected.slice(1)));
    } else {
      assert.equal(jsonString(input), unhex(expected.slice(1)), JSON.stringify(input));
      assert.equal(utf8Error(input), null);
    }
  }
  assert.ok(n > 1000);
});

test('jsonString: eval-fail-toJSON-non-utf-8', () => {
  const e = errorOf(() => jsonString('_invalid UTF-8: \xff_'));
  assert.equal(e.message, 'JSON serialization error: [json.exception.type_error.316] invalid UTF-8 byte at index 16: 0xFF');
  assert.equal(jsonString('a\x7f\x1f\n'), '"a\x7f\\u001f\\n"');
});
