/**
 * String builtins. Strings are byte strings, so lengths and offsets are bytes, as in
 * CppNix; contexts are carried through every operation that keeps a part of its input.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceInt, forceList, forceStringValue, forceValue } from '../force.js';
import type { EvalState } from '../state.js';
import { ByteWriter, StringBuilder } from '../util/byte-writer.js';
import { NixPath, NixString, Thunk, mkString, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';
import { arg } from './arg-frames.js';

const COERCE = { coerceMore: false, copyToStore: true } as const;

function addCtx(into: Set<string> | undefined, from: ReadonlySet<string> | undefined): Set<string> | undefined {
  if (!from || from.size === 0) return into;
  into ??= new Set();
  for (const c of from) into.add(c);
  return into;
}

/*
 * Small outputs are built with `+=` (V8 ropes, flattened once). Outputs made of many
 * pieces go through a ByteWriter: a rope node per piece would stay alive (and be copied
 * by every scavenge) until the final flatten, which for a few hundred thousand pieces
 * costs more than the work itself.
 */

/** From this many elements on, concatStringsSep writes through a ByteWriter. */
const MANY_PIECES = 32;

/**
 * replaceStrings without empty patterns: jump from match to match with indexOf instead
 * of trying every pattern at every byte. Each pattern's next occurrence is cached and
 * only searched again once the scan has passed it, so every pattern scans the input
 * at most once; at a position where several patterns occur, the first in list order
 * wins, as with the byte-by-byte definition.
 */
function replaceByIndexOf(str: string, pats: readonly string[], use: (i: number) => string, out: StringBuilder): string {
  const n = pats.length;
  if (n === 1) {
    const pat = pats[0]!;
    let q = str.indexOf(pat);
    if (q < 0) return str;
    const rep = use(0);
    let p = 0;
    do {
      out.addRange(str, p, q);
      out.add(rep);
      p = q + pat.length;
      q = str.indexOf(pat, p);
    } while (q >= 0);
    out.addRange(str, p, str.length);
    return out.finish();
  }
  const next = new Array<number>(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const q = str.indexOf(pats[i]!);
    next[i] = q < 0 ? Infinity : q;
    if (q >= 0) any = true;
  }
  if (!any) return str;
  let p = 0;
  for (;;) {
    let q = Infinity;
    let w = -1;
    for (let i = 0; i < n; i++) {
      let at = next[i]!;
      if (at < p) {
        const f = str.indexOf(pats[i]!, p);
        at = next[i] = f < 0 ? Infinity : f;
      }
      if (at < q) {
        q = at;
        w = i;
      }
    }
    if (w < 0) break;
    out.addRange(str, p, q);
    out.add(use(w));
    p = q + pats[w]!.length;
  }
  out.addRange(str, p, str.length);
  return out.finish();
}

/** The patterns of a replaceStrings call, prepared once per `from` list. */
interface Patterns {
  readonly pats: readonly string[];
  readonly hasEmpty: boolean;
  /**
   * For longer lists without empty patterns: by first byte, the first pattern index
   * starting with it (-1 for none), and `next` chains the others in list order.
   */
  readonly first?: Int32Array;
  readonly next?: Int32Array;
}

/** Up to this many patterns, one indexOf scan per pattern beats a byte-by-byte walk. */
const INDEXOF_MAX_PATTERNS = 4;

// Lists are immutable and forcing is memoised, so the patterns of a list never change:
// lib functions pass the same list (lowerChars, an escape table…) call after call. Only
// the last list is remembered: a WeakMap would also take every list literal evaluated
// in a loop, and ephemeron tables that large cost the garbage collector dearly.
let lastFrom: readonly Lazy[] | undefined;
let lastPatterns: Patterns | undefined;

