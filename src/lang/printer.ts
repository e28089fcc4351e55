/**
 * Printing an AST the way CppNix's `Expr::show` does (what `nix-instantiate --parse`
 * prints), byte for byte.
 *
 * The format is fully parenthesised and shows the desugared tree, so it doubles as the
 * reference for what the parser produced: `-x` prints as `(__sub 0 x)`, `a < b` as
 * `(__lessThan a b)`, interpolation as `(a + b)`. Attributes print in byte order of
 * their names with all plain `inherit`s first, then one `inherit (e)` per source
 * expression, then the rest, then dynamic attributes; formals print in byte order too
 * (CppNix sorts them lexicographically for printing precisely so that the output does
 * not depend on symbol-interning order). Names go through `printIdentifier`, strings
 * through `printLiteralString`, floats through C++'s default `ostream << double`
 * (`%g`, six significant digits, ties to even).
 *
 * Output is a byte string, like everything else in the tree.
 */

import { hostStackExhausted, NixError } from '../diag/diagnostic.js';
import type { AttrName, EAttrs, EInheritFrom, ESelect, Expr } from './ast.js';

const RESERVED = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit']);

/** A Nix string literal: `"…"` escaping `"`, `\`, newline, CR, tab and `${`. */
export function printLiteralString(s: string): string {
  let out = '"';
  let run = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c === 34) esc = '\\"';
    else if (c === 92) esc = '\\\\';
    else if (c === 10) esc = '\\n';
    else if (c === 13) esc = '\\r';
    else if (c === 9) esc = '\\t';
    else if (c === 36 && s.charCodeAt(i + 1) === 123) esc = '\\$';
    if (esc !== null) {
      out += s.slice(run, i) + esc;
      run = i + 1;
    }
  }
  return out + s.slice(run) + '"';
}

/** An attribute or variable name: bare if it lexes as an identifier, else quoted. */
export function printIdentifier(s: string): string {
  if (s.length === 0) return '""';
  if (RESERVED.has(s)) return '"' + s + '"';
  const c = s.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return printLiteralString(s);
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (!((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95 || d === 39 || d === 45))
      return printLiteralString(s);
  }
  return s;
}

/** The exact decimal digits of a finite positive double, and the power of ten of the first. */
function exactDigits(x: number): { digits: string; exp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  // x = mant * 2^e2 = digits * 10^-scale
  let digits: string;
  let scale: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    scale = 0;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    scale = -e2;
  }
  return { digits, exp: digits.length - 1 - scale };
}

