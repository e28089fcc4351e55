/**
 * Stores: where computed store paths (may) materialise.
 *
 * Evaluation needs a store for four things: copying sources (`"${./x}"`,
 * `builtins.path`, `filterSource`), `builtins.toFile`, writing `.drv` files in
 * `derivationStrict`, and reading input derivations back to hash them. Two
 * implementations share all the path arithmetic:
 *
 *   - `ComputeStore` writes nothing. It computes every path, remembers the
 *     derivations and references it has produced (so hash-modulo recursion and
 *     `DrvDeep` closures work), and is what `--eval` uses — like CppNix in read-only
 *     mode, which also never writes yet must produce identical paths.
 *   - `LocalDirStore(host, rootDir)` additionally lays objects out under
 *     `rootDir/<storeDir>/…` (so `rootDir/nix/store/<hash>-<name>` by default) through
 *     the Host's write methods. Each object is built under a temporary name in the
 *     store directory and renamed into place, so a crash never leaves a half-written
 *     object at a valid-looking path, and an existing object is never rewritten (its
 *     name is its content). References of text objects are kept in a small side file
 *     so closures survive across runs; there is no database.
 *
 * Hashing a source reads it through the Host (lstat/readDir/readFile/readLink); the
 * same walk, with the same filter, is used for copying, so what is hashed is what is
 * copied. Store paths are plain strings throughout.
 */

import type { FileType, Host } from '../host.js';
import {
  cloneDerivation,
  derivationNameFromPath,
  derivationPath,
  DerivationHasher,
  instantiateDerivation,
  parseDerivation,
  type Derivation,
  type DerivationSpec,
  type InstantiatedDerivation,
} from './derivation.js';
import { StoreError, type WarnFn } from './errors.js';
import { hashString, type Hash, type HashAlgo } from './hash.js';
import { narHash, narMaxDepth, type PathFilter } from './nar.js';
import { defaultStoreDir, isDerivationPath, StoreDir, type FileIngestionMethod } from './path.js';

export interface AddToStoreOptions {
  /** `nar` ("recursive", the default) or `flat` (a single regular file). */
  method?: Exclude<FileIngestionMethod, 'git'>;
  /** Default `sha256`; with `nar` that gives a `source` path. */
  algo?: HashAlgo;
  /** `builtins.path`/`filterSource`: asked about every entry below the root. */
  filter?: PathFilter;
  /** Only allowed for `nar` + `sha256` (CppNix rule). */
  references?: Iterable<string>;
}

export interface Store {
  readonly storeDir: StoreDir;
  readonly hasher: DerivationHasher;

  /** The path a host path would get, and its content hash (NAR or flat), without adding it. */
  computeStorePathForPath(name: string, hostPath: string, opts?: AddToStoreOptions): { path: string; hash: Hash };
  /** Copy a host file or tree in; returns the store path. */
  addToStore(name: string, hostPath: string, opts?: AddToStoreOptions): string;
  /** `builtins.toFile`: a `text:` object; `references` are full store paths. */
  addTextToStore(name: string, text: string, references?: Iterable<string>): string;
  /** Store a finished derivation as `<hash>-<name>.drv`; returns its path. */
  writeDerivation(drv: Derivation): string;
  /** A copy of the derivation at `drvPath`. */
  readDerivation(drvPath: string): Derivation;
  /** `derivationStrict`'s store half: build, write, and return the derivation. */
  instantiate(spec: DerivationSpec, opts?: { warn?: WarnFn }): InstantiatedDerivation;
  isValidPath(path: string): boolean;
  /** Direct references of a valid path (empty if it has none or is unknown). */
  queryReferences(path: string): string[];
  /** All paths reachable from `paths` through references, `paths` included. */
  computeFSClosure(paths: Iterable<string>): Set<string>;
}

/** The files-and-trees walk used both for hashing and for copying. */
function sourceType(host: Host, hostPath: string): FileType {
  const st = host.lstat(hostPath);
  if (!st) throw new StoreError(`getting status of '${hostPath}': No such file or directory`, 'store/io', 'io');
  return st.type;
}

export class ComputeStore implements Store {
  readonly storeDir: StoreDir;
  readonly hasher: DerivationHasher;
  protected readonly valid = new Map<string, readonly string[]>();
  /**
   * `.drv` texts rather than parsed derivations: one flat string each is the most
   * compact form, and parsing is needed only when a derivation is read back (closures
   * of `drvPath` contexts, hashing an input that was not instantiated here).
   */
  protected readonly drvTexts = new Map<string, string>();
  private parsed: { path: string; drv: Derivation } | undefined;

  constructor(
    protected readonly host: Host,
    opts: { storeDir?: string } = {},
  ) {
    this.storeDir = new StoreDir(opts.storeDir ?? defaultStoreDir);
    this.hasher = new DerivationHasher(this.storeDir, (p) => this.loadDerivation(p));
  }

