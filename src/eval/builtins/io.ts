/**
 * Builtins that read the outside world through the Host: `import`, `scopedImport`,
 * `readFile`, `readDir`, `readFileType`, `pathExists`, `findFile` and the lookup path.
 *
 * `<p>` is sugar for `__findFile __nixPath "p"`; `__nixPath` is the list of
 * `{ prefix; path; }` entries from `-I` and `NIX_PATH`, first match that exists wins.
 * A failed lookup is a catchable error (ThrownError in CppNix), so `tryEval <x>` works.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos, type PosIdx } from '../../lang/source.js';
import { canonPath, dirOf } from '../../host.js';
import { forceAttrs, forceList, forceString, forceValue } from '../force.js';
import { ioMessage, type EvalState } from '../state.js';
import { NixAttrs, NixPath, NixString, Thunk, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';

/** CppNix's realisePath: the path a path, string or `outPath`/`__toString` set denotes. */
export function realisePath(st: EvalState, x: Lazy, _ctx?: string): string {
  return st.coerceToPath(x, noPos, 'while realising the context of a path').path;
}

export function findFile(st: EvalState, searchPath: { prefix: string; path: string }[], name: string, pos: PosIdx): string {
  for (const { prefix, path } of searchPath) {
    let suffix: string;
    if (prefix === '') suffix = '/' + name;
    else if (name === prefix) suffix = '';
    else if (name.startsWith(prefix + '/')) suffix = name.slice(prefix.length);
    else continue;
    const base = path.startsWith('/') ? path : canonPath(st.host.cwd() + '/' + path);
    const full = canonPath(base + suffix);
    if (st.pathExists(full)) return full;
  }
  // The embedded nixpkgs lib (src/modules/embedded.ts), only when no real one was found.
  if (name === 'nixpkgs' || name.startsWith('nixpkgs/')) {
    const v = `/__tsnix__/${name}`;
    if (st.pathExists(v)) return v;
  }
  // Built-in corepkgs.
  if (name.startsWith('nix/')) {
    const v = `/__corepkgs__/${name.slice(4)}`;
    if (st.virtualFiles.has(v)) return v;
  }
  throw new NixError(
    'throw',
    `file '${name}' was not found in the Nix search path (add it using $NIX_PATH or -I)`,
    pos,
  );
}

export function ioBuiltins(st: EvalState): Builtin[] {
  const nixPathValue = (): Lazy[] =>
    st.opts.searchPath.map(
      (e) =>
        new NixAttrs(
          new Map<string, Lazy>([
            ['path', e.path],
            ['prefix', e.prefix],
          ]),
        ),
    );
  return [
    {
      name: 'import',
      arity: 1,
      global: true,
      fn1: (p) => {
        const path = realisePath(st, p!, 'while evaluating the first argument passed to builtins.import');
        return st.evalFile(path);
      },
    },
    {
      name: 'scopedImport',
      arity: 2,
      global: true,
      fn: ([s, p]) => {
        const scope = forceAttrs(s!, noPos, 'while evaluating the first argument passed to builtins.scopedImport');
        const path = st.resolveExprPath(realisePath(st, p!, 'while evaluating the second argument passed to builtins.scopedImport'));
        // Not cached (CppNix #8024). The scope acts as an outermost `with`.
        const text = st.readFileText(path);
        const src = st.table.add({ kind: 'file', path }, text);
        const names = scope.keys();
        const expr = st.parseScoped(src, dirOf(path), names);
        return st.compiler.compile(expr)([st.baseEnv as unknown as Lazy, ...names.map((k) => scope.get(k)!)]);
      },
    },
    {
      name: 'readFile',
      arity: 1,
      fn1: (p) => {
        const v = forceValue(p!);
        const path = realisePath(st, v, 'while evaluating the first argument passed to builtins.readFile');
        let text: string;
        try {
          text = st.readFileText(path);
        } catch (e) {
          throw new NixError('io', `opening file '${path}': ${ioMessage(e)}`);
        }
        const ctx = v instanceof NixString ? v.ctx : undefined;
        return ctx && ctx.size ? new NixString(text, ctx) : text;
      },
    },
    {
      name: 'pathExists',
      arity: 1,
      fn1: (p) => {
        const v = forceValue(p!);
        const path = realisePath(st, v, 'while evaluating the first argument passed to builtins.pathExists');
        // A string ending in `/` or `/.` names a directory (paths lose the slash).
        const raw = typeof v === 'string' ? v : v instanceof NixString ? v.s : undefined;
        if (raw !== undefined && (raw.endsWith('/') || raw.endsWith('/.'))) return st.host.stat(path)?.type === 'directory';
        return st.pathExists(path);
      },
    },
    {
      name: 'readFileType',
      arity: 1,
      fn1: (p) => {
        const path = realisePath(st, p!, 'while evaluating the first argument passed to builtins.readFileType');
        const s = st.host.lstat(path);
        if (!s) throw new NixError('io', `getting status of '${path}': No such file or directory`);
        return s.type;
      },
    },
    {
      name: 'readDir',
      arity: 1,
      fn1: (p) => {
        const path = realisePath(st, p!, 'while evaluating the first argument passed to builtins.readDir');
        let real = path;
        try {
          real = st.host.realPath(path);
        } catch {
          /* reported below */
        }
        const stat = st.host.stat(real);
        if (!stat) throw new NixError('eval', `path '${real}' does not exist`);
        if (stat.type !== 'directory') throw new NixError('eval', `'${real}' is not a directory`);
        let entries;
        try {
          entries = st.host.readDir(real);
        } catch (e) {
          throw new NixError('io', `opening directory '${real}': ${ioMessage(e)}`);
        }
        const m = new Map<string, Lazy>();
        for (const e of entries) m.set(e.name, e.type);
        return new NixAttrs(m);
      },
    },
    {
      name: 'findFile',
      arity: 2,
      fn: ([sp, n]) => {
        const list = forceList(sp!, noPos, 'while evaluating the first argument passed to builtins.findFile');
        const entries = list.map((e) => {
          const a = forceAttrs(e, noPos, 'while evaluating an element of the list passed to builtins.findFile');
          const pathV = a.get('path');
          if (pathV === undefined) throw new NixError('eval', "attribute 'path' missing");
          const path = st.coerceToString(pathV, noPos, 'while evaluating the `path` attribute of an element of the list passed to builtins.findFile', {
            coerceMore: false,
            copyToStore: false,
          }).s;
          const pv = a.get('prefix');
          const prefix = pv === undefined ? '' : forceString(pv, noPos, 'while evaluating the `prefix` attribute of an element of the list passed to builtins.findFile');
          return { prefix, path };
        });
        const name = forceString(n!, noPos, 'while evaluating the second argument passed to builtins.findFile');
        return new NixPath(findFile(st, entries, name, noPos));
      },
    },
    { name: 'nixPath', value: () => nixPathValue() },
  ];
}

export { Thunk, type Value };
