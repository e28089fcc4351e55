/**
 * NAR (Nix ARchive) serialisation.
 *
 * A NAR is the canonical byte form of a file system object: the only thing hashed when
 * a path is copied into the store "recursively" (`"${./dir}"`, `builtins.path`,
 * `filterSource`, `outputHashMode = "recursive"`). It is deliberately simple and
 * deterministic: no timestamps, owners or permissions except the executable bit;
 * directory entries sorted by name (byte order); every field a length-prefixed string.
 *
 *     str(s)  = u64le(len(s)) ‖ s ‖ zero padding to a multiple of 8
 *     nar     = str("nix-archive-1") node
 *     node    = str("(") str("type") body str(")")
 *     body    = str("regular") [str("executable") str("")] str("contents") str(data)
 *             | str("symlink") str("target") str(target)
 *             | str("directory") { str("entry") str("(") str("name") str(name)
 *                                  str("node") node str(")") }
 *
 * Serialising goes through a small buffer that is handed to a sink whenever it fills,
 * so hashing a large tree never materialises the archive; file contents (which the
 * Host returns whole) are fed through in place. The sink must consume each chunk
 * before returning — the buffer is reused.
 *
 * The filter has CppNix's semantics (`SourceAccessor::dumpPath`): it is asked about
 * every entry below the root, with the entry's full path, never about the root itself;
 * an excluded directory is not descended into. The root is `lstat`ed, so a symlink root
 * is archived as a symlink, as CppNix does.
 */

import type { FileType, Host } from '../host.js';
import { StoreError } from './errors.js';
import { HashSink, type Hash, type HashAlgo } from './hash.js';

/** Decides whether an entry (full path, lstat type) is part of the archive. */
export type PathFilter = (path: string, type: FileType) => boolean;

export type ChunkSink = (chunk: Uint8Array) => void;

/** CppNix bounds directory nesting so deep trees cannot exhaust the stack. */
export const narMaxDepth = 64;

const BUF_SIZE = 1 << 16;

class NarWriter {
  private buf = new Uint8Array(BUF_SIZE);
  private pos = 0;

  constructor(private readonly sink: ChunkSink) {}

  private flush(): void {
    if (this.pos > 0) {
      this.sink(this.buf.subarray(0, this.pos));
      this.pos = 0;
    }
  }

  private ensure(n: number): void {
    if (this.pos + n > BUF_SIZE) this.flush();
  }

  private u64(n: number): void {
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    // Lengths stay below 2^53, so splitting into two 32-bit halves is exact.
    const lo = n >>> 0;
    const hi = Math.floor(n / 0x100000000) >>> 0;
    b[p++] = lo & 0xff;
    b[p++] = (lo >>> 8) & 0xff;
    b[p++] = (lo >>> 16) & 0xff;
    b[p++] = lo >>> 24;
    b[p++] = hi & 0xff;
    b[p++] = (hi >>> 8) & 0xff;
    b[p++] = (hi >>> 16) & 0xff;
    b[p++] = hi >>> 24;
    this.pos = p;
  }

  private raw(s: string | Uint8Array): void {
    const n = s.length;
    for (let off = 0; off < n; ) {
      if (this.pos === BUF_SIZE) this.flush();
      const len = Math.min(BUF_SIZE - this.pos, n - off);
      const b = this.buf;
      const p = this.pos;
      if (typeof s === 'string') for (let i = 0; i < len; i++) b[p + i] = s.charCodeAt(off + i);
      else b.set(s.subarray(off, off + len), p);
      this.pos += len;
      off += len;
    }
  }

  str(s: string | Uint8Array): void {
    this.u64(s.length);
    this.raw(s);
    const pad = (8 - (s.length % 8)) % 8;
    if (pad) {
      this.ensure(pad);
      this.buf.fill(0, this.pos, this.pos + pad);
      this.pos += pad;
    }
  }

  end(): void {
    this.flush();
  }
}

/** Serialise the file system object at `path` (lstat semantics) as a NAR. */
export function dumpPath(host: Host, path: string, sink: ChunkSink, filter?: PathFilter): void {
  const w = new NarWriter(sink);
  w.str('nix-archive-1');
  const dump = (p: string, depth: number): void => {
    if (depth >= narMaxDepth)
      throw new StoreError(`path '${p}' exceeds maximum NAR directory depth of ${narMaxDepth}`, 'store/nar-depth');
    const st = host.lstat(p);
    if (!st) throw new StoreError(`getting status of '${p}': No such file or directory`, 'store/io', 'io');
    w.str('(');
    w.str('type');
    switch (st.type) {
      case 'regular':
        w.str('regular');
        if (st.executable) {
          w.str('executable');
          w.str('');
        }
        w.str('contents');
        w.str(host.readFile(p));
        break;
      case 'symlink':
        w.str('symlink');
        w.str('target');
        w.str(host.readLink(p));
        break;
      case 'directory': {
        w.str('directory');
        const names = host.readDir(p).map((e) => e.name);
        // Byte strings: JS code-unit order is byte order, which is what std::map gives.
        names.sort();
        const base = p.endsWith('/') ? p : p + '/';
        for (const name of names) {
          const child = base + name;
          if (filter) {
            const cst = host.lstat(child);
            if (!filter(child, cst ? cst.type : 'unknown')) continue;
          }
          w.str('entry');
          w.str('(');
          w.str('name');
          w.str(name);
          w.str('node');
          dump(child, depth + 1);
          w.str(')');
        }
        break;
      }
      default:
        throw new StoreError(`file '${p}' has an unsupported type`, 'store/unsupported-file-type');
    }
    w.str(')');
  };
  dump(path, 0);
  w.end();
}

/** The NAR of a single regular, non-executable file with the given contents. */
export function dumpString(contents: string | Uint8Array, sink: ChunkSink): void {
  const w = new NarWriter(sink);
  for (const s of ['nix-archive-1', '(', 'type', 'regular', 'contents']) w.str(s);
  w.str(contents);
  w.str(')');
  w.end();
}

function collect(run: (sink: ChunkSink) => void): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  run((chunk) => {
    parts.push(chunk.slice());
    total += chunk.length;
  });
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** The whole NAR in memory (for tests and small objects; prefer `narHash`). */
export function narBytes(host: Host, path: string, filter?: PathFilter): Uint8Array {
  return collect((sink) => dumpPath(host, path, sink, filter));
}

export function narStringBytes(contents: string | Uint8Array): Uint8Array {
  return collect((sink) => dumpString(contents, sink));
}

/** Hash of the NAR serialisation of `path`, and the NAR's size in bytes. */
export function narHash(
  host: Host,
  path: string,
  filter?: PathFilter,
  algo: HashAlgo = 'sha256',
): { hash: Hash; size: number } {
  const h = new HashSink(algo);
  dumpPath(host, path, (chunk) => h.update(chunk), filter);
  return { hash: h.finish(), size: h.size };
}

/** `builtins.hashFile`: the hash of a file's contents (symlinks followed, as a read does). */
export function hashFile(host: Host, algo: HashAlgo, path: string): Hash {
  return new HashSink(algo).update(host.readFile(path)).finish();
}
