import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Int,
  INT64_MAX,
  INT64_MIN,
  intAdd,
  intSub,
  intMul,
  intDiv,
  intNeg,
  intBitAnd,
  intBitOr,
  intBitXor,
  intCompare,
  intToString,
  decimal,
  intToFloat,
  parseInt64,
  floatToInt,
  intFloorCeil,
  normInt,
} from '../../src/eval/util/int64.js';
import { NixError } from '../../src/diag/diagnostic.js';

function throwsMsg(f: () => unknown, msg: string): void {
  assert.throws(f, (e: unknown) => e instanceof NixError && e.kind === 'eval' && e.message === msg);
}

function isNormal(v: Int): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0);
  return v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER);
}

test('overflow messages as in eval-fail-overflowing-*.err.exp', () => {
  throwsMsg(() => intAdd(normInt(INT64_MAX), 1), 'integer overflow in adding 9223372036854775807 + 1');
  throwsMsg(() => intSub(normInt(-9223372036854775807n), 2), 'integer overflow in subtracting -9223372036854775807 - 2');
  throwsMsg(() => intMul(4294967297, 4294967297), 'integer overflow in multiplying 4294967297 * 4294967297');
  throwsMsg(() => intDiv(normInt(INT64_MIN), -1), 'integer overflow in dividing -9223372036854775808 / -1');
  throwsMsg(() => intDiv(1, 0), 'division by zero');
  throwsMsg(() => intDiv(normInt(INT64_MIN), 0), 'division by zero');
  throwsMsg(() => intNeg(normInt(INT64_MIN)), 'integer overflow in subtracting 0 - -9223372036854775808');
});

test('results are normalised', () => {
  assert.equal(intAdd(2 ** 52, 2 ** 52), 2n ** 53n);
  assert.equal(intSub(2n ** 53n, 1), 2 ** 53 - 1);
  assert.equal(intMul(0, -5), 0);
  assert.ok(!Object.is(intMul(0, -5), -0));
  assert.ok(!Object.is(intDiv(-1, 5), -0));
  assert.equal(intDiv(-7, 2), -3);
  assert.equal(intDiv(7, -2), -3);
  assert.equal(intDiv(normInt(INT64_MIN), 2), -4611686018427387904n);
  assert.equal(intDiv(2n ** 60n, 2n ** 58n), 4);
  assert.equal(intMul(3037000499, 3037000499), 9223372030926249001n);
  assert.equal(intAdd(normInt(INT64_MIN), normInt(INT64_MAX)), -1);
});

test('random arithmetic agrees with a BigInt reference', () => {
  let seed = 0x9e3779b9;
  const rnd32 = (): number => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed;
  };
  const pick = (): bigint => {
    switch (rnd32() % 5) {
      case 0:
        return BigInt((rnd32() % 2001) - 1000);
      case 1:
        return BigInt.asIntN(64, (BigInt(rnd32()) << 32n) | BigInt(rnd32()));
      case 2:
        return BigInt.asIntN(54, (BigInt(rnd32()) << 32n) | BigInt(rnd32()));
      case 3:
        return BigInt.asIntN(33, (BigInt(rnd32()) << 32n) | BigInt(rnd32()));
      default:
        return [INT64_MAX, INT64_MIN, 2n ** 53n, -(2n ** 53n), 2n ** 53n - 1n, 1n - 2n ** 53n, 2n ** 31n, -(2n ** 31n), 0n][rnd32() % 9]!;
    }
  };
  const ops: [string, (a: Int, b: Int) => Int, (a: bigint, b: bigint) => bigint | null][] = [
    ['+', intAdd, (a, b) => a + b],
    ['-', intSub, (a, b) => a - b],
    ['*', intMul, (a, b) => a * b],
    ['/', intDiv, (a, b) => (b === 0n ? null : a / b)],
    ['&', intBitAnd, (a, b) => a & b],
    ['|', intBitOr, (a, b) => a | b],
    ['^', intBitXor, (a, b) => a ^ b],
  ];
  for (let i = 0; i < 20000; i++) {
    const a = pick();
    const b = pick();
    const na = normInt(a);
    const nb = normInt(b);
    for (const [name, f, ref] of ops) {
      const r = ref(a, b);
      if (r === null || r > INT64_MAX || r < INT64_MIN) {
        assert.throws(() => f(na, nb), NixError, `${a} ${name} ${b}`);
      } else {
        const got = f(na, nb);
        assert.ok(isNormal(got), `${a} ${name} ${b} not normal: ${String(got)}`);
        assert.equal(BigInt(got), r, `${a} ${name} ${b}`);
      }
    }
    assert.equal(intCompare(na, nb), a < b ? -1 : a > b ? 1 : 0);
  }
});

