/**
 * Assembles the base environment from the builtin groups.
 *
 * Order of the base env slots is the order of `names`; the scope pass resolves global
 * variables to these slots. `builtins` itself is a global, and `builtins.builtins` is
 * the same set, as in CppNix.
 */

import { NixAttrs, PrimOp, Thunk, type Lazy } from '../value.js';
import type { EvalState } from '../state.js';
import type { Builtin, BuiltinFactory } from './registry.js';
import { coreBuiltins } from './core.js';
import { listBuiltins } from './lists.js';
import { attrBuiltins } from './attrs.js';
import { extraBuiltins } from './extra.js';

const factories: BuiltinFactory[] = [coreBuiltins, listBuiltins, attrBuiltins, ...extraBuiltins];

export function createBuiltins(st: EvalState): { names: string[]; values: Lazy[]; builtins: NixAttrs } {
  const names: string[] = [];
  const values: Lazy[] = [];
  const map = new Map<string, Lazy>();
  const builtinsAttrs = new NixAttrs(map);
  const add = (name: string, v: Lazy) => {
    names.push(name);
    values.push(v);
  };
  add('builtins', builtinsAttrs);
  map.set('builtins', builtinsAttrs);
  add('true', true);
  add('false', false);
  add('null', null);
  const all: Builtin[] = factories.flatMap((f) => f(st));
  for (const b of all) {
    const v: Lazy = 'fn' in b ? new PrimOp(b.name, b.arity, b.fn) : Thunk.of(() => {
      const x = b.value();
      return x instanceof Thunk ? x.force() : x;
    });
    map.set(b.name, v);
    add('__' + b.name, v);
    if (b.global) add(b.name, v);
  }
  return { names, values, builtins: builtinsAttrs };
}
