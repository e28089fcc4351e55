/**
 * Builtins that put things into the store or name store paths, and the hash builtins:
 * `toFile`, `path`, `filterSource`, `storePath`, `hashString`, `hashFile`,
 * `convertHash`.
 *
 * All of them return store paths as strings whose context is the path itself (an
 * Opaque element), so that a derivation using the result gets it as an input source.
 * Hashing and path arithmetic are the store layer's (src/store); what is decided here
 * is CppNix's argument handling — which argument is forced first, which may carry a
 * context, which error context string a failure gets — since that is what users and the
 * language tests observe.
 *
 * A filter function (`builtins.path { filter }`, `filterSource`) is called with the
 * full host path and the lstat type name, once per entry below the root, never for the
 * root; the store memoises answers so a filter runs once per entry even though a
 * store that writes walks the tree twice (hash, then copy).
 */

import { NixError } from '../../diag/diagnostic.js';
import type { FileType } from '../../host.js';
import { noPos, type PosIdx } from '../../lang/source.js';
import { parseHash, parseHashAlgo, parseHashFormat, hashString } from '../../store/hash.js';
import { canonPath } from '../../host.js';
import {
  forceAttrs,
  forceBool,
  forceFunction,
  forceStringNoCtx,
  forceStringValue,
  forceValue,
} from '../force.js';
import { ioMessage, type EvalState } from '../state.js';
import { NixPath, mkString, type Lazy, type Value } from '../value.js';
import { mkStorePathString, parseContextElem } from './context.js';
import { realisePath } from './io.js';
import type { Builtin } from './registry.js';

/** CppNix `coerceToPath`: a path, or a string holding an absolute path (context kept). */
export function coerceToPath(
  st: EvalState,
  x: Lazy,
  pos: PosIdx,
  ctx: string,
): { path: string; context: ReadonlySet<string> | undefined } {
  const v = forceValue(x, pos);
  if (v instanceof NixPath) return { path: v.path, context: undefined };
  const r = st.coerceToString(v, pos, ctx, { coerceMore: false, copyToStore: false });
  if (r.s === '' || r.s[0] !== '/')
    throw new NixError('eval', `string '${r.s}' doesn't represent an absolute path`, pos).addTrace(pos, ctx);
  return { path: canonPath(r.s), context: r.ctx };
}

function baseName(path: string): string {
  const p = path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path;
  return p.slice(p.lastIndexOf('/') + 1);
}

/** A Nix filter function as the store's path filter. */
function pathFilter(st: EvalState, fn: Value): (path: string, type: FileType) => boolean {
  return (path, type) =>
    forceBool(st.call(fn, path, type), noPos, 'while evaluating the return value of the path filter function');
}

function addPath(
  st: EvalState,
  name: string,
  path: string,
  filter: Value | undefined,
  method: 'nar' | 'flat',
  expectedHash: string | undefined,
): Value {
  try {
    const p = st.store.addPath(path, {
      name,
      method,
      ...(filter !== undefined ? { filter: pathFilter(st, filter) } : {}),
      ...(expectedHash !== undefined ? { expectedHash } : {}),
    });
    return mkStorePathString(p) as Value;
  } catch (e) {
    if (e instanceof NixError) e.addTrace(noPos, `while adding path '${path}'`);
    throw e;
  }
}