test('parse and print', () => {
  assert.equal(parseInt64('0'), 0);
  assert.equal(parseInt64('-0'), 0);
  assert.ok(!Object.is(parseInt64('-0'), -0));
  assert.equal(parseInt64('9223372036854775807'), INT64_MAX);
  assert.equal(parseInt64('-9223372036854775808'), INT64_MIN);
  assert.equal(parseInt64('9223372036854775808'), undefined);
  assert.equal(parseInt64('-9223372036854775809'), undefined);
  assert.equal(parseInt64('9007199254740991'), 9007199254740991);
  assert.equal(parseInt64('9007199254740992'), 9007199254740992n);
  assert.equal(parseInt64('00000000000000000000042'), 42);
  assert.equal(parseInt64('+5'), 5);
  assert.equal(parseInt64(''), undefined);
  assert.equal(parseInt64('-'), undefined);
  assert.equal(parseInt64('1e5'), undefined);
  assert.equal(parseInt64(' 1'), undefined);
  assert.equal(intToString(INT64_MIN), '-9223372036854775808');
  assert.equal(intToString(-5), '-5');
  assert.equal(intToFloat(INT64_MAX), 9223372036854775808);
  assert.equal(intToFloat(2n ** 53n + 1n), 2 ** 53); // ties to even
  assert.equal(intToFloat(2n ** 53n + 3n), 2 ** 53 + 4);
});

test('floor and ceil (eval-okay-floor-ceil, prim_floor/prim_ceil)', () => {
  assert.equal(floatToInt(23.5, 'floor'), 23);
  assert.equal(floatToInt(23.5, 'ceil'), 24);
  assert.equal(floatToInt(-23.5, 'floor'), -24);
  assert.equal(floatToInt(-0.5, 'ceil'), 0);
  assert.ok(!Object.is(floatToInt(-0.5, 'ceil'), -0));
  assert.equal(floatToInt(-9223372036854775808, 'floor'), INT64_MIN);
  assert.equal(floatToInt(9223372036854774784, 'floor'), 9223372036854774784n);
  throwsMsg(() => floatToInt(9223372036854775808, 'floor'), 'NixFloat argument 9.22337e+18 is not in the range of NixInt');
  throwsMsg(() => floatToInt(1e30, 'ceil'), 'NixFloat argument 1e+30 is not in the range of NixInt');
  throwsMsg(() => floatToInt(NaN, 'ceil'), 'NixFloat argument nan is not in the range of NixInt');
  throwsMsg(() => floatToInt(-Infinity, 'floor'), 'NixFloat argument -inf is not in the range of NixInt');
  assert.equal(intFloorCeil(23), 23);
  assert.equal(intFloorCeil(2n ** 60n), 2n ** 60n);
  throwsMsg(
    () => intFloorCeil(INT64_MAX),
    'Due to a bug (see https://github.com/NixOS/nix/issues/12899) the NixInt argument 9223372036854775807 caused undefined behavior in previous Nix versions.\n\tFuture Nix versions might implement the correct behavior.',
  );
  throwsMsg(
    () => intFloorCeil(2n ** 60n + 1n),
    'Due to a bug (see https://github.com/NixOS/nix/issues/12899) a loss of precision occurred in previous Nix versions because the NixInt argument 1152921504606846977 was rounded to 1152921504606846976.\n\tFuture Nix versions might implement the correct behavior.',
  );
});

test('decimal is String for every safe integer form it builds from pieces', () => {
  // Every value below 2000, each piece boundary, and a spread up to and past 1e9.
  const vs: number[] = [];
  for (let v = 0; v < 2000; v++) vs.push(v);
  for (const b of [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]) for (let d = -3; d <= 3; d++) vs.push(b + d);
  for (let v = 0; v < 2e9; v += 999_983) vs.push(v);
  vs.push(-1, -999, -1000, -1e9, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1));
  for (const v of vs) assert.equal(decimal(v), String(v), String(v));
});
