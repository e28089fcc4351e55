/**
 * Version strings: builtins.splitVersion, builtins.compareVersions and
 * builtins.parseDrvName, exactly as CppNix's names.cc does them.
 *
 * A version is a sequence of components separated by any run of `.` and `-`; a
 * component is either a maximal run of ASCII digits or a maximal run of other
 * non-separator bytes (`1.2pre3` → `1`, `2`, `pre`, `3`). Comparison walks both
 * sequences in step (a missing component is `""`) with these rules, in order: two
 * numbers compare numerically; `""` is older than a number; `pre` is older than
 * anything else; a number is newer than a non-number (`2.3a` < `2.3.1`); otherwise
 * byte order.
 *
 * "Number" means what `string2Int<int>` accepts: all digits *and* at most INT_MAX.
 * A longer digit run is a string in CppNix, so `1.99999999999` is *older* than `1.2`;
 * that quirk is kept, since nixpkgs version checks must agree with CppNix's.
 *
 * Character classes are ASCII (`isdigit`/`isalpha` in the C locale); strings are
 * byte strings, so JS `<` is byte order.
 */

const INT_MAX = 2147483647;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Components of a version string. */
export function splitVersion(v: string): string[] {
  const out: string[] = [];
  const n = v.length;
  let p = 0;
  for (;;) {
    while (p < n && (v.charCodeAt(p) === 46 || v.charCodeAt(p) === 45)) p++;
    if (p >= n) return out;
    const s = p;
    if (isDigit(v.charCodeAt(p))) {
      while (p < n && isDigit(v.charCodeAt(p))) p++;
    } else {
      while (p < n) {
        const c = v.charCodeAt(p);
        if (isDigit(c) || c === 46 || c === 45) break;
        p++;
      }
    }
    out.push(v.slice(s, p));
  }
}

/** The component's value if CppNix's string2Int<int> would accept it, else -1. */
function asInt(c: string): number {
  const n = c.length;
  if (n === 0) return -1;
  for (let i = 0; i < n; i++) if (!isDigit(c.charCodeAt(i))) return -1;
  // Leading zeros are fine; only the value has to fit an int.
  const v = n <= 15 ? +c : Number(BigInt(c) > BigInt(INT_MAX) ? INT_MAX + 1 : c);
  return v > INT_MAX ? -1 : v;
}

function componentLess(c1: string, c2: string, n1: number, n2: number): boolean {
  if (n1 >= 0 && n2 >= 0) return n1 < n2;
  if (c1 === '' && n2 >= 0) return true;
  if (c1 === 'pre' && c2 !== 'pre') return true;
  if (c2 === 'pre') return false;
  if (n2 >= 0) return true;
  if (n1 >= 0) return false;
  return c1 < c2;
}

/** -1, 0 or 1, as builtins.compareVersions. */
export function compareVersions(v1: string, v2: string): -1 | 0 | 1 {
  if (v1 === v2) return 0;
  const a = splitVersion(v1);
  const b = splitVersion(v2);
  // Walking both strings in step is the same as walking the component lists padded
  // with "": trailing separators only ever yield "" components.
  const len = Math.max(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const c1 = a[i] ?? '';
    const c2 = b[i] ?? '';
    if (c1 === c2) continue;
    const n1 = asInt(c1);
    const n2 = asInt(c2);
    if (componentLess(c1, c2, n1, n2)) return -1;
    if (componentLess(c2, c1, n2, n1)) return 1;
  }
  return 0;
}

/** builtins.parseDrvName: split at the first `-` followed by something other than a letter. */
export function parseDrvName(s: string): { name: string; version: string } {
  const n = s.length;
  for (let i = 0; i + 1 < n; i++) {
    if (s.charCodeAt(i) === 45 && !isAlpha(s.charCodeAt(i + 1))) {
      return { name: s.slice(0, i), version: s.slice(i + 1) };
    }
  }
  return { name: s, version: '' };
}
