/**
 * The compiler: AST → JS closures.
 *
 * Each expression becomes a `Code`, a closure `(env) => Value` that returns a value in
 * weak head normal form. The tree is walked once, at compile time; evaluation then runs
 * straight-line closures with no `switch` on node kinds, no name lookups (variables
 * were resolved to `(level, index)` by the scope pass) and no allocation beyond what
 * the program itself needs.
 *
 * Laziness lives in `lazy(e)`, CppNix's `maybeThunk`: it returns a function producing
 * a `Lazy` for `e` in an env. Constants and lambdas are produced directly, a variable
 * returns the *existing* slot content (so sharing, and hence pointer equality and
 * `«repeated»`, behave as in CppNix), and everything else becomes a `Thunk`.
 *
 * Trace frames mirror CppNix's, so errors print the same `… while evaluating …` lines.
 */

import { NixError, noteHostStack } from '../diag/diagnostic.js';
import type { AttrDef, AttrName, EAttrs, ECall, EConcatStrings, EHasAttr, ELambda, ESelect, EVar, Expr } from '../lang/ast.js';
import { noPos, type PosIdx } from '../lang/source.js';
import { showExprBrief } from './show.js';
import { printForError } from './print.js';
import { typeError, typeErrorCtx } from './errors.js';
import { forceAttrs, forceBool, forceList, forceStringNoCtx } from './force.js';
import { eqValues } from './ops.js';
import type { EvalState } from './state.js';
import {
  AttrLayout,
  AttrMeta,
  MAX_LAYERS,
  type MergePlan,
  type PosArray,
  newEnv,
  envAt,
  envUp,
  Env1,
  type ArrEnv,
  type Env,
  Lambda,
  NixAttrs,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  Thunk,
  settles,
  CallThunk,
  showType,
  type Code,
  type LambdaImpl,
  type Lazy,
  type Value,
} from './value.js';
import { levenshtein } from './util/levenshtein.js';

export type LazyCode = (env: Env) => Lazy;

function addTrace(e: unknown, pos: PosIdx, message: string): void {
  if (e instanceof NixError) e.addTrace(pos, message);
}

export class Compiler {
  /** The compiled form of each lambda expression, for calls that skip making the value. */
  readonly lambdaImpls = new WeakMap<ELambda, LambdaImpl>();
  /** A `rec` set with `__overrides` was compiled: its slots change after they are filled. */
  private overridesSeen = false;
  constructor(private readonly st: EvalState) {}

  compile(e: Expr): Code {
    switch (e.k) {
      case 'int': {
        const v = e.value;
        return () => v;
      }
      case 'float': {
        const v = new NixFloat(e.value);
        return () => v;
      }
      case 'str': {
        const v = e.value;
        return () => v;
      }
      case 'path': {
        const v = new NixPath(e.value);
        return () => v;
      }
      case 'var':
        return this.compileVar(e);
      case 'select':
        return this.compileSelect(e);
      case 'hasAttr':
        return this.compileHasAttr(e);
      case 'attrs':
        return this.compileAttrs(e);
      case 'list': {
        const elems = e.elems.map((x) => this.lazy(x));
        const n = elems.length;
        return (env) => {
          const out = new Array<Lazy>(n);
          for (let i = 0; i < n; i++) out[i] = elems[i]!(env);
          return out;
        };
      }
      case 'lambda':
        return this.compileLambda(e);
      case 'call':
        return this.compileCall(e);
      case 'let': {
        const fill = this.compileRecSlots(e.attrs);
        const size = e.attrs.attrs.size + (e.attrs.inheritFromExprs?.length ?? 0);
        const body = this.compile(e.body);
        return (env) => {
          const env2 = newEnv(env, size);
          fill(env2, env);
          return body(env2);
        };
      }
      case 'with': {
        const attrs = this.lazy(e.attrs);
        const body = this.compile(e.body);
        const prevWith = e.prevWith;
        return (env) => body([env as unknown as Lazy, attrs(env), prevWith]);
      }
      case 'if': {
        const cond = this.compile(e.cond);
        const then = this.compile(e.then);
        const els = this.compile(e.else);
        const pos = e.pos;
        return (env) => (this.evalBool(cond, env, pos, 'while evaluating a branch condition') ? then(env) : els(env));
      }
      case 'assert':
        return this.compileAssert(e);
      case 'not': {
        const x = this.compile(e.e);
        const pos = e.e.pos;
        return (env) => !this.evalBool(x, env, pos, "in the argument of '!'");
      }
      case 'binop':
        return this.compileBinOp(e.op, e.left, e.right, e.pos);
      case 'concatStrings':
        return this.compileConcat(e);
      case 'curPos': {
        const pos = e.pos;
        return () => this.st.mkPos(pos);
      }
      case 'inheritFrom': {
        const i = e.index;
        // The `inherit (e)` sources' frame: always an array.
        return (env) => {
          const x = (env as ArrEnv)[i + 1]!;
          return x instanceof Thunk ? x.force() : x;
        };
      }
    }
  }

  /** CppNix's `maybeThunk`: a Lazy for `e` without forcing it. */
  lazy(e: Expr): LazyCode {
    switch (e.k) {
      case 'int':
      case 'float':
      case 'str':
      case 'path': {
        const c = this.compile(e);
        const v = c(null as unknown as Env);
        return () => v;
      }
      case 'lambda': {
        const c = this.compile(e);
        return c;
      }
      case 'var': {
        if (e.fromWith) break;
        // The slot may not be filled yet (a rec/let binding or formal defined later):
        // then, as CppNix's ExprVar::maybeThunk, fall back to a thunk. Not `??`: a
        // slot holding Nix's null is filled (`default ? null` formals are everywhere).
        const { level, index } = e;
        const c = this.compile(e);
        // A lambda's argument is always there: no fallback.
        if (e.one) {
          if (level === 0) return (env) => (env as Env1).a;
          if (level === 1) return (env) => (envUp(env) as Env1).a;
          return (env) => (envAt(env, level) as Env1).a;
        }
        const slot = index + 1;
        if (level === 0)
          return (env) => {
            const x = (env as ArrEnv)[slot];
            return x !== undefined ? x : new Thunk(c, env);
          };
        if (level === 1)
          return (env) => {
            const x = (envUp(env) as ArrEnv)[slot];
            return x !== undefined ? x : new Thunk(c, env);
          };
        return (env) => {
          const x = (envAt(env, level) as ArrEnv)[slot];
          return x !== undefined ? x : new Thunk(c, env);
        };
      }
      case 'list':
        if (e.elems.length === 0) {
          return () => emptyList;
        }
        break;
      case 'select': {
        const s = this.lazySelect(e);
        if (s !== undefined) return s;
        break;
      }
      case 'call': {
        const s = this.lazyCall(e);
        if (s !== undefined) return s;
        break;
      }
    }
    const c = this.compile(e);
    return (env) => new Thunk(c, env);
  }

