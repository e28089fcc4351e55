/**
 * List builtins. Mapping builtins are lazy in the elements (each result element is a
 * thunk applying the function), strict builtins force exactly what CppNix forces.
 * `sort` is a stable merge sort, so any comparator gives CppNix's order.
 */

import { NixError, noteHostStack } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceBool, forceFunction, forceInt, forceList, forceValue } from '../force.js';
import { eqLazy, lessThan } from '../ops.js';
import { printForError } from '../print.js';
import { toNixError, type EvalState } from '../state.js';
import { appCode, mkApp, NixAttrs, NixFloat, NixPath, NixString, Thunk, determinePos, type Env, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';
import { arg } from './arg-frames.js';

// The argument frames of these builtins, made once (see arg-frames.ts): a lookup on
// every call showed in profiles of the module system.
const arg0All = arg(0, 'all');
const arg0Any = arg(0, 'any');
const arg0ConcatLists = arg(0, 'concatLists');
const arg0ConcatMap = arg(0, 'concatMap');
const arg0Filter = arg(0, 'filter');
const arg0GenList = arg(0, 'genList');
const arg0Length = arg(0, 'length');
const arg0Map = arg(0, 'map');
const arg0Partition = arg(0, 'partition');
const arg0Sort = arg(0, 'sort');
const arg1All = arg(1, 'all');
const arg1Any = arg(1, 'any');
const arg1ConcatMap = arg(1, 'concatMap');
const arg1Elem = arg(1, 'elem');
const arg1Filter = arg(1, 'filter');
const arg1GenList = arg(1, 'genList');
const arg1Map = arg(1, 'map');
const arg1Partition = arg(1, 'partition');
const arg1Sort = arg(1, 'sort');

export function listBuiltins(st: EvalState): Builtin[] {
  /** CppNix's `mkApp`: applied when forced, at the position it is forced at. */
  const app = (f: Lazy, a1: Lazy, a2?: Lazy): Thunk => mkApp(st, f, a1, a2);
  return [
    { name: 'length', arity: 1, fn1: (l) => forceList(l!, noPos, arg0Length).length },
    {
      name: 'head',
      arity: 1,
      fn1: (l) => {
        const list = forceList(l!, noPos, "while evaluating the first argument passed to 'builtins.head'");
        if (list.length === 0) throw new NixError('eval', "'builtins.head' called on an empty list");
        return forceValue(list[0]!);
      },
    },
    {
      name: 'tail',
      arity: 1,
      fn1: (l) => {
        const list = forceList(l!, noPos, "while evaluating the first argument passed to 'builtins.tail'");
        if (list.length === 0) throw new NixError('eval', "'builtins.tail' called on an empty list");
        return list.slice(1);
      },
    },
    {
      name: 'elemAt',
      arity: 2,
      fn: ([l, n]) => {
        const i = forceInt(n!, noPos, "while evaluating the second argument passed to 'builtins.elemAt'");
        const list = forceList(l!, noPos, "while evaluating the first argument passed to 'builtins.elemAt'");
        if (typeof i !== 'number' || i < 0 || i >= list.length) {
          throw new NixError('eval', `'builtins.elemAt' called with index ${String(i)} on a list of size ${list.length}`);
        }
        return forceValue(list[i]!);
      },
    },
    {
      name: 'elem',
      arity: 2,
      fn: ([x, l]) => {
        const list = forceList(l!, noPos, arg1Elem);
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          if (eqLazy(x!, e, noPos, 'while searching for the presence of the given element in the list')) return true;
        }
        return false;
      },
    },
    {
      name: 'map',
      arity: 2,
      global: true,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg1Map);
        if (list.length === 0) return list;
        const code = appCode(st, forceFunction(f!, noPos, arg0Map));
        const n = list.length;
        const out = new Array<Lazy>(n);
        for (let i = 0; i < n; i++) out[i] = new Thunk(code, list[i] as unknown as Env);
        return out;
      },
    },
    {
      name: 'filter',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg1Filter);
        if (list.length === 0) return list;
        const fn = forceFunction(f!, noPos, arg0Filter);
        const out = newList(list.length);
        let k = 0;
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          if (forceBool(st.callFunction(fn, e, noPos), noPos, 'while evaluating the return value of the filtering function passed to builtins.filter')) out[k++] = e;
        }
        if (k === list.length) return list;
        out.length = k;
        return out;
      },
    },
    {
      name: "foldl'",
      arity: 3,
      fn: ([f, z, l]) => {
        const fn = forceFunction(f!, noPos, 'while evaluating the first argument passed to builtins.foldlStrict');
        const list = forceList(l!, noPos, 'while evaluating the third argument passed to builtins.foldlStrict');
        if (list.length === 0) return forceValue(z!);
        let acc: Lazy = z!;
        for (let i = 0; i < list.length; i++) acc = st.callFunction2(fn, acc, list[i]!, noPos);
        return forceValue(acc);
      },
    },
    {
      name: 'concatLists',
      arity: 1,
      fn1: (l) => {
        const lists = forceList(l!, noPos, arg0ConcatLists);
        const parts = new Array<Lazy[]>(lists.length);
        let total = 0;
        for (let i_x = 0; i_x < lists.length; i_x++) {
          const inner = forceList(lists[i_x]!, noPos, 'while evaluating a value of the list passed to builtins.concatLists');
          parts[i_x] = inner;
          total += inner.length;
        }
        return concatExact(parts, total);
      },
    },
    {
      name: 'concatMap',
      arity: 2,
      fn: ([f, l]) => {
        const fn = forceFunction(f!, noPos, arg0ConcatMap);
        const list = forceList(l!, noPos, arg1ConcatMap);
        const parts = new Array<Lazy[]>(list.length);
        let total = 0;
        for (let i_e = 0; i_e < list.length; i_e++) {
          const rv = st.callFunction(fn, list[i_e]!, noPos);
          // The position is only for the type error: not worked out for every element.
          const r = Array.isArray(rv) ? rv : forceList(rv, determinePos(rv, determinePos(fn)), 'while evaluating the return value of the function passed to builtins.concatMap');
          parts[i_e] = r;
          total += r.length;
        }
        return concatExact(parts, total);
      },
    },
    {
      name: 'genList',
      arity: 2,
      fn: ([f, n]) => {
        const len = forceInt(n!, noPos, arg1GenList);
        if (typeof len !== 'number' || len < 0) throw new NixError('eval', `cannot create list of size ${String(len)}`);
        const code = appCode(st, forceFunction(f!, noPos, arg0GenList));
        const out = new Array<Lazy>(len);
        for (let i = 0; i < len; i++) out[i] = new Thunk(code, i as unknown as Env);
        return out;
      },
    },
    {
      name: 'all',
      arity: 2,
      fn: ([f, l]) => {
        const fn = forceFunction(f!, noPos, arg0All);
        const list = forceList(l!, noPos, arg1All);
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          if (!forceBool(st.callFunction(fn, e, noPos), noPos, 'while evaluating the return value of the function passed to builtins.all')) return false;
        }
        return true;
      },
    },
    {
      name: 'any',
      arity: 2,
      fn: ([f, l]) => {
        const fn = forceFunction(f!, noPos, arg0Any);
        const list = forceList(l!, noPos, arg1Any);
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          if (forceBool(st.callFunction(fn, e, noPos), noPos, 'while evaluating the return value of the function passed to builtins.any')) return true;
        }
        return false;
      },
    },
    {
      name: 'sort',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg1Sort);
        if (list.length === 0) return list;
        const fn = forceFunction(f!, noPos, arg0Sort);
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          forceValue(e);
        }
        const isLessThan = fn === st.builtins.get('lessThan');
        const lt = isLessThan
          ? (a: Lazy, b: Lazy) => lessThan(forceValue(a), forceValue(b), noPos, 'while evaluating the ordering function passed to builtins.sort')
          : (a: Lazy, b: Lazy) => forceBool(st.callFunction2(fn, a, b, noPos), noPos, 'while evaluating the return value of the sorting function passed to builtins.sort');
        return mergeSort(list.slice(), lt);
      },
    },
    {
      name: 'partition',
      arity: 2,
      fn: ([f, l]) => {
        const fn = forceFunction(f!, noPos, arg0Partition);
        const list = forceList(l!, noPos, arg1Partition);
        const right: Lazy[] = [];
        const wrong: Lazy[] = [];
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          forceValue(e);
          if (forceBool(st.callFunction(fn, e, noPos), noPos, 'while evaluating the return value of the partition function passed to builtins.partition')) right.push(e);
          else wrong.push(e);
        }
        return new NixAttrs(
          new Map<string, Lazy>([
            ['right', right.slice()],
            ['wrong', wrong.slice()],
          ]),
        );
      },
    },
    {
      name: 'genericClosure',
      arity: 1,
      fn1: (a) => genericClosure(st, a!),
    },
  ];
}

