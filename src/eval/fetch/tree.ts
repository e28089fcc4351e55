/**
 * File trees held in memory — what a tarball or a Git commit unpacks to — and how
 * they reach the store.
 *
 * The store copies and hashes *host* paths (src/store never reads anything but the
 * Host), so an in-memory tree is written to a private temporary directory, added
 * from there, and removed. That costs a write and a read of the tree, but keeps one
 * code path for every way a source enters the store, which is what guarantees that a
 * tarball and the same files on disk get the same store path.
 *
 * Trees follow Git's model, because CppNix now imports tarballs through a Git tree
 * cache: only regular files (executable or not), symlinks and directories exist, and a
 * directory without files in it vanishes. `tarToTree` reproduces CppNix's
 * `unpackTarfileToSink` on top of that (hard links become copies, the newest mtime is
 * kept as `lastModified`, a single top-level directory is the result).
 */

import type { Host } from '../../host.js';
import { binaryToBytes } from '../../lang/source.js';

export type TreeNode =
  | { type: 'regular'; data: Uint8Array; executable: boolean }
  | { type: 'symlink'; target: string }
  | { type: 'directory'; entries: Map<string, TreeNode> };

export function emptyDir(): TreeNode & { type: 'directory' } {
  return { type: 'directory', entries: new Map() };
}

/** Insert `node` at `path` (components), creating directories on the way. */
export function insert(root: TreeNode & { type: 'directory' }, path: string[], node: TreeNode): void {
  let dir = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next = dir.entries.get(path[i]!);
    if (next && next.type === 'directory') dir = next;
    else {
      const d = emptyDir();
      dir.entries.set(path[i]!, d);
      dir = d;
    }
  }
  const name = path[path.length - 1]!;
  const existing = dir.entries.get(name);
  // A directory entry after its contents (or twice) must not drop the contents.
  if (node.type === 'directory' && existing?.type === 'directory') return;
  dir.entries.set(name, node);
}

export function lookup(root: TreeNode, path: string[]): TreeNode | undefined {
  let n: TreeNode | undefined = root;
  for (const c of path) {
    if (!n || n.type !== 'directory') return undefined;
    n = n.entries.get(c);
  }
  return n;
}

/** Git cannot hold empty directories: drop them, bottom up. */
export function pruneEmptyDirs(node: TreeNode): boolean {
  if (node.type !== 'directory') return true;
  for (const [k, v] of node.entries) if (!pruneEmptyDirs(v)) node.entries.delete(k);
  return node.entries.size > 0;
}

/** CppNix `dereferenceSingletonDirectory`. */
export function singletonDirectory(root: TreeNode & { type: 'directory' }): TreeNode {
  if (root.entries.size === 1) {
    const only = [...root.entries.values()][0]!;
    if (only.type === 'directory') return only;
  }
  return root;
}

function writeTree(host: Host, path: string, node: TreeNode): void {
  switch (node.type) {
    case 'regular':
      host.writeFileAtomic(path, node.data, node.executable ? 0o755 : 0o644);
      return;
    case 'symlink':
      host.symlinkAtomic(node.target, path);
      return;
    case 'directory':
      host.mkdirp(path);
      for (const [name, child] of node.entries) writeTree(host, path + '/' + name, child);
  }
}

let tmpCounter = 0;

/** Materialise `node` in a temporary directory, run `f` on its path, clean up. */
export function withTreeOnDisk<T>(host: Host, node: TreeNode, f: (path: string) => T): T {
  const base = host.getEnv('TMPDIR') || '/tmp';
  const dir = `${base}/tsnix-fetch-${host.now()}-${++tmpCounter}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    host.mkdirp(dir);
    writeTree(host, dir + '/t', node);
    return f(dir + '/t');
  } finally {
    try {
      host.remove(dir);
    } catch {
      // Best effort: a leftover temporary directory is harmless.
    }
  }
}

/* ------------------------------------------------------------------------------------
 * tar
 * ---------------------------------------------------------------------------------- */

const dec = (b: Uint8Array, from: number, len: number): string => {
  let s = '';
  for (let i = from; i < from + len && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
};

function octal(b: Uint8Array, from: number, len: number): number {
  // GNU base-256 for large values.
  if (b[from]! & 0x80) {
    let n = b[from]! & 0x7f;
    for (let i = from + 1; i < from + len; i++) n = n * 256 + b[i]!;
    return n;
  }
  const s = dec(b, from, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** pax extended header records: `LEN key=value\n`. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const m = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    let sp = pos;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = parseInt(dec(data, pos, sp - pos), 10);
    if (!(len > 0)) break;
    const rec = dec(data, sp + 1, pos + len - sp - 2);
    const eq = rec.indexOf('=');
    if (eq > 0) m.set(rec.slice(0, eq), rec.slice(eq + 1));
    pos += len;
  }
  return m;
}

function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/** An uncompressed tar archive as a tree (before singleton dereferencing). */
export function tarToTree(tar: Uint8Array): { root: TreeNode & { type: 'directory' }; lastModified: number } {
  const root = emptyDir();
  let lastModified = 0;
  let pos = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  const hardlinks: [string[], string[]][] = [];
  while (pos + 512 <= tar.length) {
    const h = tar.subarray(pos, pos + 512);
    if (h.every((x) => x === 0)) break;
    const size = pax.has('size') ? parseInt(pax.get('size')!, 10) : octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const dataStart = pos + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = dec(data, 0, data.length);
      continue;
    }
    if (type === 'K') {
      longLink = dec(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'g') continue;
    const magic = dec(h, 257, 6);
    const prefix = magic.startsWith('ustar') ? dec(h, 345, 155) : '';
    let name = longName ?? pax.get('path') ?? (prefix ? prefix + '/' : '') + dec(h, 0, 100);
    const link = longLink ?? pax.get('linkpath') ?? dec(h, 157, 100);
    const mtime = pax.has('mtime') ? Math.floor(parseFloat(pax.get('mtime')!)) : octal(h, 136, 12);
    const mode = octal(h, 100, 8);
    longName = longLink = undefined;
    pax = new Map();
    lastModified = Math.max(lastModified, mtime);
    if (name.startsWith('/')) name = name.slice(1);
    const path = components(name);
    if (path.some((c) => c === '..')) throw new Error(`archive member '${name}' escapes the archive`);
    if (path.length === 0) continue;
    switch (type) {
      case '0':
      case '\0':
      case '7':
        insert(root, path, { type: 'regular', data: data.slice(), executable: (mode & 0o100) !== 0 });
        break;
      case '5':
        insert(root, path, emptyDir());
        break;
      case '2':
        insert(root, path, { type: 'symlink', target: link });
        break;
      case '1':
        hardlinks.push([path, components(link)]);
        break;
      default:
        throw new Error(`file '${name}' in tarball has unsupported file type ${type}`);
    }
  }
  for (const [path, target] of hardlinks) {
    const t = lookup(root, target);
    if (!t) throw new Error(`hard link '${path.join('/')}' to missing '${target.join('/')}'`);
    insert(root, path, t);
  }
  return { root, lastModified };
}

/** A host file as bytes (the Host returns byte strings). */
export function readBytes(host: Host, path: string): Uint8Array {
  return binaryToBytes(host.readFile(path));
}
