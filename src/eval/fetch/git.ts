/**
 * Reading a local Git repository without Git: enough of the on-disk format for
 * `fetchGit` of a local path to give CppNix's results.
 *
 * CppNix (libgit2) answers `fetchGit ./repo` from one of two places:
 *   - no `ref`/`rev`: the *working tree* — the tracked files as they are on disk,
 *     whether committed or not. Clean (every tracked file as in HEAD, nothing staged)
 *     gives `rev`/`revCount` of HEAD; dirty gives `dirtyRev = "<HEAD>-dirty"` instead.
 *     Untracked files are neither copied nor make the tree dirty.
 *   - `ref` or `rev`: that commit's tree, from the object database.
 * Either way `lastModified` is the committer time of the commit concerned and files
 * marked `export-ignore` in `.gitattributes` are left out (CppNix's default for
 * `fetchGit`).
 *
 * What is read here: `HEAD`, loose and packed refs, the index (versions 2–4), loose
 * objects and pack files (with offset and reference deltas), commits and trees.
 * Worktrees (`.git` as a file naming the real Git directory) are followed. Not
 * supported, with an error: submodules requested with `submodules = true`, LFS,
 * repositories whose objects live in alternates we cannot reach.
 */

import type { Host } from '../../host.js';
import { hashString } from '../../store/hash.js';
import { inflateZlib } from './inflate.js';
import { emptyDir, insert, readBytes, type TreeNode } from './tree.js';

export class GitError extends Error {}

interface Obj {
  type: 'commit' | 'tree' | 'blob' | 'tag';
  data: Uint8Array;
}

interface Pack {
  idx: Uint8Array;
  pack: Uint8Array;
  count: number;
}

const typeNames = ['', 'commit', 'tree', 'blob', 'tag'] as const;
const hex = (b: Uint8Array, from = 0, len = 20): string => {
  let s = '';
  for (let i = from; i < from + len; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
};
const latin1 = (b: Uint8Array, from = 0, to = b.length): string => {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]!);
  return s;
};
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

export interface CommitInfo {
  tree: string;
  parents: string[];
  committerTime: number;
}

export interface IndexEntry {
  path: string;
  mode: number;
  sha: string;
}

export class LocalGitRepo {
  readonly gitDir: string;
  /** Where objects, refs and packed-refs live (differs from gitDir in a worktree). */
  readonly commonDir: string;
  private packs: Pack[] | undefined;
  private readonly cache = new Map<string, Obj>();

  constructor(
    private readonly host: Host,
    readonly workdir: string,
  ) {
    const dotGit = workdir + '/.git';
    const st = host.lstat(dotGit);
    if (!st) throw new GitError(`'${workdir}' is not a Git repository`);
    let gitDir = dotGit;
    if (st.type === 'regular') {
      const m = /^gitdir: (.*)$/m.exec(host.readFile(dotGit));
      if (!m) throw new GitError(`'${dotGit}' does not name a Git directory`);
      gitDir = m[1]!.startsWith('/') ? m[1]! : workdir + '/' + m[1]!;
    }
    this.gitDir = gitDir;
    const common = host.lstat(gitDir + '/commondir') ? host.readFile(gitDir + '/commondir').trim() : '';
    this.commonDir = common === '' ? gitDir : common.startsWith('/') ? common : gitDir + '/' + common;
  }

  // ------------------------------------------------------------------ refs

  private packedRefs(): Map<string, string> {
    const m = new Map<string, string>();
    const p = this.commonDir + '/packed-refs';
    if (!this.host.lstat(p)) return m;
    for (const line of this.host.readFile(p).split('\n')) {
      const r = /^([0-9a-f]{40}) (\S+)$/.exec(line);
      if (r) m.set(r[2]!, r[1]!);
    }
    return m;
  }

  /** A full ref name (`HEAD`, `refs/heads/main`) → commit, following symbolic refs. */
  private readRef(name: string, depth = 0): string | undefined {
    if (depth > 10) throw new GitError(`symbolic ref loop at '${name}'`);
    const dir = name === 'HEAD' ? this.gitDir : this.commonDir;
    const file = dir + '/' + name;
    if (this.host.lstat(file)) {
      const s = this.host.readFile(file).trim();
      if (s.startsWith('ref: ')) return this.readRef(s.slice(5), depth + 1);
      if (/^[0-9a-f]{40}$/.test(s)) return s;
      return undefined;
    }
    return this.packedRefs().get(name);
  }

