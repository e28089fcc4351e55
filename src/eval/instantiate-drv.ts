/** nix-instantiate without --eval: the store derivations of the result. */

import { NixError } from '../diag/diagnostic.js';
import type { EvalState } from './state.js';
import type { Value } from './value.js';

export function instantiateDerivations(st: EvalState, v: Value): string[] {
  void st; void v;
  throw new NixError('eval', 'instantiating derivations is not implemented yet');
}
