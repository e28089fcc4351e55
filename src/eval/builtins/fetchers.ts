/**
 * Fetchers: `fetchurl`, `fetchTarball`, `fetchTree`, `fetchGit`, `fetchMercurial`,
 * `fetchClosure`, and the `<nix/fetchurl.nix>` corepkg.
 *
 * tsnix never touches the network. A fetcher whose source is local — a `file://`
 * URL, an absolute path, a `path` input — does what CppNix does with it and produces
 * the same store path (so derivations using it hash identically); anything else fails
 * with an error naming the URL, never silently. Argument handling and its errors are
 * CppNix's (`fetchTree.cc`), since those are observable even for inputs we then refuse.
 *
 * What is local and supported:
 *   - `fetchurl file:///f`  → the file, flat-hashed with SHA-256, named after the URL's
 *     last component (so the same path as `builtins.path { recursive = false; }`);
 *     `sha256` is checked.
 *   - `fetchTarball file:///t.tar.gz` (gzip or uncompressed tar) → the unpacked tree,
 *     as CppNix imports it through its Git tree cache (single top-level directory
 *     dereferenced, empty directories gone), named `source`.
 *   - `fetchTree { type = "path"; path = "/abs"; }`, `{ type = "file"; url = … }`,
 *     `{ type = "tarball"; url = … }` → a `source` copy with `narHash`, `lastModified`
 *     and `lastModifiedDate`.
 *   - `fetchGit` / `fetchTree { type = "git"; }` of a local repository: the working
 *     tree's tracked files (or, with `ref`/`rev`, a commit's tree) with CppNix's
 *     attributes — `rev`, `shortRev`, `revCount`, `lastModified`, and `dirtyRev` for
 *     a working tree with uncommitted changes (src/eval/fetch/git.ts reads the
 *     repository; no `git` binary is run).
 * Not supported even locally: xz/bzip2/zstd/zip archives, Git submodules and LFS,
 * Mercurial; they fail with an error saying so. `fetchClosure` needs a binary cache
 * and always fails.
 *
 * `fetchTree` is not gated behind the `fetch-tree` experimental feature: CppNix's own
 * language tests run with flakes enabled and expect it to be there.
 *
 * `<nix/fetchurl.nix>` is the small Nix function nixpkgs' bootstrap imports; it only
 * builds a `builtin:fetchurl` fixed-output derivation, so it needs no network at
 * evaluation time. The text below is ours; the attributes it passes to `derivation`
 * must be exactly CppNix's, since they end up in the `.drv`.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { BadStorePathName } from '../../store/errors.js';
import { Hash, newHashAllowEmpty } from '../../store/hash.js';
import { checkName } from '../../store/path.js';
import { canonPath } from '../../host.js';
import { forceAttrs, forceStringNoCtx, forceValue } from '../force.js';
import type { EvalState } from '../state.js';
import { NixAttrs, NixPath, NixString, showType, type Lazy, type Value } from '../value.js';
import { mkStorePathString } from './context.js';
import type { Builtin } from './registry.js';
import { gunzip } from '../fetch/inflate.js';
import { GitError, LocalGitRepo, blobSha, isExportIgnored, parseExportIgnore } from '../fetch/git.js';
import {
  emptyDir as emptyTree,
  insert as insertNode,
  pruneEmptyDirs,
  readBytes,
  singletonDirectory,
  tarToTree,
  withTreeOnDisk,
  type TreeNode,
} from '../fetch/tree.js';

const fetchurlNix = `# tsnix's <nix/fetchurl.nix>: a fixed-output derivation built by Nix's
# builtin fetcher. Interface and derivation attributes as CppNix's corepkg, so
# that the resulting .drv is identical.
{
  url,
  # An SRI hash, or one of the legacy per-algorithm attributes.
  hash ? "",
  md5 ? "",
  sha1 ? "",
  sha256 ? "",
  sha512 ? "",
  outputHash ?
    if hash != "" then hash
    else if sha512 != "" then sha512
    else if sha1 != "" then sha1
    else if md5 != "" then md5
    else sha256,
  # Empty for SRI hashes, which name their algorithm.
  outputHashAlgo ?
    if hash != "" then ""
    else if sha512 != "" then "sha512"
    else if sha1 != "" then "sha1"
    else if md5 != "" then "md5"
    else "sha256",
  executable ? false,
  unpack ? false,
  name ? baseNameOf (toString url),
  impure ? false,
  system ? "", # accepted for compatibility, not used
}:
let
  common = {
    builder = "builtin:fetchurl";
    system = "builtin";
    inherit name url executable unpack;
    outputHashMode = if unpack || executable then "recursive" else "flat";
    # Local build: downloading on a remote builder only to copy back doubles traffic.
    preferLocalBuild = true;
    # Kept only because removing it would change every fetchurl .drv.
    impureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" ];
    # What nix-prefetch-url reads.
    urls = [ url ];
  };
in
derivation (common // (if impure then { __impure = true; } else { inherit outputHash outputHashAlgo; }))
`;

/** `file://…` or an absolute path → the host path it denotes; undefined if remote. */
export function localPathOfUrl(url: string): string | undefined {
  let u = url;
  if (u.startsWith('git+')) u = u.slice(4);
  if (u.startsWith('/')) return canonPath(u.replace(/[?#].*$/, ''));
  if (!u.startsWith('file:')) return undefined;
  let rest = u.slice(5).replace(/[?#].*$/, '');
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const slash = rest.indexOf('/');
    const authority = slash < 0 ? rest : rest.slice(0, slash);
    if (authority !== '' && authority !== 'localhost') return undefined;
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  if (!rest.startsWith('/')) return undefined;
  return canonPath(rest.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
}

function noNetwork(url: string): NixError {
  return new NixError(
    'eval',
    `cannot fetch '${url}': tsnix does not access the network (only local paths and file:// URLs can be fetched)`,
  );
}

/** CppNix `baseNameOf(string_view)`: the last component, a trailing slash ignored. */
function baseNameOfUrl(s: string): string {
  let end = s.length;
  if (end > 0 && s[end - 1] === '/') end--;
  const i = s.lastIndexOf('/', end - 1);
  return s.slice(i + 1, end);
}

function isArchiveName(p: string): boolean {
  return /\.(zip|tar|tgz|tar\.gz|tar\.xz|tar\.bz2|tar\.zst)$/.test(p);
}

/** Newest mtime (seconds) in a tree, as CppNix's `dumpPathAndGetMtime`. */
function newestMtime(st: EvalState, path: string): number {
  const s = st.host.lstat(path);
  if (!s) return 0;
  let m = Math.floor(s.mtimeMs / 1000);
  if (s.type === 'directory')
    for (const e of st.host.readDir(path)) m = Math.max(m, newestMtime(st, path + '/' + e.name));
  return m;
}

function utcDate(secs: number): string {
  const d = new Date(secs * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** `fetchurl` and `fetchTarball` (CppNix `fetch`). */
function fetch(st: EvalState, arg: Lazy, who: string, unpack: boolean, defaultName: string): Value {
  const v = forceValue(arg);
  let url: string | undefined;
  let expected: Hash | undefined;
  let name = defaultName;
  let nameAttrPassed = false;
  const isArgAttrs = v instanceof NixAttrs;
  if (v instanceof NixAttrs) {
    for (const k of v.keys()) {
      const a = v.get(k)!;
      const pos = v.posOf(k);
      if (k === 'url') url = forceStringNoCtx(a, pos, 'while evaluating the url we should fetch');
      else if (k === 'sha256')
        expected = newHashAllowEmpty(
          forceStringNoCtx(a, pos, 'while evaluating the sha256 of the content we should fetch'),
          'sha256',
        );
      else if (k === 'name') {
        nameAttrPassed = true;
        name = forceStringNoCtx(a, pos, 'while evaluating the name of the content we should fetch');
      } else throw new NixError('eval', `unsupported argument '${k}' to '${who}'`);
    }
    if (url === undefined) throw new NixError('eval', "'url' argument required");
  } else url = forceStringNoCtx(v, noPos, 'while evaluating the url we should fetch');

  if (name === '') name = baseNameOfUrl(url);
  try {
    checkName(name);
  } catch (e) {
    if (!(e instanceof BadStorePathName)) throw e;
    const resolution = nameAttrPassed
      ? `Please change the value for the 'name' attribute passed to '${who}', so that it can create a valid store path.`
      : isArgAttrs
        ? `Please add a valid 'name' attribute to the argument for '${who}', so that it can create a valid store path.`
        : `Please pass an attribute set with 'url' and 'name' attributes to '${who}',  so that it can create a valid store path.`;
    throw new NixError('eval', `invalid store path name when fetching URL '${url}': ${e.message}. ${resolution}`);
  }
  if (st.opts.pureEval && !expected)
    throw new NixError('eval', `in pure evaluation mode, '${who}' requires a 'sha256' argument`);

  const local = localPathOfUrl(url);
  if (local === undefined) throw noNetwork(url);
  if (st.host.stat(local) === undefined)
    throw new NixError('eval', `unable to download '${url}': Couldn't read a file:// file (37)`);
  if (unpack) {
    const r = unpackTarball(st, url, local, name);
    if (expected && r.narHash !== expected.toString('sri', true))
      throw new NixError(
        'eval',
        `NAR hash mismatch in input '${url}', expected '${expected.toString('sri', true)}' but got '${r.narHash}'`,
      );
    return mkStorePathString(r.outPath) as Value;
  }
  const p = st.store.addPath(local, { name, method: 'flat' });
  if (expected) {
    const got = st.store.hashPath(local, 'flat', 'sha256');
    const specified = expected.toString('sri', true);
    if (got !== specified) {
      const nix32 = (sri: string) => newHashAllowEmpty(sri, undefined).toString('nix32', true);
      throw new NixError(
        'eval',
        `hash mismatch in file downloaded from '${url}':\n  specified: ${nix32(specified)}\n  got:       ${nix32(got)}`,
      );
    }
  }
  return mkStorePathString(p) as Value;
}

type InputAttr = string | boolean | number | bigint;

/** `fetchTree` and `fetchGit` (CppNix `fetchTree`). */
function fetchTree(st: EvalState, arg: Lazy, isFetchGit: boolean): Value {
  const fetcher = isFetchGit ? 'fetchGit' : 'fetchTree';
  const v = forceValue(arg);
  const attrs = new Map<string, InputAttr>();
  let type: string | undefined = isFetchGit ? 'git' : undefined;
  if (v instanceof NixAttrs) {
    forceAttrs(v, noPos, `while evaluating the argument passed to '${fetcher}'`);
    const t = v.get('type');
    if (t !== undefined) {
      if (type !== undefined) throw new NixError('eval', "unexpected argument 'type'");
      type = forceStringNoCtx(t, v.posOf('type'), `while evaluating the \`type\` argument passed to '${fetcher}'`);
    } else if (type === undefined) throw new NixError('eval', `argument 'type' is missing in call to '${fetcher}'`);
    for (const k of v.keys()) {
      if (k === 'type') continue;
      const pos = v.posOf(k);
      const x = forceValue(v.get(k)!, pos);
      if (x instanceof NixPath || typeof x === 'string' || x instanceof NixString)
        attrs.set(k, st.coerceToString(x, pos, '', { coerceMore: false, copyToStore: false }).s);
      else if (typeof x === 'boolean') attrs.set(k, x);
      else if (typeof x === 'number' || typeof x === 'bigint') {
        if (x < 0) throw new NixError('eval', `negative value given for '${fetcher}' argument '${k}': ${String(x)}`);
        attrs.set(k, x);
      } else
        throw new NixError(
          'type',
          `argument '${k}' to '${fetcher}' is ${showType(x)} while a string, Boolean or integer is expected`,
        );
    }
    if (!isFetchGit && attrs.has('name'))
      throw new NixError('eval', `argument 'name' isn\u00e2\u0080\u0099t supported in call to '${fetcher}'`);
  } else {
    const url = st.coerceToString(v, noPos, `while evaluating the first argument passed to '${fetcher}'`, {
      coerceMore: false,
      copyToStore: false,
    }).s;
    if (isFetchGit) attrs.set('url', url);
    else {
      const input = inputFromURL(url);
      type = input.type;
      for (const [k, x] of input.attrs) attrs.set(k, x);
    }
  }
  const shown = inputToString(type!, attrs);
  try {
    return fetchInput(st, type!, attrs, fetcher);
  } catch (e) {
    if (e instanceof NixError) e.addTrace(noPos, `while fetching the input '${shown}'`);
    throw e;
  }
}

function inputFromURL(url: string): { type: string; attrs: Map<string, InputAttr> } {
  const attrs = new Map<string, InputAttr>();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
  if (scheme === 'path') {
    attrs.set('path', url.slice(5).replace(/[?#].*$/, ''));
    return { type: 'path', attrs };
  }
  if (scheme === 'file' || scheme === 'tarball+file' || scheme === 'file+file') {
    attrs.set('url', url);
    return { type: isArchiveName(url.replace(/[?#].*$/, '')) ? 'tarball' : 'file', attrs };
  }
  if (scheme?.startsWith('git+')) {
    attrs.set('url', url.slice(4));
    return { type: 'git', attrs };
  }
  if (url.startsWith('/')) {
    attrs.set('path', url);
    return { type: 'path', attrs };
  }
  attrs.set('url', url);
  return { type: scheme === 'http' || scheme === 'https' ? (isArchiveName(url) ? 'tarball' : 'file') : scheme ?? 'indirect', attrs };
}

function inputToString(type: string, attrs: Map<string, InputAttr>): string {
  const url = attrs.get('url');
  if (typeof url === 'string') return url;
  const path = attrs.get('path');
  if (type === 'path' && typeof path === 'string') return `path:${path}`;
  return type;
}

function fetchInput(st: EvalState, type: string, attrs: Map<string, InputAttr>, fetcher: string): Value {
  const str = (k: string): string | undefined => {
    const x = attrs.get(k);
    return typeof x === 'string' ? x : undefined;
  };
  let hostPath: string;
  switch (type) {
    case 'path': {
      const p = str('path');
      if (p === undefined) throw new NixError('eval', "input attribute 'path' is missing");
      if (!p.startsWith('/'))
        throw new NixError('eval', `cannot fetch input 'path:${p}' because it uses a relative path`);
      hostPath = canonPath(p);
      break;
    }
    case 'file':
    case 'tarball': {
      const url = str('url');
      if (url === undefined) throw new NixError('eval', "input attribute 'url' is missing");
      const rest = url.replace(/^(tarball\+|file\+)/, '');
      if (rest.startsWith('file:') && !rest.startsWith('file:/'))
        throw new NixError(
          'eval',
          `${type} '${url}' must use an absolute path. The 'file' scheme does not support relative paths.`,
        );
      const local = localPathOfUrl(rest);
      if (local === undefined) throw noNetwork(url);
      if (type === 'tarball') {
        if (st.host.stat(local) === undefined)
          throw new NixError('eval', `unable to download '${url}': Couldn't read a file:// file (37)`);
        const r = unpackTarball(st, url, local, 'source');
        return treeAttrs(st, attrs, type, r.outPath, r.narHash, r.lastModified);
      }
      hostPath = local;
      break;
    }
    case 'git': {
      const url = str('url') ?? '';
      const local = localPathOfUrl(url);
      if (local === undefined) throw noNetwork(url);
      return fetchGitLocal(st, local, attrs, fetcher === 'fetchGit');
    }
    default:
      throw new NixError('eval', `input type '${type}' is not supported by tsnix's '${fetcher}'`);
  }
  if (st.host.lstat(hostPath) === undefined) throw new NixError('eval', `path '${hostPath}' does not exist`);
  const outPath = st.store.addPath(hostPath, { name: 'source', method: 'nar' });
  const narHash = st.store.hashPath(hostPath, 'nar', 'sha256');
  return treeAttrs(st, attrs, type, outPath, narHash, newestMtime(st, hostPath));
}

/** CppNix `emitTreeAttrs` for inputs without revisions; checks a given `narHash`. */
function treeAttrs(
  st: EvalState,
  attrs: Map<string, InputAttr>,
  type: string,
  outPath: string,
  narHash: string,
  mtime: number,
): Value {
  const want = attrs.get('narHash');
  if (typeof want === 'string' && newHashAllowEmpty(want, undefined).toString('sri', true) !== narHash)
    throw new NixError('eval', `NAR hash mismatch in input '${inputToString(type, attrs)}', expected '${want}' but got '${narHash}'`);
  // A lastModified given by the caller is trusted, as CppNix does.
  const given = attrs.get('lastModified');
  const lastModified = typeof given === 'number' ? given : mtime;
  void st;
  const m = new Map<string, Lazy>();
  m.set('lastModified', lastModified);
  m.set('lastModifiedDate', utcDate(lastModified));
  m.set('narHash', narHash);
  m.set('outPath', mkStorePathString(outPath));
  return new NixAttrs(m);
}

/** A tree into the store under `name`: store path and NAR hash. */
function addTree(st: EvalState, tree: TreeNode, name: string): { outPath: string; narHash: string } {
  const r = withTreeOnDisk(st.host, tree, (p) => ({
    outPath: st.store.addPath(p, { name, method: 'nar' }),
    narHash: st.store.hashPath(p, 'nar', 'sha256'),
  }));
  st.store.registerTree(r.outPath, tree);
  return r;
}

function unpackTarball(
  st: EvalState,
  url: string,
  local: string,
  name: string,
): { outPath: string; narHash: string; lastModified: number } {
  let bytes = readBytes(st.host, local);
  const magic = (...m: number[]) => m.every((x, i) => bytes[i] === x);
  try {
    if (magic(0x1f, 0x8b)) bytes = gunzip(bytes);
    else if (magic(0xfd, 0x37, 0x7a, 0x58, 0x5a) || magic(0x42, 0x5a, 0x68) || magic(0x28, 0xb5, 0x2f, 0xfd) || magic(0x50, 0x4b))
      throw new Error('only gzip-compressed and uncompressed tar archives can be unpacked by tsnix');
    const { root, lastModified } = tarToTree(bytes);
    pruneEmptyDirs(root);
    return { ...addTree(st, singletonDirectory(root), name), lastModified };
  } catch (e) {
    if (e instanceof NixError) throw e;
    throw new NixError('eval', `cannot unpack '${url}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

const nullRev = '0000000000000000000000000000000000000000';

/** `fetchGit` / `fetchTree { type = "git"; }` of a repository on this machine. */
function fetchGitLocal(st: EvalState, dir: string, attrs: Map<string, InputAttr>, isFetchGit: boolean): Value {
  const host = st.host;
  const str = (k: string): string | undefined => {
    const x = attrs.get(k);
    return typeof x === 'string' ? x : undefined;
  };
  if (attrs.get('submodules') === true)
    throw new NixError('eval', `cannot fetch Git repository '${dir}' with submodules: tsnix does not support Git submodules`);
  if (attrs.get('lfs') === true) throw new NixError('eval', `cannot fetch Git repository '${dir}' with LFS: not supported by tsnix`);
  const exportIgnore = attrs.has('exportIgnore') ? attrs.get('exportIgnore') === true : isFetchGit;
  const name = str('name') ?? 'source';
  const m = new Map<string, Lazy>();
  try {
    const repo = new LocalGitRepo(host, dir);
    const ref = str('ref');
    const wantRev = str('rev');
    let tree: TreeNode & { type: 'directory' };
    let rev: string | undefined;
    let lastModified: number;
    let dirtyRev: string | undefined;
    if (ref !== undefined || wantRev !== undefined) {
      const sha = wantRev ?? repo.resolveRef(ref!);
      if (sha === undefined) throw new NixError('eval', `cannot find Git ref '${ref}' in repository '${dir}'`);
      const c = repo.commit(sha);
      const flat = repo.flatten(c.tree);
      const rules = exportIgnore
        ? [...flat.keys()]
            .filter((p) => p === '.gitattributes' || p.endsWith('/.gitattributes'))
            .sort((a, b) => a.split('/').length - b.split('/').length)
            .flatMap((p) => parseExportIgnore(latinOf(repo.readObject(flat.get(p)!.sha).data), p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : ''))
        : [];
      tree = repo.commitTree(c.tree, (p) => !isExportIgnored(rules, p));
      rev = sha;
      lastModified = c.committerTime;
    } else {
      const head = repo.headRev();
      const headFlat = head ? repo.flatten(repo.commit(head).tree) : new Map<string, { mode: number; sha: string }>();
      const index = repo.readIndex();
      let dirty = false;
      const files: { path: string; node: TreeNode }[] = [];
      const inIndex = new Set<string>();
      for (const e of index) {
        if (inIndex.has(e.path)) continue; // conflict stages repeat a path
        inIndex.add(e.path);
        if (e.mode === -1) dirty = true;
        if (e.mode === 0o160000) continue;
        const full = dir + '/' + e.path;
        const ls = host.lstat(full);
        if (!ls || ls.type === 'directory') {
          dirty = true;
          continue;
        }
        let node: TreeNode;
        let content: string;
        let mode: number;
        if (ls.type === 'symlink') {
          content = host.readLink(full);
          node = { type: 'symlink', target: content };
          mode = 0o120000;
        } else {
          content = host.readFile(full);
          node = { type: 'regular', data: readBytes(host, full), executable: ls.executable };
          mode = ls.executable ? 0o100755 : 0o100644;
        }
        if (e.mode !== mode || blobSha(content) !== e.sha) dirty = true;
        const h = headFlat.get(e.path);
        if (!h || h.mode !== e.mode || h.sha !== e.sha) dirty = true;
        files.push({ path: e.path, node });
      }
      for (const [p, h] of headFlat) if (!inIndex.has(p) && h.mode !== 0o160000) dirty = true;
      const rules = exportIgnore
        ? files
            .filter((f) => f.path === '.gitattributes' || f.path.endsWith('/.gitattributes'))
            .sort((a, b) => a.path.split('/').length - b.path.split('/').length)
            .flatMap((f) =>
              f.node.type === 'regular'
                ? parseExportIgnore(latinOf(f.node.data), f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '')
                : [],
            )
        : [];
      tree = emptyTree();
      for (const f of files) {
        const parts = f.path.split('/');
        let ignored = false;
        for (let i = 1; i <= parts.length && !ignored; i++) ignored = isExportIgnored(rules, parts.slice(0, i).join('/'));
        if (!ignored) insertNode(tree, parts, f.node);
      }
      lastModified = head ? repo.commit(head).committerTime : 0;
      if (dirty) {
        host.stderr(`warning: Git tree '${dir}' is dirty\n`);
        if (head) dirtyRev = head;
      } else rev = head ?? nullRev;
    }
    pruneEmptyDirs(tree);
    const { outPath, narHash } = addTree(st, tree, name);
    m.set('outPath', mkStorePathString(outPath));
    m.set('narHash', narHash);
    m.set('submodules', false);
    const revOut = rev ?? (isFetchGit ? nullRev : undefined);
    if (revOut !== undefined) {
      m.set('rev', revOut);
      m.set('shortRev', revOut.slice(0, 7));
      m.set('revCount', revOut === nullRev ? 0 : repo.revCount(revOut));
    }
    if (dirtyRev !== undefined) {
      m.set('dirtyRev', dirtyRev + '-dirty');
      m.set('dirtyShortRev', dirtyRev.slice(0, 7) + '-dirty');
    }
    m.set('lastModified', lastModified);
    m.set('lastModifiedDate', utcDate(lastModified));
    return new NixAttrs(m);
  } catch (e) {
    if (e instanceof GitError) throw new NixError('eval', e.message);
    if (e instanceof NixError) throw e;
    throw new NixError('eval', `reading Git repository '${dir}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

function latinOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

export function fetcherBuiltins(st: EvalState): Builtin[] {
  st.virtualFiles.set('/__corepkgs__/fetchurl.nix', fetchurlNix);
  return [
    { name: 'fetchurl', arity: 1, fn1: (a) => fetch(st, a!, 'fetchurl', false, '') },
    { name: 'fetchTarball', arity: 1, global: true, fn1: (a) => fetch(st, a!, 'fetchTarball', true, 'source') },
    { name: 'fetchTree', arity: 1, global: true, fn1: (a) => fetchTree(st, a!, false) },
    { name: 'fetchGit', arity: 1, global: true, fn1: (a) => fetchTree(st, a!, true) },
    {
      name: 'fetchMercurial',
      arity: 1,
      global: true,
      fn1: (a) => {
        const v = forceValue(a!);
        let url: string | undefined;
        if (v instanceof NixAttrs) {
          for (const k of v.keys()) {
            if (k === 'url')
              url = st.coerceToString(v.get(k)!, v.posOf(k), 'while evaluating the `url` attribute passed to builtins.fetchMercurial', {
                coerceMore: false,
                copyToStore: false,
              }).s;
            else if (k !== 'rev' && k !== 'name')
              throw new NixError('eval', `unsupported argument '${k}' to 'fetchMercurial'`);
          }
          if (url === undefined) throw new NixError('eval', "'url' argument required");
        } else
          url = st.coerceToString(v, noPos, 'while evaluating the first argument passed to builtins.fetchMercurial', {
            coerceMore: false,
            copyToStore: false,
          }).s;
        if (localPathOfUrl(url) === undefined) throw noNetwork(url);
        throw new NixError('eval', `cannot fetch Mercurial repository '${url}': tsnix does not read Mercurial repositories`);
      },
    },
    {
      name: 'fetchClosure',
      arity: 1,
      fn1: (a) => {
        const attrs = forceAttrs(a!, noPos, 'while evaluating the argument passed to builtins.fetchClosure');
        const from = attrs.get('fromStore');
        const url = from === undefined ? '' : forceStringNoCtx(from, noPos, 'while evaluating the `fromStore` attribute');
        throw new NixError(
          'eval',
          `cannot fetch a closure${url ? ` from '${url}'` : ''}: tsnix does not access binary caches`,
        );
      },
    },
  ];
}