  /**
   * `v.a.b` (static names, no `or`) as a thunk that holds the Lazy of `v` instead of
   * the environment: the environment (and everything it holds) is not kept alive by
   * selections that are never forced. Slots never change once filled, except through
   * a `rec` set's `__overrides`: after one is compiled, selections read the environment
   * as before. A slot not filled yet (a later binding) also gets the usual thunk.
   */
  /** Where the subject of a selection lazySelect handles is, and where it is forced. */
  private selectSubject(e: ESelect): { level: number; slot: number; one: boolean; forcePos: PosIdx } | undefined {
    if (e.def !== undefined) return undefined;
    for (const p of e.path) if (p.name === undefined) return undefined;
    const subj = e.e;
    if (subj.k === 'var' && !subj.fromWith) return { level: subj.level, slot: subj.index + 1, one: subj.one, forcePos: subj.pos };
    if (subj.k === 'inheritFrom') return { level: 0, slot: subj.index + 1, one: false, forcePos: noPos };
    return undefined;
  }

  private lazySelect(e: ESelect): LazyCode | undefined {
    const where = this.selectSubject(e);
    if (where === undefined) return undefined;
    const { level, slot, one, forcePos } = where;
    const sc = this.compileSelect(e, true, forcePos);
    let c: Code | undefined;
    const viaEnv = (env: Env): Thunk => new Thunk((c ??= this.compile(e)), env);
    if (one) {
      // A lambda's argument: always there, and never overridden.
      if (level === 0) return (env) => new Thunk(sc, (env as Env1).a as unknown as Env);
      return (env) => new Thunk(sc, (envAt(env, level) as Env1).a as unknown as Env);
    }
    if (level === 0) {
      return (env) => {
        const x = (env as ArrEnv)[slot];
        return x === undefined || this.overridesSeen ? viaEnv(env) : new Thunk(sc, x as unknown as Env);
      };
    }
    return (env) => {
      const x = (envAt(env, level) as ArrEnv)[slot];
      return x === undefined || this.overridesSeen ? viaEnv(env) : new Thunk(sc, x as unknown as Env);
    };
  }

  /**
   * `f a` and `f a b` with `f` a variable and the arguments variables or constants, as
   * a thunk holding their Lazies instead of the environment (as lazySelect), running
   * the call exactly as compileCall's code would. Not for calls compileBuiltinCall
   * makes direct, nor while a slot is unfilled or after `__overrides`.
   */
  private lazyCall(e: ECall): LazyCode | undefined {
    const f = e.fn;
    const n = e.args.length;
    if (n > 2 || this.isDirectBuiltinCall(e)) return undefined;
    // The function: a variable, or a selection from one (`lib.f`, `types.listOf`),
    // evaluated from the Lazy the thunk holds exactly as compile() would.
    let level: number;
    let slot: number;
    let one: boolean;
    let fnValue: (fx: Lazy) => Value;
    if (f.k === 'var' && !f.fromWith) {
      level = f.level;
      slot = f.index + 1;
      one = f.one;
      const fPos = f.pos;
      fnValue = (fx) => (fx instanceof Thunk ? fx.force(fPos) : fx);
    } else if (f.k === 'select' && this.selectSubject(f) !== undefined) {
      const where = this.selectSubject(f)!;
      level = where.level;
      slot = where.slot;
      one = where.one;
      fnValue = this.compileSelect(f, true, where.forcePos) as unknown as (fx: Lazy) => Value;
    } else return undefined;
    for (const a of e.args) {
      const k = a.k;
      if (
        !(
          (k === 'var' && !a.fromWith) ||
          k === 'int' ||
          k === 'float' ||
          k === 'str' ||
          k === 'path' ||
          (k === 'list' && a.elems.length === 0) ||
          (k === 'select' && this.selectSubject(a) !== undefined)
        )
      ) {
        return undefined;
      }
    }
    // A variable argument whose slot is not filled yet (`f = g f;` in a let) would
    // become a thunk of its own, forced at a position the call itself does not give:
    // then the whole call gets the usual thunk.
    const args = e.args.map((a): ((env: Env) => Lazy | undefined) => {
      if (a.k !== 'var') return this.lazy(a);
      const al = a.level;
      const as = a.index + 1;
      if (a.one) return (env) => (envAt(env, al) as Env1).a;
      return (env) => (envAt(env, al) as ArrEnv)[as];
    });
    const pos = e.pos;
    const st = this.st;
    let c: Code | undefined;
    const viaEnv = (env: Env): Thunk => new Thunk((c ??= this.compile(e)), env);
    const fnOf = one
      ? (env: Env): Lazy | undefined => (envAt(env, level) as Env1).a
      : (env: Env): Lazy | undefined => (this.overridesSeen ? undefined : (envAt(env, level) as ArrEnv)[slot]);
    if (n === 1) {
      const a0 = args[0]!;
      const code = ((fx: Lazy, _p: PosIdx, self: CallThunk): Value => {
        const v = st.callFunction(fnValue(fx), self.a1, pos);
        self.a1 = null;
        return v;
      }) as unknown as Code;
      return (env) => {
        const fx = fnOf(env);
        if (fx === undefined) return viaEnv(env);
        const x0 = a0(env);
        return x0 === undefined ? viaEnv(env) : new CallThunk(code, fx, x0, null);
      };
    }
    const a0 = args[0]!;
    const a1 = args[1]!;
    const code = ((fx: Lazy, _p: PosIdx, self: CallThunk): Value => {
      const fv = fnValue(fx);
      const v = fv instanceof PrimOp && fv.arity === 2 ? st.callPrimOpFull(fv, [self.a1, self.a2], pos) : st.callFunction2(fv, self.a1, self.a2, pos);
      self.a1 = null;
      self.a2 = null;
      return v;
    }) as unknown as Code;
    return (env) => {
      const fx = fnOf(env);
      if (fx === undefined) return viaEnv(env);
      const x0 = a0(env);
      const x1 = a1(env);
      return x0 === undefined || x1 === undefined ? viaEnv(env) : new CallThunk(code, fx, x0, x1);
    };
  }

  private evalBool(c: Code, env: Env, pos: PosIdx, ctx: string): boolean {
    let v: Value;
    try {
      v = c(env);
    } catch (err) {
      addTrace(err, pos, ctx);
      throw err;
    }
    if (v === true || v === false) return v;
    throw typeError('a Boolean', v, pos, ctx);
  }

