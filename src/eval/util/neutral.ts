/**
 * The neutral data tree that `fromJSON` and `fromTOML` produce.
 *
 * Parsers here know nothing of thunks or attribute sets; they build plain data that
 * is already almost a Nix value, so the evaluator's conversion is cheap:
 *   - `null`, `true`/`false`;
 *   - integers as the evaluator represents them: a `number` when safe, else a `bigint`
 *     (normalised, see int64.ts);
 *   - floats boxed in value.ts's `NixFloat` (plain numbers are the ints);
 *   - strings as byte strings (one byte per UTF-16 code unit, see lang/source.ts);
 *   - arrays as JS arrays — a list of plain values is already a valid `NixList`, since
 *     every `Value` is a `Lazy`;
 *   - objects/tables as whatever the caller's `mkObject` hook makes of a
 *     `Map<string, …>` (by default the Map itself). The evaluator passes
 *     `m => new NixAttrs(m)` and gets attribute sets without a second pass.
 */

import { NixFloat } from '../value.js';

export { NixFloat };

/** A parsed tree whose objects were built by a hook returning `O`. */
export type Tree<O> = null | boolean | number | bigint | NixFloat | string | Tree<O>[] | O;

/** The default tree: objects are Maps (keys are byte strings). */
export interface NeutralMap extends Map<string, Neutral> {}
export type Neutral = Tree<NeutralMap>;

/** Turns a finished object (keys → children) into the caller's representation. */
export type MkObject<O> = (m: Map<string, Tree<O>>) => O;

/**
 * The same from the parser's scratch stack: `items[from..to)` holds key, value, key,
 * value… in input order, keys possibly repeated (the last one wins, as with a Map).
 * Saves a Map per object for callers that do not want one.
 */
export type MkPairs<O> = (items: readonly (string | Tree<O>)[], from: number, to: number) => O;

export const identityObject: MkObject<NeutralMap> = (m) => m as NeutralMap;