/** C's `%.{prec}g` (what `ostream << double` prints with the default precision 6). */
export function formatFloatG(x: number, prec = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits: all, exp: exp0 } = exactDigits(Math.abs(x));
  // Round to `prec` significant digits, ties to even (glibc rounds the exact value).
  let digits = all.slice(0, prec).padEnd(prec, '0');
  let exp = exp0;
  if (all.length > prec) {
    const rest = all.slice(prec);
    const first = rest.charCodeAt(0) - 48;
    const tail = /[1-9]/.test(rest.slice(1));
    const last = digits.charCodeAt(prec - 1) - 48;
    if (first > 5 || (first === 5 && (tail || last % 2 === 1))) {
      const up = (BigInt(digits) + 1n).toString();
      if (up.length > prec) {
        digits = up.slice(0, prec);
        exp++;
      } else digits = up;
    }
  }
  if (exp < -4 || exp >= prec) {
    const m = digits.replace(/0+$/, '');
    const mant = m.length > 1 ? m[0] + '.' + m.slice(1) : m;
    const ae = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : ae}`;
  }
  let s: string;
  if (exp >= 0) {
    s = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  } else {
    s = '0.' + '0'.repeat(-exp - 1) + digits;
  }
  s = s.replace(/0+$/, '').replace(/\.$/, '');
  return sign + s;
}

class Shower {
  out = '';

  show(e: Expr): void {
    switch (e.k) {
      case 'int':
        this.out += String(e.value);
        return;
      case 'float':
        this.out += formatFloatG(e.value);
        return;
      case 'str':
        this.out += printLiteralString(e.value);
        return;
      case 'path':
        this.out += e.value;
        return;
      case 'var':
        this.out += printIdentifier(e.name);
        return;
      case 'select':
        this.out += '(';
        this.show(e.e);
        this.out += ').';
        this.attrPath(e.path);
        if (e.def) {
          this.out += ' or (';
          this.show(e.def);
          this.out += ')';
        }
        return;
      case 'hasAttr':
        this.out += '((';
        this.show(e.e);
        this.out += ') ? ';
        this.attrPath(e.path);
        this.out += ')';
        return;
      case 'attrs':
        if (e.rec) this.out += 'rec ';
        this.out += '{ ';
        this.bindings(e);
        this.out += '}';
        return;
      case 'list':
        this.out += '[ ';
        for (const x of e.elems) {
          this.out += '(';
          this.show(x);
          this.out += ') ';
        }
        this.out += ']';
        return;
      case 'lambda': {
        this.out += '(';
        if (e.formals) {
          this.out += '{ ';
          let first = true;
          for (const f of e.formals.formals) {
            if (first) first = false;
            else this.out += ', ';
            this.out += printIdentifier(f.name);
            if (f.def) {
              this.out += ' ? ';
              this.show(f.def);
            }
          }
          if (e.formals.ellipsis) {
            if (!first) this.out += ', ';
            this.out += '...';
          }
          this.out += ' }';
          if (e.arg !== undefined) this.out += ' @ ';
        }
        if (e.arg !== undefined) this.out += printIdentifier(e.arg);
        this.out += ': ';
        this.show(e.body);
        this.out += ')';
        return;
      }
      case 'call':
        this.out += '(';
        this.show(e.fn);
        for (const a of e.args) {
          this.out += ' ';
          this.show(a);
        }
        this.out += ')';
        return;
      case 'let':
        this.out += '(let ';
        this.bindings(e.attrs);
        this.out += 'in ';
        this.show(e.body);
        this.out += ')';
        return;
      case 'with':
        this.out += '(with ';
        this.show(e.attrs);
        this.out += '; ';
        this.show(e.body);
        this.out += ')';
        return;
      case 'if':
        this.out += '(if ';
        this.show(e.cond);
        this.out += ' then ';
        this.show(e.then);
        this.out += ' else ';
        this.show(e.else);
        this.out += ')';
        return;
      case 'assert':
        this.out += 'assert ';
        this.show(e.cond);
        this.out += '; ';
        this.show(e.body);
        return;
      case 'not':
        this.out += '(! ';
        this.show(e.e);
        this.out += ')';
        return;
      case 'binop':
        this.out += '(';
        this.show(e.left);
        this.out += ' ' + e.op + ' ';
        this.show(e.right);
        this.out += ')';
        return;
      case 'concatStrings': {
        this.out += '(';
        let first = true;
        for (const p of e.parts) {
          if (first) first = false;
          else this.out += ' + ';
          this.show(p);
        }
        this.out += ')';
        return;
      }
      case 'curPos':
        this.out += '__curPos';
        return;
      case 'inheritFrom':
        // CppNix prints the (empty) name of this pseudo-variable.
        return;
    }
  }

  attrPath(path: AttrName[]): void {
    let first = true;
    for (const a of path) {
      if (first) first = false;
      else this.out += '.';
      if (a.name !== undefined) this.out += printIdentifier(a.name);
      else {
        this.out += '"${';
        this.show(a.expr);
        this.out += '}"';
      }
    }
  }

  bindings(a: EAttrs): void {
    const names = [...a.attrs.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const inherits: string[] = [];
    const inheritsFrom = new Map<number, string[]>();
    for (const name of names) {
      const def = a.attrs.get(name)!;
      if (def.kind === 'inherited') inherits.push(name);
      else if (def.kind === 'inheritedFrom') {
        const idx = ((def.e as ESelect).e as EInheritFrom).index;
        let l = inheritsFrom.get(idx);
        if (!l) inheritsFrom.set(idx, (l = []));
        l.push(name);
      }
    }
    if (inherits.length > 0) {
      this.out += 'inherit';
      for (const n of inherits) this.out += ' ' + printIdentifier(n);
      this.out += '; ';
    }
    for (const idx of [...inheritsFrom.keys()].sort((x, y) => x - y)) {
      this.out += 'inherit (';
      const src = a.inheritFromExprs?.[idx];
      if (src) this.show(src);
      this.out += ')';
      for (const n of inheritsFrom.get(idx)!) this.out += ' ' + printIdentifier(n);
      this.out += '; ';
    }
    for (const name of names) {
      const def = a.attrs.get(name)!;
      if (def.kind !== 'plain') continue;
      this.out += printIdentifier(name) + ' = ';
      this.show(def.e);
      this.out += '; ';
    }
    for (const d of a.dynamic) {
      this.out += '"${';
      this.show(d.nameExpr);
      this.out += '}" = ';
      this.show(d.value);
      this.out += '; ';
    }
  }
}

/** CppNix's `Expr::show`: the text `nix-instantiate --parse` prints for an expression. */
export function showExpr(e: Expr): string {
  const s = new Shower();
  try {
    s.show(e);
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      hostStackExhausted();
      throw new NixError('stack-overflow', 'expression nested too deeply', e.pos, 'parse/too-deep');
    }
    throw err;
  }
  return s.out;
}