  private compileVar(e: EVar): Code {
    const { level, index, pos, name } = e;
    const slot = index + 1;
    if (!e.fromWith) {
      const get: Code = e.one
        ? (env) => {
            const en = env as Env1;
            const x = en.a;
            if (!(x instanceof Thunk)) return x;
            const v = x.force(pos);
            if (settles(v)) en.a = v;
            return v;
          }
        : (env) => {
            const en = env as ArrEnv;
            const x = en[slot]!;
            if (!(x instanceof Thunk)) return x;
            const v = x.force(pos);
            if (settles(v)) en[slot] = v;
            return v;
          };
      if (level === 0) return get;
      if (level === 1) return (env) => get(envUp(env));
      if (level === 2) return (env) => get(envUp(envUp(env)));
      if (level === 3) return (env) => get(envUp(envUp(envUp(env))));
      if (level === 4) return (env) => get(envUp(envUp(envUp(envUp(env)))));
      return (env) => get(envAt(env, level));
    }
    return (env) => {
      const x = this.lookupWith(env, level, name, pos);
      return x instanceof Thunk ? x.force(pos) : x;
    };
  }

  lookupWith(env: Env, level: number, name: string, pos: PosIdx): Lazy {
    // `with` frames are arrays: [up, attrs, prevWith].
    let en = envAt(env, level) as ArrEnv;
    for (;;) {
      const attrs = forceAttrs(en[1]!, pos, 'while evaluating the first subexpression of a with expression');
      const v = attrs.get(name);
      if (v !== undefined) return v;
      const prevWith = en[2] as number;
      if (prevWith < 0) throw new NixError('undefined-variable', `undefined variable '${name}'`, pos);
      en = envAt(en, prevWith) as ArrEnv;
    }
  }

  /** The name of one attribute-path element (dynamic names are forced, must be strings). */
  attrName(a: AttrName, env: Env, code: Code | undefined): string {
    if (a.name !== undefined) return a.name;
    const v = code!(env);
    try {
      return forceStringNoCtx(v, a.expr!.pos, 'while evaluating an attribute name');
    } catch (err) {
      if (err instanceof NixError) err.atPos(a.expr!.pos);
      throw err;
    }
  }

  private compileAttrPath(path: AttrName[]): (Code | undefined)[] {
    return path.map((p) => (p.expr ? this.compile(p.expr) : undefined));
  }

  private showPath(path: AttrName[], env: Env, codes: (Code | undefined)[], upto = path.length): string {
    const parts: string[] = [];
    for (let i = 0; i < upto; i++) {
      const p = path[i]!;
      if (p.name !== undefined) parts.push(p.name);
      else {
        try {
          parts.push(this.attrName(p, env, codes[i]));
        } catch (e) {
          noteHostStack(e);
          parts.push('"${' + showExprBrief(p.expr!) + '}"');
        }
      }
    }
    return parts.join('.');
  }

  /**
   * With `lazySubject`, the code is a thunk's: it gets the subject's Lazy (read from
   * the environment when the thunk was made) instead of an environment, forces it at
   * `subjectForcePos` as the variable would, and otherwise runs exactly as a selection
   * (only for static paths without `or`, which need nothing else from the environment).
   */
  private compileSelect(e: ESelect, lazySubject = false, subjectForcePos: PosIdx = noPos): Code {
    const subject: Code = lazySubject
      ? (x) => {
          const s = x as unknown as Lazy;
          return s instanceof Thunk ? s.force(subjectForcePos) : s;
        }
      : this.compile(e.e);
    const path = e.path;
    const codes = this.compileAttrPath(path);
    const def = e.def ? this.compile(e.def) : undefined;
    const pos = e.pos;
    const subjectPos = e.e.pos;
    // Fast path: one static name, no default.
    if (path.length === 1 && path[0]!.name !== undefined && !def) {
      const name = path[0]!.name;
      // A one-entry cache of the subject's layout: sets built by the same literal (or
      // mapped from one) share it, and then the slot is known without a lookup.
      let cLayout: AttrLayout | undefined;
      let cIdx = 0;
      return (env) => {
        let v: Value;
        try {
          v = subject(env);
        } catch (err) {
          addTrace(err, subjectPos, 'while selecting an attribute');
          throw err;
        }
        let x: Lazy | undefined;
        try {
          if (!(v instanceof NixAttrs)) throw typeErrorCtx('a set', v, pos, 'while selecting an attribute');
          // The top layer (see NixAttrs): for a set of one layer, the whole set. A
          // cached layout is a top layer's that has the name, so a hit is right for
          // any set with that top.
          const l = v.topLayout;
          let s: NixAttrs = v;
          let i: number;
          if (l === cLayout) i = cIdx;
          else {
            i = l.indexOf(name);
            if (i >= 0) {
              cLayout = l;
              cIdx = i;
            } else {
              for (;;) {
                const b = s.topMeta.base;
                if (b === undefined) throw this.missingAttr(v, name, pos);
                s = b;
                i = b.topLayout.indexOf(name);
                if (i >= 0) break;
              }
            }
          }
          const vs = s.topVals;
          x = vs[i];
          if (!(x instanceof Thunk)) return x;
          const r = x.force(pos);
          if (settles(r)) vs[i] = r;
          return r;
        } catch (err) {
          if (err instanceof NixError) {
            // CppNix forces the attribute at its definition's position.
            if (err.blackhole === x && err.diag.pos === pos && v instanceof NixAttrs) {
              const ap = v.posOf(name);
              if (ap !== noPos) err.diag.pos = ap;
            }
            if (x !== undefined && v instanceof NixAttrs) {
              const ap = v.posOf(name);
              if (ap !== noPos) err.addTrace(ap, `from the definition of '${name}'`);
            }
            err.addTrace(pos, `while evaluating the attribute '${name}'`);
          }
          throw err;
        }
      };
    }
    return (env) => {
      let v: Value;
      try {
        v = subject(env);
      } catch (err) {
        addTrace(err, subjectPos, 'while selecting an attribute');
        throw err;
      }
      let attrPos = noPos;
      let resolved = 0;
      let cur: Lazy = v;
      try {
        for (let i = 0; i < path.length; i++) {
          const name = this.attrName(path[i]!, env, codes[i]);
          const a: Value = cur instanceof Thunk ? cur.force() : cur;
          if (!(a instanceof NixAttrs)) {
            if (def) return def(env);
            throw typeErrorCtx('a set', a, pos, 'while selecting an attribute');
          }
          // Top layer first, then down (see NixAttrs).
          let s: NixAttrs = a;
          let j = s.topLayout.indexOf(name);
          while (j < 0) {
            const b = s.topMeta.base;
            if (b === undefined) break;
            s = b;
            j = s.topLayout.indexOf(name);
          }
          if (j < 0) {
            if (def) return def(env);
            throw this.missingAttr(a, name, pos);
          }
          attrPos = s.topPosAt(j);
          cur = s.topVals[j]!;
          resolved = i + 1;
        }
        return cur instanceof Thunk ? cur.force(attrPos !== noPos ? attrPos : pos) : cur;
      } catch (err) {
        if (err instanceof NixError) {
          if (attrPos !== noPos) err.addTrace(attrPos, `from the definition of '${this.showPath(path, env, codes, resolved)}'`);
          err.addTrace(pos, `while evaluating the attribute '${this.showPath(path, env, codes)}'`);
        }
        throw err;
      }
    };
  }

