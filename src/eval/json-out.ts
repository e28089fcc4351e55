/**
 * `builtins.toJSON` and `--json` output (CppNix value-to-json.cc).
 *
 * Sets with `__toString` or `outPath` serialise as that string (also without
 * `type = "derivation"`), paths are copied to the store, keys come in byte order,
 * floats print as nlohmann::json does. Contexts of all strings are collected so
 * `toJSON` can return a string with context.
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos } from '../lang/source.js';
import type { EvalState } from './state.js';
import { formatFloatJSON } from './util/float.js';
import { jsonString } from './util/json.js';
import { Lambda, NixAttrs, NixFloat, NixPath, NixString, PrimOp, PrimOpApp, Thunk, showType, type Lazy } from './value.js';

export function valueToJSON(st: EvalState, x: Lazy, strict: boolean, ctx?: Set<string>): string {
  void strict;
  const out: string[] = [];
  const go = (x: Lazy, depth: number): void => {
    if (depth > st.opts.maxCallDepth) throw new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded');
    const v = x instanceof Thunk ? x.force() : x;
    if (v === null) out.push('null');
    else if (v === true) out.push('true');
    else if (v === false) out.push('false');
    else if (typeof v === 'number' || typeof v === 'bigint') out.push(String(v));
    else if (typeof v === 'string') out.push(jsonString(v));
    else if (v instanceof NixString) {
      if (ctx) for (const c of v.ctx) ctx.add(c);
      out.push(jsonString(v.s));
    } else if (v instanceof NixFloat) out.push(formatFloatJSON(v.v));
    else if (v instanceof NixPath) {
      const p = st.copyPathToStore(v.path, noPos);
      ctx?.add(p);
      out.push(jsonString(p));
    } else if (Array.isArray(v)) {
      out.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i) out.push(',');
        try {
          go(v[i]!, depth + 1);
        } catch (e) {
          if (e instanceof NixError) e.addTrace(noPos, `while evaluating list element at index ${i}`);
          throw e;
        }
      }
      out.push(']');
    } else if (v instanceof NixAttrs) {
      if (v.has('__toString') || v.has('outPath')) {
        const r = st.coerceToString(v, noPos, 'while evaluating the argument passed to builtins.toJSON', {
          coerceMore: false,
          copyToStore: true,
        });
        if (ctx && r.ctx) for (const c of r.ctx) ctx.add(c);
        out.push(jsonString(r.s));
        return;
      }
      out.push('{');
      let first = true;
      for (const k of v.keys()) {
        if (!first) out.push(',');
        first = false;
        out.push(jsonString(k), ':');
        try {
          go(v.get(k)!, depth + 1);
        } catch (e) {
          if (e instanceof NixError) e.addTrace(v.posOf(k), `while evaluating attribute '${k}'`);
          throw e;
        }
      }
      out.push('}');
    } else if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) {
      throw new NixError('type', `cannot convert ${showType(v)} to JSON`);
    }
  };
  go(x, 0);
  return out.join('');
}
