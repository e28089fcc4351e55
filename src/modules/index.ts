/**
 * The NixOS module system, natively (issue 5). Public TypeScript API:
 *
 *  - `installEmbeddedLib(st)`: makes `<nixpkgs/lib>` resolve to the embedded lib when
 *    no nixpkgs is on the search path (EvalState's constructor already calls it);
 *  - `evalModulesNative(st, lib, args)`: `lib.evalModules` without going through Nix;
 *  - `explainOption(st, configuration, path)`: provenance — every definition of an
 *    option with file/line/priority/value and which one won, for `tsnix insight`;
 *  - `evaluations` / `optionRecords`: the native records behind evalModules results
 *    and option records, for tools that need more than `explainOption`.
 *
 * Layout: `engine.ts` (evalModules, merging), `decl-cache.ts` (option-tree levels'
 * declarations shared between evaluations), `properties.ts` (mkIf/mkMerge/mkOverride/
 * mkOrder semantics), `pretty.ts` (option names, showDefs, toPretty), `native.ts`
 * (the primops the Nix half calls), `lib-nix/*.nix` (the rest of lib, in Nix,
 * compiled into `lib-nix/generated.ts`), `embedded.ts` (installation),
 * `provenance.ts` (explanations).
 */

import type { EvalState } from '../eval/state.js';
import type { Lazy, NixAttrs } from '../eval/value.js';
import { engineFor } from './native.js';

export { installEmbeddedLib, EMBEDDED_LIB, EMBEDDED_ROOT } from './embedded.js';
export { explainOption, findOption, type OptionExplanation, type DefinitionInfo, type DefinitionStatus } from './provenance.js';
export { evaluations, optionRecords, type Def, type OptionRecord } from './engine.js';

/** `lib.evalModules args` for a given `lib` value (e.g. `st.evalFile('/__tsnix__/nixpkgs/lib')`). */
export function evalModulesNative(st: EvalState, lib: Lazy, args: NixAttrs): NixAttrs {
  return engineFor(st, lib).evalModules(args);
}
