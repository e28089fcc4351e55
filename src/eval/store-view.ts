/**
 * The files an evaluation sees: the host's, plus what this evaluation put into the store.
 *
 * With a real store, `builtins.readFile "${./x}"`, `import "${builtins.toFile "m" "{}"}"`
 * or `import "${fetchTarball …}/default.nix"` read objects the evaluation has just
 * added. tsnix's computing store writes nothing (and the writing store writes under a
 * root of its own), so those store paths exist nowhere on the host. This view answers
 * reads of them from what the store layer knows about each object it added:
 *
 *  - a `text` object (`toFile`) is its text;
 *  - a copy of a host path (`"${./dir}"`, `builtins.path`, `filterSource`) is that host
 *    path, limited to the entries the filter accepted when it was copied;
 *  - a tree made in memory (unpacked by a fetcher) is that tree.
 *
 * A store object is immutable and named by its content, so answering from the source
 * gives exactly what reading the store would. Paths the view does not know go to the
 * host unchanged (a real `/nix/store` included). Only reads are intercepted; writes
 * and everything else pass through.
 */

import { canonPath, type FileType, type Host, type Stat } from '../host.js';
import type { TreeNode } from './fetch/tree.js';

export type StoreObject =
  | { readonly kind: 'text'; readonly text: string }
  /** `included`: the copied entries (relative, `/`-separated) when a filter chose them. */
  | { readonly kind: 'host'; readonly path: string; readonly included?: ReadonlySet<string> }
  | { readonly kind: 'tree'; readonly root: TreeNode };

function missing(path: string, syscall: string): Error {
  return Object.assign(new Error(`${syscall} '${path}': No such file or directory`), { code: 'ENOENT' });
}

/** Where a store path lands: the object and the rest of the path below it ('' or '/a/b'). */
interface Hit {
  readonly obj: StoreObject;
  readonly rest: string;
}

/** Where a symlink at `path` points. */
const linkTarget = (path: string, target: string): string => (target.startsWith('/') ? canonPath(target) : canonPath(path + '/../' + target));

const fileStat = (size: number, executable = false): Stat => ({ type: 'regular', executable, size, mtimeMs: 0 });
const dirStat: Stat = { type: 'directory', executable: false, size: 0, mtimeMs: 0 };
const linkStat = (size: number): Stat => ({ type: 'symlink', executable: false, size, mtimeMs: 0 });

export class StoreView implements Host {
  private readonly objects = new Map<string, StoreObject>();
  private readonly prefix: string;

  constructor(
    private readonly base: Host,
    storeDir: string,
  ) {
    this.prefix = storeDir.endsWith('/') ? storeDir : storeDir + '/';
  }

  /**
   * Records what `storePath` holds. The first record stays (an object never changes)
   * unless `replace`: a fetcher's tree was copied from a temporary directory that is
   * gone once the copy is made, and its tree in memory replaces that record.
   */
  register(storePath: string, obj: StoreObject, replace = false): void {
    if (replace || !this.objects.has(storePath)) this.objects.set(storePath, obj);
  }

  private hit(path: string): Hit | undefined {
    if (this.objects.size === 0 || !path.startsWith(this.prefix)) return undefined;
    const p = canonPath(path);
    if (!p.startsWith(this.prefix)) return undefined;
    const slash = p.indexOf('/', this.prefix.length);
    const root = slash < 0 ? p : p.slice(0, slash);
    const obj = this.objects.get(root);
    return obj === undefined ? undefined : { obj, rest: slash < 0 ? '' : p.slice(slash) };
  }

  /** A copied host path's entry, or undefined where the copy has nothing. */
  private hostPathOf(obj: StoreObject & { kind: 'host' }, rest: string): string | undefined {
    if (rest !== '' && obj.included !== undefined && !obj.included.has(rest.slice(1))) return undefined;
    return obj.path + rest;
  }

  private treeNode(root: TreeNode, rest: string): TreeNode | undefined {
    let node: TreeNode | undefined = root;
    if (rest === '') return node;
    for (const part of rest.slice(1).split('/')) {
      if (node.type !== 'directory') return undefined;
      node = node.entries.get(part);
      if (node === undefined) return undefined;
    }
    return node;
  }

