/**
 * Small helpers for building and taking apart Nix values from TypeScript.
 *
 * The module system is written natively but its whole surface is ordinary Nix data:
 * attribute sets with `_type` markers, lists of `{ file; value; }` records, functions.
 * These helpers keep that translation short and, above all, lazy: anything that Nix
 * would leave unevaluated is wrapped in a `Thunk`, so that the natively computed
 * `config` stays exactly as lazy as nixpkgs' (a `mkIf` condition on `config.x` must
 * never be forced while merely collecting definitions).
 *
 * Errors raised on behalf of the module system are `throw`-kind errors, because in
 * nixpkgs they come from `throw` and are therefore catchable by `builtins.tryEval`
 * (NixOS's documentation builder and `nixos-option` rely on that).
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos } from '../lang/source.js';
import type { EvalState } from '../eval/state.js';
import {
  AttrLayout,
  Lambda,
  NixAttrs,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  type Lazy,
  type Value,
} from '../eval/value.js';

export function lazy(fn: () => Value): Thunk {
  return Thunk.of(fn);
}

export function f(x: Lazy): Value {
  return x instanceof Thunk ? x.force() : x;
}

/**
 * Scratch space for `attrs`: the engine builds tens of thousands of small sets, and
 * two push-grown arrays per set were most of what building one allocated. Safe to
 * share: nothing runs between filling and reading them (a record's entries are plain
 * data properties).
 */
const scratchNames: string[] = [];
const scratchVals: Lazy[] = [];

/** An attribute set from a record; `undefined` entries are left out. */
export function attrs(rec: Record<string, Lazy | undefined>): NixAttrs {
  const names = scratchNames;
  const vals = scratchVals;
  let n = 0;
  for (const k in rec) {
    const v = rec[k];
    if (v !== undefined) {
      names[n] = k;
      vals[n++] = v;
    }
  }
  if (n === 0) return NixAttrs.of(AttrLayout.empty, []);
  const plan = recordLayoutOf(names, n);
  const order = plan.order;
  const vs = new Array<Lazy>(n);
  for (let i = 0; i < n; i++) vs[i] = vals[order[i]!]!;
  // Not kept alive by the scratch space.
  for (let i = 0; i < n; i++) vals[i] = null;
  return NixAttrs.of(plan.layout, vs);
}

/**
 * Layouts of the record shapes the engine builds, by their names in written order:
 * a handful of shapes, each built thousands of times. Found by first and last name,
 * then compared name by name (no key string to build per set).
 */
type RecordPlan = { names: string[]; layout: AttrLayout; order: number[] };
const recordLayouts = new Map<string, Map<string, RecordPlan[]>>();
let recordPlans = 0;

export function recordLayout(names: string[]): { layout: AttrLayout; order: number[] } {
  return recordLayoutOf(names, names.length);
}