  /** The symbolic target of HEAD (`refs/heads/main`), if HEAD is symbolic. */
  headRef(): string | undefined {
    const s = this.host.readFile(this.gitDir + '/HEAD').trim();
    return s.startsWith('ref: ') ? s.slice(5) : undefined;
  }

  headRev(): string | undefined {
    return this.readRef('HEAD');
  }

  /** `ref = "main"` as git would resolve it (heads, then tags, then as given). */
  resolveRef(ref: string): string | undefined {
    const candidates = ref.startsWith('refs/') || ref === 'HEAD' ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`, ref];
    for (const c of candidates) {
      const r = this.readRef(c);
      if (r) return this.peel(r);
    }
    return undefined;
  }

  /** Annotated tags point at commits through tag objects. */
  private peel(sha: string): string {
    for (let i = 0; i < 10; i++) {
      const o = this.readObject(sha);
      if (o.type !== 'tag') return sha;
      const m = /^object ([0-9a-f]{40})$/m.exec(latin1(o.data));
      if (!m) return sha;
      sha = m[1]!;
    }
    return sha;
  }

  // ------------------------------------------------------------------ objects

  private loadPacks(): Pack[] {
    if (this.packs) return this.packs;
    const dir = this.commonDir + '/objects/pack';
    const packs: Pack[] = [];
    if (this.host.lstat(dir)) {
      for (const e of this.host.readDir(dir)) {
        if (!e.name.endsWith('.idx')) continue;
        const idx = readBytes(this.host, dir + '/' + e.name);
        if (u32(idx, 0) !== 0xff744f63 || u32(idx, 4) !== 2) throw new GitError(`unsupported pack index '${e.name}'`);
        const pack = readBytes(this.host, dir + '/' + e.name.slice(0, -4) + '.pack');
        packs.push({ idx, pack, count: u32(idx, 8 + 255 * 4) });
      }
    }
    return (this.packs = packs);
  }

  private findInPack(sha: string): { pack: Pack; offset: number } | undefined {
    const want = new Uint8Array(20);
    for (let i = 0; i < 20; i++) want[i] = parseInt(sha.slice(2 * i, 2 * i + 2), 16);
    for (const p of this.loadPacks()) {
      const idx = p.idx;
      const first = want[0]!;
      let lo = first === 0 ? 0 : u32(idx, 8 + (first - 1) * 4);
      let hi = u32(idx, 8 + first * 4);
      const shaBase = 8 + 256 * 4;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        let cmp = 0;
        for (let i = 0; i < 20 && cmp === 0; i++) cmp = idx[shaBase + mid * 20 + i]! - want[i]!;
        if (cmp === 0) {
          const offBase = shaBase + p.count * 24;
          let off = u32(idx, offBase + mid * 4);
          if (off & 0x80000000) {
            const large = offBase + p.count * 4 + (off & 0x7fffffff) * 8;
            off = u32(idx, large) * 0x100000000 + u32(idx, large + 4);
          }
          return { pack: p, offset: off };
        }
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
      }
    }
    return undefined;
  }

  private readPacked(p: Pack, offset: number, depth = 0): Obj {
    if (depth > 100) throw new GitError('delta chain too long');
    const b = p.pack;
    let pos = offset;
    let c = b[pos++]!;
    const type = (c >> 4) & 7;
    let size = c & 15;
    let shift = 4;
    while (c & 0x80) {
      c = b[pos++]!;
      size += (c & 0x7f) * 2 ** shift;
      shift += 7;
    }
    if (type >= 1 && type <= 4) return { type: typeNames[type] as Obj['type'], data: inflateZlib(b, pos, size).data };
    let base: Obj;
    if (type === 6) {
      c = b[pos++]!;
      let rel = c & 0x7f;
      while (c & 0x80) {
        c = b[pos++]!;
        rel = (rel + 1) * 128 + (c & 0x7f);
      }
      base = this.readPacked(p, offset - rel, depth + 1);
    } else if (type === 7) {
      base = this.readObject(hex(b, pos));
      pos += 20;
    } else throw new GitError(`unknown pack object type ${type}`);
    return { type: base.type, data: applyDelta(base.data, inflateZlib(b, pos, size).data) };
  }

  readObject(sha: string): Obj {
    const cached = this.cache.get(sha);
    if (cached) return cached;
    let obj: Obj;
    const loose = `${this.commonDir}/objects/${sha.slice(0, 2)}/${sha.slice(2)}`;
    if (this.host.lstat(loose)) {
      const raw = inflateZlib(readBytes(this.host, loose)).data;
      const sp = raw.indexOf(0x20);
      const nul = raw.indexOf(0, sp);
      const type = latin1(raw, 0, sp) as Obj['type'];
      obj = { type, data: raw.subarray(nul + 1) };
    } else {
      const found = this.findInPack(sha);
      if (!found) throw new GitError(`object ${sha} is missing from the repository`);
      obj = this.readPacked(found.pack, found.offset);
    }
    // Trees and commits are read repeatedly (rev counts, nested trees); blobs once.
    if (obj.type !== 'blob') this.cache.set(sha, obj);
    return obj;
  }

  commit(sha: string): CommitInfo {
    const o = this.readObject(sha);
    if (o.type !== 'commit') throw new GitError(`object ${sha} is a ${o.type}, not a commit`);
    const text = latin1(o.data);
    const head = text.slice(0, text.indexOf('\n\n') >>> 0);
    const tree = /^tree ([0-9a-f]{40})$/m.exec(head)?.[1];
    if (!tree) throw new GitError(`commit ${sha} has no tree`);
    const parents = [...head.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => m[1]!);
    const committerTime = Number(/^committer .*> (\d+) [+-]\d{4}$/m.exec(head)?.[1] ?? 0);
    return { tree, parents, committerTime };
  }

  /** Number of commits reachable from `sha` (`git rev-list --count`). */
  revCount(sha: string): number {
    const shallow = new Set(
      this.host.lstat(this.commonDir + '/shallow') ? this.host.readFile(this.commonDir + '/shallow').split('\n') : [],
    );
    if (shallow.size > 0 && shallow.has(sha))
      throw new GitError(`'${this.workdir}' is a shallow Git repository, so 'revCount' is not available`);
    const seen = new Set<string>([sha]);
    const todo = [sha];
    while (todo.length > 0) {
      const c = todo.pop()!;
      if (shallow.has(c)) throw new GitError(`'${this.workdir}' is a shallow Git repository, so 'revCount' is not available`);
      for (const p of this.commit(c).parents) if (!seen.has(p)) (seen.add(p), todo.push(p));
    }
    return seen.size;
  }

  /** Tree entries: name → (mode, sha). */
  treeEntries(sha: string): { name: string; mode: number; sha: string }[] {
    const o = this.readObject(sha);
    if (o.type !== 'tree') throw new GitError(`object ${sha} is a ${o.type}, not a tree`);
    const d = o.data;
    const out: { name: string; mode: number; sha: string }[] = [];
    let pos = 0;
    while (pos < d.length) {
      const sp = d.indexOf(0x20, pos);
      const nul = d.indexOf(0, sp);
      out.push({ mode: parseInt(latin1(d, pos, sp), 8), name: latin1(d, sp + 1, nul), sha: hex(d, nul + 1) });
      pos = nul + 21;
    }
    return out;
  }

  /** A commit's tree flattened to path → (mode, blob sha); gitlinks included. */
  flatten(treeSha: string, prefix = '', out = new Map<string, { mode: number; sha: string }>()): Map<string, { mode: number; sha: string }> {
    for (const e of this.treeEntries(treeSha)) {
      const p = prefix + e.name;
      if (e.mode === 0o40000) this.flatten(e.sha, p + '/', out);
      else out.set(p, { mode: e.mode, sha: e.sha });
    }
    return out;
  }

  // ------------------------------------------------------------------ index

  readIndex(): IndexEntry[] {
    const file = this.gitDir + '/index';
    if (!this.host.lstat(file)) return [];
    const b = readBytes(this.host, file);
    if (latin1(b, 0, 4) !== 'DIRC') throw new GitError(`'${file}' is not a Git index`);
    const version = u32(b, 4);
    if (version < 2 || version > 4) throw new GitError(`unsupported Git index version ${version}`);
    const n = u32(b, 8);
    const out: IndexEntry[] = [];
    let pos = 12;
    let prev = '';
    for (let i = 0; i < n; i++) {
      const start = pos;
      const mode = u32(b, pos + 24);
      const sha = hex(b, pos + 40);
      const flags = (b[pos + 60]! << 8) | b[pos + 61]!;
      pos += 62;
      if (version >= 3 && flags & 0x4000) pos += 2;
      let path: string;
      if (version === 4) {
        let c = b[pos++]!;
        let strip = c & 0x7f;
        while (c & 0x80) {
          c = b[pos++]!;
          strip = ((strip + 1) << 7) | (c & 0x7f);
        }
        const nul = b.indexOf(0, pos);
        path = prev.slice(0, prev.length - strip) + latin1(b, pos, nul);
        pos = nul + 1;
      } else {
        const nul = b.indexOf(0, pos);
        path = latin1(b, pos, nul);
        pos = start + Math.ceil((nul + 1 - start) / 8) * 8;
      }
      prev = path;
      // Stage > 0: an unresolved merge; git status shows such a tree as dirty.
      const stage = (flags >> 12) & 3;
      out.push({ path, mode: stage === 0 ? mode : -1, sha });
    }
    return out;
  }

  // ------------------------------------------------------------------ trees

  /** A commit's tree as an in-memory tree (gitlinks left out, as without submodules). */
  commitTree(treeSha: string, keep: (path: string, isDir: boolean) => boolean): TreeNode & { type: 'directory' } {
    const root = emptyDir();
    const walk = (sha: string, prefix: string[]) => {
      for (const e of this.treeEntries(sha)) {
        const path = [...prefix, e.name];
        const isDir = e.mode === 0o40000;
        if (!keep(path.join('/'), isDir)) continue;
        if (isDir) {
          insert(root, path, emptyDir());
          walk(e.sha, path);
        } else if (e.mode === 0o120000) insert(root, path, { type: 'symlink', target: latin1(this.readObject(e.sha).data) });
        else if (e.mode === 0o160000) continue;
        else insert(root, path, { type: 'regular', data: this.readObject(e.sha).data.slice(), executable: (e.mode & 0o111) !== 0 });
      }
    };
    walk(treeSha, []);
    return root;
  }
}

/** Git's delta format: source size, target size, then copy/insert instructions. */
function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  let pos = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    let c: number;
    do {
      c = delta[pos++]!;
      n += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c & 0x80);
    return n;
  };
  const srcSize = varint();
  if (srcSize !== base.length) throw new GitError('delta base size mismatch');
  const out = new Uint8Array(varint());
  let o = 0;
  while (pos < delta.length) {
    const op = delta[pos++]!;
    if (op & 0x80) {
      let off = 0;
      let len = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) off += delta[pos++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) len += delta[pos++]! * 2 ** (8 * i);
      if (len === 0) len = 0x10000;
      out.set(base.subarray(off, off + len), o);
      o += len;
    } else if (op > 0) {
      out.set(delta.subarray(pos, pos + op), o);
      pos += op;
      o += op;
    } else throw new GitError('invalid delta instruction');
  }
  return out;
}

/** `git hash-object`: the blob id of some content. */
export function blobSha(data: string): string {
  return hashString('sha1', `blob ${data.length}\0` + data).toString('base16');
}

/* ------------------------------------------------------------------------------------
 * .gitattributes export-ignore
 * ---------------------------------------------------------------------------------- */

interface AttrRule {
  /** Directory of the .gitattributes file, relative to the root ('' at the top). */
  base: string;
  pattern: string;
  /** true: export-ignore set; false: unset (`-export-ignore` or `!export-ignore`). */
  set: boolean;
}

export function parseExportIgnore(text: string, base: string): AttrRule[] {
  const rules: AttrRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/[ \t]+/);
    const pattern = parts[0]!;
    for (const a of parts.slice(1)) {
      if (a === 'export-ignore' || a === 'export-ignore=true') rules.push({ base, pattern, set: true });
      else if (a === '-export-ignore' || a === '!export-ignore') rules.push({ base, pattern, set: false });
    }
  }
  return rules;
}

function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, j);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = j;
      }
    } else if (c === '\\' && i + 1 < glob.length) re += '\\' + glob[++i];
    else re += c.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** Is `path` (relative to the root) export-ignored by `rules` (in file order, shallow first)? */
export function isExportIgnored(rules: AttrRule[], path: string): boolean {
  let result = false;
  for (const r of rules) {
    if (r.base !== '' && !path.startsWith(r.base + '/')) continue;
    const rel = r.base === '' ? path : path.slice(r.base.length + 1);
    let pat = r.pattern;
    if (pat.endsWith('/')) continue; // directory-only patterns do not apply to attributes
    let target = rel;
    if (pat.startsWith('/')) pat = pat.slice(1);
    else if (!pat.includes('/')) target = rel.slice(rel.lastIndexOf('/') + 1);
    if (globToRegex(pat).test(target)) result = r.set;
  }
  return result;
}
