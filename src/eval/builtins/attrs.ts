/**
 * Attribute-set builtins. Results share the argument's value objects (no copying of
 * lazies), which keeps pointer identity where CppNix keeps it.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceFunction, forceList, forceStringNoCtx, forceValue } from '../force.js';
import type { EvalState } from '../state.js';
import { AttrLayout, mkApp, NixAttrs, Thunk, compareBytes, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';
import { newList } from './lists.js';
import { arg } from './arg-frames.js';

// The argument frames of these builtins, made once (see arg-frames.ts): a lookup on
// every call showed in profiles of the module system.
const arg0CatAttrs = arg(0, 'catAttrs');
const arg0GetAttr = arg(0, 'getAttr');
const arg0GroupBy = arg(0, 'groupBy');
const arg0HasAttr = arg(0, 'hasAttr');
const arg0IntersectAttrs = arg(0, 'intersectAttrs');
const arg0RemoveAttrs = arg(0, 'removeAttrs');
const arg0ZipAttrsWith = arg(0, 'zipAttrsWith');
const arg1CatAttrs = arg(1, 'catAttrs');
const arg1GetAttr = arg(1, 'getAttr');
const arg1GroupBy = arg(1, 'groupBy');
const arg1HasAttr = arg(1, 'hasAttr');
const arg1IntersectAttrs = arg(1, 'intersectAttrs');
const arg1MapAttrs = arg(1, 'mapAttrs');
const arg1RemoveAttrs = arg(1, 'removeAttrs');
const arg1ZipAttrsWith = arg(1, 'zipAttrsWith');

export function attrBuiltins(st: EvalState): Builtin[] {
  /** CppNix's `mkApp`: applied when forced, at the position it is forced at. */
  const app = (f: Lazy, a1: Lazy, a2?: Lazy): Thunk => mkApp(st, f, a1, a2);
  /** CppNix's EvalState::getAttr. */
  const getAttr = (a: NixAttrs, name: string, ctx: string): Lazy => {
    const v = a.get(name);
    if (v === undefined) throw new NixError('type', `attribute '${name}' missing`).addTrace(noPos, ctx);
    return v;
  };
  return [
    {
      name: 'attrNames',
      arity: 1,
      fn1: (s) => forceAttrs(s!, noPos, 'while evaluating the argument passed to builtins.attrNames').keys().slice(),
    },
    {
      name: 'attrValues',
      arity: 1,
      fn1: (s) => {
        return forceAttrs(s!, noPos, 'while evaluating the argument passed to builtins.attrValues').vals.slice();
      },
    },
    {
      name: 'getAttr',
      arity: 2,
      fn: ([n, s]) => {
        const name = forceStringNoCtx(n!, noPos, arg0GetAttr);
        const a = forceAttrs(s!, noPos, arg1GetAttr);
        return forceValue(getAttr(a, name, 'in the attribute set under consideration'));
      },
    },
    {
      name: 'hasAttr',
      arity: 2,
      fn: ([n, s]) => {
        const name = forceStringNoCtx(n!, noPos, arg0HasAttr);
        return forceAttrs(s!, noPos, arg1HasAttr).has(name);
      },
    },
    {
      name: 'removeAttrs',
      arity: 2,
      global: true,
      fn: ([s, l]) => {
        const a = forceAttrs(s!, noPos, arg0RemoveAttrs);
        const names = forceList(l!, noPos, arg1RemoveAttrs);
        const drop = names.map((n) => forceStringNoCtx(n, noPos, 'while evaluating the values of the second argument passed to builtins.removeAttrs'));
        if (drop.length === 0) return a;
        const gone = new Uint8Array(a.size);
        let n = 0;
        for (let i_d = 0; i_d < drop.length; i_d++) {
          const d = drop[i_d]!;
          const i = a.layout.indexOf(d);
          if (i >= 0 && gone[i] === 0) {
            gone[i] = 1;
            n++;
          }
        }
        if (n === 0) return a;
        const ks = a.keys();
        const m = ks.length - n;
        // The same names removed from sets of one layout give one layout.
        const lay = a.layout;
        let rc = lay.removeCache;
        if (rc === undefined || !sameBytes(rc.gone, gone)) {
          const keys = new Array<string>(m);
          for (let i = 0, k = 0; i < ks.length; i++) if (gone[i] === 0) keys[k++] = ks[i]!;
          lay.removeCache = rc = { gone, out: new AttrLayout(keys) };
        }
        const vals = new Array<Lazy>(m);
        const av = a.vals;
        for (let i = 0, k = 0; i < ks.length; i++) if (gone[i] === 0) vals[k++] = av[i]!;
        if (!a.hasPositions()) return NixAttrs.of(rc.out, vals);
        const pos = new Array<number>(m);
        for (let i = 0, k = 0; i < ks.length; i++) if (gone[i] === 0) pos[k++] = a.posAt(i);
        return NixAttrs.of(rc.out, vals, pos);
      },
    },
    {
      name: 'listToAttrs',
      arity: 1,
      fn1: (l) => {
        const list = forceList(l!, noPos, 'while evaluating the argument passed to builtins.listToAttrs');
        // As CppNix: all names first, then the values of the first pair of each name.
        const n = list.length;
        const pairs = new Array<NixAttrs>(n);
        const names = new Array<string>(n);
        // Pairs are nearly always built by one literal: its slots are looked up once.
        let lay: AttrLayout | undefined;
        let nameIdx = -1;
        for (let i = 0; i < n; i++) {
          const e = list[i]!;
          const a = forceAttrs(e, noPos, 'while evaluating an element of the list passed to builtins.listToAttrs');
          // The forced pair and name take their thunks' places (see `settles`): the
          // pairs are usually made here, by forcing, and those thunks (with the call
          // environments they hold) then die young instead of being copied with the pairs.
          if (e !== a) list[i] = a;
          if (a.layout !== lay) {
            lay = a.layout;
            nameIdx = lay.indexOf('name');
          }
          if (nameIdx < 0) getAttr(a, 'name', 'in a {name=...; value=...;} pair');
          const vs = a.vals;
          const nx = vs[nameIdx]!;
          const name = forceStringNoCtx(nx, a.posAt(nameIdx), 'while evaluating the `name` attribute of an element of the list passed to builtins.listToAttrs');
          if (nx instanceof Thunk) vs[nameIdx] = nx.peek()!;
          pairs[i] = a;
          names[i] = name;
        }
        // The pairs in name order (byte order on byte strings), the first pair of a
        // name before its later ones: sorting indices costs less than a name → pair
        // map, whose every insertion misses the cache once the list is long. A large
        // result builds its name index when it is looked up often (AttrLayout.indexOf).
        const order = new Array<number>(n);
        for (let i = 0; i < n; i++) order[i] = i;
        order.sort((x, y) => {
          const p = names[x]!;
          const q = names[y]!;
          return p < q ? -1 : p > q ? 1 : x - y;
        });
        const keys = new Array<string>(n);
        const vals = new Array<Lazy>(n);
        const pos = new Array<number>(n);
        lay = undefined;
        let valueIdx = -1;
        let m = 0;
        for (let k = 0; k < n; k++) {
          const i = order[k]!;
          const name = names[i]!;
          if (m > 0 && name === keys[m - 1]) continue;
          const a = pairs[i]!;
          if (a.layout !== lay) {
            lay = a.layout;
            valueIdx = lay.indexOf('value');
          }
          if (valueIdx < 0) getAttr(a, 'value', 'in a {name=...; value=...;} pair');
          keys[m] = name;
          vals[m] = a.vals[valueIdx]!;
          pos[m] = a.posAt(valueIdx);
          m++;
        }
        if (m < n) {
          keys.length = m;
          vals.length = m;
          pos.length = m;
        }
        return NixAttrs.of(new AttrLayout(keys), vals, pos);
      },
    },
    {
      name: 'intersectAttrs',
      arity: 2,
      fn: ([x, y]) => {
        const a = forceAttrs(x!, noPos, arg0IntersectAttrs);
        const b = forceAttrs(y!, noPos, arg1IntersectAttrs);
        const keys: string[] = [];
        const vals: Lazy[] = [];
        const pos: number[] | undefined = b.hasPositions() ? [] : undefined;
        if (a.size < b.size) {
          const ka = a.keys();
          for (let i = 0; i < ka.length; i++) {
            const j = b.layout.indexOf(ka[i]!);
            if (j < 0) continue;
            keys.push(ka[i]!);
            vals.push(b.vals[j]!);
            if (pos) pos.push(b.posAt(j));
          }
        } else {
          const kb = b.keys();
          for (let j = 0; j < kb.length; j++) {
            if (!a.has(kb[j]!)) continue;
            keys.push(kb[j]!);
            vals.push(b.vals[j]!);
            if (pos) pos.push(b.posAt(j));
          }
        }
        if (keys.length === b.size) return NixAttrs.of(b.layout, vals, pos);
        return NixAttrs.of(new AttrLayout(keys), vals, pos);
      },
    },
    {
      name: 'catAttrs',
      arity: 2,
      fn: ([n, l]) => {
        const name = forceStringNoCtx(n!, noPos, arg0CatAttrs);
        const list = forceList(l!, noPos, arg1CatAttrs);
        const out = newList(list.length);
        let k = 0;
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          const v = forceAttrs(e, noPos, 'while evaluating an element in the list passed as second argument to builtins.catAttrs').get(name);
          if (v !== undefined) out[k++] = v;
        }
        out.length = k;
        return out;
      },
    },
    {
      name: 'mapAttrs',
      arity: 2,
      fn: ([f, s]) => {
        const a = forceAttrs(s!, noPos, arg1MapAttrs);
        // CppNix does not force the function here, and a lambda argument is a thunk
        // there: until the first application, the applications have no position.
        const fn: Lazy = f instanceof Thunk ? f : Thunk.ofValue(f as Value);
        const ks = a.keys();
        const vs = a.vals;
        const out = new Array<Lazy>(ks.length);
        for (let i = 0; i < ks.length; i++) out[i] = app(fn, ks[i]!, vs[i]!);
        // Same names, same layout; the new attributes have no position (CppNix's `alloc(name)`).
        return NixAttrs.of(a.layout, out);
      },
    },
    {
      name: 'zipAttrsWith',
      arity: 2,
      fn: ([f, l]) => {
        forceFunction(f!, noPos, arg0ZipAttrsWith);
        const list = forceList(l!, noPos, arg1ZipAttrsWith);
        const n = list.length;
        const sets = new Array<NixAttrs>(n);
        let same = true;
        for (let i = 0; i < n; i++) {
          const a = forceAttrs(list[i]!, noPos, 'while evaluating a value of the list passed as second argument to builtins.zipAttrsWith');
          sets[i] = a;
          if (a.layout !== sets[0]!.layout) same = false;
        }
        if (n === 0) return NixAttrs.of(AttrLayout.empty, []);
        if (same) {
          // One layout (sets from one literal): slot by slot, and the result shares it.
          const layout = sets[0]!.layout;
          const ks = layout.keys;
          const out = new Array<Lazy>(ks.length);
          for (let j = 0; j < ks.length; j++) {
            const vs = new Array<Lazy>(n);
            for (let i = 0; i < n; i++) vs[i] = sets[i]!.vals[j]!;
            out[j] = app(f!, ks[j]!, vs);
          }
          return NixAttrs.of(layout, out);
        }
        const acc = new Map<string, Lazy[]>();
        for (let i = 0; i < n; i++) {
          const a = sets[i]!;
          const ks = a.layout.keys;
          const vals = a.vals;
          for (let j = 0; j < ks.length; j++) {
            const k = ks[j]!;
            const arr = acc.get(k);
            if (arr === undefined) acc.set(k, [vals[j]!]);
            else arr.push(vals[j]!);
          }
        }
        const keys = Array.from(acc.keys()).sort();
        const out = new Array<Lazy>(keys.length);
        for (let j = 0; j < keys.length; j++) {
          const vs = acc.get(keys[j]!)!;
          // Grown by push: copied without the spare slots.
          out[j] = app(f!, keys[j]!, vs.length > 1 ? vs.slice() : vs);
        }
        return NixAttrs.of(new AttrLayout(keys), out);
      },
    },
    {
      name: 'groupBy',
      arity: 2,
      fn: ([f, l]) => {
        const fn = forceFunction(f!, noPos, arg0GroupBy);
        const list = forceList(l!, noPos, arg1GroupBy);
        const acc = new Map<string, Lazy[]>();
        for (let i_e = 0; i_e < list.length; i_e++) {
          const e = list[i_e]!;
          const k = forceStringNoCtx(st.callFunction(fn, e, noPos), noPos, 'while evaluating the return value of the grouping function passed to builtins.groupBy');
          let arr = acc.get(k);
          if (!arr) acc.set(k, (arr = []));
          arr.push(e);
        }
        return new NixAttrs(new Map<string, Lazy>(acc));
      },
    },
  ];
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export { compareBytes };
