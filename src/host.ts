/**
 * The host interface: everything the core needs from the outside world.
 *
 * The core (lang, eval, store, modules, nixos, system planning) never imports `node:`.
 * Files, environment variables, the clock and diagnostics output come through a `Host`,
 * so the same code runs under Node (cli/node-host.ts) and in the browser (an in-memory
 * host). All calls are synchronous on purpose: forcing a thunk must never await.
 *
 * Paths are byte strings (see lang/source.ts); file contents are byte strings too.
 */

export type FileType = 'regular' | 'directory' | 'symlink' | 'unknown';

export interface Stat {
  type: FileType;
  executable: boolean;
  size: number;
  mtimeMs: number;
  /** Inode change time, where the host knows it (NixOS dates generations by it). */
  ctimeMs?: number;
}

export interface Host {
  readFile(path: string): string;
  /** lstat: does not follow a final symlink. undefined if absent. */
  lstat(path: string): Stat | undefined;
  /** stat: follows symlinks. undefined if absent. */
  stat(path: string): Stat | undefined;
  readDir(path: string): { name: string; type: FileType }[];
  readLink(path: string): string;
  /** Canonical path with symlinks resolved. */
  realPath(path: string): string;

  /** Writes (used by the store and the system layer): atomic where it matters. */
  /**
   * Temp file + rename, so readers see the old or the new content. `durable` (default
   * true) also fsyncs before the rename; store objects pass false, as Nix does not fsync
   * store paths by default (`fsync-store-paths = false`) — they are content-addressed and
   * rebuilt on demand, unlike profiles and boot entries.
   */
  writeFileAtomic(path: string, data: string | Uint8Array, mode?: number, durable?: boolean): void;
  mkdirp(path: string): void;
  symlinkAtomic(target: string, path: string): void;
  remove(path: string): void;
  rename(from: string, to: string): void;

  getEnv(name: string): string | undefined;
  cwd(): string;
  /** Seconds since the epoch. */
  now(): number;

  /** Diagnostics and traces go here (stderr under Node). */
  stderr(text: string): void;
}

/** Join a base directory and a relative path lexically (no symlink resolution). */
export function canonPath(path: string): string {
  const parts = path.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

export function joinPath(dir: string, rel: string): string {
  if (rel.startsWith('/')) return canonPath(rel);
  return canonPath(dir + '/' + rel);
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return '/';
  return path.slice(0, i);
}

export function baseNameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
