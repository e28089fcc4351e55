/**
 * Building a NixOS system into a target root: what `nixos-rebuild build` does before
 * activation, i.e. `nix-build '<nixpkgs/nixos>' -A system` with the configuration from
 * `nixos-config`, except that the store is `DIR/nix/store` and the builders are tsnix's
 * own (realise.ts).
 *
 * The evaluator gets a LocalDirStore rooted at the target directory as its store, so
 * every `.drv` file and every source the configuration copies (`./files` interpolated
 * in it) land in the target's store as Nix would put them there; then the toplevel and
 * everything it is assembled from are realised. `<nixpkgs/nixos>` resolves through the
 * normal search path: a real nixpkgs on `-I`/NIX_PATH wins, otherwise the embedded
 * NixOS (src/nixos/embedded.ts) answers.
 */

import { NixError } from '../diag/diagnostic.js';
import { renderDiagnostic } from '../diag/render.js';
import type { Host } from '../host.js';
import { noPos } from '../lang/source.js';
import { EvalState, toNixError, type SearchPathEntry } from '../eval/state.js';
import { createStoreBackend } from '../eval/store-glue.js';
import { forceAttrs, forceString } from '../eval/force.js';
import { LocalDirStore } from '../store/store.js';
import { Realiser, RealiseError } from './realise.js';

export interface BuildSystemOptions {
  host: Host;
  /** Host path of the target root (its store is ROOT/nix/store). */
  root: string;
  /** `-I` entries first, then NIX_PATH — `nixos-config` among them or `configuration`. */
  searchPath: SearchPathEntry[];
  /** Host path of configuration.nix; becomes the first `nixos-config` entry. */
  configuration?: string;
  showTrace?: boolean;
  /** Instantiate only: compute and write the `.drv` files, build nothing. */
  dryRun?: boolean;
  /** Where evaluation warnings and traces go (default: host.stderr). */
  stderr?: (text: string) => void;
}

export interface BuildSystemResult {
  /** The toplevel's store path (`/nix/store/…-nixos-system-…`). */
  toplevel: string;
  drvPath: string;
  /** Store paths written by realisation (empty for a dry run or when all existed). */
  built: string[];
  /** Natively buildable derivations whose outputs were missing (what a build writes). */
  wouldBuild: string[];
  evalMs: number;
  realiseMs: number;
}

export class BuildError extends Error {
  constructor(
    message: string,
    /** The rendered diagnostic, ready for stderr. */
    readonly rendered: string,
  ) {
    super(message);
  }
}

/** Evaluates `(import <nixpkgs/nixos> {}).system` and realises it into the root. */
export function buildSystem(o: BuildSystemOptions): BuildSystemResult {
  const { host } = o;
  const glue = createStoreBackend(host, { rootDir: o.root });
  const store = glue.store;
  if (!(store instanceof LocalDirStore)) throw new Error('internal: expected a LocalDirStore');
  const searchPath = o.configuration !== undefined ? [{ prefix: 'nixos-config', path: o.configuration }, ...o.searchPath] : o.searchPath;
  const st = new EvalState(host, { searchPath, showTrace: o.showTrace ?? false }, glue);

  const t0 = Date.now();
  let drvPath: string;
  try {
    drvPath = st.guard(() => {
      const v = st.evalExpr(st.parseString('(import <nixpkgs/nixos> { }).system', host.cwd()));
      const attrs = forceAttrs(v, noPos, 'while evaluating the system configuration');
      const p = attrs.get('drvPath');
      if (p === undefined) throw new NixError('eval', "the system configuration is not a derivation (attribute 'drvPath' missing)");
      return forceString(p, noPos, "while evaluating the 'drvPath' of the system configuration");
    });
  } catch (e) {
    const ne = e instanceof NixError ? e : toNixError(e, noPos);
    // Like nixos-rebuild on the Nix releases NixOS modules' messages were written for:
    // the error itself, its position if it has one, and the evaluation trace only on
    // --show-trace. Module-system errors (conflicts, missing options, failed
    // assertions) then read exactly as users know them.
    const diag = o.showTrace ? ne.diag : { ...ne.diag, trace: [] };
    throw new BuildError(ne.message, renderDiagnostic(st.table, diag, { showTrace: o.showTrace ?? false }));
  }
  const evalMs = Date.now() - t0;

  const t1 = Date.now();
  const drv = store.readDerivation(drvPath);
  const out = drv.outputs.get('out');
  if (!out || out.type !== 'inputAddressed') throw new BuildError('unexpected toplevel derivation', `error: ${drvPath} has no input-addressed output 'out'\n`);
  const wouldBuild = missingNative(host, store, drvPath);
  let built: string[] = [];
  if (!o.dryRun) {
    try {
      built = new Realiser(host, store).realise(drvPath).built;
    } catch (e) {
      if (e instanceof RealiseError) throw new BuildError(e.message, `error: ${e.message}\n`);
      throw e;
    }
  }
  return { toplevel: out.path, drvPath, built, wouldBuild, evalMs, realiseMs: Date.now() - t1 };
}

/** The natively buildable derivations of the closure whose outputs do not exist yet. */
function missingNative(host: Host, store: LocalDirStore, root: string): string[] {
  const seen = new Set<string>();
  const missing: string[] = [];
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const drv = store.readDerivation(p);
    if (!drv.env.has('tsnixBuilder') && !drv.env.has('tsnixStub')) return;
    for (const i of drv.inputDrvs.keys()) visit(i);
    const o = drv.outputs.get('out');
    if (o && o.type === 'inputAddressed' && !host.lstat(store.toRealPath(o.path))) missing.push(p);
  };
  visit(root);
  return missing.sort();
}
