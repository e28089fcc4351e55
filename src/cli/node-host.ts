/**
 * The Node.js implementation of the Host interface.
 *
 * Paths and file contents cross this boundary as byte strings (latin1 ⇄ bytes), so
 * non-UTF-8 file names and contents survive untouched. Writes are atomic: a temp file
 * in the same directory, fsync, rename — a crash leaves the old or the new file, never
 * half of one.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostStackExhausted } from '../diag/diagnostic.js';
import type { FileType, Host, Stat } from '../host.js';

const B = (p: string) => Buffer.from(p, 'latin1');

function fileType(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileType {
  if (s.isFile()) return 'regular';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  return 'unknown';
}

function toStat(s: fs.Stats): Stat {
  return { type: fileType(s), executable: (s.mode & 0o100) !== 0, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
}

let tmpCounter = 0;

export interface NodeHostOptions {
  /** Where `stderr` goes (default: fd 2). */
  write?: ((fd: 1 | 2, text: string) => void) | undefined;
  /** A fixed `now()`, in seconds: a command run twice (main.ts) sees one currentTime. */
  now?: number | undefined;
  /** Called before each file read (main.ts watches the heap there). */
  onRead?: (() => void) | undefined;
}

/**
 * A failure of a file operation, rethrown. Callers may take any failure of, say,
 * `realPath` as "keep the path as it is"; a JS stack overflow at the edge of the stack
 * is not that, so it is reported as host stack exhaustion first (see
 * src/diag/diagnostic.ts), which a main-thread attempt of the CLI notices even when
 * the caller swallows the error.
 */
function failed(e: unknown): never {
  if (e instanceof RangeError && /call stack/i.test(e.message)) hostStackExhausted();
  throw e;
}

/** "No such file" and the like mean absent; anything else is a failure. */
function absent(e: unknown): undefined {
  if (e && typeof e === 'object' && typeof (e as NodeJS.ErrnoException).code === 'string') return undefined;
  return failed(e);
}

export class NodeHost implements Host {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly opts: NodeHostOptions = {},
  ) {}

  readFile(p: string): string {
    this.opts.onRead?.();
    try {
      return fs.readFileSync(B(p)).toString('latin1');
    } catch (e) {
      return failed(e);
    }
  }
  lstat(p: string): Stat | undefined {
    try {
      return toStat(fs.lstatSync(B(p)));
    } catch (e) {
      return absent(e);
    }
  }
  stat(p: string): Stat | undefined {
    try {
      return toStat(fs.statSync(B(p)));
    } catch (e) {
      return absent(e);
    }
  }
  readDir(p: string): { name: string; type: FileType }[] {
    try {
      return fs
        .readdirSync(B(p), { withFileTypes: true, encoding: 'buffer' })
        .map((d) => ({ name: (d.name as unknown as Buffer).toString('latin1'), type: fileType(d) }));
    } catch (e) {
      return failed(e);
    }
  }
  readLink(p: string): string {
    try {
      return (fs.readlinkSync(B(p), { encoding: 'buffer' }) as Buffer).toString('latin1');
    } catch (e) {
      return failed(e);
    }
  }
  realPath(p: string): string {
    try {
      return (fs.realpathSync(B(p), { encoding: 'buffer' }) as Buffer).toString('latin1');
    } catch (e) {
      return failed(e);
    }
  }

  writeFileAtomic(p: string, data: string | Uint8Array, mode = 0o644, durable = true): void {
    const dir = path.dirname(p);
    fs.mkdirSync(B(dir), { recursive: true });
    const tmp = `${dir}/.tmp-${process.pid}-${tmpCounter++}-${path.basename(p)}`;
    const fd = fs.openSync(B(tmp), 'w', mode);
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(B(tmp), mode);
    fs.renameSync(B(tmp), B(p));
  }
  mkdirp(p: string): void {
    fs.mkdirSync(B(p), { recursive: true });
  }
  symlinkAtomic(target: string, p: string): void {
    const dir = path.dirname(p);
    fs.mkdirSync(B(dir), { recursive: true });
    const tmp = `${dir}/.tmp-${process.pid}-${tmpCounter++}-link`;
    fs.symlinkSync(B(target), B(tmp));
    fs.renameSync(B(tmp), B(p));
  }
  remove(p: string): void {
    fs.rmSync(B(p), { recursive: true, force: true });
  }
  rename(from: string, to: string): void {
    fs.renameSync(B(from), B(to));
  }
  getEnv(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined ? undefined : Buffer.from(v, 'utf8').toString('latin1');
  }
  cwd(): string {
    return Buffer.from(process.cwd(), 'utf8').toString('latin1');
  }
  now(): number {
    return this.opts.now ?? Date.now() / 1000;
  }
  stderr(text: string): void {
    (this.opts.write ?? writeOut)(2, text);
  }
  /** For lock files that name their owner (src/system/lock.ts). */
  pid(): number {
    return process.pid;
  }
  processAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
}

/** Synchronous writes to fd 1/2 (also correct from a worker thread). */
export function writeOut(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text, 'latin1');
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw e;
    }
  }
}
