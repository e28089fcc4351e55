/**
 * The language's value operations that need no evaluator state: equality, ordering,
 * and the identity rules CppNix makes observable.
 *
 * Equality (`eqValues`, CppNix eval.cc): ints and floats compare numerically; strings
 * by bytes, ignoring context; lists and sets deeply; two derivations (sets with
 * `type = "derivation"`) by `outPath` only; functions are never equal — except that
 * two *references to the same value* are equal without being forced, which is why
 * `[ f ] == [ f ]` holds. We keep that rule by comparing `Lazy` references (thunk
 * objects, or the value objects stored directly in lists and sets) before forcing.
 */

import { NixError } from '../diag/diagnostic.js';
import { printForError } from './print.js';
import { noPos, type PosIdx } from '../lang/source.js';
import {
  Lambda,
  NixAttrs,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  showType,
  typeOf,
  type Lazy,
  type Value,
} from './value.js';

function isNumber(v: Value): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof NixFloat;
}

function numOf(v: Value): number | bigint {
  return v instanceof NixFloat ? v.v : (v as number | bigint);
}

function numEq(a: Value, b: Value): boolean {
  const x = numOf(a);
  const y = numOf(b);
  if (typeof x === typeof y) return x === y;
  // int vs float, one side bigint: compare as doubles like CppNix (int converted to float)
  return Number(x) === Number(y);
}

/** Deep equality of two lazily held values (identity short-cut applies). */
export function eqLazy(a: Lazy, b: Lazy, pos: PosIdx, ctx: string): boolean {
  if (a === b && typeof a === 'object' && a !== null) return true;
  return eqValues(a instanceof Thunk ? a.force() : a, b instanceof Thunk ? b.force() : b, pos, ctx);
}

/** Deep equality of two forced values (no identity short-cut at this level). */
export function eqValues(a: Value, b: Value, pos: PosIdx, ctx: string): boolean {
  if (typeof a === 'string') {
    if (typeof b === 'string') return a === b;
    if (b instanceof NixString) return a === b.s;
    return false;
  }
  if (a instanceof NixString) {
    if (typeof b === 'string') return a.s === b;
    if (b instanceof NixString) return a.s === b.s;
    return false;
  }
  if (isNumber(a)) return isNumber(b) && numEq(a, b);
  if (a === null || typeof a === 'boolean') return a === b;
  if (a instanceof NixPath) return b instanceof NixPath && a.path === b.path;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!eqLazy(a[i]!, b[i]!, pos, ctx)) return false;
    return true;
  }
  if (a instanceof NixAttrs) {
    if (!(b instanceof NixAttrs)) return false;
    if (a === b) return true;
    // Derivations compare by output path.
    if (isDerivation(a, pos) && isDerivation(b, pos)) {
      const oa = a.get('outPath');
      const ob = b.get('outPath');
      if (oa !== undefined && ob !== undefined) return eqLazy(oa, ob, pos, ctx);
    }
    if (a.size !== b.size) return false;
    const ka = a.keys();
    const kb = b.keys();
    if (ka !== kb) for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
    // Same names in the same (sorted) order: the values line up slot by slot.
    const va = a.vals;
    const vb = b.vals;
    for (let i = 0; i < va.length; i++) if (!eqLazy(va[i]!, vb[i]!, pos, ctx)) return false;
    return true;
  }
  if (a instanceof Lambda || a instanceof PrimOp || a instanceof PrimOpApp) return false;
  throw new NixError('eval', `cannot compare ${showType(a)} with ${showType(b)}`, pos);
}

export function isDerivation(v: NixAttrs, pos: PosIdx = noPos): boolean {
  const t = v.get('type');
  if (t === undefined) return false;
  const tv = t instanceof Thunk ? t.force() : t;
  void pos;
  return tv === 'derivation' || (tv instanceof NixString && tv.s === 'derivation');
}

/** CppNix's `CompareValues`: `<` on numbers, strings, paths and lists. */
export function lessThan(a: Value, b: Value, pos: PosIdx, ctx: string): boolean {
  try {
    return compareLt(a, b, pos, ctx);
  } catch (e) {
    if (ctx && e instanceof NixError) e.addTrace(noPos, ctx);
    throw e;
  }
}

function compareLt(a: Value, b: Value, pos: PosIdx, ctx: string): boolean {
  if (isNumber(a) && isNumber(b)) {
    const x = numOf(a);
    const y = numOf(b);
    if (typeof x === typeof y) return x < y;
    return Number(x) < Number(y);
  }
  const ta = typeOf(a);
  if (ta !== typeOf(b)) {
    throw new NixError(
      'eval',
      `cannot compare ${showType(a)} with ${showType(b)}; values are ${printForError(a)} and ${printForError(b)}`,
    );
  }
  if (ta === 'string') {
    const x = typeof a === 'string' ? a : (a as NixString).s;
    const y = typeof b === 'string' ? b : (b as NixString).s;
    return x < y;
  }
  if (ta === 'path') return (a as NixPath).path < (b as NixPath).path;
  if (ta === 'list') {
    const la = a as Lazy[];
    const lb = b as Lazy[];
    for (let i = 0; ; i++) {
      if (i === lb.length) return false;
      if (i === la.length) return true;
      if (!eqLazy(la[i]!, lb[i]!, pos, ctx)) {
        const x = la[i]!;
        const y = lb[i]!;
        return lessThan(x instanceof Thunk ? x.force() : x, y instanceof Thunk ? y.force() : y, pos, 'while comparing two list elements');
      }
    }
  }
  throw new NixError(
    'eval',
    `cannot compare ${showType(a)} with ${showType(b)}; values of that type are incomparable (values are ${printForError(a)} and ${printForError(b)})`,
  );
}
