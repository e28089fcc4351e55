/**
 * `parseFlakeRef` and `flakeRefToString`: flake references as strings and as the
 * attribute sets `fetchTree` takes.
 *
 * Only the syntax is handled here — nothing is fetched or looked up in a registry — so
 * this is a pure translation between CppNix's URL forms (libfetchers' `inputFromURL` /
 * `toURL` per input type, libflake's `dir` handling) and attributes:
 *
 *   github:owner/repo[/ref-or-rev][?…]   gitlab:…  sourcehut:…   → owner, repo, ref|rev, host
 *   git+https://…?ref=…&rev=…  git+file:///…                     → type git, url, params
 *   path:/abs[?…]  /abs                                          → type path, path
 *   https://…/x.tar.gz  tarball+https://…  file+https://…        → type tarball | file, url
 *   hg+https://…                                                 → type hg, url
 *   [flake:]id[/ref][/rev]                                       → type indirect, id
 *
 * with `?dir=sub` carried as the `dir` attribute. Relative paths (`./x`) need the
 * flake's location and a `flake.nix` on disk in CppNix; they are refused here.
 * Query parameters are printed in name order, as CppNix's `std::map` does.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceStringNoCtx, forceValue } from '../force.js';
import type { EvalState } from '../state.js';
import { NixAttrs, NixString, showType, type Lazy } from '../value.js';
import type { Builtin } from './registry.js';

type Attr = string | boolean | number | bigint;

const revRe = /^[0-9a-fA-F]{40}$/;
const gitBoolParams = new Set(['shallow', 'submodules', 'allRefs', 'lfs', 'exportIgnore', 'verifyCommit']);
const intParams = new Set(['revCount', 'lastModified']);

function percentDecode(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function percentEncode(s: string, keep: RegExp): string {
  let out = '';
  for (const c of s) out += keep.test(c) ? c : '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
  return out;
}

const encQuery = (s: string) => percentEncode(s, /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/).replace(/&/g, '%26').replace(/=/g, '%3D');
const encPath = (s: string) => percentEncode(s, /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/);

function isArchive(p: string): boolean {
  return /\.(zip|tar|tgz|tar\.gz|tar\.xz|tar\.bz2|tar\.zst)$/.test(p);
}

export function parseFlakeRef(s: string): Map<string, Attr> {
  const bad = (why = `invalid flakeref '${s}'`) => new NixError('eval', why);
  let rest = s;
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) {
    const fragment = percentDecode(rest.slice(hashAt + 1));
    if (fragment !== '') throw new NixError('eval', `unexpected fragment '${fragment}' in flake reference '${s}'`);
    rest = rest.slice(0, hashAt);
  }
  const q = rest.indexOf('?');
  const query = new Map<string, string>();
  if (q >= 0) {
    for (const kv of rest.slice(q + 1).split('&')) {
      if (kv === '') continue;
      const eq = kv.indexOf('=');
      query.set(percentDecode(eq < 0 ? kv : kv.slice(0, eq)), percentDecode(eq < 0 ? '' : kv.slice(eq + 1)));
    }
    rest = rest.slice(0, q);
  }
  const attrs = new Map<string, Attr>();
  const dir = query.get('dir');
  query.delete('dir');
  const addParams = (known: (k: string) => boolean) => {
    for (const [k, v] of query) {
      if (!known(k)) throw bad(`URL '${s}' contains unknown parameter '${k}'`);
      attrs.set(k, gitBoolParams.has(k) ? v === '1' || v === 'true' : intParams.has(k) ? Number(v) : v);
    }
  };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest)?.[1];

  if (scheme === 'github' || scheme === 'gitlab' || scheme === 'sourcehut') {
    const segs = rest.slice(scheme.length + 1).split('/').filter((x) => x !== '').map(percentDecode);
    if (segs.length < 2) throw bad(`URL '${s}' is invalid`);
    attrs.set('type', scheme);
    attrs.set('owner', segs[0]!);
    attrs.set('repo', segs[1]!);
    if (segs.length === 3) attrs.set(revRe.test(segs[2]!) ? 'rev' : 'ref', segs[2]!);
    else if (segs.length > 3) attrs.set('ref', segs.slice(2).join('/'));
    for (const [k, v] of query) {
      if (k === 'rev' || k === 'ref') {
        if (attrs.has(k)) throw bad(`URL '${s}' contains multiple ${k === 'rev' ? 'commit hashes' : 'branch/tag names'}`);
        attrs.set(k, v);
      } else if (k === 'host' || k === 'narHash') attrs.set(k, v);
      else throw bad(`URL '${s}' contains unknown parameter '${k}'`);
    }
  } else if (scheme === 'path' || rest.startsWith('/')) {
    const p = percentDecode(scheme === 'path' ? rest.slice(5) : rest);
    if (!p.startsWith('/')) throw bad(`flake reference '${s}' is not an absolute path`);
    attrs.set('type', 'path');
    attrs.set('path', p);
    addParams((k) => ['rev', 'narHash', 'revCount', 'lastModified'].includes(k));
  } else if (scheme?.startsWith('git+')) {
    attrs.set('type', 'git');
    attrs.set('url', rest.slice(4));
    addParams((k) => ['ref', 'rev', 'narHash', 'revCount', 'lastModified', 'keytype', 'publicKey', 'publicKeys'].includes(k) || gitBoolParams.has(k));
  } else if (scheme?.startsWith('hg+')) {
    attrs.set('type', 'hg');
    attrs.set('url', rest.slice(3));
    addParams((k) => ['ref', 'rev', 'narHash', 'revCount'].includes(k));
  } else if (scheme !== undefined && /^(tarball\+|file\+)?(https?|file)$/.test(scheme)) {
    const explicit = scheme.startsWith('tarball+') ? 'tarball' : scheme.startsWith('file+') ? 'file' : undefined;
    const url = explicit ? rest.slice(explicit.length + 1) : rest;
    attrs.set('type', explicit ?? (isArchive(url) ? 'tarball' : 'file'));
    // Unknown parameters belong to the URL itself for these types.
    const own = [...query].filter(([k]) => k === 'narHash' || k === 'rev' || k === 'revCount' || k === 'lastModified');
    const urlQuery = [...query].filter(([k]) => !own.some(([o]) => o === k));
    attrs.set('url', url + (urlQuery.length ? '?' + urlQuery.map(([k, v]) => `${encQuery(k)}=${encQuery(v)}`).join('&') : ''));
    for (const [k, v] of own) attrs.set(k, intParams.has(k) ? Number(v) : v);
  } else if (scheme === 'flake' || scheme === undefined) {
    const body = scheme === 'flake' ? rest.slice(6) : rest;
    if (scheme === undefined && (body.startsWith('.') || body === '')) throw bad(`flake reference '${s}' is not an absolute path`);
    const segs = body.split('/').filter((x) => x !== '');
    if (segs.length === 0 || !/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(segs[0]!)) throw bad();
    attrs.set('type', 'indirect');
    attrs.set('id', segs[0]!);
    if (segs.length === 2) attrs.set(revRe.test(segs[1]!) ? 'rev' : 'ref', segs[1]!);
    else if (segs.length === 3) {
      if (!revRe.test(segs[2]!)) throw bad(`in flake URL '${s}', '${segs[2]}' is not a commit hash`);
      attrs.set('ref', segs[1]!);
      attrs.set('rev', segs[2]!);
    } else if (segs.length > 3) throw bad();
    addParams((k) => k === 'narHash');
  } else throw bad(`input '${s}' is unsupported`);
  if (dir !== undefined && dir !== '') attrs.set('dir', dir);
  return attrs;
}

export function flakeRefToString(attrs: Map<string, Attr>): string {
  const str = (k: string): string | undefined => {
    const v = attrs.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const type = str('type');
  if (type === undefined) throw new NixError('eval', "attribute 'type' is missing in flake reference");
  const query = new Map<string, string>();
  const dir = str('dir');
  if (dir) query.set('dir', dir);
  const param = (k: string) => {
    const v = attrs.get(k);
    if (v === undefined) return;
    query.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  };
  let base: string;
  switch (type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut': {
      const owner = str('owner');
      const repo = str('repo');
      if (owner === undefined || repo === undefined) throw new NixError('eval', `flake reference of type '${type}' lacks 'owner' or 'repo'`);
      const ref = str('ref') ?? str('rev');
      base = `${type}:${encPath(owner)}/${encPath(repo)}${ref !== undefined ? '/' + encPath(ref) : ''}`;
      param('narHash');
      param('host');
      break;
    }
    case 'indirect': {
      const id = str('id') ?? '';
      base = `flake:${id}${str('ref') !== undefined ? '/' + str('ref') : ''}${str('rev') !== undefined ? '/' + str('rev') : ''}`;
      param('narHash');
      break;
    }
    case 'path':
      base = 'path:' + encPath(str('path') ?? '');
      for (const k of ['rev', 'narHash', 'revCount', 'lastModified']) param(k);
      break;
    case 'git':
    case 'hg': {
      base = `${type}+${str('url') ?? ''}`;
      for (const k of attrs.keys()) if (!['type', 'url', 'dir'].includes(k)) param(k);
      break;
    }
    case 'tarball':
    case 'file': {
      const url = str('url') ?? '';
      const implied = isArchive(url.replace(/[?#].*$/, '')) ? 'tarball' : 'file';
      base = implied === type ? url : `${type}+${url}`;
      for (const k of ['narHash', 'rev', 'revCount', 'lastModified']) param(k);
      break;
    }
    default:
      throw new NixError('eval', `flake reference type '${type}' is not supported by tsnix`);
  }
  if (query.size === 0) return base;
  const sep = base.includes('?') ? '&' : '?';
  return base + sep + [...query.keys()].sort().map((k) => `${encQuery(k)}=${encQuery(query.get(k)!)}`).join('&');
}

export function flakeRefBuiltins(st: EvalState): Builtin[] {
  void st;
  return [
    {
      name: 'parseFlakeRef',
      arity: 1,
      fn1: (a) => {
        const s = forceStringNoCtx(a!, noPos, 'while evaluating the argument passed to builtins.parseFlakeRef');
        const m = new Map<string, Lazy>();
        for (const [k, v] of parseFlakeRef(s)) m.set(k, v);
        return new NixAttrs(m);
      },
    },
    {
      name: 'flakeRefToString',
      arity: 1,
      fn1: (a) => {
        const attrs = forceAttrs(a!, noPos, 'while evaluating the argument passed to builtins.flakeRefToString');
        const m = new Map<string, Attr>();
        for (const k of attrs.keys()) {
          const v = forceValue(attrs.get(k)!, attrs.posOf(k));
          if ((typeof v === 'number' || typeof v === 'bigint') && v < 0)
            throw new NixError('eval', `negative value given for flake ref attr ${k}: ${String(v)}`);
          if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') m.set(k, v);
          else if (v instanceof NixString) m.set(k, v.s);
          else
            throw new NixError(
              'eval',
              `flake reference attribute sets may only contain integers, Booleans, and strings, but attribute '${k}' is ${showType(v)}`,
            );
        }
        return flakeRefToString(m);
      },
    },
  ];
}