export function storePathBuiltins(st: EvalState): Builtin[] {
  const warn = (msg: string) => st.host.stderr(`warning: ${msg}\n`);
  return [
    {
      name: 'toFile',
      arity: 2,
      fn: ([n, c]) => {
        const name = forceStringNoCtx(n!, noPos, 'while evaluating the first argument passed to builtins.toFile');
        const contents = forceStringValue(c!, noPos, 'while evaluating the second argument passed to builtins.toFile');
        const refs: string[] = [];
        if (typeof contents !== 'string') {
          for (const el of contents.ctx) {
            if (parseContextElem(el).kind !== 'opaque')
              throw new NixError(
                'eval',
                `files created by builtins.toFile may not reference derivations, but ${name} references ${el}`,
              );
            refs.push(el);
          }
        }
        const text = typeof contents === 'string' ? contents : contents.s;
        return mkStorePathString(st.store.addText(name, text, refs)) as Value;
      },
    },
    {
      name: 'filterSource',
      arity: 2,
      fn: ([f, p]) => {
        const { path } = coerceToPath(
          st,
          p!,
          noPos,
          "while evaluating the second argument (the path to filter) passed to 'builtins.filterSource'",
        );
        const fn = forceFunction(f!, noPos, 'while evaluating the first argument passed to builtins.filterSource');
        return addPath(st, baseName(path), path, fn, 'nar', undefined);
      },
    },
    {
      name: 'path',
      arity: 1,
      fn1: (a) => {
        const attrs = forceAttrs(a!, noPos, "while evaluating the argument passed to 'builtins.path'");
        let path: string | undefined;
        let name = '';
        let filter: Value | undefined;
        let method: 'nar' | 'flat' = 'nar';
        let expectedHash: string | undefined;
        for (const k of attrs.keys()) {
          const v = attrs.get(k)!;
          const pos = attrs.posOf(k);
          switch (k) {
            case 'path':
              path = coerceToPath(st, v, pos, "while evaluating the 'path' attribute passed to 'builtins.path'").path;
              break;
            case 'name':
              name = forceStringNoCtx(v, pos, 'while evaluating the `name` attribute passed to builtins.path');
              break;
            case 'filter':
              filter = forceFunction(v, pos, 'while evaluating the `filter` parameter passed to builtins.path');
              break;
            case 'recursive':
              method = forceBool(v, pos, 'while evaluating the `recursive` attribute passed to builtins.path') ? 'nar' : 'flat';
              break;
            case 'sha256':
              expectedHash = forceStringNoCtx(v, pos, 'while evaluating the `sha256` attribute passed to builtins.path');
              break;
            default:
              throw new NixError('eval', `unsupported argument '${k}' to 'builtins.path'`, pos);
          }
        }
        if (path === undefined)
          throw new NixError('eval', "missing required 'path' attribute in the first argument to 'builtins.path'");
        if (name === '') name = baseName(path);
        return addPath(st, name, path, filter, method, expectedHash);
      },
    },
    {
      name: 'storePath',
      arity: 1,
      fn1: (p) => {
        if (st.opts.pureEval)
          throw new NixError('eval', "'builtins.storePath' is not allowed in pure evaluation mode");
        const r = coerceToPath(st, p!, noPos, "while evaluating the first argument passed to 'builtins.storePath'");
        let path = r.path;
        // A symlink directly in the store is taken as is (nix-push relies on it);
        // anything else is resolved first.
        if (!st.store.isStorePath(path)) {
          try {
            path = st.host.realPath(path);
          } catch {
            /* keep the path as given */
          }
        }
        if (!st.store.isInStore(path)) throw new NixError('eval', `path '${path}' is not in the Nix store`);
        const ctx = new Set<string>(r.context ?? []);
        ctx.add(st.store.toStorePath(path));
        return mkString(path, ctx);
      },
    },
    {
      name: 'hashString',
      arity: 2,
      fn: ([a, s]) => {
        const algo = parseHashAlgo(
          forceStringNoCtx(a!, noPos, 'while evaluating the first argument passed to builtins.hashString'),
        );
        const v = forceStringValue(s!, noPos, 'while evaluating the second argument passed to builtins.hashString');
        return hashString(algo, typeof v === 'string' ? v : v.s).toString('base16');
      },
    },
    {
      name: 'hashFile',
      arity: 2,
      fn: ([a, p]) => {
        const algo = parseHashAlgo(
          forceStringNoCtx(a!, noPos, 'while evaluating the first argument passed to builtins.hashFile'),
        );
        const path = realisePath(st, p!, 'while evaluating the second argument passed to builtins.hashFile');
        let data: string;
        try {
          data = st.readFileText(path);
        } catch (e) {
          if (st.host.lstat(path) === undefined) throw new NixError('eval', `path '${path}' does not exist`);
          throw new NixError('io', `opening file '${path}': ${ioMessage(e)}`);
        }
        return hashString(algo, data).toString('base16');
      },
    },
    {
      name: 'convertHash',
      arity: 1,
      fn1: (a) => {
        const attrs = forceAttrs(a!, noPos, 'while evaluating the first argument passed to builtins.convertHash');
        const get = (name: string): Lazy => {
          const v = attrs.get(name);
          if (v === undefined)
            throw new NixError('eval', `attribute '${name}' missing`).addTrace(noPos, `while locating the attribute '${name}'`);
          return v;
        };
        const hash = forceStringNoCtx(get('hash'), noPos, "while evaluating the attribute 'hash'");
        const algoV = attrs.get('hashAlgo');
        const algo =
          algoV === undefined
            ? undefined
            : parseHashAlgo(forceStringNoCtx(algoV, noPos, "while evaluating the attribute 'hashAlgo'"));
        const format = parseHashFormat(
          forceStringNoCtx(get('toHashFormat'), noPos, "while evaluating the attribute 'toHashFormat'"),
          warn,
        );
        return parseHash(hash, algo).toString(format, format === 'sri');
      },
    },
  ];
}