  computeStorePathForPath(
    name: string,
    hostPath: string,
    opts: AddToStoreOptions = {},
  ): { path: string; hash: Hash } {
    const method = opts.method ?? 'nar';
    const algo = opts.algo ?? 'sha256';
    let hash: Hash;
    if (method === 'nar') {
      hash = narHash(this.host, hostPath, opts.filter, algo).hash;
    } else {
      const st = this.host.stat(hostPath);
      if (!st) throw new StoreError(`getting status of '${hostPath}': No such file or directory`, 'store/io', 'io');
      if (st.type !== 'regular') throw new StoreError(`file '${hostPath}' is not a regular file`);
      hash = hashString(algo, this.host.readFile(hostPath));
    }
    const path = this.storeDir.makeFixedOutputPath(name, { method, hash, references: opts.references ?? [] });
    return { path, hash };
  }

  addToStore(name: string, hostPath: string, opts: AddToStoreOptions = {}): string {
    // CppNix walks the source once (hashing while copying), so a filter written in Nix
    // runs once per entry; we walk twice, so remember its answers.
    if (opts.filter) opts = { ...opts, filter: memoFilter(opts.filter) };
    const { path } = this.computeStorePathForPath(name, hostPath, opts);
    if (!this.isValidPath(path)) {
      this.materialiseSource(path, hostPath, opts);
      this.valid.set(path, this.storeDir.sortedPaths(opts.references ?? []));
    }
    return path;
  }

  addTextToStore(name: string, text: string, references: Iterable<string> = []): string {
    const refs = this.storeDir.sortedPaths(references);
    const path = this.storeDir.makeTextPath(name, text, refs);
    if (!this.isValidPath(path)) this.materialiseText(path, text, refs);
    this.valid.set(path, refs);
    return path;
  }

  writeDerivation(drv: Derivation): string {
    const { path, text, references } = derivationPath(drv, this.storeDir);
    this.drvTexts.set(path, text);
    if (!this.isValidPath(path)) this.materialiseText(path, text, references);
    this.valid.set(path, references);
    return path;
  }

  readDerivation(drvPath: string): Derivation {
    return cloneDerivation(this.loadDerivation(drvPath));
  }

  /** Shared, uncopied: for the hasher, which only reads. The last one parsed is kept,
   * since closures tend to ask for the same derivation repeatedly. */
  protected loadDerivation(drvPath: string): Derivation {
    if (this.parsed?.path === drvPath) return this.parsed.drv;
    const text = this.drvTexts.get(drvPath) ?? this.readDrvText(drvPath);
    if (text === undefined) throw new StoreError(`path '${drvPath}' is not valid`, 'store/invalid-path');
    const drv = parseDerivation(text, derivationNameFromPath(this.storeDir, drvPath), this.storeDir);
    this.parsed = { path: drvPath, drv };
    return drv;
  }

  /** Where a store that writes finds `.drv` files it did not create in this run. */
  protected readDrvText(_drvPath: string): string | undefined {
    return undefined;
  }

  instantiate(spec: DerivationSpec, opts: { warn?: WarnFn } = {}): InstantiatedDerivation {
    const res = instantiateDerivation(spec, this.hasher, opts);
    this.drvTexts.set(res.drvPath, res.text);
    if (!this.isValidPath(res.drvPath)) this.materialiseText(res.drvPath, res.text, res.references);
    this.valid.set(res.drvPath, res.references);
    return { ...res, references: [...res.references] };
  }

  isValidPath(path: string): boolean {
    return this.valid.has(path);
  }

  queryReferences(path: string): string[] {
    return [...(this.valid.get(path) ?? [])];
  }

  computeFSClosure(paths: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const todo = [...paths];
    while (todo.length > 0) {
      const p = todo.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const r of this.queryReferences(p)) if (!seen.has(r)) todo.push(r);
    }
    return seen;
  }

  /* Hooks for stores that write. */
  protected materialiseText(_path: string, _text: string, _references: readonly string[]): void {}
  protected materialiseSource(_path: string, _hostPath: string, _opts: AddToStoreOptions): void {}
}

function memoFilter(f: PathFilter): PathFilter {
  const seen = new Map<string, boolean>();
  return (path, type) => {
    let r = seen.get(path);
    if (r === undefined) seen.set(path, (r = f(path, type)));
    return r;
  };
}

let tmpCounter = 0;

export class LocalDirStore extends ComputeStore {
  /** `rootDir` + store dir: where objects really live. */
  readonly realStoreDir: string;
  private readonly refsDir: string;
  private prepared = false;

  /** Reads objects under the root but writes none: nix-instantiate --eval against a
   * store (CppNix's read-only mode) must compute the same paths without adding any. */
  readonly readOnly: boolean;

  constructor(
    host: Host,
    readonly rootDir: string,
    opts: { storeDir?: string; readOnly?: boolean } = {},
  ) {
    super(host, opts);
    this.readOnly = opts.readOnly ?? false;
    const root = rootDir.endsWith('/') ? rootDir.slice(0, -1) : rootDir;
    this.realStoreDir = root + this.storeDir.storeDir;
    this.refsDir = root + '/nix/var/tsnix/references';
  }

