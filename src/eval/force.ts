/**
 * Forcing with expectations: `forceAttrs`, `forceList`, `forceString`, …
 *
 * Each takes the position and CppNix's error-context string, so that a type error
 * reads and traces exactly as CppNix's (`expected a list but found an integer: 8`,
 * `… while evaluating one of the elements to concatenate`).
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos, type PosIdx } from '../lang/source.js';
import { typeError, typeErrorCtx } from './errors.js';
import {
  Lambda,
  NixAttrs,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  type Lazy,
  type NixList,
  type Value,
} from './value.js';

export function forceValue(x: Lazy, pos: PosIdx = noPos): Value {
  return x instanceof Thunk ? x.force(pos) : x;
}

/** Force, adding the context frame to any error (CppNix's forceInt & co. wrap the force). */
function forceCtx(x: Thunk, pos: PosIdx, ctx: string): Value {
  try {
    return x.force(pos);
  } catch (e) {
    if (e instanceof NixError) e.addTrace(pos, ctx);
    throw e;
  }
}

/** As CppNix's forceAttrs: the context frame is only added to the type error. */
export function forceAttrs(x: Lazy, pos: PosIdx, ctx: string): NixAttrs {
  const v = x instanceof Thunk ? x.force(pos) : x;
  if (v instanceof NixAttrs) return v;
  throw typeErrorCtx('a set', v, pos, ctx);
}

export function forceList(x: Lazy, pos: PosIdx, ctx: string): NixList {
  const v = x instanceof Thunk ? x.force(pos) : x;
  if (Array.isArray(v)) return v;
  throw typeErrorCtx('a list', v, pos, ctx);
}

export function forceInt(x: Lazy, pos: PosIdx, ctx: string): number | bigint {
  const v = x instanceof Thunk ? forceCtx(x, pos, ctx) : x;
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  throw typeError('an integer', v, pos, ctx);
}

export function forceFloat(x: Lazy, pos: PosIdx, ctx: string): number {
  const v = x instanceof Thunk ? forceCtx(x, pos, ctx) : x;
  if (v instanceof NixFloat) return v.v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw typeError('a float', v, pos, ctx);
}

export function forceBool(x: Lazy, pos: PosIdx, ctx: string): boolean {
  const v = x instanceof Thunk ? forceCtx(x, pos, ctx) : x;
  if (v === true || v === false) return v;
  throw typeError('a Boolean', v, pos, ctx);
}

export function forceFunction(x: Lazy, pos: PosIdx, ctx: string): Lambda | PrimOp | PrimOpApp | NixAttrs {
  const v = x instanceof Thunk ? forceCtx(x, pos, ctx) : x;
  if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) return v;
  if (v instanceof NixAttrs && v.has('__functor')) return v;
  throw typeError('a function', v, pos, ctx);
}

/** A string value (with its context), no coercion. */
export function forceStringValue(x: Lazy, pos: PosIdx, ctx: string): string | NixString {
  const v = x instanceof Thunk ? forceCtx(x, pos, ctx) : x;
  if (typeof v === 'string' || v instanceof NixString) return v;
  throw typeError('a string', v, pos, ctx);
}

/** The bytes of a string value, no coercion (context ignored). */
export function forceString(x: Lazy, pos: PosIdx, ctx: string): string {
  const v = x instanceof Thunk ? forceCtx(x, pos, ctx) : x;
  if (typeof v === 'string') return v;
  if (v instanceof NixString) return v.s;
  throw typeError('a string', v, pos, ctx);
}

/** As CppNix's forceStringNoCtx: a string that must not carry context. */
export function forceStringNoCtx(x: Lazy, pos: PosIdx, ctx: string): string {
  const v = forceStringValue(x, pos, ctx);
  if (typeof v === 'string') return v;
  const first = [...v.ctx][0]!;
  const shown = first.startsWith('=') ? first.slice(1) : first.startsWith('!') ? first.slice(first.indexOf('!', 1) + 1) : first;
  throw new NixError(
    'eval',
    `the string '${v.s}' is not allowed to refer to a store path (such as '${shown}')`,
  ).addTrace(pos, ctx);
}

export function forcePath(x: Lazy, pos: PosIdx, ctx: string): NixPath {
  const v = x instanceof Thunk ? forceCtx(x, pos, ctx) : x;
  if (v instanceof NixPath) return v;
  throw typeError('a path', v, pos, ctx);
}