  missingAttr(a: NixAttrs, name: string, pos: PosIdx): NixError {
    // As CppNix: no position of its own (the selection's frame carries it).
    void pos;
    const err = new NixError('eval', `attribute '${name}' missing`);
    const sugg = suggestions(a.keys(), name);
    if (sugg) err.note(`Did you mean ${sugg}?`);
    return err;
  }

  private compileHasAttr(e: EHasAttr): Code {
    const subject = this.compile(e.e);
    const path = e.path;
    const codes = this.compileAttrPath(path);
    const pos = e.e.pos;
    return (env) => {
      let v: Value;
      try {
        v = subject(env);
      } catch (err) {
        addTrace(err, pos, "in the argument of '?'");
        throw err;
      }
      for (let i = 0; i < path.length; i++) {
        if (!(v instanceof NixAttrs)) return false;
        const name = this.attrName(path[i]!, env, codes[i]);
        const x = v.get(name);
        if (x === undefined) return false;
        // `s ? a.b` forces `s.a` but never the value of the last attribute.
        if (i === path.length - 1) break;
        v = x instanceof Thunk ? x.force() : x;
      }
      return true;
    };
  }

  /** Fills a rec/let environment: attributes, then `inherit (e)` sources. */
  private compileRecSlots(a: EAttrs): (env2: ArrEnv, outer: Env) => void {
    const defs = [...a.attrs.values()];
    const codes = defs.map((d) => this.lazy(d.e));
    const kinds = defs.map((d) => d.kind);
    const from = (a.inheritFromExprs ?? []).map((x) => this.lazy(x));
    const nAttrs = defs.length;
    return (env2, outer) => {
      for (let i = 0; i < from.length; i++) env2[nAttrs + 1 + i] = from[i]!(env2);
      // An `inherit (e) a;` select reads its source as slot `index` of the env it runs
      // in (as for non-rec sets), so give it an env holding just the sources.
      let srcEnv = env2;
      if (from.length) {
        srcEnv = env2.slice(nAttrs);
        srcEnv[0] = env2 as unknown as Lazy;
      }
      for (let i = 0; i < nAttrs; i++) env2[i + 1] = codes[i]!(kinds[i] === 'inherited' ? outer : kinds[i] === 'inheritedFrom' ? srcEnv : env2);
    };
  }

  private compileAttrs(a: EAttrs): Code {
    const defs: [string, AttrDef][] = [...a.attrs];
    const names = defs.map(([n]) => n);
    const positions = a.attrs;
    const setPos = a.pos;
    const dyn = a.dynamic.map((d) => ({ name: this.compile(d.nameExpr), value: this.lazy(d.value), pos: d.pos, expr: d.value }));
    // Every set this literal builds shares one layout; slot i holds definition order[i].
    const { layout, order } = AttrLayout.sortedOf(names);
    const posArr = order.map((i) => defs[i]![1].pos);
    const meta = new AttrMeta(posArr, undefined, setPos);
    const n = names.length;
    if (a.rec) {
      const fill = this.compileRecSlots(a);
      const size = a.attrs.size + (a.inheritFromExprs?.length ?? 0);
      const overridesIdx = names.indexOf('__overrides');
      if (overridesIdx >= 0) this.overridesSeen = true;
      return (env) => {
        const env2 = newEnv(env, size);
        fill(env2, env);
        let attrs: NixAttrs;
        if (overridesIdx >= 0) {
          const m = new Map<string, Lazy>();
          for (let i = 0; i < n; i++) m.set(names[i]!, env2[i + 1]!);
          const ov = forceAttrs(env2[overridesIdx + 1]!, noPos, 'while evaluating the `__overrides` attribute');
          for (const k of ov.keys()) {
            const v = ov.get(k)!;
            m.set(k, v);
            const j = names.indexOf(k);
            if (j >= 0 && defs[j]![1].kind !== 'inherited') env2[j + 1] = v;
          }
          attrs = new NixAttrs(m, positions);
        } else {
          const vals = new Array<Lazy>(n);
          for (let i = 0; i < n; i++) vals[i] = env2[order[i]! + 1]!;
          attrs = NixAttrs.withMeta(layout, vals, meta);
        }
        attrs.pos = setPos;
        if (dyn.length) return this.addDynamic(attrs, dyn, env2);
        return attrs;
      };
    }
    const codes = order.map((i) => this.lazy(defs[i]![1].e));
    const kinds = order.map((i) => defs[i]![1].kind);
    const from = (a.inheritFromExprs ?? []).map((x) => this.lazy(x));
    if (from.length === 0 && dyn.length === 0) {
      return (env) => {
        const vals = new Array<Lazy>(n);
        for (let i = 0; i < n; i++) vals[i] = codes[i]!(env);
        return NixAttrs.withMeta(layout, vals, meta);
      };
    }
    return (env) => {
      let inheritEnv: Env | undefined;
      if (from.length) {
        inheritEnv = newEnv(env, from.length);
        for (let i = 0; i < from.length; i++) inheritEnv[i + 1] = from[i]!(env);
      }
      const vals = new Array<Lazy>(n);
      for (let i = 0; i < n; i++) vals[i] = codes[i]!(kinds[i] === 'inheritedFrom' ? inheritEnv! : env);
      const attrs = NixAttrs.withMeta(layout, vals, meta);
      if (dyn.length) return this.addDynamic(attrs, dyn, env);
      return attrs;
    };
  }