  /** Where a store path lives on the host. */
  toRealPath(storePath: string): string {
    return this.realStoreDir + storePath.slice(this.storeDir.storeDir.length);
  }

  private prepare(): void {
    if (this.prepared) return;
    this.host.mkdirp(this.realStoreDir);
    this.prepared = true;
  }

  private tempPath(storePath: string): string {
    const base = storePath.slice(this.storeDir.storeDir.length + 1);
    // Unique across processes sharing the root, too: time, a counter and randomness.
    const unique = `${this.host.now()}-${++tmpCounter}-${Math.random().toString(36).slice(2, 10)}`;
    return `${this.realStoreDir}/.tmp-${base}-${unique}`;
  }

  override isValidPath(path: string): boolean {
    if (super.isValidPath(path)) return true;
    if (!this.storeDir.isStorePath(path)) return false;
    return this.host.lstat(this.toRealPath(path)) !== undefined;
  }

  override queryReferences(path: string): string[] {
    if (super.isValidPath(path)) return super.queryReferences(path);
    if (!this.isValidPath(path)) return [];
    const base = path.slice(this.storeDir.storeDir.length + 1);
    const side = this.refsDir + '/' + base;
    if (this.host.lstat(side)) {
      const refs = this.host
        .readFile(side)
        .split('\n')
        .filter((l) => l !== '');
      this.valid.set(path, refs);
      return [...refs];
    }
    if (isDerivationPath(path)) {
      const drv = this.loadDerivation(path);
      const refs = this.storeDir.sortedPaths([...drv.inputSrcs, ...drv.inputDrvs.keys()]);
      this.valid.set(path, refs);
      return refs;
    }
    return [];
  }

  protected override readDrvText(drvPath: string): string | undefined {
    if (!this.storeDir.isStorePath(drvPath)) return undefined;
    const real = this.toRealPath(drvPath);
    return this.host.lstat(real) ? this.host.readFile(real) : undefined;
  }

  protected override materialiseText(path: string, text: string, references: readonly string[]): void {
    if (this.readOnly) return;
    this.prepare();
    const real = this.toRealPath(path);
    if (this.host.lstat(real)) return;
    this.writeReferences(path, references);
    // writeFileAtomic already goes through a temporary name.
    this.host.writeFileAtomic(real, text, 0o444, false);
  }

  /** Written before the object itself, so a valid object never lacks its references. */
  private writeReferences(path: string, references: readonly string[]): void {
    if (references.length === 0) return;
    this.host.mkdirp(this.refsDir);
    const base = path.slice(this.storeDir.storeDir.length + 1);
    this.host.writeFileAtomic(this.refsDir + '/' + base, references.join('\n') + '\n', 0o644, false);
  }

  protected override materialiseSource(path: string, hostPath: string, opts: AddToStoreOptions): void {
    if (this.readOnly) return;
    this.prepare();
    const real = this.toRealPath(path);
    if (this.host.lstat(real)) return;
    this.writeReferences(path, this.storeDir.sortedPaths(opts.references ?? []));
    if ((opts.method ?? 'nar') === 'flat') {
      this.host.writeFileAtomic(real, this.host.readFile(hostPath), 0o444, false);
      return;
    }
    const tmp = this.tempPath(path);
    try {
      this.copyTree(hostPath, tmp, opts.filter, 0);
      this.host.rename(tmp, real);
    } catch (e) {
      try {
        this.host.remove(tmp);
      } catch {
        // Best effort: the temporary name is never mistaken for a valid path.
      }
      if (this.host.lstat(real)) return; // someone else finished it
      throw e;
    }
  }

  /** The walk of `dumpPath`, writing instead of serialising. */
  private copyTree(src: string, dst: string, filter: PathFilter | undefined, depth: number): void {
    if (depth >= narMaxDepth)
      throw new StoreError(`path '${src}' exceeds maximum NAR directory depth of ${narMaxDepth}`, 'store/nar-depth');
    const type = sourceType(this.host, src);
    switch (type) {
      case 'regular': {
        const st = this.host.lstat(src)!;
        this.host.writeFileAtomic(dst, this.host.readFile(src), st.executable ? 0o555 : 0o444, false);
        return;
      }
      case 'symlink':
        this.host.symlinkAtomic(this.host.readLink(src), dst);
        return;
      case 'directory': {
        this.host.mkdirp(dst);
        const base = src.endsWith('/') ? src : src + '/';
        for (const e of this.host.readDir(src)) {
          const child = base + e.name;
          if (filter && !filter(child, sourceType(this.host, child))) continue;
          this.copyTree(child, dst + '/' + e.name, filter, depth + 1);
        }
        return;
      }
      default:
        throw new StoreError(`file '${src}' has an unsupported type`, 'store/unsupported-file-type');
    }
  }
}
