/** `--xml` output and `builtins.toXML` (CppNix value-to-xml.cc). */

import { NixError } from '../diag/diagnostic.js';
import type { EvalState } from './state.js';
import type { Lazy } from './value.js';

export function valueToXML(st: EvalState, x: Lazy, strict: boolean, location: boolean): string {
  void st; void x; void strict; void location;
  throw new NixError('eval', 'XML output is not implemented yet');
}
