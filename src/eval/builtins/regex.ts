/**
 * `builtins.match` and `builtins.split`, on the POSIX-ERE engine of util/regex.ts
 * (libstdc++ `std::regex::extended` semantics, as CppNix). The regex is forced
 * before the string, and the string's context is dropped, as in CppNix.
 */

import { noPos } from '../../lang/source.js';
import { forceString, forceStringNoCtx } from '../force.js';
import { builtinMatch, builtinSplit, compileRegex } from '../util/regex.js';
import type { EvalState } from '../state.js';
import type { Lazy } from '../value.js';
import type { Builtin } from './registry.js';

export function regexBuiltins(_st: EvalState): Builtin[] {
  return [
    {
      name: 'match',
      arity: 2,
      fn: ([r, s]) => {
        const re = forceStringNoCtx(r!, noPos, 'while evaluating the first argument passed to builtins.match');
        compileRegex(re);
        const str = forceString(s!, noPos, 'while evaluating the second argument passed to builtins.match');
        const m = builtinMatch(re, str);
        return m === null ? null : (m as Lazy[]);
      },
    },
    {
      name: 'split',
      arity: 2,
      fn: ([r, s]) => {
        const re = forceStringNoCtx(r!, noPos, 'while evaluating the first argument passed to builtins.split');
        compileRegex(re);
        const str = forceString(s!, noPos, 'while evaluating the second argument passed to builtins.split');
        return builtinSplit(re, str) as Lazy[];
      },
    },
  ];
}
