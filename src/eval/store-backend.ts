/**
 * What the evaluator needs from a store: copying sources in (path interpolation,
 * `builtins.path`, `filterSource`, local fetchers), writing text (`toFile`) and
 * derivations (`derivationStrict`), and reading back what it wrote (the closure of a
 * `drvPath` context, the outputs of an input derivation).
 *
 * The store layer (src/store) provides the implementation (src/eval/store-glue.ts
 * adapts it); the evaluator depends only on this interface so that it also runs
 * without one — every store-touching builtin then fails with "no store is available".
 * The interface speaks in strings and plain options so that nothing in the evaluator
 * has to know how paths are hashed or where objects are laid out; only the
 * `DerivationSpec` shape is shared with the store, since it *is* the contract of
 * `derivationStrict`'s back half.
 */

import type { FileType, Host } from '../host.js';
import type { TreeNode } from './fetch/tree.js';
import type { PosIdx } from '../lang/source.js';
import type { DerivationSpec } from '../store/derivation.js';
import type { EvalState } from './state.js';

export interface AddPathOptions {
  /** The name part of the resulting store path. */
  name: string;
  /** `nar` (recursive, the default) or `flat` (a single regular file). */
  method?: 'nar' | 'flat';
  /** Hash algorithm of the content address (default sha256). */
  algo?: 'md5' | 'sha1' | 'sha256' | 'sha512';
  /** Asked about every entry below the root (full host path, lstat type). */
  filter?: (path: string, type: FileType) => boolean;
  /** `builtins.path { sha256 = …; }`: the expected content hash (any encoding, SHA-256). */
  expectedHash?: string;
}

export interface InstantiatedDrv {
  drvPath: string;
  /** Output name → path; `undefined` for outputs not known before building. */
  outputs: Map<string, string | undefined>;
}

export interface StoreBackend {
  /** `/nix/store` unless configured otherwise. */
  readonly storeDir: string;
  /** The files evaluation reads: the host's, and the objects added through this
   * backend at their store paths (src/eval/store-view.ts). */
  readonly files: Host;
  /** A fetcher's tree, already added at `storePath` from a temporary copy, kept in
   * memory so that reads of the store path still find it. */
  registerTree(storePath: string, tree: TreeNode): void;

  /** Copy a host path into the store (NAR, `source:` path), cached per path; returns
   * the store path. This is what `"${./file}"` does. */
  copyPathToStore(st: EvalState, path: string, pos: PosIdx): string;
  /** `builtins.path`, `filterSource`, local fetchers: copy with options (not cached). */
  addPath(hostPath: string, opts: AddPathOptions): string;
  /** The content hash of a host path as `addPath` would compute it (for fetchers that
   * report a `narHash`), in SRI form. */
  hashPath(hostPath: string, method: 'nar' | 'flat', algo: 'md5' | 'sha1' | 'sha256' | 'sha512'): string;
  /** `builtins.toFile`: a `text:` object referring to `references` (store paths). */
  addText(name: string, text: string, references: Iterable<string>): string;
  /** `derivationStrict`'s store half: build, write (where the store writes), return paths. */
  instantiate(spec: DerivationSpec, warn: (msg: string) => void): InstantiatedDrv;
  /** All paths reachable from `paths` through references, `paths` included. */
  closure(paths: Iterable<string>): Set<string>;
  /** Outputs of a derivation this store knows (created here or on disk): name → path,
   * `undefined` where the path is not known before building. */
  derivationOutputs(drvPath: string): Map<string, string | undefined>;
  /** Is this `storeDir/<hash>-<name>` and nothing more? */
  isStorePath(path: string): boolean;
  /** Does `path` lie in the store directory? */
  isInStore(path: string): boolean;
  /** `storeDir/<base>/rest` → `storeDir/<base>`; throws if not in the store. */
  toStorePath(path: string): string;
  /** What stands for an output whose path is unknown until it is built. */
  downstreamPlaceholder(drvPath: string, outputName: string): string;
  isValidPath(path: string): boolean;
}