/** `recordLayout` of the first `n` of `names` (which may be scratch space: never kept). */
function recordLayoutOf(names: string[], n: number): RecordPlan {
  const first = names[0]!;
  const last = names[n - 1]!;
  let byLast = recordLayouts.get(first);
  if (byLast === undefined) recordLayouts.set(first, (byLast = new Map()));
  let plans = byLast.get(last);
  if (plans === undefined) byLast.set(last, (plans = []));
  for (let p = 0; p < plans.length; p++) {
    const hit = plans[p]!;
    const hn = hit.names;
    if (hn.length !== n) continue;
    let same = true;
    for (let i = 1; i < n - 1; i++) {
      if (hn[i] !== names[i]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  const own = names.length === n ? names.slice() : names.slice(0, n);
  const plan = { names: own, ...AttrLayout.sortedOf(own) };
  if (++recordPlans > 20000) {
    recordLayouts.clear();
    recordPlans = 0;
  } else if (plans.length < 64) plans.push(plan);
  return plan;
}

export function prim(name: string, arity: number, fn: (args: Lazy[]) => Value): PrimOp {
  return new PrimOp(name, arity, (args) => fn(args));
}

export function throwNix(msg: string): never {
  throw new NixError('throw', msg);
}

/** Like `builtins.addErrorContext`: the frame is shown even in short traces. */
export function withContext<T>(msg: string | (() => string), fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NixError) e.addTrace(noPos, typeof msg === 'string' ? msg : msg(), true);
    throw e;
  }
}

export function isAttrsV(v: Value): v is NixAttrs {
  return v instanceof NixAttrs;
}

/** `x._type or null` without forcing anything but `x` and its `_type`. */
export function typeTag(v: Value): string | null {
  if (!(v instanceof NixAttrs)) return null;
  const t = v.get('_type');
  if (t === undefined) return null;
  const tv = f(t);
  return typeof tv === 'string' ? tv : tv instanceof NixString ? tv.s : null;
}

export function getStr(v: Lazy): string {
  const x = f(v);
  if (typeof x === 'string') return x;
  if (x instanceof NixString) return x.s;
  throw new NixError('type', `expected a string but found ${describe(x)}`);
}

export function describe(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'a Boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'an integer';
  if (typeof v === 'string' || v instanceof NixString) return 'a string';
  if (v instanceof NixPath) return 'a path';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof NixAttrs) return 'a set';
  return 'a function';
}

/** `builtins.typeOf`. */
export function nixTypeOf(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'string' || v instanceof NixString) return 'string';
  if (v instanceof NixPath) return 'path';
  if (Array.isArray(v)) return 'list';
  if (v instanceof NixAttrs) return 'set';
  if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) return 'lambda';
  return 'float';
}

export function isFunctionV(v: Value): boolean {
  if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) return true;
  // lib.isFunction also accepts functors.
  return v instanceof NixAttrs && v.has('__functor');
}

/** The formals' names of a lambda (of every closure of one lambda expression). */
const formalNames = new WeakMap<object, string[]>();

/** The names `lib.functionArgs` would give, without building its Map for a lambda. */
export function functionArgNames(st: EvalState, v: Value): readonly string[] {
  if (v instanceof Lambda) {
    const node = v.node;
    let names = formalNames.get(node);
    if (names === undefined) {
      names = node.formals ? node.formals.formals.map((x) => x.name) : [];
      formalNames.set(node, names);
    }
    return names;
  }
  return [...functionArgsOf(st, v).keys()];
}

/** `lib.functionArgs`: formals of a lambda, `__functionArgs` of a functor, else `{}`. */
export function functionArgsOf(st: EvalState, v: Value): Map<string, boolean> {
  if (v instanceof Lambda) {
    const m = new Map<string, boolean>();
    const formals = v.node.formals;
    if (formals) for (const x of formals.formals) m.set(x.name, x.def !== undefined);
    return m;
  }
  if (v instanceof NixAttrs) {
    const fa = v.get('__functionArgs');
    if (fa !== undefined) {
      const a = f(fa);
      const m = new Map<string, boolean>();
      if (a instanceof NixAttrs) for (const k of a.keys()) m.set(k, f(a.get(k)!) === true);
      return m;
    }
    const fn = v.get('__functor');
    if (fn !== undefined) return functionArgsOf(st, st.callFunction(f(fn), v, noPos));
  }
  return new Map();
}

export function call(st: EvalState, fn: Lazy, ...args: Lazy[]): Value {
  let v = f(fn);
  for (let i = 0; i < args.length; i++) v = st.callFunction(v, args[i]!, noPos);
  return v;
}

export function list(xs: Lazy[]): Lazy[] {
  return xs;
}

/** Nix's `toString` (coerceMore: ints, bools, null and lists too), without copying paths. */
export function toStr(st: EvalState, x: Lazy): string {
  return st.coerceToString(x, noPos, 'while evaluating a module system string', { coerceMore: true, copyToStore: false }).s;
}

export function strList(v: Lazy): string[] {
  const l = f(v);
  if (!Array.isArray(l)) throw new NixError('type', `expected a list but found ${describe(l)}`);
  return l.map(getStr);
}
