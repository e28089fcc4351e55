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
  const add = (name: string, v: Lazy) => {
    names.push(name);
    values.push(v);
  };
  // Filled once the set exists: `builtins.builtins` is the set itself.
  add('builtins', null);
  map.set('builtins', null);
  add('true', true);
  add('false', false);
  add('null', null);
  const all: Builtin[] = factories.flatMap((f) => f(st));
  for (const b of all) {
    const v: Lazy =
      'fn1' in b
        ? new PrimOp(b.name, 1, (args, pos) => b.fn1(args[0]!, pos), b.fn1)
        : 'fn' in b
          ? new PrimOp(b.name, b.arity, b.fn)
          : Thunk.of(() => {
      const x = b.value();
      return x instanceof Thunk ? x.force() : x;
    });
    map.set(b.name, v);
    add('__' + b.name, v);
    if (b.global) add(b.name, v);
  }
  const builtinsAttrs = new NixAttrs(map);
  builtinsAttrs.vals[builtinsAttrs.layout.indexOf('builtins')] = builtinsAttrs;
  values[0] = builtinsAttrs;
  return { names, values, builtins: builtinsAttrs };
}