function patternsOf(from: readonly Lazy[]): Patterns {
  if (from === lastFrom) return lastPatterns!;
  let ps: Patterns;
  const pats = from.map((x) => {
    const v = forceStringValue(x, noPos, 'while evaluating one of the strings to replace passed to builtins.replaceStrings');
    return typeof v === 'string' ? v : v.s;
  });
  const hasEmpty = pats.includes('');
  if (hasEmpty || pats.length <= INDEXOF_MAX_PATTERNS) ps = { pats, hasEmpty };
  else {
    const first = new Int32Array(256).fill(-1);
    const next = new Int32Array(pats.length);
    for (let i = pats.length - 1; i >= 0; i--) {
      const c = pats[i]!.charCodeAt(0) & 0xff;
      next[i] = first[c]!;
      first[c] = i;
    }
    ps = { pats, hasEmpty, first, next };
  }
  lastFrom = from;
  lastPatterns = ps;
  return ps;
}

/** replaceStrings for many patterns: at each byte, only the patterns starting with it. */
function replaceByTable(str: string, ps: Patterns, use: (i: number) => string, out: StringBuilder): string {
  const pats = ps.pats;
  const first = ps.first!;
  const next = ps.next!;
  const n = str.length;
  let any = false;
  let run = 0;
  let p = 0;
  while (p < n) {
    let i = first[str.charCodeAt(p) & 0xff]!;
    while (i >= 0 && !str.startsWith(pats[i]!, p)) i = next[i]!;
    if (i < 0) {
      p++;
      continue;
    }
    any = true;
    out.addRange(str, run, p);
    out.add(use(i));
    p += pats[i]!.length;
    run = p;
  }
  if (!any) return str;
  out.addRange(str, run, n);
  return out.finish();
}

/** replaceStrings with an empty pattern, which matches before every byte and at the end. */
function replaceEveryPosition(str: string, pats: readonly string[], use: (i: number) => string, out: StringBuilder): string {
  let p = 0;
  while (p <= str.length) {
    let found = false;
    for (let i = 0; i < pats.length; i++) {
      const pat = pats[i]!;
      if (str.startsWith(pat, p)) {
        found = true;
        out.add(use(i));
        if (pat.length === 0) {
          if (p < str.length) out.addRange(str, p, p + 1);
          p++;
        } else p += pat.length;
        break;
      }
    }
    if (!found) {
      if (p < str.length) out.addRange(str, p, p + 1);
      p++;
    }
  }
  return out.finish();
}

