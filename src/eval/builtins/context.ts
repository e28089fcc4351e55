/**
 * String contexts: the helpers every store-aware builtin shares, and the builtins that
 * expose contexts to Nix code (`getContext`, `hasContext`, `appendContext`,
 * `unsafeDiscardStringContext`, `unsafeDiscardOutputDependency`,
 * `addDrvOutputDependencies`).
 *
 * A context element is kept as the string CppNix prints for it (value.ts): `/s/p`
 * (Opaque — a plain store path), `=/s/p.drv` (DrvDeep — a derivation and its whole
 * closure, what `drvPath` carries) and `!out!/s/p.drv` (Built — one output). Keeping
 * strings rather than objects makes unions a `Set` operation and keeps `NixString`
 * cheap; `parseContextElem` gives the structured view where a builtin must branch on
 * the kind. Builtins here only rearrange contexts; whether a path really exists is the
 * business of whoever builds from it (CppNix checks validity only when writing to a
 * real store, and so does tsnix: with `--store`, not with `--eval`).
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceBool, forceList, forceStringNoCtx, forceStringValue } from '../force.js';
import type { EvalState } from '../state.js';
import { NixAttrs, mkString, type Lazy } from '../value.js';
import type { Builtin } from './registry.js';

export type ContextElem =
  | { kind: 'opaque'; path: string }
  | { kind: 'drvDeep'; drvPath: string }
  | { kind: 'built'; drvPath: string; output: string };

export function parseContextElem(c: string): ContextElem {
  if (c.startsWith('=')) return { kind: 'drvDeep', drvPath: c.slice(1) };
  if (c.startsWith('!')) {
    const i = c.indexOf('!', 1);
    return { kind: 'built', output: c.slice(1, i), drvPath: c.slice(i + 1) };
  }
  return { kind: 'opaque', path: c };
}

export const builtCtx = (drvPath: string, output: string): string => `!${output}!${drvPath}`;
export const drvDeepCtx = (drvPath: string): string => `=${drvPath}`;

/** CppNix `isDerivation(path)`: by name only. */
export function isDrvPath(p: string): boolean {
  return p.endsWith('.drv');
}

/** A string that is exactly a store path, with that path as its (opaque) context. */
export function mkStorePathString(p: string): Lazy {
  return mkString(p, new Set([p]));
}

export function contextBuiltins(st: EvalState): Builtin[] {
  const coerce = (x: Lazy, ctx: string) => st.coerceToString(x, noPos, ctx, { coerceMore: false, copyToStore: true });
  return [
    {
      name: 'unsafeDiscardStringContext',
      arity: 1,
      fn1: (s) => coerce(s!, 'while evaluating the argument passed to builtins.unsafeDiscardStringContext').s,
    },
    {
      name: 'hasContext',
      arity: 1,
      fn1: (s) => {
        const v = forceStringValue(s!, noPos, 'while evaluating the argument passed to builtins.hasContext');
        return typeof v !== 'string' && v.ctx.size > 0;
      },
    },
    {
      name: 'unsafeDiscardOutputDependency',
      arity: 1,
      fn1: (s) => {
        const r = coerce(s!, 'while evaluating the argument passed to builtins.unsafeDiscardOutputDependency');
        const out = new Set<string>();
        for (const c of r.ctx ?? []) out.add(c.startsWith('=') ? c.slice(1) : c);
        return mkString(r.s, out);
      },
    },
    {
      name: 'addDrvOutputDependencies',
      arity: 1,
      fn1: (s) => {
        const r = coerce(s!, 'while evaluating the argument passed to builtins.addDrvOutputDependencies');
        const n = r.ctx?.size ?? 0;
        if (n !== 1) throw new NixError('eval', `context of string '${r.s}' must have exactly one element, but has ${n}`);
        const e = parseContextElem([...r.ctx!][0]!);
        switch (e.kind) {
          case 'opaque':
            if (!isDrvPath(e.path)) throw new NixError('eval', `path '${e.path}' is not a derivation`);
            return mkString(r.s, new Set([drvDeepCtx(e.path)]));
          case 'built':
            throw new NixError(
              'eval',
              `\`addDrvOutputDependencies\` can only act on derivations, not on a derivation output such as '${e.output}'`,
            );
          case 'drvDeep':
            return mkString(r.s, r.ctx);
        }
      },
    },
    {
      name: 'getContext',
      arity: 1,
      fn1: (s) => {
        const v = forceStringValue(s!, noPos, 'while evaluating the argument passed to builtins.getContext');
        const infos = new Map<string, { path: boolean; allOutputs: boolean; outputs: string[] }>();
        const info = (p: string) => {
          let i = infos.get(p);
          if (!i) infos.set(p, (i = { path: false, allOutputs: false, outputs: [] }));
          return i;
        };
        if (typeof v !== 'string') {
          for (const c of v.ctx) {
            const e = parseContextElem(c);
            if (e.kind === 'opaque') info(e.path).path = true;
            else if (e.kind === 'drvDeep') info(e.drvPath).allOutputs = true;
            else info(e.drvPath).outputs.push(e.output);
          }
        }
        const m = new Map<string, Lazy>();
        for (const [p, i] of infos) {
          const a = new Map<string, Lazy>();
          if (i.path) a.set('path', true);
          if (i.allOutputs) a.set('allOutputs', true);
          // CppNix collects from an ordered set, so the output names come sorted.
          if (i.outputs.length > 0) a.set('outputs', i.outputs.sort());
          m.set(p, new NixAttrs(a));
        }
        return new NixAttrs(m);
      },
    },
    {
      name: 'appendContext',
      arity: 2,
      fn: ([s, c]) => {
        const orig = forceStringValue(s!, noPos, 'while evaluating the first argument passed to builtins.appendContext');
        const attrs = forceAttrs(c!, noPos, 'while evaluating the second argument passed to builtins.appendContext');
        const ctx = new Set<string>(typeof orig === 'string' ? [] : orig.ctx);
        for (const name of attrs.keys()) {
          const pos = attrs.posOf(name);
          if (!st.store.isStorePath(name)) throw new NixError('eval', `context key '${name}' is not a store path`, pos);
          const info = forceAttrs(attrs.get(name)!, pos, 'while evaluating the value of a string context');
          const path = info.get('path');
          if (path !== undefined && forceBool(path, info.posOf('path'), 'while evaluating the `path` attribute of a string context'))
            ctx.add(name);
          const all = info.get('allOutputs');
          if (
            all !== undefined &&
            forceBool(all, info.posOf('allOutputs'), 'while evaluating the `allOutputs` attribute of a string context')
          ) {
            if (!isDrvPath(name))
              throw new NixError('eval', `tried to add all-outputs context of ${name}, which is not a derivation, to a string`, pos);
            ctx.add(drvDeepCtx(name));
          }
          const outs = info.get('outputs');
          if (outs !== undefined) {
            const opos = info.posOf('outputs');
            const list = forceList(outs, opos, 'while evaluating the `outputs` attribute of a string context');
            if (list.length > 0 && !isDrvPath(name))
              throw new NixError(
                'eval',
                `tried to add derivation output context of ${name}, which is not a derivation, to a string`,
                pos,
              );
            for (const o of list)
              ctx.add(builtCtx(name, forceStringNoCtx(o, opos, 'while evaluating an output name within a string context')));
          }
        }
        return mkString(typeof orig === 'string' ? orig : orig.s, ctx);
      },
    },
  ];
}
