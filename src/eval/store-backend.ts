/**
 * What the evaluator needs from a store: copying sources in (path interpolation,
 * `builtins.path`, `filterSource`), writing text (`toFile`) and derivations
 * (`derivationStrict`). The store layer (src/store) provides the implementations; the
 * evaluator depends only on this interface so that it also runs without one.
 */

import type { PosIdx } from '../lang/source.js';
import type { EvalState } from './state.js';

export interface StoreBackend {
  /** Copy a host path into the store (NAR, `source:` path); returns the store path. */
  copyPathToStore(st: EvalState, path: string, pos: PosIdx): string;
}
