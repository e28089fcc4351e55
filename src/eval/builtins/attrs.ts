/**
 * Attribute-set builtins. Results share the argument's value objects (no copying of
 * lazies), which keeps pointer identity where CppNix keeps it.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceFunction, forceList, forceString, forceStringNoCtx, forceValue } from '../force.js';
import type { EvalState } from '../state.js';
import { NixAttrs, Thunk, compareBytes, type Lazy } from '../value.js';
import type { Builtin } from './registry.js';

const arg = (n: number, name: string) =>
  `while evaluating the ${['first', 'second', 'third'][n]} argument passed to builtins.${name}`;

export function attrBuiltins(st: EvalState): Builtin[] {
  return [
    {
      name: 'attrNames',
      arity: 1,
      fn: ([s]) => forceAttrs(s!, noPos, arg(0, 'attrNames')).keys().slice(),
    },
    {
      name: 'attrValues',
      arity: 1,
      fn: ([s]) => {
        const a = forceAttrs(s!, noPos, arg(0, 'attrValues'));
        return a.keys().map((k) => a.get(k)!);
      },
    },
    {
      name: 'getAttr',
      arity: 2,
      fn: ([n, s]) => {
        const name = forceStringNoCtx(n!, noPos, arg(0, 'getAttr'));
        const a = forceAttrs(s!, noPos, arg(1, 'getAttr'));
        const v = a.get(name);
        if (v === undefined) throw new NixError('eval', `attribute '${name}' missing`);
        return forceValue(v);
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
        if (names.length === 0) return a;
        const m = new Map(a.map);
        for (const n of names) m.delete(forceStringNoCtx(n, noPos, 'while evaluating the values of the second argument passed to builtins.removeAttrs'));
        return new NixAttrs(m, a.positions);
      },
    },
    {
      name: 'listToAttrs',
      arity: 1,
      fn: ([l]) => {
        const list = forceList(l!, noPos, arg(0, 'listToAttrs'));
        const m = new Map<string, Lazy>();
        const pos = new Map<string, { pos: number }>();
        for (const e of list) {
          const a = forceAttrs(e, noPos, 'while evaluating an element of the list passed to builtins.listToAttrs');
          const nx = a.get('name');
          if (nx === undefined) throw new NixError('type', "attribute 'name' missing").addTrace(noPos, 'in a {name=...; value=...;} pair');
          const name = forceStringNoCtx(nx, noPos, 'while evaluating the `name` attribute of an element of the list passed to builtins.listToAttrs');
          if (m.has(name)) continue;
          const vx = a.get('value');
          if (vx === undefined) throw new NixError('type', "attribute 'value' missing").addTrace(noPos, 'in a {name=...; value=...;} pair');
          m.set(name, vx);
          pos.set(name, { pos: a.posOf('name') });
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
        const fn = forceValue(f!);
        const m = new Map<string, Lazy>();
        for (const [k, v] of a.map) m.set(k, Thunk.of(() => st.call(fn, k, v)));
        return new NixAttrs(m, a.positions);
      },
    },
    {
      name: 'zipAttrsWith',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'zipAttrsWith'));
        const fn = forceValue(f!);
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
        for (const [k, vs] of acc) m.set(k, Thunk.of(() => st.call(fn, k, vs)));
        return new NixAttrs(m);
      },
    },
    {
      name: 'groupBy',
      arity: 2,
      fn: ([f, l]) => {
        const list = forceList(l!, noPos, arg(1, 'groupBy'));
        const fn = forceFunction(f!, noPos, arg(0, 'groupBy'));
        const acc = new Map<string, Lazy[]>();
        for (const e of list) {
          const k = forceString(st.call(fn, e), noPos, 'while evaluating the return value of the grouping function passed to builtins.groupBy');
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