  private addDynamic(
    attrs: NixAttrs,
    dyn: { name: Code; value: LazyCode; pos: PosIdx }[],
    env: Env,
  ): NixAttrs {
    const dNames: string[] = [];
    const dVals: Lazy[] = [];
    const dPos: PosIdx[] = [];
    for (const d of dyn) {
      const nv = d.name(env);
      if (nv === null) continue;
      const name = forceStringNoCtx(nv, d.pos, 'while evaluating the name of a dynamic attribute');
      const prevDyn = dNames.indexOf(name);
      if (prevDyn >= 0 || attrs.has(name)) {
        const prev = prevDyn >= 0 ? dPos[prevDyn]! : attrs.posOf(name);
        throw new NixError('eval', `dynamic attribute '${name}' already defined at ${this.st.showPos(prev)}`, d.pos);
      }
      dNames.push(name);
      dVals.push(d.value(env));
      dPos.push(d.pos);
    }
    if (dNames.length === 0) return attrs;
    // `{ ${n} = v; }`: the set is the dynamic attribute alone (no sort, no merge).
    if (dNames.length === 1 && attrs.size === 0) {
      return NixAttrs.withMeta(new AttrLayout(dNames), dVals, new AttrMeta(dPos, undefined, attrs.pos));
    }
    // One name into the literal's names (`{ ${n} = …; b = …; }`): put in place, as
    // mergeFew does, rather than sorted into a set of its own and merged.
    if (dNames.length === 1) {
      const name = dNames[0]!;
      const ks = attrs.layout.keys;
      const vs = attrs.vals;
      const n = ks.length;
      let at = 0;
      for (let hi = n; at < hi; ) {
        const mid = (at + hi) >>> 1;
        if (ks[mid]! < name) at = mid + 1;
        else hi = mid;
      }
      const keys = new Array<string>(n + 1);
      const vals = new Array<Lazy>(n + 1);
      const pos = new Array<PosIdx>(n + 1);
      for (let i = 0; i < at; i++) {
        keys[i] = ks[i]!;
        vals[i] = vs[i]!;
        pos[i] = attrs.posAt(i);
      }
      keys[at] = name;
      vals[at] = dVals[0]!;
      pos[at] = dPos[0]!;
      for (let i = at; i < n; i++) {
        keys[i + 1] = ks[i]!;
        vals[i + 1] = vs[i]!;
        pos[i + 1] = attrs.posAt(i);
      }
      return NixAttrs.withMeta(new AttrLayout(keys), vals, new AttrMeta(pos, undefined, attrs.pos));
    }
    const { layout, order } = AttrLayout.sortedOf(dNames);
    const extra = NixAttrs.of(
      layout,
      order.map((i) => dVals[i]!),
      order.map((i) => dPos[i]!),
    );
    const r = mergeAttrs(attrs, extra, true);
    r.pos = attrs.pos;
    return r;
  }

  private compileLambda(e: ELambda): Code {
    const size = (e.arg !== undefined ? 1 : 0) + (e.formals ? e.formals.formals.length : 0);
    // Compiled on first call: most lambdas in a large library are never called.
    const self = this;
    const impl: LambdaImpl = {
      node: e,
      body: null as unknown as Code,
      size,
      defaults: [],
      ready: false,
      argLayout: undefined,
      argSlots: undefined,
      inner: undefined,
      prepare() {
        if (impl.ready) return;
        impl.body = self.compile(e.body);
        if (e.body.k === 'lambda') impl.inner = { node: e.body, impl: self.lambdaImpls.get(e.body)! };
        impl.defaults = e.formals ? e.formals.formals.map((f) => (f.def ? self.lazy(f.def) : undefined)) : [];
        impl.ready = true;
      },
    };
    this.lambdaImpls.set(e, impl);
    return (env) => new Lambda(env, impl);
  }

  private compileCall(e: ECall): Code {
    const inlined = this.compileBuiltinCall(e);
    if (inlined) return inlined;
    const fn = this.compile(e.fn);
    const args = e.args.map((a) => this.lazy(a));
    const pos = e.pos;
    const st = this.st;
    if (args.length === 1) {
      const a0 = args[0]!;
      return (env) => st.callFunction(fn(env), a0(env), pos);
    }
    const n = args.length;
    return (env) => {
      let f = fn(env);
      // A builtin given all its arguments at once: no partial applications in between.
      if (f instanceof PrimOp && f.arity === n) {
        const as = new Array<Lazy>(n);
        for (let i = 0; i < n; i++) as[i] = args[i]!(env);
        return st.callPrimOpFull(f, as, pos);
      }
      let i = 0;
      for (; i + 1 < n; i += 2) f = st.callFunction2(f, args[i]!(env), args[i + 1]!(env), pos);
      if (i < n) f = st.callFunction(f, args[i]!(env), pos);
      return f;
    };
  }

  /**
   * Calls of strict builtins through their global names (`a - b` is `__sub a b`,
   * `a < b` is `__lessThan a b`): when the name resolves to the base environment, its
   * value is fixed, so the call is compiled to a direct operation on the evaluated
   * arguments — no thunks, no partial application. Errors carry the same trace frame
   * as a regular builtin call.
   */
  private isDirectBuiltinCall(e: ECall): boolean {
    const f = e.fn;
    if (f.k !== 'var' || !f.global || e.args.length !== 2) return false;
    const prim = this.st.baseEnv[f.index + 1];
    return prim instanceof PrimOp && prim.arity === 2 && strictBinaryBuiltins.has(prim.name);
  }

  private compileBuiltinCall(e: ECall): Code | undefined {
    if (!this.isDirectBuiltinCall(e)) return undefined;
    const f = e.fn as EVar;
    const prim = this.st.baseEnv[f.index + 1] as PrimOp;
    const op = strictBinaryBuiltins.get(prim.name)!;
    const a = this.compile(e.args[0]!);
    const b = this.compile(e.args[1]!);
    const pos = e.pos;
    const name = prim.name;
    return (env) => {
      // The operands are forced inside the builtin in CppNix: their errors get the
      // builtin's frame too.
      try {
        const x = a(env);
        const y = b(env);
        const r = op(x, y);
        if (r !== undefined) return r;
        return prim.fn([x, y], noPos);
      } catch (err) {
        if (err instanceof NixError) err.addTrace(pos, `while calling the '${name}' builtin`);
        throw err;
      }
    };
  }

  private compileAssert(e: Extract<Expr, { k: 'assert' }>): Code {
    const cond = this.compile(e.cond);
    const body = this.compile(e.body);
    const pos = e.pos;
    const condExpr = e.cond;
    let shown: string | undefined;
    return (env) => {
      if (!this.evalBool(cond, env, pos, 'in the condition of the assert statement')) {
        shown ??= showExprBrief(condExpr);
        if (condExpr.k === 'binop' && condExpr.op === '==') {
          try {
            const l = this.compile(condExpr.left)(env);
            const r = this.compile(condExpr.right)(env);
            this.st.assertEqValues(l, r, condExpr.pos, 'in an equality assertion', true);
          } catch (err) {
            if (err instanceof NixError && err.kind === 'assert') {
              err.addTrace(pos, `while evaluating the condition of the assertion '${shown}'`);
            }
            throw err;
          }
        }
        throw new NixError('assert', `assertion '${shown}' failed`, pos);
      }
      return body(env);
    };
  }

