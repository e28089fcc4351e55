/**
 * `builtins.toJSON` and `--json` output (CppNix value-to-json.cc).
 *
 * Sets with `__toString` or `outPath` serialise as what they peel to (also without
 * `type = "derivation"`; a `__toString` must end in a string or path), paths are
 * copied to the store, keys come in byte order, floats print as nlohmann::json does.
 * Contexts of all strings are collected so `toJSON` can return a string with context.
 * Every level counts against max-call-depth, as in CppNix.
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos, type PosIdx } from '../lang/source.js';
import { stackOverflow, type EvalState } from './state.js';
import { formatFloatJSON } from './util/float.js';
import { jsonString } from './util/json.js';
import { Lambda, NixAttrs, NixFloat, NixPath, NixString, PrimOp, PrimOpApp, Thunk, determinePos, showType, type Lazy, type Value } from './value.js';

export function valueToJSON(st: EvalState, x: Lazy, strict: boolean, ctx?: Set<string>, pos: PosIdx = noPos): string {
  void strict;
  const out: string[] = [];
  const max = st.opts.maxCallDepth;
  const go = (x: Lazy, pos: PosIdx, copyToStore: boolean): void => {
    if (st.callDepth > max) throw stackOverflow(pos);
    // Plain values with nothing inside need no depth of their own.
    if (!(x instanceof Thunk || x instanceof NixAttrs || Array.isArray(x))) {
      emit(x, pos, copyToStore);
      return;
    }
    st.callDepth++;
    try {
      const v = x instanceof Thunk ? x.force(pos) : x;
      emit(v, pos, copyToStore);
    } finally {
      st.callDepth--;
    }
  };
  const emit = (v: Value, pos: PosIdx, copyToStore: boolean): void => {
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
      if (copyToStore) {
        const p = st.copyPathToStore(v.path, noPos);
        ctx?.add(p);
        out.push(jsonString(p));
      } else out.push(jsonString(v.path));
    } else if (Array.isArray(v)) {
      out.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i) out.push(',');
        try {
          go(v[i]!, pos, copyToStore);
        } catch (e) {
          if (e instanceof NixError) e.addTrace(pos, `while evaluating list element at index ${i}`);
          throw e;
        }
      }
      out.push(']');
    } else if (v instanceof NixAttrs) {
      if (!v.has('__toString') && !v.has('outPath')) {
        object(v, copyToStore);
        return;
      }
      st.peel(pos, v, true, (peeled, viaToString) => {
        // As CppNix: a path reached through `__toString` is not copied.
        if (!(peeled instanceof NixAttrs)) go(peeled, pos, copyToStore && !viaToString);
        else object(peeled, copyToStore);
      });
    } else if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) {
      throw new NixError('type', `cannot convert ${showType(v)} to JSON`, determinePos(v, pos));
    }
  };
  const object = (v: NixAttrs, copyToStore: boolean): void => {
    out.push('{');
    let first = true;
    for (const k of v.keys()) {
      if (!first) out.push(',');
      first = false;
      out.push(jsonString(k), ':');
      const apos = v.posOf(k);
      try {
        go(v.get(k)!, apos, copyToStore);
      } catch (e) {
        if (e instanceof NixError) e.addTrace(apos, `while evaluating attribute '${k}'`);
        throw e;
      }
    }
    out.push('}');
  };
  go(x, pos, true);
  return out.join('');
}
