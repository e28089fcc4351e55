/**
 * Nix integers: signed 64-bit with checked overflow (CppNix ≥ 2.25).
 *
 * Representation (see value.ts): a JS `number` while the value is a safe integer
 * (|n| ≤ 2^53 − 1), a `bigint` otherwise — always normalised, so that `typeof v ===
 * 'number'` is the common fast case and two equal ints always have the same JS type.
 * Nothing here ever returns `-0`.
 *
 * Every operation first tries plain double arithmetic on two numbers. That is exact
 * whenever the result is itself a safe integer: an inexact sum/product/quotient of safe
 * integers can only round to a value of magnitude ≥ 2^53 (for `/`, truncating the
 * rounded quotient is exact because |a| < 2^53, see `div`). Only results outside the
 * safe range take the BigInt path, where the int64 range check happens and CppNix's
 * messages (`integer overflow in adding 9223372036854775807 + 1`) are produced.
 *
 * floor/ceil mirror prim_floor/prim_ceil: a float result outside [-2^63, 2^63) is an
 * error, and an int argument that does not survive the round trip through double gets
 * CppNix's "Due to a bug …" errors (issue 12899) instead of silently changing.
 */

import { NixError } from '../../diag/diagnostic.js';
import { formatFloatG } from './float.js';

export type Int = number | bigint;

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
const TWO63 = 9223372036854775808; // 2^63 as a double (exact)

/** Normalise a bigint known to be in int64 range. */
export function normInt(b: bigint): Int {
  return b >= MIN_SAFE && b <= MAX_SAFE ? Number(b) : b;
}

/** A bigint result that still has to be range-checked. */
function checked(r: bigint, op: string, sym: string, a: Int, b: Int): Int {
  if (r > INT64_MAX || r < INT64_MIN) throw overflow(op, sym, a, b);
  return normInt(r);
}

function overflow(op: string, sym: string, a: Int, b: Int): NixError {
  return new NixError('eval', `integer overflow in ${op} ${String(a)} ${sym} ${String(b)}`);
}