  private compileBinOp(op: string, left: Expr, right: Expr, pos: PosIdx): Code {
    const l = this.compile(left);
    const r = this.compile(right);
    const lp = left.pos;
    const rp = right.pos;
    const ev = (c: Code, env: Env, p: PosIdx, ctx: string): Value => {
      try {
        return c(env);
      } catch (err) {
        addTrace(err, p, ctx);
        throw err;
      }
    };
    switch (op) {
      case '==':
        return (env) =>
          eqValues(ev(l, env, lp, "in the left operand of '=='"), ev(r, env, rp, "in the right operand of '=='"), pos, 'while testing two values for equality');
      case '!=':
        return (env) =>
          !eqValues(ev(l, env, lp, "in the left operand of '!='"), ev(r, env, rp, "in the right operand of '!='"), pos, 'while testing two values for inequality');
      case '&&':
        return (env) => this.evalBool(l, env, lp, "in the left operand of '&&'") && this.evalBool(r, env, rp, "in the right operand of '&&'");
      case '||':
        return (env) => this.evalBool(l, env, lp, "in the left operand of '||'") || this.evalBool(r, env, rp, "in the right operand of '||'");
      case '->':
        return (env) => !this.evalBool(l, env, lp, "in the left operand of '->'") || this.evalBool(r, env, rp, "in the right operand of '->'");
      case '//': {
        // CppNix's evalAttrs: the operand's frame covers its evaluation and its type
        // error. A chain `a // b // c` is one update: no frame for the inner `//`.
        const evalAttrs = (c: Code, env: Env, p: PosIdx, ctx: string): NixAttrs => {
          try {
            const v = c(env);
            if (v instanceof NixAttrs) return v;
            throw new NixError('type', `expected a set but found ${showType(v)}: ${printForError(v)}`);
          } catch (err) {
            addTrace(err, p, ctx);
            throw err;
          }
        };
        const chained = left.k === 'binop' && left.op === '//';
        return (env) => {
          const b = evalAttrs(r, env, rp, "in the right operand of '//'");
          const a = chained ? (l(env) as NixAttrs) : evalAttrs(l, env, lp, "in the left operand of '//'");
          return updateAttrs(a, b);
        };
      }
      case '++':
        return (env) => {
          const a = forceList(ev(l, env, lp, "in the left operand of '++'"), pos, 'while evaluating one of the elements to concatenate');
          const b = forceList(ev(r, env, rp, "in the right operand of '++'"), pos, 'while evaluating one of the elements to concatenate');
          if (a.length === 0) return b;
          if (b.length === 0) return a;
          return a.concat(b);
        };
    }
    throw new Error(`unknown operator ${op}`);
  }

  private compileConcat(e: EConcatStrings): Code {
    const parts = e.parts.map((p, i) => ({ code: this.compile(p), pos: e.partPos?.[i] ?? p.pos }));
    const forceString = e.forceString;
    const st = this.st;
    const pos = e.pos;
    // `a + b` on two small ints or two plain strings: the common cases, no arrays.
    if (!forceString && parts.length === 2) {
      const [p0, p1] = parts as [(typeof parts)[0], (typeof parts)[0]];
      return (env) => {
        let x: Value;
        let y: Value;
        try {
          x = p0.code(env);
        } catch (err) {
          addTrace(err, p0.pos, "in an operand of '+'");
          throw err;
        }
        try {
          y = p1.code(env);
        } catch (err) {
          addTrace(err, p1.pos, "in an operand of '+'");
          throw err;
        }
        if (typeof x === 'number' && typeof y === 'number') {
          const r = x + y;
          if (Number.isSafeInteger(r)) return r;
        } else if (typeof x === 'string' && typeof y === 'string') return x + y;
        return st.concat([x, y], parts, false, pos);
      };
    }
    return (env) => {
      const vals = new Array<Value>(parts.length);
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        try {
          vals[i] = p.code(env);
        } catch (err) {
          addTrace(err, p.pos, "in an operand of '+'");
          throw err;
        }
      }
      return st.concat(vals, parts, forceString, pos);
    };
  }
}

export const emptyList: Lazy[] = [];

/**
 * Fast paths for the strict arithmetic/comparison builtins the parser desugars to:
 * small-int operands are handled inline, anything else goes to the builtin itself
 * (`undefined` means "not handled here").
 */
const strictBinaryBuiltins = new Map<string, (a: Value, b: Value) => Value | undefined>([
  [
    'sub',
    (a, b) => {
      if (typeof a === 'number' && typeof b === 'number') {
        const r = a - b;
        if (Number.isSafeInteger(r)) return r;
      }
      return undefined;
    },
  ],
  [
    'mul',
    (a, b) => {
      if (typeof a === 'number' && typeof b === 'number') {
        const r = a * b;
        if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
      }
      return undefined;
    },
  ],
  ['div', () => undefined],
  ['lessThan', (a, b) => (typeof a === 'number' && typeof b === 'number' ? a < b : undefined)],
]);

export function updateAttrs(a: NixAttrs, b: NixAttrs): NixAttrs {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  // A few names onto many: a layer, not a copy (see NixAttrs). Small sets are still
  // merged, which keeps their layouts shared (merge plans) and lookups one step.
  if (b.topMeta.base === undefined && b.topVals.length <= LAYER_MAX_RIGHT && a.size >= LAYER_MIN_LEFT) {
    if (a.depth >= MAX_LAYERS) a.flatten();
    return NixAttrs.layered(a, b);
  }
  return mergeAttrs(a, b, a.hasPositions() || b.hasPositions());
}

/** `a // b` is layered when `b` has at most this many names… */
const LAYER_MAX_RIGHT = 8;
/** …and `a` at least this many. */
const LAYER_MIN_LEFT = 32;

/** Above this many slots, the positions of a `//` result go in an Int32Array (see PosArray). */
const BIG_POS = 64;

/** `a // b` on the sorted slot arrays (a linear merge, as CppNix's), planned once per
 * pair of layouts: updates of sets from the same literals share the result's layout.
 * A result with the same names as `a` or `b` reuses its layout. */
