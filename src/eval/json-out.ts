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
import { ByteWriter } from './util/byte-writer.js';
import { writeJsonString } from './util/json.js';
import { Lambda, NixAttrs, type AttrLayout, NixFloat, NixPath, NixString, PrimOp, PrimOpApp, Thunk, determinePos, showType, type Lazy, type Value } from './value.js';

export function valueToJSON(st: EvalState, x: Lazy, strict: boolean, ctx?: Set<string>, pos: PosIdx = noPos): string {
  void strict;
  const w = new JsonOut(st, ctx);
  w.go(x, pos, true);
  return w.out.finish();
}

/**
 * The last layout seen without `__toString` or `outPath` (layouts never change, and
 * lists of sets mostly share one): its sets skip both lookups.
 */
let plainLayout: AttrLayout | undefined;

/** The serialiser's state; output goes into a byte buffer (see ByteWriter for why). */
class JsonOut {
  readonly out = new ByteWriter();
  private readonly max: number;

  constructor(
    private readonly st: EvalState,
    private readonly ctx: Set<string> | undefined,
  ) {
    this.max = st.opts.maxCallDepth;
  }

  go(x: Lazy, pos: PosIdx, copyToStore: boolean): void {
    const st = this.st;
    if (st.callDepth > this.max) throw stackOverflow(pos);
    // Plain values with nothing inside need no depth of their own.
    if (!(x instanceof Thunk || x instanceof NixAttrs || Array.isArray(x))) {
      this.emit(x, pos, copyToStore);
      return;
    }
    st.callDepth++;
    try {
      this.emit(x instanceof Thunk ? x.force(pos) : x, pos, copyToStore);
    } finally {
      st.callDepth--;
    }
  }

  private emit(v: Value, pos: PosIdx, copyToStore: boolean): void {
    const out = this.out;
    if (typeof v === 'number') out.int(v);
    else if (typeof v === 'string') writeJsonString(out, v);
    else if (v === null) out.ascii('null');
    else if (v === true) out.ascii('true');
    else if (v === false) out.ascii('false');
    else if (typeof v === 'bigint') out.ascii(String(v));
    else if (v instanceof NixString) {
      const ctx = this.ctx;
      if (ctx) for (const c of v.ctx) ctx.add(c);
      writeJsonString(out, v.s);
    } else if (v instanceof NixFloat) out.ascii(formatFloatJSON(v.v));
    else if (v instanceof NixPath) {
      if (copyToStore) {
        const p = this.st.copyPathToStore(v.path, noPos);
        this.ctx?.add(p);
        writeJsonString(out, p);
      } else writeJsonString(out, v.path);
    } else if (Array.isArray(v)) {
      out.byte(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i) out.byte(0x2c);
        try {
          this.go(v[i]!, pos, copyToStore);
        } catch (e) {
          if (e instanceof NixError) e.addTrace(pos, `while evaluating list element at index ${i}`);
          throw e;
        }
      }
      out.byte(0x5d);
    } else if (v instanceof NixAttrs) {
      const l = v.layout;
      if (l === plainLayout || (!v.has('__toString') && !v.has('outPath'))) {
        plainLayout = l;
        this.object(v, copyToStore);
        return;
      }
      this.st.peel(pos, v, true, (peeled, viaToString) => {
        // As CppNix: a path reached through `__toString` is not copied.
        if (!(peeled instanceof NixAttrs)) this.go(peeled, pos, copyToStore && !viaToString);
        else this.object(peeled, copyToStore);
      });
    } else if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) {
      throw new NixError('type', `cannot convert ${showType(v)} to JSON`, determinePos(v, pos));
    }
  }

  private object(v: NixAttrs, copyToStore: boolean): void {
    const out = this.out;
    out.byte(0x7b);
    // By slot: the layout's names are the set's names in order, `vals` their values.
    const keys = v.layout.keys;
    const vals = v.vals;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (i) out.byte(0x2c);
      writeJsonString(out, k);
      out.byte(0x3a);
      const apos = v.posAt(i);
      try {
        this.go(vals[i]!, apos, copyToStore);
      } catch (e) {
        if (e instanceof NixError) e.addTrace(apos, `while evaluating attribute '${k}'`);
        throw e;
      }
    }
    out.byte(0x7d);
  }
}