/**
 * An array for at most `n` elements, to be cut to its final length with `length = k`
 * (V8 then trims it in place). Lists are kept for long: one grown by `push` keeps up
 * to 16 spare slots, three times the size of a short list. Very long ones are grown.
 */
export function newList(n: number): Lazy[] {
  return n <= 65536 ? new Array<Lazy>(n) : [];
}

/** The concatenation of `parts` (`total` elements), in one exactly sized array. */
function concatExact(parts: Lazy[][], total: number): Lazy[] {
  if (total === 0) return [];
  const out = newList(total);
  let k = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    for (let j = 0; j < p.length; j++) out[k++] = p[j]!;
  }
  return out;
}

/** What CppNix's std::map keyed by CompareValues can hold together. */
function keyKind(k: Value): string {
  if (typeof k === 'number' || typeof k === 'bigint' || k instanceof NixFloat) return 'num';
  if (typeof k === 'string' || k instanceof NixString) return 'string';
  if (k instanceof NixPath) return 'path';
  if (Array.isArray(k)) return 'list';
  return 'other';
}

function genericClosure(st: EvalState, a: Lazy): Value {
  const args = forceAttrs(a, noPos, 'while evaluating the first argument passed to builtins.genericClosure');
  const getAttr = (name: string): Lazy => {
    const v = args.get(name);
    if (v === undefined) {
      throw new NixError('type', `attribute '${name}' missing`).addTrace(noPos, 'in the attrset passed as argument to builtins.genericClosure');
    }
    return v;
  };
  const startSet = getAttr('startSet');
  const start = forceList(startSet, noPos, "while evaluating the 'startSet' attribute passed as argument to builtins.genericClosure");
  if (start.length === 0) return start;
  const op = forceFunction(getAttr('operator'), noPos, "while evaluating the 'operator' attribute passed as argument to builtins.genericClosure");
  const work: Lazy[] = [...start];
  let head = 0;
  const res: Lazy[] = [];
  // Keys of one primitive kind are deduplicated by value, lists are kept sorted and
  // searched with `<` (CppNix's std::map keyed by CompareValues); keys of different
  // kinds, and sets, functions, null and Booleans, never compare.
  let kind: string | undefined;
  const prim = new Map<string | number, true>();
  const sortedLists: Value[] = [];
  const entries: { key: Value; elem: Value }[] = [];
  const lt = (x: Value, y: Value) => lessThan(x, y, noPos, '');
  const inOrder = () =>
    entries.slice().sort((x, y) => {
      try {
        return lt(x.key, y.key) ? -1 : lt(y.key, x.key) ? 1 : 0;
      } catch (e) {
        noteHostStack(e);
        return 0;
      }
    });
  const shown = (e: Value) => printForError(e);
  while (head < work.length) {
    const e = work[head++]!;
    let ev: NixAttrs;
    let kx: Lazy | undefined;
    try {
      ev = forceAttrs(e, noPos, '');
      kx = ev.get('key');
      if (kx === undefined) throw new NixError('type', "attribute 'key' missing");
    } catch (err) {
      if (err instanceof NixError) err.addTrace(noPos, `in genericClosure element ${shown(forceValue(e))}`);
      throw err;
    }
    const k = forceValue(kx);
    const kk = keyKind(k);
    let inserted = true;
    try {
      kind ??= kk;
      if (entries.length > 0 && (kk !== kind || kk === 'other')) {
        const first = inOrder()[0]!;
        lt(k, first.key);
        lt(first.key, k);
      }
      if (kk === 'list') {
        let lo = 0;
        let hi = sortedLists.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (lt(sortedLists[mid]!, k)) lo = mid + 1;
          else hi = mid;
        }
        if (lo < sortedLists.length && !lt(k, sortedLists[lo]!)) inserted = false;
        else sortedLists.splice(lo, 0, k);
      } else if (kk !== 'other') {
        const pk =
          k instanceof NixFloat
            ? k.v
            : typeof k === 'number'
              ? k
              : typeof k === 'bigint'
                ? 'b' + String(k)
                : typeof k === 'string'
                  ? 's' + k
                  : k instanceof NixString
                    ? 's' + k.s
                    : 'p' + (k as NixPath).path;
        if (prim.has(pk)) inserted = false;
        else prim.set(pk, true);
      }
    } catch (err) {
      if (err instanceof NixError) {
        const other = inOrder().find((o) => {
          try {
            lt(k, o.key);
            return false;
          } catch (e) {
            noteHostStack(e);
            return true;
          }
        });
        if (other) {
          err.addTrace(noPos, `with element ${shown(other.elem)}`);
          err.addTrace(noPos, `while comparing element ${shown(ev)}`);
        } else err.addTrace(noPos, `while checking key of element ${shown(ev)}`);
      }
      throw err;
    }
    if (inserted) entries.push({ key: k, elem: ev });
    if (!inserted) continue;
    res.push(e);
    try {
      const next = forceList(st.callFunction(op, e, noPos), noPos, 'while evaluating the return value of the `operator` passed to builtins.genericClosure');
      for (const n of next) {
        forceValue(n);
        work.push(n);
      }
    } catch (err) {
      if (err instanceof NixError) err.addTrace(noPos, `while calling operator on genericClosure element ${shown(ev)}`);
      throw err;
    }
  }
  return res;
}

export function mergeSort(a: Lazy[], lt: (x: Lazy, y: Lazy) => boolean): Lazy[] {
  const n = a.length;
  if (n < 2) return a;
  let src = a;
  let dst = new Array<Lazy>(n);
  // Bottom-up: insertion-sort runs of 8, then merge; stable throughout.
  const RUN = 8;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const x = src[i]!;
      let j = i - 1;
      while (j >= lo && lt(x, src[j]!)) {
        src[j + 1] = src[j]!;
        j--;
      }
      src[j + 1] = x;
    }
  }
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (lt(src[j]!, src[i]!)) dst[k++] = src[j++]!;
        else dst[k++] = src[i++]!;
      }
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

export { toNixError };
