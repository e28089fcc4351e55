/**
 * How builtins are declared.
 *
 * Each group of builtins is a module exporting a factory `(st) => Builtin[]`; the
 * factory closes over the evaluation state, so primops are plain functions of their
 * (lazy) arguments. A builtin is visible as `builtins.<name>` and as the global
 * `__<name>`; `global: true` also makes it a plain global (`map`, `toString`, …), as
 * CppNix's base environment does.
 */

import type { Lazy, PrimOpFn, PrimOpFn1 } from '../value.js';
import type { EvalState } from '../state.js';

export type Builtin =
  | { name: string; arity: number; fn: PrimOpFn; global?: boolean }
  | { name: string; arity: 1; fn1: PrimOpFn1; global?: boolean }
  | { name: string; value: () => Lazy; global?: boolean };

export type BuiltinFactory = (st: EvalState) => Builtin[];
