/**
 * Float formatting, byte-for-byte as CppNix prints doubles.
 *
 * CppNix shows a float in three different ways, and each one is observable:
 *   - `formatFloatG`: `std::ostream << double`, i.e. C's `%g` with precision 6. Used
 *     by `nix-instantiate --eval`, `builtins.trace`, error messages (`1.1`, `1e+20`,
 *     `1.23457e+08`, `inf`, `-nan`).
 *   - `formatFloatF`: `std::to_string(double)`, i.e. `%f` (`0.100000`, all integer
 *     digits, never an exponent). Used by `toString` and string interpolation
 *     through `toString`, hence by derivation environments: it feeds hashes.
 *   - `formatFloatJSON`: nlohmann::json's serialiser (`builtins.toJSON`): Grisu2
 *     digits, then nlohmann's layout (`1.0`, `0.1`, `1e+16`, `1.5e-07`).
 *
 * JS gives us correctly rounded conversions (`toExponential`, `toFixed`), but with
 * ties broken away from zero, whereas glibc rounds the exact binary value half-to-even.
 * A tie is only possible when the double has a short exact decimal expansion, so the
 * fast JS path is used unless the digits show a possible tie, in which case the
 * exact expansion is computed with BigInt (every double is a finite decimal).
 *
 * Grisu2 is *not* always shortest: for a small fraction of doubles it yields one
 * digit more than `Number.prototype.toString`, or a different last digit. To print
 * the same bytes as CppNix, `formatFloatJSON` runs Grisu2 itself (with the usual
 * alpha = -60, gamma = -32 parameters and cached powers of ten computed here with
 * BigInt), on 64-bit unsigned arithmetic emulated with BigInt. toJSON of floats is
 * rare enough that BigInt's cost is irrelevant; the common "integral value" and
 * "short decimal" cases still go through it, for one code path only.
 *
 * NaN: C prints the sign of a NaN (`-nan` for x86's default NaN, e.g. `inf - inf`).
 * V8 keeps NaN sign bits through arithmetic in practice, so the sign is read from
 * the bits; this is best-effort, as V8 may canonicalise NaNs.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian hosts only (all Node targets): u32[1] holds sign, exponent, high mantissa.
const HI = 1;
const LO = 0;

function signBit(x: number): boolean {
  f64[0] = x;
  return (u32[HI]! & 0x80000000) !== 0;
}

function nonFinite(x: number): string {
  if (x !== x) return signBit(x) ? '-nan' : 'nan';
  return x > 0 ? 'inf' : '-inf';
}

/** Exact decimal expansion of a finite positive double: value = digits × 10^exp10,
 * `digits` without leading zeros. */
function exactDecimal(x: number): { digits: string; exp10: number } {
  f64[0] = x;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (bexp === 0) {
    e2 = -1074;
  } else {
    mant |= 1n << 52n;
    e2 = bexp - 1075;
  }
  if (e2 >= 0) return { digits: (mant << BigInt(e2)).toString(), exp10: 0 };
  // m / 2^k = m·5^k / 10^k
  return { digits: (mant * 5n ** BigInt(-e2)).toString(), exp10: e2 };
}

/** Round a digit string to `keep` digits, half to even on the exact tail. Returns the
 * rounded digits (length `keep`, or `keep + 1` after a carry out of the top) . */
function roundHalfEven(digits: string, keep: number): string {
  if (keep >= digits.length) return digits + '0'.repeat(keep - digits.length);
  if (keep < 0) return '';
  const head = digits.slice(0, keep);
  const first = digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (first > 5) up = true;
  else if (first < 5) up = false;
  else {
    let rest = false;
    for (let i = keep + 1; i < digits.length; i++) {
      if (digits.charCodeAt(i) !== 48) {
        rest = true;
        break;
      }
    }
    up = rest || (keep > 0 && (head.charCodeAt(keep - 1) - 48) % 2 === 1);
  }
  if (!up) return head;
  return incrementDigits(head);
}

function incrementDigits(s: string): string {
  const a = s.split('');
  let i = a.length - 1;
  while (i >= 0) {
    if (a[i] === '9') {
      a[i] = '0';
      i--;
    } else {
      a[i] = String.fromCharCode(a[i]!.charCodeAt(0) + 1);
      return a.join('');
    }
  }
  return '1' + a.join('');
}

/** Significant digits and decimal exponent of |x| rounded to `p` significant digits
 * (as `%.{p-1}e` does): |x| ≈ 0.d1d2…dp × 10^(exp+1), i.e. d1.d2… × 10^exp. */