  readFile(path: string, depth = 0): string {
    const h = this.hit(path);
    if (h === undefined) return this.base.readFile(path);
    const { obj, rest } = h;
    if (obj.kind === 'text') {
      if (rest === '') return obj.text;
    } else if (obj.kind === 'host') {
      const p = this.hostPathOf(obj, rest);
      if (p !== undefined) return this.base.readFile(p);
    } else {
      const n = this.treeNode(obj.root, rest);
      if (n?.type === 'regular') {
        let s = '';
        for (let i = 0; i < n.data.length; i += 0x2000) s += String.fromCharCode(...n.data.subarray(i, i + 0x2000));
        return s;
      }
      if (n?.type === 'directory') throw Object.assign(new Error(`reading '${path}'`), { code: 'EISDIR' });
      if (n?.type === 'symlink' && depth < 40) return this.readFile(linkTarget(path, n.target), depth + 1);
    }
    throw missing(path, 'open');
  }

  private statOf(path: string, follow: boolean, depth = 0): Stat | undefined {
    const h = this.hit(path);
    if (h === undefined) return follow ? this.base.stat(path) : this.base.lstat(path);
    const { obj, rest } = h;
    if (obj.kind === 'text') return rest === '' ? fileStat(obj.text.length) : undefined;
    if (obj.kind === 'host') {
      const p = this.hostPathOf(obj, rest);
      if (p === undefined) return undefined;
      if (follow) {
        // A symlink inside the copy points wherever it points; follow it through the view.
        const l = this.base.lstat(p);
        if (l?.type === 'symlink') return depth < 40 ? this.statOf(linkTarget(path, this.base.readLink(p)), true, depth + 1) : undefined;
        return l;
      }
      return this.base.lstat(p);
    }
    const n = this.treeNode(obj.root, rest);
    if (n === undefined) return undefined;
    if (n.type === 'directory') return dirStat;
    if (n.type === 'regular') return fileStat(n.data.length, n.executable);
    if (!follow) return linkStat(n.target.length);
    return depth < 40 ? this.statOf(linkTarget(path, n.target), true, depth + 1) : undefined;
  }

  lstat(path: string): Stat | undefined {
    return this.statOf(path, false);
  }

  stat(path: string): Stat | undefined {
    return this.statOf(path, true);
  }

  readDir(path: string): { name: string; type: FileType }[] {
    const h = this.hit(path);
    if (h === undefined) return this.base.readDir(path);
    const { obj, rest } = h;
    if (obj.kind === 'host') {
      const p = this.hostPathOf(obj, rest);
      if (p !== undefined) {
        const all = this.base.readDir(p);
        const inc = obj.included;
        if (inc === undefined) return all;
        const at = rest === '' ? '' : rest.slice(1) + '/';
        return all.filter((e) => inc.has(at + e.name));
      }
    } else if (obj.kind === 'tree') {
      const n = this.treeNode(obj.root, rest);
      if (n?.type === 'directory') {
        return [...n.entries].map(([name, e]) => ({ name, type: e.type }));
      }
    }
    throw missing(path, 'opendir');
  }

  readLink(path: string): string {
    const h = this.hit(path);
    if (h === undefined) return this.base.readLink(path);
    const { obj, rest } = h;
    if (obj.kind === 'host') {
      const p = this.hostPathOf(obj, rest);
      if (p !== undefined) return this.base.readLink(p);
    } else if (obj.kind === 'tree') {
      const n = this.treeNode(obj.root, rest);
      if (n?.type === 'symlink') return n.target;
    }
    throw Object.assign(new Error(`readlink '${path}'`), { code: 'EINVAL' });
  }

  // Store paths stay store paths: a copy's host location must not leak into evaluation.
  realPath(path: string): string {
    return this.hit(path) === undefined ? this.base.realPath(path) : canonPath(path);
  }

  writeFileAtomic(path: string, data: string | Uint8Array, mode?: number, durable?: boolean): void {
    this.base.writeFileAtomic(path, data, mode, durable);
  }
  mkdirp(path: string): void {
    this.base.mkdirp(path);
  }
  symlinkAtomic(target: string, path: string): void {
    this.base.symlinkAtomic(target, path);
  }
  remove(path: string): void {
    this.base.remove(path);
  }
  rename(from: string, to: string): void {
    this.base.rename(from, to);
  }
  getEnv(name: string): string | undefined {
    return this.base.getEnv(name);
  }
  cwd(): string {
    return this.base.cwd();
  }
  now(): number {
    return this.base.now();
  }
  stderr(text: string): void {
    this.base.stderr(text);
  }
}
