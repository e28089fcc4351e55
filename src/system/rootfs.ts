/**
 * A target root directory seen from inside: chroot semantics over a Host.
 *
 * Everything in src/system works on *system paths* — absolute paths as the booted
 * machine would see them (`/nix/store/…`, `/etc/passwd`, `/run/current-system`) — and
 * a `RootFs` maps them onto `DIR/…` on the host. The mapping is not a string prefix:
 * a toplevel's `kernel` link points at `/nix/store/…-linux/bzImage`, the profile's
 * `system-3-link` at `/nix/store/…-nixos-system-…`, `/etc/static` at a store path, and
 * those absolute targets must resolve *inside* DIR, never on the host's own /nix. So
 * resolution walks the path component by component with lstat/readLink and restarts
 * absolute link targets at DIR, exactly like the kernel does after chroot(2). The
 * Host's own realPath would escape the root, which is why it is never used here.
 *
 * Writes go only through the Host's atomic primitives (writeFileAtomic = temp file +
 * fsync + rename, symlinkAtomic = temp link + rename). The crash-safety argument of
 * every caller rests on that: any single write either happened completely or not at
 * all, so reasoning about a crash reduces to reasoning about prefixes of a sequence
 * of writes. Removal is the only non-atomic-looking operation, and callers order
 * removals last.
 *
 * Times: NixOS dates boot entries and generations by the *ctime* of the store path
 * (stat follows the link) and GRUB by the mtime of the link itself. Host `Stat` carries
 * `ctimeMs` where the host knows it; otherwise mtime stands in.
 */

import type { FileType, Host, Stat } from '../host.js';

export class RootFsError extends Error {}

const MAX_LINKS = 40;

export class RootFs {
  constructor(
    readonly host: Host,
    /** Host path of the root directory, without trailing slash ('' means the host's /). */
    readonly root: string,
  ) {
    this.root = root.replace(/\/+$/, '');
  }

  /** Host path for a system path (no resolution). */
  abs(p: string): string {
    return this.root + normalize(p);
  }

  /**
   * Resolve a system path to its canonical system path, following every symlink
   * inside the root. Missing trailing components are kept as they are (like
   * `realpath -m`), so callers can ask "where would this be".
   */
  resolve(p: string): string {
    let todo = normalize(p).split('/').filter((c) => c !== '');
    let done: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const c = todo.shift()!;
      if (c === '.') continue;
      if (c === '..') {
        done.pop();
        continue;
      }
      const cand = '/' + [...done, c].join('/');
      const st = this.host.lstat(this.root + cand);
      if (st && st.type === 'symlink') {
        if (++hops > MAX_LINKS) throw new RootFsError(`too many levels of symbolic links: ${p}`);
        const target = this.host.readLink(this.root + cand);
        const tparts = target.split('/').filter((x) => x !== '');
        if (target.startsWith('/')) done = [];
        todo = [...tparts, ...todo];
        continue;
      }
      done.push(c);
    }
    return '/' + done.join('/');
  }

  /**
   * Host path of `p` with every component but the last resolved inside the root, so
   * that operations on the last component (lstat, readlink, write, remove) never follow
   * an intermediate absolute link out of the root.
   */
  private leaf(p: string): string {
    const n = normalize(p);
    if (n === '/') return this.root + '/';
    const parent = this.resolve(dirname(n));
    return this.root + (parent === '/' ? '' : parent) + '/' + basename(n);
  }

  lstat(p: string): Stat | undefined {
    return this.host.lstat(this.leaf(p));
  }
  /** stat that follows links inside the root. */
  stat(p: string): Stat | undefined {
    return this.host.lstat(this.abs(this.resolve(p)));
  }
  exists(p: string): boolean {
    return this.stat(p) !== undefined;
  }
  isDir(p: string): boolean {
    return this.stat(p)?.type === 'directory';
  }
  isFile(p: string): boolean {
    return this.stat(p)?.type === 'regular';
  }
  readFile(p: string): string {
    return this.host.readFile(this.abs(this.resolve(p)));
  }
  readFileOr(p: string, dflt: string | undefined): string | undefined {
    return this.isFile(p) ? this.readFile(p) : dflt;
  }
  readLink(p: string): string {
    return this.host.readLink(this.leaf(p));
  }
  readLinkOr(p: string): string | undefined {
    return this.lstat(p)?.type === 'symlink' ? this.readLink(p) : undefined;
  }
  /** Directory entries (following links to the directory itself), sorted by name. */
  readDir(p: string): { name: string; type: FileType }[] {
    if (!this.isDir(p)) return [];
    return this.host.readDir(this.abs(this.resolve(p))).sort((a, b) => cmpBytes(a.name, b.name));
  }

  /** Seconds since the epoch: ctime (following links) where the host knows it. */
  ctime(p: string): number {
    const st = this.stat(p);
    if (!st) throw new RootFsError(`no such file: ${p}`);
    return Math.floor((st.ctimeMs ?? st.mtimeMs) / 1000);
  }
  /** Seconds since the epoch: mtime of the link itself. */
  lmtime(p: string): number {
    const st = this.lstat(p);
    if (!st) throw new RootFsError(`no such file: ${p}`);
    return Math.floor(st.mtimeMs / 1000);
  }

  write(p: string, data: string, mode?: number): void {
    this.host.writeFileAtomic(this.leaf(p), data, mode);
  }
  symlink(target: string, p: string): void {
    this.host.symlinkAtomic(target, this.leaf(p));
  }
  mkdirp(p: string): void {
    this.host.mkdirp(this.abs(this.resolve(p)));
  }
  remove(p: string): void {
    this.host.remove(this.leaf(p));
  }
  rename(from: string, to: string): void {
    this.host.rename(this.leaf(from), this.leaf(to));
  }
}

export function normalize(p: string): string {
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalize(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** Byte-wise comparison (our strings are byte strings), like Python's sorted() on str from ASCII names. */
export function cmpBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Python's `sort_by_key(name.to_lowercase())`, stable, for the unit lists of switch-to-configuration. */
export function sortCaseInsensitive(xs: Iterable<string>): string[] {
  return [...xs].sort((a, b) => cmpBytes(a.toLowerCase(), b.toLowerCase()) || cmpBytes(a, b));
}
