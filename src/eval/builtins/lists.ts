/**
 * List builtins. Mapping builtins are lazy in the elements (each result element is a
 * thunk applying the function), strict builtins force exactly what CppNix forces.
 * `sort` is a stable merge sort, so any comparator gives CppNix's order.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceBool, forceFunction, forceInt, forceList, forceValue } from '../force.js';
import { eqLazy, lessThan } from '../ops.js';
import { toNixError, type EvalState } from '../state.js';
import { NixAttrs, Thunk, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';

const arg = (n: number, name: string) =>
  `while evaluating the ${['first', 'second', 'third'][n]} argument passed to builtins.${name}`;

export function listBuiltins(st: EvalState): Builtin[] {
  const callLazy = (f: Value, ...args: Lazy[]): Thunk => Thunk.of(() => st.call(f, ...args));
  return [
    { name: 'length', arity: 1, fn: ([l]) => forceList(l!, noPos, arg(0, 'length')).length },
    {
      name: 'head',
      arity: 1,
      fn: ([l]) => {
        const list = forceList(l!, noPos, arg(0, 'head'));
        if (list.length === 0) throw new NixError('eval', "'builtins.head' called on an empty list");
        return forceValue(list[0]!);
      },
    },
    {
      name: 'tail',
      arity: 1,
      fn: ([l]) => {
        const list = forceList(l!, noPos, arg(0, 'tail'));
        if (list.length === 0) throw new NixError('eval', "'builtins.tail' called on an empty list");
        return list.slice(1);
      },
    },
    {
      name: 'elemAt',
      arity: 2,
      fn: ([l, n]) => {
        const list = forceList(l!, noPos, arg(0, 'elemAt'));
        const i = forceInt(n!, noPos, arg(1, 'elemAt'));
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
        const list = forceList(l!, noPos, arg(1, 'elem'));
        for (const e of list) if (eqLazy(x!, e, noPos, 'while searching for the presence of the given element in the list')) return true;
        return false;
      },
    },
    {
      name: 'map',
      arity: 2,
      global: true,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'map'));
        if (list.length === 0) return list;
        const fn = forceFunction(f!, noPos, arg(0, 'map'));
        return list.map((e) => callLazy(fn, e));
      },
    },
    {
      name: 'filter',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'filter'));
        if (list.length === 0) return list;
        const fn = forceFunction(f!, noPos, arg(0, 'filter'));
        const out: Lazy[] = [];
        let same = true;
        for (const e of list) {
          if (forceBool(st.call(fn, e), noPos, 'while evaluating the return value of the filtering function passed to builtins.filter')) out.push(e);
          else same = false;
        }
        return same ? list : out;
      },
    },
    {
      name: "foldl'",
      arity: 3,
      fn: ([f, z, l]) => {
        const list = forceList(l!, noPos, arg(2, "foldl'"));
        if (list.length === 0) return forceValue(z!);
        const fn = forceFunction(f!, noPos, arg(0, "foldl'"));
        let acc: Lazy = z!;
        for (const e of list) acc = st.call(fn, acc, e);
        return forceValue(acc);
      },
    },
    {
      name: 'concatLists',
      arity: 1,
      fn: ([l]) => {
        const lists = forceList(l!, noPos, arg(0, 'concatLists'));
        const out: Lazy[] = [];
        for (const x of lists) {
          const inner = forceList(x, noPos, 'while evaluating a value of the list passed to builtins.concatLists');
          for (const e of inner) out.push(e);
        }
        return out;
      },
    },
    {
      name: 'concatMap',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'concatMap'));
        const fn = forceFunction(f!, noPos, arg(0, 'concatMap'));
        const out: Lazy[] = [];
        for (const e of list) {
          const r = forceList(st.call(fn, e), noPos, 'while evaluating the return value of the function passed to builtins.concatMap');
          for (const x of r) out.push(x);
        }
        return out;
      },
    },
    {
      name: 'genList',
      arity: 2,
      fn: ([f, n]) => {
        const len = forceInt(n!, noPos, arg(1, 'genList'));
        if (typeof len !== 'number' || len < 0) throw new NixError('eval', `cannot create list of size ${String(len)}`);
        const fn = forceValue(f!);
        const out = new Array<Lazy>(len);
        for (let i = 0; i < len; i++) out[i] = callLazy(fn, i);
        if (len > 0) forceFunction(fn, noPos, arg(0, 'genList'));
        return out;
      },
    },
    {
      name: 'all',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'all'));
        const fn = forceFunction(f!, noPos, arg(0, 'all'));
        for (const e of list) if (!forceBool(st.call(fn, e), noPos, 'while evaluating the return value of the function passed to builtins.all')) return false;
        return true;
      },
    },
    {
      name: 'any',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'any'));
        const fn = forceFunction(f!, noPos, arg(0, 'any'));
        for (const e of list) if (forceBool(st.call(fn, e), noPos, 'while evaluating the return value of the function passed to builtins.any')) return true;
        return false;
      },
    },
    {
      name: 'sort',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'sort'));
        if (list.length === 0) return list;
        const fn = forceFunction(f!, noPos, arg(0, 'sort'));
        for (const e of list) forceValue(e);
        const isLessThan = fn === st.builtins.get('lessThan');
        const lt = isLessThan
          ? (a: Lazy, b: Lazy) => lessThan(forceValue(a), forceValue(b), noPos, 'while evaluating the ordering function passed to builtins.sort')
          : (a: Lazy, b: Lazy) => forceBool(st.call(fn, a, b), noPos, 'while evaluating the return value of the sorting function passed to builtins.sort');
        return mergeSort(list.slice(), lt);
      },
    },
    {
      name: 'partition',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'partition'));
        const fn = forceFunction(f!, noPos, arg(0, 'partition'));
        const right: Lazy[] = [];
        const wrong: Lazy[] = [];
        for (const e of list) {
          if (forceBool(st.call(fn, e), noPos, 'while evaluating the return value of the partition function passed to builtins.partition')) right.push(e);
          else wrong.push(e);
        }
        return new NixAttrs(
          new Map<string, Lazy>([
            ['right', right],
            ['wrong', wrong],
          ]),
        );
      },
    },
    {
      name: 'genericClosure',
      arity: 1,
      fn: ([a]) => {
        const args = forceValue(a!);
        if (!(args instanceof NixAttrs)) throw st.typeError('a set', args, noPos, 'while evaluating the first argument passed to builtins.genericClosure');
        const startSet = args.get('startSet');
        if (startSet === undefined) throw new NixError('type', "attribute 'startSet' missing").addTrace(noPos, 'in the attrset passed as argument to builtins.genericClosure');
        const operator = args.get('operator');
        if (operator === undefined) throw new NixError('type', "attribute 'operator' missing").addTrace(noPos, 'in the attrset passed as argument to builtins.genericClosure');
        const work = [...forceList(startSet, noPos, 'while evaluating the \'startSet\' attribute passed as argument to builtins.genericClosure')];
        const op = forceFunction(operator, noPos, "while evaluating the 'operator' attribute passed as argument to builtins.genericClosure");
        const res: Lazy[] = [];
        const keys: Value[] = [];
        const has = (k: Value) => {
          // Keys are compared with `<`/`==` semantics; a linear scan keeps CppNix's errors.
          for (const x of keys) if (eqLazy(x, k, noPos, '')) return true;
          return false;
        };
        const keyIndex = new Map<string, boolean>();
        while (work.length) {
          const e = work.shift()!;
          const ev = forceValue(e);
          if (!(ev instanceof NixAttrs)) throw st.typeError('a set', ev, noPos, 'while evaluating one of the elements generated by (or initially passed to) builtins.genericClosure');
          const kx = ev.get('key');
          if (kx === undefined) throw new NixError('type', "attribute 'key' missing").addTrace(noPos, 'in one of the attrsets generated by (or initially passed to) builtins.genericClosure');
          const k = forceValue(kx);
          const prim = typeof k === 'string' ? 's' + k : typeof k === 'number' ? 'n' + k : undefined;
          if (prim !== undefined) {
            if (keyIndex.has(prim)) continue;
            keyIndex.set(prim, true);
          } else {
            if (keys.length) lessThan(keys[0]!, k, noPos, 'while comparing the `key` attributes of two genericClosure elements');
            if (has(k)) continue;
          }
          keys.push(k);
          res.push(e);
          const next = forceList(st.call(op, e), noPos, 'while evaluating the return value of the `operator` passed to builtins.genericClosure');
          for (const n of next) work.push(n);
        }
        return res;
      },
    },
  ];
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
