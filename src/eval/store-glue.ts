/**
 * The evaluator's view of a src/store `Store` (the `StoreBackend` it depends on).
 *
 * Two decisions live here rather than in the store or in the builtins:
 *
 *  - Path interpolation copies are cached per host path for the whole evaluation, as
 *    CppNix's `srcToStore` does. nixpkgs interpolates the same `./patch` or `./.`
 *    many times, and a NAR walk is the most expensive thing evaluation does; the cache
 *    also guarantees one evaluation never sees two paths for one source even if the
 *    file changes underneath it.
 *  - Symlinks are resolved the way CppNix resolves them for each use: interpolation
 *    resolves the *ancestors* of the path but archives a final symlink as a symlink;
 *    `builtins.path` and the fetchers resolve fully. The store itself never resolves,
 *    so that what it hashes is exactly what it is given.
 *
 * Which store: `ComputeStore` (nothing written; every path still computed bit-for-bit,
 * like CppNix's read-only mode) unless the CLI's `--store DIR` asks for a
 * `LocalDirStore` that lays objects out under DIR. `createStoreBackend` picks.
 */

import { NixError } from '../diag/diagnostic.js';
import { canonPath, dirOf, type FileType, type Host } from '../host.js';
import type { PosIdx } from '../lang/source.js';
import { ComputeStore, LocalDirStore, type Store } from '../store/store.js';
import { defaultStoreDir, isDerivationPath } from '../store/path.js';
import { newHashAllowEmpty } from '../store/hash.js';
import { narHash } from '../store/nar.js';
import { hashString } from '../store/hash.js';
import { outputPaths, type DerivationSpec } from '../store/derivation.js';
import type { EvalState } from './state.js';
import type { AddPathOptions, InstantiatedDrv, StoreBackend } from './store-backend.js';
import { StoreView } from './store-view.js';
import type { TreeNode } from './fetch/tree.js';

export class StoreGlue implements StoreBackend {
  private readonly srcToStore = new Map<string, string>();
  /** Outputs of derivations instantiated or read in this evaluation. A `drvPath` in a
   * derivation's attributes pulls in its whole closure with every output, so the same
   * derivations are asked about again and again; parsing them each time made long
   * dependency chains quadratic in parses. */
  private readonly drvOutputs = new Map<string, Map<string, string | undefined>>();

  /** `host` must be the view the store reads through (createStoreBackend makes both). */
  constructor(
    readonly store: Store,
    private readonly host: StoreView,
  ) {}

  /** The files evaluation reads: the host's and the objects added here (store-view.ts). */
  get files(): Host {
    return this.host;
  }

  registerTree(storePath: string, tree: TreeNode): void {
    this.host.register(storePath, { kind: 'tree', root: tree }, true);
  }

  get storeDir(): string {
    return this.store.storeDir.storeDir;
  }

  // CppNix reports these failures without a position (the trace says where).
  copyPathToStore(_st: EvalState, path: string, _pos: PosIdx): string {
    const cached = this.srcToStore.get(path);
    if (cached !== undefined) return cached;
    if (isDerivationPath(path)) throw new NixError('eval', "file names are not allowed to end in '.drv'");
    const real = this.resolveAncestors(path);
    if (this.host.lstat(real) === undefined) throw new NixError('eval', `path '${path}' does not exist`);
    const p = this.store.addToStore(baseName(path), real, { method: 'nar' });
    this.srcToStore.set(path, p);
    this.host.register(p, { kind: 'host', path: real });
    return p;
  }

  addPath(hostPath: string, opts: AddPathOptions): string {
    const method = opts.method ?? 'nar';
    const real = this.resolveFully(hostPath);
    if (this.host.lstat(real) === undefined) throw new NixError('eval', `path '${hostPath}' does not exist`);
    let expected: string | undefined;
    if (opts.expectedHash !== undefined) {
      const hash = newHashAllowEmpty(opts.expectedHash, 'sha256');
      expected = this.store.storeDir.makeFixedOutputPath(opts.name, { method, hash });
      // Pinned and already present: CppNix does not even run the filter then.
      if (this.store.isValidPath(expected)) return expected;
    }
    // What the filter let in is what the copy holds (and what store-view.ts may show).
    const outer = opts.filter;
    const included = outer === undefined ? undefined : new Set<string>();
    const filter =
      outer === undefined
        ? undefined
        : (path: string, type: FileType): boolean => {
            const ok = outer(path, type);
            if (ok && path.startsWith(real + '/')) included!.add(path.slice(real.length + 1));
            return ok;
          };
    const p = this.store.addToStore(opts.name, real, {
      method,
      algo: opts.algo ?? 'sha256',
      ...(filter ? { filter } : {}),
    });
    if (expected !== undefined && p !== expected)
      throw new NixError('eval', `store path mismatch in (possibly filtered) path added from '${hostPath}'`);
    this.host.register(p, included === undefined ? { kind: 'host', path: real } : { kind: 'host', path: real, included });
    return p;
  }