function roundSignificant(ax: number, p: number): { digits: string; exp: number } {
  // Fast path: JS rounds the exact value correctly except that exact ties go up.
  const s = ax.toExponential(p - 1);
  const epos = s.indexOf('e');
  const mant = s.slice(0, epos).replace('.', '');
  const exp = +s.slice(epos + 1);
  // A tie needs an exact expansion of exactly p+1 significant digits ending in 5;
  // the shortest round-trip form then has at most p+1 digits and ends in 5.
  const shortest = ax.toExponential();
  const sm = shortest.slice(0, shortest.indexOf('e')).replace('.', '');
  if (sm.length !== p + 1 || sm.charCodeAt(p) !== 53 /* '5' */) return { digits: mant, exp };
  const { digits, exp10 } = exactDecimal(ax);
  const r = roundHalfEven(digits, p);
  let e = digits.length - 1 + exp10;
  if (r.length > p) e++;
  return { digits: r.slice(0, p), exp: e };
}

function stripFraction(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

function exponentSuffix(e: number): string {
  const a = Math.abs(e);
  return (e < 0 ? 'e-' : 'e+') + (a < 10 ? '0' + a : String(a));
}

/** `std::ostream << double` (C `%g`, precision 6). */
export function formatFloatG(x: number, precision = 6): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const neg = x < 0 || (x === 0 && 1 / x < 0);
  const sign = neg ? '-' : '';
  if (x === 0) return sign + '0';
  const P = precision === 0 ? 1 : precision;
  const ax = Math.abs(x);
  const { digits, exp } = roundSignificant(ax, P);
  let body: string;
  if (exp < P && exp >= -4) {
    // %f with P-1-exp decimals: place the point inside the rounded digits.
    if (exp >= 0) {
      body = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
    } else {
      body = '0.' + '0'.repeat(-exp - 1) + digits;
    }
    body = stripFraction(body);
  } else {
    body = stripFraction(digits[0] + '.' + digits.slice(1)) + exponentSuffix(exp);
  }
  return sign + body;
}

/** `std::to_string(double)` (C `%f`, six decimals, no exponent ever). */
export function formatFloatF(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const neg = x < 0 || (x === 0 && 1 / x < 0);
  const ax = Math.abs(x);
  let body: string;
  if (ax < 1e21) {
    body = ax.toFixed(6);
    // An exact tie at the 7th decimal means x = odd/128 (x·2·10^6 odd, and x dyadic);
    // only then can glibc's half-even differ from toFixed's half-up.
    const t = ax * 128;
    if (Number.isInteger(t) && t % 2 === 1) body = fixedExact(ax, 6);
  } else {
    // Integral (≥ 2^53): every digit, exactly.
    body = exactDecimal(ax).digits + '.000000';
  }
  return (neg ? '-' : '') + body;
}

function fixedExact(ax: number, decimals: number): string {
  const { digits, exp10 } = exactDecimal(ax);
  // value = digits × 10^exp10; keep digits up to 10^-decimals.
  const intLen = digits.length + exp10; // digits before the decimal point (may be ≤ 0)
  let keep = intLen + decimals;
  let r: string;
  if (keep < 0) r = '';
  else r = roundHalfEven(digits, keep);
  if (r.length > keep) keep++; // carry
  // r has `keep` digits representing value × 10^decimals
  let s = r.length === 0 ? '0' : r;
  if (s.length <= decimals) s = '0'.repeat(decimals - s.length + 1) + s;
  return s.slice(0, s.length - decimals) + '.' + s.slice(s.length - decimals);
}

// ---------------------------------------------------------------------------------
// Grisu2, as nlohmann::json runs it (alpha = -60, gamma = -32, powers of ten every 8
// decimal exponents from 10^-300).

const M64 = (1n << 64n) - 1n;

interface Fp {
  f: bigint;
  e: number;
}

function mulFp(x: Fp, y: Fp): Fp {
  // Upper 64 bits of the 128-bit product, rounded half up.
  return { f: (x.f * y.f + (1n << 63n)) >> 64n, e: x.e + y.e + 64 };
}

function normalizeFp(x: Fp): Fp {
  let { f, e } = x;
  while ((f >> 63n) === 0n) {
    f <<= 1n;
    e--;
  }
  return { f, e };
}

const CACHED_MIN_DEC_EXP = -300;
const CACHED_DEC_STEP = 8;
let cachedPowers: { f: bigint; e: number; k: number }[] | undefined;

/** 10^k as a normalised 64-bit significand and binary exponent, rounded to nearest. */
function computeCachedPowers(): { f: bigint; e: number; k: number }[] {
  const out: { f: bigint; e: number; k: number }[] = [];
  for (let k = CACHED_MIN_DEC_EXP; k <= 340; k += CACHED_DEC_STEP) {
    let num: bigint;
    let den: bigint;
    if (k >= 0) {
      num = 10n ** BigInt(k);
      den = 1n;
    } else {
      num = 1n;
      den = 10n ** BigInt(-k);
    }
    // find e such that 2^63 <= num/den / 2^e < 2^64
    const bitlen = (v: bigint): number => v.toString(2).length;
    let e = bitlen(num) - bitlen(den) - 64;
    let f: bigint;
    for (;;) {
      // f = round(num / (den·2^e))
      let n = num;
      let d = den;
      if (e >= 0) d <<= BigInt(e);
      else n <<= BigInt(-e);
      f = (2n * n + d) / (2n * d);
      if (f >= 1n << 64n) e++;
      else if (f < 1n << 63n) e--;
      else break;
    }
    out.push({ f, e, k });
  }
  return out;
}

