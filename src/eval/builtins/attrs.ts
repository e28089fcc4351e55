/**
 * Attribute-set builtins. Results share the argument's value objects (no copying of
 * lazies), which keeps pointer identity where CppNix keeps it.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceFunction, forceList, forceStringNoCtx, forceValue } from '../force.js';
import type { EvalState } from '../state.js';
import { mkApp, NixAttrs, Thunk, compareBytes, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';

const arg = (n: number, name: string) =>
  `while evaluating the ${['first', 'second', 'third'][n]} argument passed to builtins.${name}`;

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
      fn: ([s]) => forceAttrs(s!, noPos, 'while evaluating the argument passed to builtins.attrNames').keys().slice(),
    },
    {
      name: 'attrValues',
      arity: 1,
      fn: ([s]) => {
        const a = forceAttrs(s!, noPos, 'while evaluating the argument passed to builtins.attrValues');
        return a.keys().map((k) => a.get(k)!);
      },
    },
    {
      name: 'getAttr',
      arity: 2,
      fn: ([n, s]) => {
        const name = forceStringNoCtx(n!, noPos, arg(0, 'getAttr'));
        const a = forceAttrs(s!, noPos, arg(1, 'getAttr'));
        return forceValue(getAttr(a, name, 'in the attribute set under consideration'));
      },
    },
    {
      name: 'hasAttr',
      arity: 2,
      fn: ([n, s]) => {
        const name = forceStringNoCtx(n!, noPos, arg(0, 'hasAttr'));
        return forceAttrs(s!, noPos, arg(1, 'hasAttr')).has(name);
      },
    },
    {
      name: 'removeAttrs',
      arity: 2,
      global: true,
      fn: ([s, l]) => {
        const a = forceAttrs(s!, noPos, arg(0, 'removeAttrs'));
        const names = forceList(l!, noPos, arg(1, 'removeAttrs'));
        const drop = names.map((n) => forceStringNoCtx(n, noPos, 'while evaluating the values of the second argument passed to builtins.removeAttrs'));
        if (drop.length === 0) return a;
        const m = new Map(a.map);
        for (const n of drop) m.delete(n);
        return new NixAttrs(m, a.positions);
      },
    },
    {
      name: 'listToAttrs',
      arity: 1,
      fn: ([l]) => {
        const list = forceList(l!, noPos, 'while evaluating the argument passed to builtins.listToAttrs');
        // As CppNix: all names first, then the values of the first pair of each name.
        const names: string[] = [];
        const pairs: NixAttrs[] = [];
        for (const e of list) {
          const a = forceAttrs(e, noPos, 'while evaluating an element of the list passed to builtins.listToAttrs');
          const nx = getAttr(a, 'name', 'in a {name=...; value=...;} pair');
          names.push(
            forceStringNoCtx(nx, a.posOf('name'), 'while evaluating the `name` attribute of an element of the list passed to builtins.listToAttrs'),
          );
          pairs.push(a);
        }
        const m = new Map<string, Lazy>();
        const pos = new Map<string, { pos: number }>();
        const order = names.map((_, i) => i).sort((i, j) => compareBytes(names[i]!, names[j]!) || i - j);
        for (const i of order) {
          const name = names[i]!;
          if (m.has(name)) continue;
          const a = pairs[i]!;
          m.set(name, getAttr(a, 'value', 'in a {name=...; value=...;} pair'));
          pos.set(name, { pos: a.posOf('value') });
        }
        return new NixAttrs(m, pos);
      },
    },
    {
      name: 'intersectAttrs',
      arity: 2,
      fn: ([x, y]) => {
        const a = forceAttrs(x!, noPos, arg(0, 'intersectAttrs'));
        const b = forceAttrs(y!, noPos, arg(1, 'intersectAttrs'));
        const m = new Map<string, Lazy>();
        if (a.size < b.size) {
          for (const k of a.map.keys()) {
            const v = b.get(k);
            if (v !== undefined) m.set(k, v);
          }
        } else {
          for (const [k, v] of b.map) if (a.has(k)) m.set(k, v);
        }
        return new NixAttrs(m, b.positions);
      },
    },
    {
      name: 'catAttrs',
      arity: 2,
      fn: ([n, l]) => {
        const name = forceStringNoCtx(n!, noPos, arg(0, 'catAttrs'));
        const list = forceList(l!, noPos, arg(1, 'catAttrs'));
        const out: Lazy[] = [];
        for (const e of list) {
          const v = forceAttrs(e, noPos, 'while evaluating an element in the list passed as second argument to builtins.catAttrs').get(name);
          if (v !== undefined) out.push(v);
        }
        return out;
      },
    },
    {
      name: 'mapAttrs',
      arity: 2,
      fn: ([f, s]) => {
        const a = forceAttrs(s!, noPos, arg(1, 'mapAttrs'));
        const m = new Map<string, Lazy>();
        // CppNix does not force the function here, and a lambda argument is a thunk
        // there: until the first application, the applications have no position.
        const fn: Lazy = f instanceof Thunk ? f : Thunk.of(() => f as Value);
        for (const [k, v] of a.map) m.set(k, app(fn, k, v));
        // The new attributes have no position (CppNix's `alloc(name)`).
        return new NixAttrs(m);
      },
    },
    {
      name: 'zipAttrsWith',
      arity: 2,
      fn: ([f, l]) => {
        forceFunction(f!, noPos, arg(0, 'zipAttrsWith'));
        const list = forceList(l!, noPos, arg(1, 'zipAttrsWith'));
        const acc = new Map<string, Lazy[]>();
        for (const e of list) {
          const a = forceAttrs(e, noPos, 'while evaluating a value of the list passed as second argument to builtins.zipAttrsWith');
          for (const [k, v] of a.map) {
            let arr = acc.get(k);
            if (!arr) acc.set(k, (arr = []));
            arr.push(v);
          }
        }
        const m = new Map<string, Lazy>();
        for (const [k, vs] of acc) m.set(k, app(f!, k, vs));
        return new NixAttrs(m);
      },
    },
    {
      name: 'groupBy',
      arity: 2,
      fn: ([f, l]) => {
        const fn = forceFunction(f!, noPos, arg(0, 'groupBy'));
        const list = forceList(l!, noPos, arg(1, 'groupBy'));
        const acc = new Map<string, Lazy[]>();
        for (const e of list) {
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

export { compareBytes };