  hashPath(hostPath: string, method: 'nar' | 'flat', algo: 'md5' | 'sha1' | 'sha256' | 'sha512'): string {
    const real = this.resolveFully(hostPath);
    const h = method === 'nar' ? narHash(this.host, real, undefined, algo).hash : hashString(algo, this.host.readFile(real));
    return h.toString('sri', true);
  }

  addText(name: string, text: string, references: Iterable<string>): string {
    const p = this.store.addTextToStore(name, text, references);
    this.host.register(p, { kind: 'text', text });
    return p;
  }

  instantiate(spec: DerivationSpec, warn: (msg: string) => void): InstantiatedDrv {
    const r = this.store.instantiate(spec, { warn });
    this.drvOutputs.set(r.drvPath, r.outputs);
    return { drvPath: r.drvPath, outputs: r.outputs };
  }

  closure(paths: Iterable<string>): Set<string> {
    return this.store.computeFSClosure(paths);
  }

  derivationOutputs(drvPath: string): Map<string, string | undefined> {
    let o = this.drvOutputs.get(drvPath);
    if (!o) this.drvOutputs.set(drvPath, (o = outputPaths(this.store.readDerivation(drvPath), this.store.storeDir)));
    return o;
  }

  isStorePath(path: string): boolean {
    return this.store.storeDir.isStorePath(path);
  }

  isInStore(path: string): boolean {
    return this.store.storeDir.isInStore(path);
  }

  toStorePath(path: string): string {
    return this.store.storeDir.toStorePath(path).storePath;
  }

  downstreamPlaceholder(drvPath: string, outputName: string): string {
    return this.store.storeDir.downstreamPlaceholder(drvPath, outputName);
  }

  isValidPath(path: string): boolean {
    return this.store.isValidPath(path);
  }

  private resolveAncestors(path: string): string {
    const dir = dirOf(path);
    if (dir === path) return path;
    try {
      return canonPath(this.host.realPath(dir) + '/' + baseName(path));
    } catch {
      return path;
    }
  }

  private resolveFully(path: string): string {
    try {
      return this.host.realPath(path);
    } catch {
      return path;
    }
  }
}

function baseName(path: string): string {
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * The store an evaluation gets: computing only, or writing under `rootDir` (the CLI's
 * `--store DIR`, laid out as `DIR/nix/store/…`).
 */
export function createStoreBackend(
  host: Host,
  opts: { storeDir?: string; rootDir?: string; readOnly?: boolean } = {},
): StoreGlue {
  const storeOpts = opts.storeDir !== undefined ? { storeDir: opts.storeDir } : {};
  const view = new StoreView(host, opts.storeDir ?? defaultStoreDir);
  const store =
    opts.rootDir !== undefined
      ? new LocalDirStore(view, opts.rootDir, { ...storeOpts, readOnly: opts.readOnly ?? false })
      : new ComputeStore(view, storeOpts);
  return new StoreGlue(store, view);
}

/**
 * The store for nix-instantiate's `--store` flag: a directory (absolute, or relative to
 * the working directory, or `local?root=DIR`) is a writing store rooted there; store
 * URIs that name the system store (`auto`, `local`, `daemon`, `dummy://`) and no flag
 * at all give the computing store — tsnix never writes to the real /nix/store.
 * `readOnly` (nix-instantiate --eval) reads the directory but adds nothing to it.
 */
export function storeFromFlag(host: Host, flag: string | undefined, storeDir: string, readOnly = false): StoreGlue {
  if (flag === undefined) return createStoreBackend(host, { storeDir });
  let dir: string | undefined;
  const m = /^local\?(?:.*&)?root=([^&]*)/.exec(flag);
  if (m) dir = m[1];
  else if (!/^[a-z][a-z0-9+.-]*:\/\//.test(flag) && !['auto', 'local', 'daemon'].includes(flag)) dir = flag;
  if (dir === undefined || dir === '') return createStoreBackend(host, { storeDir });
  const rootDir = canonPath(dir.startsWith('/') ? dir : host.cwd() + '/' + dir);
  return createStoreBackend(host, { storeDir, rootDir, readOnly });
}