function cachedPowerFor(e: number): { f: bigint; e: number; k: number } {
  cachedPowers ??= computeCachedPowers();
  const f = -60 - e - 1;
  // C integer division truncates; this reproduces ceil(f·log10(2)) for |e| ≤ 1500.
  const k = Math.trunc((f * 78913) / (1 << 18)) + (f > 0 ? 1 : 0);
  const index = Math.trunc((-CACHED_MIN_DEC_EXP + k + (CACHED_DEC_STEP - 1)) / CACHED_DEC_STEP);
  return cachedPowers[index]!;
}

function grisu2(x: number): { digits: string; exp10: number } {
  f64[0] = x;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const E = (hi >>> 20) & 0x7ff;
  const F = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const v: Fp = E === 0 ? { f: F, e: -1074 } : { f: F + (1n << 52n), e: E - 1075 };
  const lowerCloser = F === 0n && E > 1;
  const mPlusRaw: Fp = { f: 2n * v.f + 1n, e: v.e - 1 };
  const mMinusRaw: Fp = lowerCloser ? { f: 4n * v.f - 1n, e: v.e - 2 } : { f: 2n * v.f - 1n, e: v.e - 1 };
  const mPlus = normalizeFp(mPlusRaw);
  const mMinus: Fp = { f: (mMinusRaw.f << BigInt(mMinusRaw.e - mPlus.e)) & M64, e: mPlus.e };
  const w0 = normalizeFp(v);

  const c = cachedPowerFor(mPlus.e);
  const cm: Fp = { f: c.f, e: c.e };
  const w = mulFp(w0, cm);
  const wMinus = mulFp(mMinus, cm);
  const wPlus = mulFp(mPlus, cm);
  const Mminus: Fp = { f: wMinus.f + 1n, e: wMinus.e };
  const Mplus: Fp = { f: wPlus.f - 1n, e: wPlus.e };
  let decExp = -c.k;

  // Digit generation over [M-, M+].
  let delta = (Mplus.f - Mminus.f) & M64;
  let dist = (Mplus.f - w.f) & M64;
  const shift = BigInt(-Mplus.e);
  const one = 1n << shift;
  let p1 = Number(Mplus.f >> shift);
  let p2 = Mplus.f & (one - 1n);
  let buf = '';

  let pow10 = 1;
  let k = 1;
  while (k < 10 && p1 >= pow10 * 10) {
    pow10 *= 10;
    k++;
  }
  let n = k;
  while (n > 0) {
    const d = Math.floor(p1 / pow10);
    const r = p1 % pow10;
    buf += String.fromCharCode(48 + d);
    p1 = r;
    n--;
    const rest = (BigInt(p1) << shift) + p2;
    if (rest <= delta) {
      decExp += n;
      const tenN = BigInt(pow10) << shift;
      return { digits: grisu2Round(buf, dist, delta, rest, tenN), exp10: decExp };
    }
    pow10 = Math.floor(pow10 / 10);
  }
  let m = 0;
  for (;;) {
    p2 = (p2 * 10n) & M64;
    const d = Number(p2 >> shift);
    const r = p2 & (one - 1n);
    buf += String.fromCharCode(48 + d);
    p2 = r;
    m++;
    delta = (delta * 10n) & M64;
    dist = (dist * 10n) & M64;
    if (p2 <= delta) break;
  }
  decExp -= m;
  return { digits: grisu2Round(buf, dist, delta, p2, one), exp10: decExp };
}

function grisu2Round(buf: string, dist: bigint, delta: bigint, rest: bigint, tenK: bigint): string {
  // Move the last digit down while that brings the result closer to w and stays in range.
  let last = buf.charCodeAt(buf.length - 1);
  while (rest < dist && delta - rest >= tenK && (rest + tenK < dist || dist - rest > rest + tenK - dist)) {
    last--;
    rest += tenK;
  }
  return buf.slice(0, -1) + String.fromCharCode(last);
}

/** nlohmann::json's dump of a double (`null` for non-finite values). */
export function formatFloatJSON(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  const neg = x < 0 || (x === 0 && 1 / x < 0);
  const sign = neg ? '-' : '';
  if (x === 0) return sign + '0.0';
  const { digits, exp10 } = grisu2(Math.abs(x));
  const k = digits.length;
  const n = k + exp10; // position of the decimal point relative to the digits
  const maxExp = 15;
  const minExp = -4;
  if (k <= n && n <= maxExp) return sign + digits + '0'.repeat(n - k) + '.0';
  if (0 < n && n <= maxExp) return sign + digits.slice(0, n) + '.' + digits.slice(n);
  if (minExp < n && n <= 0) return sign + '0.' + '0'.repeat(-n) + digits;
  const mant = k === 1 ? digits : digits[0] + '.' + digits.slice(1);
  const e = n - 1;
  const ae = Math.abs(e);
  return sign + mant + 'e' + (e < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
}
