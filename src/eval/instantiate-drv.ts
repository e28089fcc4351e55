/**
 * nix-instantiate without --eval: the store derivations of the result.
 *
 * Which values count is CppNix's `getDerivations` (get-drvs.cc), because nixpkgs'
 * release files and every `nix-instantiate default.nix` rely on it:
 *   - a derivation (a set with `type = "derivation"`) is one result;
 *   - a list contributes its elements, recursively;
 *   - a set contributes its attributes in name order, but only those whose names look
 *     like attribute-path components, and descends into a nested non-derivation set
 *     only if that set says `recurseForDerivations = true`;
 *   - the same derivation set reached twice is listed once;
 *   - functions met on the way are auto-called with the `--arg`/`--argstr` values;
 *   - anything else at the top is an error.
 * Instantiating is forcing `drvPath`: `derivationStrict` has already written the
 * `.drv` wherever the store writes (`--store DIR`), so nothing is written here.
 * A derivation selected through a non-`out` output is printed as `drv!output`, as
 * nix-instantiate does.
 */

import { NixError } from '../diag/diagnostic.js';
import { autoCallFunction } from './attr-path.js';
import { forceBool, forceStringNoCtx } from './force.js';
import { isDerivation } from './ops.js';
import type { EvalState } from './state.js';
import { NixAttrs, Thunk, type Lazy, type Value } from './value.js';

function isAttrPathComponent(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_+-]*$/.test(s);
}

export function instantiateDerivations(st: EvalState, v: Value, autoArgs: Map<string, Lazy> = new Map()): string[] {
  const out: string[] = [];
  const done = new Set<NixAttrs>();

  /** CppNix `getDerivation`: true if `x` is *not* a derivation (so the caller may recurse). */
  const getDerivation = (x: Lazy): boolean => {
    const val = x instanceof Thunk ? x.force() : x;
    if (!(val instanceof NixAttrs) || !isDerivation(val)) return true;
    if (done.has(val)) return false;
    done.add(val);
    const name = val.get('name');
    if (name === undefined) throw new NixError('eval', 'derivation name missing');
    forceStringNoCtx(name, val.posOf('name'), 'while evaluating the name of a derivation');
    out.push(describe(st, val));
    return false;
  };

  const getDerivations = (x: Lazy, depth: number): void => {
    if (depth > st.opts.maxCallDepth) throw new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded');
    const val = autoCallFunction(st, autoArgs, x);
    if (!getDerivation(val)) return;
    if (val instanceof NixAttrs) {
      const combineChannels = val.has('_combineChannels');
      for (const k of val.keys()) {
        try {
          if (!isAttrPathComponent(k)) continue;
          const a = val.get(k)!;
          if (combineChannels) getDerivations(a, depth + 1);
          else if (getDerivation(a)) {
            const av = a instanceof Thunk ? a.force() : a;
            if (av instanceof NixAttrs) {
              const r = av.get('recurseForDerivations');
              if (
                r !== undefined &&
                forceBool(r, av.posOf('recurseForDerivations'), 'while evaluating the attribute `recurseForDerivations`')
              )
                getDerivations(av, depth + 1);
            }
          }
        } catch (e) {
          if (e instanceof NixError) e.addTrace(val.posOf(k), `while evaluating the attribute '${k}'`);
          throw e;
        }
      }
    } else if (Array.isArray(val)) {
      for (const el of val) if (getDerivation(el)) getDerivations(el, depth + 1);
    } else {
      throw new NixError('type', 'expression does not evaluate to a derivation (or a set or list of those)');
    }
  };

  getDerivations(v, 0);
  return out;
}

/** `drvPath`, with `!output` when the set stands for another output than `out`. */
function describe(st: EvalState, drv: NixAttrs): string {
  const dp = drv.get('drvPath');
  if (dp === undefined) throw new NixError('eval', "derivation does not contain a 'drvPath' attribute");
  const pos = drv.posOf('drvPath');
  const ctx = "while evaluating the 'drvPath' attribute of a derivation";
  const drvPath = st.coerceToString(dp, pos, ctx, { coerceMore: false, copyToStore: false }).s;
  if (!st.store.isStorePath(drvPath))
    throw new NixError('eval', `path '${drvPath}' is not in the Nix store`, pos).addTrace(pos, ctx);
  if (!drvPath.endsWith('.drv'))
    throw new NixError('eval', `store path '${drvPath.slice(st.store.storeDir.length + 1)}' is not a valid derivation path`).addTrace(
      pos,
      ctx,
    );
  const on = drv.get('outputName');
  const outputName = on === undefined ? '' : forceStringNoCtx(on, drv.posOf('outputName'), 'while evaluating the output name of a derivation');
  if (outputName === '') throw new NixError('eval', `derivation '${drvPath}' lacks an 'outputName' attribute`);
  return outputName === 'out' ? drvPath : `${drvPath}!${outputName}`;
}