export function isInt(v: unknown): v is Int {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function intAdd(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return checked(BigInt(a) + BigInt(b), 'adding', '+', a, b);
}

export function intSub(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return checked(BigInt(a) - BigInt(b), 'subtracting', '-', a, b);
}

export function intMul(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return checked(BigInt(a) * BigInt(b), 'multiplying', '*', a, b);
}

/** Integer division truncating toward zero; `division by zero` as CppNix's prim_div. */
export function intDiv(a: Int, b: Int): Int {
  if (b === 0 || b === 0n) throw new NixError('eval', 'division by zero');
  if (typeof a === 'number' && typeof b === 'number') {
    // |a| < 2^53 makes fl(a/b) never reach the next integer, so trunc is exact.
    const r = Math.trunc(a / b);
    return r === 0 ? 0 : r;
  }
  // BigInt division truncates toward zero too; only INT64_MIN / -1 overflows.
  return checked(BigInt(a) / BigInt(b), 'dividing', '/', a, b);
}

/** Unary minus as the parser's `__sub 0 x` evaluates it. */
export function intNeg(a: Int): Int {
  return intSub(0, a);
}

function isSmall(a: Int): a is number {
  return typeof a === 'number' && a >= -0x80000000 && a <= 0x7fffffff;
}

export function intBitAnd(a: Int, b: Int): Int {
  if (isSmall(a) && isSmall(b)) return a & b;
  return normInt(BigInt.asIntN(64, BigInt(a) & BigInt(b)));
}

export function intBitOr(a: Int, b: Int): Int {
  if (isSmall(a) && isSmall(b)) return a | b;
  return normInt(BigInt.asIntN(64, BigInt(a) | BigInt(b)));
}

export function intBitXor(a: Int, b: Int): Int {
  if (isSmall(a) && isSmall(b)) return a ^ b;
  return normInt(BigInt.asIntN(64, BigInt(a) ^ BigInt(b)));
}

export function intCompare(a: Int, b: Int): -1 | 0 | 1 {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  // Normalisation makes a mixed pair unequal; compare exactly as bigints.
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function intEq(a: Int, b: Int): boolean {
  // Normalised values of different JS types are never equal.
  return a === b;
}

/** Decimal text of an int (as `%d` / std::to_string / ostream print it). */
export function intToString(a: Int): string {
  return typeof a === 'number' ? decimal(a) : a.toString();
}

// The decimal forms of 0–999, plain and zero-padded to three digits.
const UPTO_999: string[] = [];
const PADDED_999: string[] = [];
for (let i = 0; i < 1000; i++) {
  UPTO_999.push(String(i));
  PADDED_999.push(String(i).padStart(3, '0'));
}

/**
 * The decimal form of a safe integer. Below a billion it is put together from
 * three-digit pieces, about twice as fast as `Number.prototype.toString`, which for
 * the numbers `toString i` and `"${toString i}"` make by the million misses V8's small
 * number-string cache and calls into the runtime every time.
 */
export function decimal(v: number): string {
  if (v >= 0 && v < 1e9) {
    if (v < 1000) return UPTO_999[v]!;
    if (v < 1e6) return UPTO_999[(v / 1000) | 0]! + PADDED_999[v % 1000]!;
    return UPTO_999[(v / 1e6) | 0]! + PADDED_999[((v / 1000) | 0) % 1000]! + PADDED_999[v % 1000]!;
  }
  return v.toString();
}

/** int64 → double, rounding to nearest even like the C++ conversion. */
export function intToFloat(a: Int): number {
  return typeof a === 'number' ? a : Number(a);
}

/**
 * Parse an optionally signed decimal integer (`[+-]?[0-9]+`, no spaces) into an int64.
 * Returns `undefined` when the text is not such a number or is out of range, leaving
 * the error message to the caller (the lexer, fromJSON and fromTOML word it
 * differently).
 */
export function parseInt64(s: string): Int | undefined {
  const n = s.length;
  let i = 0;
  if (n > 0 && (s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43)) i = 1;
  if (i >= n) return undefined;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  // Up to 15 digits always fits a safe integer.
  if (n - i <= 15) {
    const v = +s;
    return v === 0 ? 0 : v;
  }
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) return undefined;
  return normInt(b);
}

export type RoundMode = 'floor' | 'ceil';

/**
 * builtins.floor / builtins.ceil of a float: the rounded value as an int, or CppNix's
 * error when it falls outside [-2^63, 2^63) (NaN included).
 */
export function floatToInt(x: number, mode: RoundMode): Int {
  const r = mode === 'floor' ? Math.floor(x) : Math.ceil(x);
  if (r >= -TWO63 && r < TWO63) {
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
    return normInt(BigInt(r));
  }
  throw new NixError('eval', `NixFloat argument ${formatFloatG(x)} is not in the range of NixInt`);
}

/**
 * builtins.floor / builtins.ceil of an int. CppNix converts it to a double and back;
 * ints that do not survive that are errors since 2.26 rather than silent changes.
 */
export function intFloorCeil(a: Int): Int {
  if (typeof a === 'number') return a;
  const f = Number(a);
  if (!(f >= -TWO63 && f < TWO63)) {
    throw new NixError(
      'eval',
      `Due to a bug (see https://github.com/NixOS/nix/issues/12899) the NixInt argument ${String(a)} caused undefined behavior in previous Nix versions.\n\tFuture Nix versions might implement the correct behavior.`,
    );
  }
  const res = BigInt(f);
  if (res !== a) {
    throw new NixError(
      'eval',
      `Due to a bug (see https://github.com/NixOS/nix/issues/12899) a loss of precision occurred in previous Nix versions because the NixInt argument ${String(a)} was rounded to ${String(res)}.\n\tFuture Nix versions might implement the correct behavior.`,
    );
  }
  return a;
}

// Short names, for call sites that import the module as a namespace (`I64.add`).
export {
  intAdd as add,
  intSub as sub,
  intMul as mul,
  intDiv as div,
  intNeg as neg,
  intBitAnd as bitAnd,
  intBitOr as bitOr,
  intBitXor as bitXor,
  intCompare as compare,
  floatToInt as fromFloat,
};