export function stringBuiltins(st: EvalState): Builtin[] {
  return [
    {
      name: 'stringLength',
      arity: 1,
      fn1: (s) => {
        const v = s instanceof Thunk ? s.force(noPos) : s!;
        if (typeof v === 'string') return v.length;
        if (v instanceof NixString) return v.s.length;
        return st.coerceToString(v, noPos, 'while evaluating the argument passed to builtins.stringLength', COERCE).s.length;
      },
    },
    {
      name: 'substring',
      arity: 3,
      fn: ([a, b, s]) => {
        const start = forceInt(a!, noPos, 'while evaluating the first argument (the start offset) passed to builtins.substring');
        if (Number(start) < 0) throw new NixError('eval', "negative start position in 'substring'");
        const len = forceInt(b!, noPos, 'while evaluating the second argument (the substring length) passed to builtins.substring');
        // An empty substring of a string keeps its context: `substring 0 0 s` is the
        // idiom for taking just a string's context (CppNix special-cases it).
        if (Number(len) === 0) {
          const v = forceValue(s!);
          if (typeof v === 'string') return '';
          if (v instanceof NixString) return mkString('', v.ctx);
        }
        const v = s instanceof Thunk ? s.force(noPos) : s!;
        const from = Number(start);
        const n = Number(len);
        if (typeof v === 'string') return n < 0 ? v.slice(from) : v.slice(from, from + n);
        if (v instanceof NixString) return mkString(n < 0 ? v.s.slice(from) : v.s.slice(from, from + n), v.ctx);
        const r = st.coerceToString(v, noPos, 'while evaluating the third argument (the string) passed to builtins.substring', COERCE);
        const out = n < 0 ? r.s.slice(from) : r.s.slice(from, from + n);
        return mkString(out, r.ctx);
      },
    },
    {
      name: 'concatStringsSep',
      arity: 2,
      fn: ([sepX, l]) => {
        const sepV = forceStringValue(sepX!, noPos, 'while evaluating the first argument (the separator string) passed to builtins.concatStringsSep');
        const list = forceList(l!, noPos, 'while evaluating the second argument (the list of strings to concat) passed to builtins.concatStringsSep');
        const sep = typeof sepV === 'string' ? sepV : sepV.s;
        let ctx = addCtx(undefined, typeof sepV === 'string' ? undefined : sepV.ctx);
        const n = list.length;
        const w = n >= MANY_PIECES ? new ByteWriter() : undefined;
        let out = '';
        try {
          for (let i = 0; i < n; i++) {
            const e = list[i]!;
            let s: string;
            let v: Value;
            if (e instanceof Thunk) {
              v = e.force(noPos);
              list[i] = v;
            } else v = e;
            if (typeof v === 'string') s = v;
            else if (v instanceof NixString) {
              ctx = addCtx(ctx, v.ctx);
              s = v.s;
            } else {
              const r = st.coerceToString(v, noPos, 'while evaluating one element of the list of strings to concat passed to builtins.concatStringsSep', COERCE);
              ctx = addCtx(ctx, r.ctx);
              s = r.s;
            }
            if (w !== undefined) {
              if (i > 0) w.str(sep);
              w.str(s);
            } else {
              if (i > 0) out += sep;
              out += s;
            }
          }
        } catch (e) {
          w?.discard();
          throw e;
        }
        return mkString(w !== undefined ? w.finish() : out, ctx);
      },
    },
    {
      name: 'replaceStrings',
      arity: 3,
      fn: ([f, t, s]) => {
        const from = forceList(f!, noPos, arg(0, 'replaceStrings'));
        const to = forceList(t!, noPos, arg(1, 'replaceStrings'));
        if (from.length !== to.length) {
          throw new NixError('eval', "'from' and 'to' arguments passed to builtins.replaceStrings have different lengths");
        }
        const ps = patternsOf(from);
        const sv = forceStringValue(s!, noPos, arg(2, 'replaceStrings'));
        const str = typeof sv === 'string' ? sv : sv.s;
        let ctx = addCtx(undefined, typeof sv === 'string' ? undefined : sv.ctx);
        // Replacements are forced (and their contexts taken) only once used, as in CppNix.
        const reps: (string | undefined)[] = new Array(to.length);
        const use = (i: number): string => {
          let r = reps[i];
          if (r === undefined) {
            const v = forceStringValue(to[i]!, noPos, 'while evaluating one of the replacement strings passed to builtins.replaceStrings');
            if (typeof v === 'string') r = v;
            else {
              ctx = addCtx(ctx, v.ctx);
              r = v.s;
            }
            reps[i] = r;
          }
          return r;
        };
        const b = new StringBuilder();
        let out: string;
        try {
          out =
            ps.first !== undefined
              ? replaceByTable(str, ps, use, b)
              : ps.hasEmpty
                ? replaceEveryPosition(str, ps.pats, use, b)
                : replaceByIndexOf(str, ps.pats, use, b);
        } catch (e) {
          b.discard();
          throw e;
        }
        return mkString(out, ctx);
      },
    },
    {
      name: 'baseNameOf',
      arity: 1,
      global: true,
      fn1: (x) => {
        const v = forceValue(x!);
        const r = st.coerceToString(v, noPos, 'while evaluating the first argument passed to builtins.baseNameOf', {
          coerceMore: false,
          copyToStore: false,
        });
        let s = r.s;
        if (s.endsWith('/')) s = s.slice(0, -1);
        const i = s.lastIndexOf('/');
        return mkString(i < 0 ? s : s.slice(i + 1), r.ctx);
      },
    },
    {
      name: 'dirOf',
      arity: 1,
      global: true,
      fn1: (x) => {
        const v = forceValue(x!);
        if (v instanceof NixPath) {
          const p = v.path;
          const i = p.lastIndexOf('/');
          return new NixPath(i <= 0 ? '/' : p.slice(0, i));
        }
        const r = st.coerceToString(v, noPos, 'while evaluating the first argument passed to builtins.dirOf', {
          coerceMore: false,
          copyToStore: false,
        });
        const s = r.s;
        const i = s.lastIndexOf('/');
        const d = i < 0 ? '.' : i === 0 ? '/' : s.slice(0, i);
        return mkString(d, r.ctx);
      },
    },
  ];
}

export { NixString, type Lazy };