function mergeAttrs(a: NixAttrs, b: NixAttrs, withPos: boolean): NixAttrs {
  const la = a.layout;
  const lb = b.layout;
  let cache = la.mergeCache;
  if (cache !== undefined) {
    for (let i = 0; i < cache.length; i++) {
      const mc = cache[i]!;
      if (mc.right === lb) return mergeByPlan(a, b, withPos, mc);
    }
  } else if (la.lastRight !== lb) {
    la.lastRight = lb;
    return mergeDirect(a, b, withPos);
  } else la.mergeCache = cache = [];
  // A plan pays off from the second update with the same layouts (a set grown by a
  // chain of updates has a new layout at each step: no plan for those).
  if (la.lastRight !== lb) {
    la.lastRight = lb;
    return mergeDirect(a, b, withPos);
  }
  const mc = makePlan(la, lb);
  if (cache.length >= 8) cache.pop();
  cache.unshift(mc);
  return mergeByPlan(a, b, withPos, mc);
}

function mergeDirect(a: NixAttrs, b: NixAttrs, withPos: boolean): NixAttrs {
  const la = a.layout;
  const ka = la.keys;
  const kb = b.layout.keys;
  const va = a.vals;
  const vb = b.vals;
  const na = ka.length;
  const nb = kb.length;
  if (nb <= 8 && na > 2 * nb) return mergeFew(a, b, withPos);
  const keys = new Array<string>(na + nb);
  const vals = new Array<Lazy>(na + nb);
  let i = 0;
  let j = 0;
  let k = 0;
  if (!withPos) {
    while (i < na && j < nb) {
      const x = ka[i]!;
      const y = kb[j]!;
      if (x === y) {
        keys[k] = y;
        vals[k++] = vb[j++]!;
        i++;
      } else if (x < y) {
        keys[k] = x;
        vals[k++] = va[i++]!;
      } else {
        keys[k] = y;
        vals[k++] = vb[j++]!;
      }
    }
    for (; i < na; i++, k++) {
      keys[k] = ka[i]!;
      vals[k] = va[i]!;
    }
    for (; j < nb; j++, k++) {
      keys[k] = kb[j]!;
      vals[k] = vb[j]!;
    }
    keys.length = k;
    vals.length = k;
    return NixAttrs.of(k === na ? a.layout : k === nb ? b.layout : new AttrLayout(keys), vals);
  }
  // Positions by slot; a set without any positions contributes noPos.
  const pa = slotPositions(a);
  const pb = slotPositions(b);
  // Mostly `b` adds names here: a growing set, of the kind chains of overlays keep.
  const big = na + nb > BIG_POS;
  const pos: PosIdx[] = big ? (new Int32Array(na + nb) as unknown as PosIdx[]) : new Array<PosIdx>(na + nb);
  while (i < na && j < nb) {
    const x = ka[i]!;
    const y = kb[j]!;
    if (x === y) {
      keys[k] = y;
      pos[k] = pb === undefined ? noPos : pb[j]!;
      vals[k++] = vb[j++]!;
      i++;
    } else if (x < y) {
      keys[k] = x;
      pos[k] = pa === undefined ? noPos : pa[i]!;
      vals[k++] = va[i++]!;
    } else {
      keys[k] = y;
      pos[k] = pb === undefined ? noPos : pb[j]!;
      vals[k++] = vb[j++]!;
    }
  }
  for (; i < na; i++, k++) {
    keys[k] = ka[i]!;
    vals[k] = va[i]!;
    pos[k] = pa === undefined ? noPos : pa[i]!;
  }
  for (; j < nb; j++, k++) {
    keys[k] = kb[j]!;
    vals[k] = vb[j]!;
    pos[k] = pb === undefined ? noPos : pb[j]!;
  }
  keys.length = k;
  vals.length = k;
  let posArr: PosArray = pos;
  if (!big) pos.length = k;
  else if (k < na + nb) posArr = (pos as unknown as Int32Array).subarray(0, k);
  return NixAttrs.of(k === na ? a.layout : k === nb ? b.layout : new AttrLayout(keys), vals, posArr);
}


/** Where mergeFew puts each name of `b` in `a`, and whether `a` has it (no Nix code runs
 * in a merge, so one scratch pair serves every call). */
const fewAt = new Int32Array(8);
const fewHit = new Uint8Array(8);

/**
 * `a // b` with `b` a few names and `a` many (`acc // { ${k} = v; }`, an overlay's
 * `super // { … }`): each name of `b` is found in `a` by binary search, then `a`'s runs
 * between them are copied without comparing names — the linear merge compared every
 * name of `a`, and these sets grow to thousands. When `a` has all of `b`'s names, the
 * result keeps `a`'s layout and copies its arrays.
 */
function mergeFew(a: NixAttrs, b: NixAttrs, withPos: boolean): NixAttrs {
  const la = a.layout;
  const ka = la.keys;
  const kb = b.layout.keys;
  const va = a.vals;
  const vb = b.vals;
  const na = ka.length;
  const nb = kb.length;
  let added = 0;
  let lo = 0;
  for (let j = 0; j < nb; j++) {
    const y = kb[j]!;
    let hi = na;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ka[mid]! < y) lo = mid + 1;
      else hi = mid;
    }
    fewAt[j] = lo;
    if (lo < na && ka[lo] === y) {
      fewHit[j] = 1;
      lo++;
    } else {
      fewHit[j] = 0;
      added++;
    }
  }
  const pa = withPos ? slotPositions(a) : undefined;
  const pb = withPos ? slotPositions(b) : undefined;
  if (added === 0) {
    const vals = va.slice();
    for (let j = 0; j < nb; j++) vals[fewAt[j]!] = vb[j]!;
    if (!withPos) return NixAttrs.of(la, vals);
    // (An Int32Array's slice is one too.)
    const pos: PosIdx[] = pa === undefined ? new Array<PosIdx>(na).fill(noPos) : (pa as PosIdx[]).slice();
    for (let j = 0; j < nb; j++) pos[fewAt[j]!] = pb === undefined ? noPos : pb[j]!;
    return NixAttrs.of(la, vals, pos);
  }
  if (added === 1) return mergeInsertOne(a, b, withPos, pa, pb);
  const n = na + added;
  const keys = new Array<string>(n);
  const vals = new Array<Lazy>(n);
  let i = 0;
  let k = 0;
  if (!withPos) {
    for (let j = 0; j < nb; j++) {
      for (const at = fewAt[j]!; i < at; i++, k++) {
        keys[k] = ka[i]!;
        vals[k] = va[i]!;
      }
      keys[k] = kb[j]!;
      vals[k++] = vb[j]!;
      i += fewHit[j]!;
    }
    for (; i < na; i++, k++) {
      keys[k] = ka[i]!;
      vals[k] = va[i]!;
    }
    return NixAttrs.of(new AttrLayout(keys), vals);
  }
  // A growing set, of the kind chains of overlays keep: see PosArray.
  const pos: PosIdx[] = n > BIG_POS ? (new Int32Array(n) as unknown as PosIdx[]) : new Array<PosIdx>(n);
  for (let j = 0; j < nb; j++) {
    for (const at = fewAt[j]!; i < at; i++, k++) {
      keys[k] = ka[i]!;
      vals[k] = va[i]!;
      pos[k] = pa === undefined ? noPos : pa[i]!;
    }
    keys[k] = kb[j]!;
    pos[k] = pb === undefined ? noPos : pb[j]!;
    vals[k++] = vb[j]!;
    i += fewHit[j]!;
  }
  for (; i < na; i++, k++) {
    keys[k] = ka[i]!;
    vals[k] = va[i]!;
    pos[k] = pa === undefined ? noPos : pa[i]!;
  }
  return NixAttrs.of(new AttrLayout(keys), vals, pos);
}

/**
 * mergeFew when `b` brings exactly one new name (an overlay's `super // { new = …; old = …; }`,
 * `acc // { ${k} = v; }`): `toSpliced` and typed-array `set` copy `a`'s arrays in bulk,
 * about twice as fast as an element loop on the thousands-long sets such chains grow.
 */
function mergeInsertOne(a: NixAttrs, b: NixAttrs, withPos: boolean, pa: PosArray | undefined, pb: PosArray | undefined): NixAttrs {
  const kb = b.layout.keys;
  const vb = b.vals;
  const nb = kb.length;
  let at = -1;
  for (let j = 0; j < nb; j++) if (fewHit[j] === 0) at = j;
  // Slots of `a` at or after the new name move up by one.
  const ins = fewAt[at]!;
  const keys = a.layout.keys.toSpliced(ins, 0, kb[at]!);
  const vals = a.vals.toSpliced(ins, 0, vb[at]!);
  for (let j = 0; j < nb; j++) if (j !== at) vals[fewAt[j]! + (j > at ? 1 : 0)] = vb[j]!;
  if (!withPos) return NixAttrs.of(new AttrLayout(keys), vals);
  const na = a.layout.keys.length;
  const n = na + 1;
  let pos: PosIdx[];
  if (n > BIG_POS) {
    const p = new Int32Array(n);
    if (pa instanceof Int32Array) {
      p.set(pa.subarray(0, ins));
      p.set(pa.subarray(ins), ins + 1);
    } else for (let i = 0; i < na; i++) p[i < ins ? i : i + 1] = pa === undefined ? noPos : pa[i]!;
    pos = p as unknown as PosIdx[];
  } else {
    pos = new Array<PosIdx>(n);
    for (let i = 0; i < na; i++) pos[i < ins ? i : i + 1] = pa === undefined ? noPos : pa[i]!;
  }
  for (let j = 0; j < nb; j++) pos[fewAt[j]! + (j > at ? 1 : 0)] = pb === undefined ? noPos : pb[j]!;
  return NixAttrs.of(new AttrLayout(keys), vals, pos);
}

/** A `//` plan for two layouts (a linear merge of the sorted names). */
function makePlan(la: AttrLayout, lb: AttrLayout): MergePlan {
  const ka = la.keys;
  const kb = lb.keys;
  const na = ka.length;
  const nb = kb.length;
  const keys: string[] = [];
  const plan: number[] = [];
  let i = 0;
  let j = 0;
  while (i < na && j < nb) {
    const x = ka[i]!;
    const y = kb[j]!;
    if (x === y) {
      keys.push(y);
      plan.push(~j++);
      i++;
    } else if (x < y) {
      keys.push(x);
      plan.push(i++);
    } else {
      keys.push(y);
      plan.push(~j++);
    }
  }
  for (; i < na; i++) {
    keys.push(ka[i]!);
    plan.push(i);
  }
  for (; j < nb; j++) {
    keys.push(kb[j]!);
    plan.push(~j);
  }
  const out = keys.length === na ? la : keys.length === nb ? lb : new AttrLayout(keys);
  return { right: lb, out, plan: Int32Array.from(plan), pa: undefined, pb: undefined, meta: undefined };
}

function mergeByPlan(a: NixAttrs, b: NixAttrs, withPos: boolean, mc: MergePlan): NixAttrs {
  const plan = mc.plan;
  const n = plan.length;
  const va = a.vals;
  const vb = b.vals;
  const vals = new Array<Lazy>(n);
  for (let k = 0; k < n; k++) {
    const p = plan[k]!;
    vals[k] = p >= 0 ? va[p]! : vb[~p]!;
  }
  if (!withPos) return NixAttrs.of(mc.out, vals);
  const pa = slotPositions(a);
  const pb = slotPositions(b);
  // Sets built by the same literals share their position arrays, and then the result's.
  if (mc.meta !== undefined && mc.pa === pa && mc.pb === pb) return NixAttrs.withMeta(mc.out, vals, mc.meta);
  const pos = new Array<PosIdx>(n);
  for (let k = 0; k < n; k++) {
    const p = plan[k]!;
    pos[k] = p >= 0 ? (pa === undefined ? noPos : pa[p]!) : pb === undefined ? noPos : pb[~p]!;
  }
  const meta = new AttrMeta(pos, undefined, noPos);
  if (a.meta.posSrc === undefined && b.meta.posSrc === undefined) {
    mc.pa = pa;
    mc.pb = pb;
    mc.meta = meta;
  }
  return NixAttrs.withMeta(mc.out, vals, meta);
}

/** The positions of a set by slot (undefined: none at all). */
function slotPositions(a: NixAttrs): PosArray | undefined {
  const m = a.meta;
  if (m.posArr !== undefined) return m.posArr;
  if (m.posSrc === undefined) return undefined;
  const n = a.size;
  const out = new Array<PosIdx>(n);
  for (let i = 0; i < n; i++) out[i] = a.posAt(i);
  return out;
}

/** CppNix's `Suggestions::bestMatches(…).trim()` rendered as `one of a, b or c` / `a`:
 * at most 5 candidates within edit distance 2, closest first. */
export function suggestions(candidates: string[], name: string): string | undefined {
  const scored = candidates
    .map((c) => ({ c, d: levenshtein(name, c) }))
    .filter((x) => x.d <= 2)
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0))
    .slice(0, 5)
    .map((x) => x.c);
  if (scored.length === 0) return undefined;
  if (scored.length === 1) return scored[0];
  return `one of ${scored.slice(0, -1).join(', ')} or ${scored[scored.length - 1]}`;
}


export { NixString };
