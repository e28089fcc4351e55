/**
 * The evaluator's state: one `EvalState` per evaluation session.
 *
 * It owns the position table, the compiler, the base environment (the globals:
 * `builtins`, `true`, `map`, every `__name`), the per-file import cache, the lookup path
 * and the link to the store. It implements the operations compiled code calls back
 * into: function application (with `__functor`, partial primop application, formals,
 * and CppNix's call-depth limit), string concatenation and coercion, and imports.
 *
 * Function calls are where CppNix adds `while calling …` / `from call site` trace
 * frames (with `--show-trace`), and where the `max-call-depth` of 10 000 is enforced;
 * a JS stack exhaustion (`RangeError`) is turned into the same Nix error, so a host
 * stack trace never reaches the user.
 */

import { NixError } from '../diag/diagnostic.js';
import type { Expr } from '../lang/ast.js';
import { parse, parseAndResolve } from '../lang/parser.js';
import { StaticEnv, baseStaticEnv, resolve } from '../lang/scope.js';
import { noPos, originName, PosTable, type PosIdx, type Source, type Origin } from '../lang/source.js';
import { formatPos } from '../diag/render.js';
import { type Host, dirOf, canonPath } from '../host.js';
import { Compiler } from './compile.js';
import { typeError } from './errors.js';
import { forceAttrs } from './force.js';
import { isDerivation, eqValues } from './ops.js';
import { printForError, setPrintPosTable } from './print.js';
import { formatFloatF } from './util/float.js';
import * as I64 from './util/int64.js';
import {
  Env,
  Lambda,
  NixAttrs,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  showType,
  type Lazy,
  type Value,
} from './value.js';
import { createBuiltins } from './builtins/index.js';
import type { StoreBackend } from './store-backend.js';
import { createStoreBackend } from './store-glue.js';
import { installEmbeddedLib } from '../modules/embedded.js';

export interface SearchPathEntry {
  prefix: string;
  path: string;
}

export interface EvalOptions {
  /** `-I` entries first, then `NIX_PATH`. */
  searchPath: SearchPathEntry[];
  showTrace: boolean;
  storeDir: string;
  currentSystem: string;
  maxCallDepth: number;
  pureEval: boolean;
  /** `--option` settings passed through (e.g. `allow-import-from-derivation`). */
  settings: Map<string, string>;
}

export const defaultOptions: EvalOptions = {
  searchPath: [],
  showTrace: false,
  storeDir: '/nix/store',
  currentSystem: 'x86_64-linux',
  maxCallDepth: 10000,
  pureEval: false,
  settings: new Map(),
};

export interface CoerceOptions {
  coerceMore: boolean;
  copyToStore: boolean;
}

export class EvalState {
  readonly table = new PosTable();
  readonly compiler: Compiler;
  readonly opts: EvalOptions;
  readonly globals: string[] = [];
  baseEnv!: Env;
  builtins!: NixAttrs;
  private readonly fileCache = new Map<string, Value>();
  private readonly parseCache = new Map<string, Expr>();
  callDepth = 0;
  /** Embedded Nix sources (corepkgs such as `<nix/fetchurl.nix>`, our `lib`), by virtual path. */
  readonly virtualFiles = new Map<string, string>();
  /** Virtual files whose value is built natively instead of parsed (the embedded lib's `native.nix`). */
  readonly nativeFiles = new Map<string, () => Value>();

  /** Without one given, a store that computes paths but writes nothing. */
  readonly store: StoreBackend;

  constructor(
    readonly host: Host,
    opts: Partial<EvalOptions> = {},
    store?: StoreBackend,
  ) {
    this.opts = { ...defaultOptions, ...opts };
    this.store = store ?? createStoreBackend(host, { storeDir: this.opts.storeDir });
    this.compiler = new Compiler(this);
    setPrintPosTable(this.table);
    const { names, values, builtins } = createBuiltins(this);
    this.globals.push(...names);
    this.builtins = builtins;
    this.baseEnv = new Env(null, values);
    // `<nixpkgs/lib>` without a nixpkgs on the search path (src/modules/embedded.ts).
    installEmbeddedLib(this);
  }

  // ---------------------------------------------------------------- parsing

  parse(src: Source, baseDir: string): Expr {
    return parseAndResolve(this.table, src, { baseDir, home: this.host.getEnv('HOME') }, this.globals);
  }

  /** Parse with an extra lexical scope around the file (for `scopedImport`). */
  parseScoped(src: Source, baseDir: string, names: string[]): Expr {
    const e = parse(this.table, src, { baseDir, home: this.host.getEnv('HOME') });
    const vars = new Map<string, number>();
    names.forEach((n, i) => vars.set(n, i));
    resolve(e, new StaticEnv(baseStaticEnv(this.globals), vars));
    return e;
  }

  parseString(text: string, baseDir: string, origin: Origin = { kind: 'string' }): Expr {
    return this.parse(this.table.add(origin, text), baseDir);
  }

  evalExpr(e: Expr): Value {
    return this.guard(() => this.compiler.compile(e)(this.baseEnv));
  }

  /** Turns host stack exhaustion into a Nix error. */
  guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw toNixError(e);
    }
  }

  // ---------------------------------------------------------------- files

  readFileText(path: string): string {
    const v = this.virtualFiles.get(path);
    if (v !== undefined) return v;
    return this.host.readFile(path);
  }

  pathExists(path: string): boolean {
    if (this.virtualFiles.has(path)) return true;
    for (const k of this.virtualFiles.keys()) if (k.startsWith(path + '/')) return true;
    return this.host.lstat(path) !== undefined;
  }

  /** `import`: directories mean `default.nix`; each resolved file is evaluated once. */
  resolveExprPath(path: string): string {
    if (this.virtualFiles.has(path)) return path;
    if (this.virtualFiles.has(path + '/default.nix')) return path + '/default.nix';
    let p = path;
    try {
      p = this.host.realPath(path);
    } catch {
      /* reported by readFile below */
    }
    const st = this.host.stat(p);
    if (st?.type === 'directory') return canonPath(p + '/default.nix');
    return p;
  }

  evalFile(path: string): Value {
    const resolved = this.resolveExprPath(path);
    const cached = this.fileCache.get(resolved);
    if (cached !== undefined) return cached;
    const native = this.nativeFiles.get(resolved);
    if (native !== undefined) {
      const nv = native();
      this.fileCache.set(resolved, nv);
      return nv;
    }
    const e = this.parseFile(resolved);
    let v: Value;
    try {
      v = this.compiler.compile(e)(this.baseEnv);
    } catch (err) {
      if (err instanceof NixError) err.addTrace(noPos, `while evaluating the file '${resolved}':`);
      throw err;
    }
    this.fileCache.set(resolved, v);
    return v;
  }

  parseFile(resolved: string): Expr {
    let e = this.parseCache.get(resolved);
    if (e) return e;
    let text: string;
    try {
      text = this.readFileText(resolved);
    } catch (err) {
      throw new NixError('io', `opening file '${resolved}': ${ioMessage(err)}`);
    }
    e = this.parse(this.table.add({ kind: 'file', path: resolved }, text), dirOf(resolved));
    this.parseCache.set(resolved, e);
    return e;
  }

  // ---------------------------------------------------------------- positions

  showPos(pos: PosIdx): string {
    const p = this.table.resolve(pos);
    return p ? formatPos(p) : '\xc2\xabnone\xc2\xbb';
  }

  /** `__curPos` and `unsafeGetAttrPos` results. */
  mkPos(pos: PosIdx): Value {
    const p = this.table.resolve(pos);
    if (!p) return null;
    const o = p.source.origin;
    const file = originName(o);
    return new NixAttrs(
      new Map<string, Lazy>([
        ['column', p.column],
        ['file', file],
        ['line', p.line],
      ]),
    );
  }

  // ---------------------------------------------------------------- calls

  callFunction(f: Value, arg: Lazy, pos: PosIdx): Value {
    if (f instanceof Lambda) return this.callLambda(f, arg, pos);
    if (f instanceof PrimOp) {
      if (f.arity === 1) return this.callPrimOp(f, [arg], pos);
      return new PrimOpApp(f, [arg]);
    }
    if (f instanceof PrimOpApp) {
      const args = f.args.concat([arg]);
      if (args.length === f.primop.arity) return this.callPrimOp(f.primop, args, pos);
      return new PrimOpApp(f.primop, args);
    }
    if (f instanceof NixAttrs) {
      const functor = f.get('__functor');
      if (functor !== undefined) {
        try {
          const g = this.callFunction(functor instanceof Thunk ? functor.force() : functor, f, pos);
          return this.callFunction(g, arg, pos);
        } catch (e) {
          if (e instanceof NixError) e.addTrace(pos, "while calling a functor (an attribute set with a '__functor' attribute)");
          throw e;
        }
      }
    }
    throw new NixError(
      'type',
      `attempt to call something which is not a function but ${showType(f)}: ${printForError(f)}`,
      pos,
    );
  }

  /** Apply to several arguments (used by builtins). */
  call(f: Value, ...args: Lazy[]): Value {
    let v = f;
    for (const a of args) v = this.callFunction(v, a, noPos);
    return v;
  }

  private callPrimOp(p: PrimOp, args: Lazy[], pos: PosIdx): Value {
    try {
      return p.fn(args, noPos);
    } catch (e) {
      const ne = toNixError(e, pos);
      ne.addTrace(pos, `while calling the '${p.name}' builtin`);
      throw ne;
    }
  }

  private callLambda(f: Lambda, arg: Lazy, pos: PosIdx): Value {
    const node = f.node;
    const impl = f.impl;
    const body = impl.body;
    const env = new Env(f.env, new Array(impl.size));
    const formals = node.formals;
    if (formals === undefined) {
      env.s[0] = arg;
    } else {
      let attrs: NixAttrs;
      try {
        attrs = forceAttrs(arg, node.pos, 'while evaluating the value passed for the lambda argument');
      } catch (e) {
        if (e instanceof NixError && pos !== noPos) e.addTrace(pos, 'from call site');
        throw e;
      }
      let d = 0;
      if (node.arg !== undefined) env.s[d++] = arg;
      const fs = formals.formals;
      const defaults = impl.defaults;
      let used = 0;
      for (let i = 0; i < fs.length; i++) {
        const x = attrs.get(fs[i]!.name);
        if (x === undefined) {
          const dc = defaults[i];
          if (dc === undefined) {
            throw new NixError(
              'missing-argument',
              `function '${node.name ?? 'anonymous lambda'}' called without required argument '${fs[i]!.name}'`,
              node.pos,
            ).addTrace(pos, 'from call site');
          }
          env.s[d++] = dc(env);
        } else {
          used++;
          env.s[d++] = x;
        }
      }
      if (!formals.ellipsis && used !== attrs.size) {
        const names = new Set(fs.map((x) => x.name));
        for (const k of attrs.keys()) {
          if (!names.has(k)) {
            const err = new NixError(
              'type',
              `function '${node.name ?? 'anonymous lambda'}' called with unexpected argument '${k}'`,
              node.pos,
            ).addTrace(pos, 'from call site');
            const s = suggestFormals([...names], k);
            if (s) err.note(`Did you mean ${s}?`);
            throw err;
          }
        }
      }
    }
    if (++this.callDepth > this.opts.maxCallDepth) {
      this.callDepth--;
      throw new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded', pos);
    }
    try {
      return body(env);
    } catch (e) {
      const ne = toNixError(e, pos);
      if (this.opts.showTrace) {
        ne.addTrace(node.pos, `while calling ${node.name !== undefined ? `'${node.name}'` : 'anonymous lambda'}`);
        if (pos !== noPos) ne.addTrace(pos, 'from call site');
      }
      throw ne;
    } finally {
      this.callDepth--;
    }
  }

  // ---------------------------------------------------------------- strings

  /** `+` and string interpolation (CppNix ExprConcatStrings::eval). */
  concat(vals: Value[], parts: { pos: PosIdx }[], forceString: boolean, pos: PosIdx): Value {
    const first = vals[0]!;
    if (!forceString) {
      // Two-operand numeric fast path.
      if (typeof first === 'number' || typeof first === 'bigint' || first instanceof NixFloat) {
        let acc: number | bigint | NixFloat = first;
        for (let i = 1; i < vals.length; i++) {
          const v = vals[i]!;
          if (acc instanceof NixFloat) {
            if (v instanceof NixFloat) acc = new NixFloat(acc.v + v.v);
            else if (typeof v === 'number' || typeof v === 'bigint') acc = new NixFloat(acc.v + Number(v));
            else throw new NixError('eval', `cannot add ${showType(v)} to a float`, parts[i]!.pos);
          } else if (typeof v === 'number' || typeof v === 'bigint') {
            try {
              acc = I64.intAdd(acc, v);
            } catch (e) {
              throw toNixError(e).atPos(parts[i]!.pos);
            }
          } else if (v instanceof NixFloat) acc = new NixFloat(Number(acc) + v.v);
          else throw new NixError('eval', `cannot add ${showType(v)} to an integer`, parts[i]!.pos);
        }
        return acc;
      }
    }
    const isPath = !forceString && first instanceof NixPath;
    let s = '';
    let ctx: Set<string> | undefined;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i]!;
      if (typeof v === 'string') {
        s += v;
        continue;
      }
      try {
        const r = this.coerceToString(v, parts[i]!.pos, 'while evaluating a path segment', {
          coerceMore: false,
          copyToStore: !isPath,
        });
        s += r.s;
        if (r.ctx) {
          ctx ??= new Set();
          for (const c of r.ctx) ctx.add(c);
        }
      } catch (e) {
        throw e;
      }
    }
    if (isPath) {
      if (ctx && ctx.size > 0) throw new NixError('eval', 'a string that refers to a store path cannot be appended to a path', pos);
      return new NixPath(canonPath(s));
    }
    return ctx && ctx.size > 0 ? new NixString(s, ctx) : s;
  }

  /** CppNix's coerceToString. Returns the bytes and any context. */
  coerceToString(
    x: Lazy,
    pos: PosIdx,
    ctx: string,
    o: CoerceOptions,
  ): { s: string; ctx: ReadonlySet<string> | undefined } {
    const v = x instanceof Thunk ? x.force() : x;
    if (typeof v === 'string') return { s: v, ctx: undefined };
    if (v instanceof NixString) return { s: v.s, ctx: v.ctx };
    if (v instanceof NixPath) {
      if (o.copyToStore) {
        const p = this.copyPathToStore(v.path, pos);
        return { s: p, ctx: new Set([p]) };
      }
      return { s: v.path, ctx: undefined };
    }
    if (v instanceof NixAttrs) {
      const ts = v.get('__toString');
      if (ts !== undefined) {
        const r = this.callFunction(ts instanceof Thunk ? ts.force() : ts, v, pos);
        return this.coerceToString(r, pos, ctx, o);
      }
      const out = v.get('outPath');
      if (out !== undefined) return this.coerceToString(out, pos, ctx, o);
    }
    if (o.coerceMore) {
      if (v === null || v === false) return { s: '', ctx: undefined };
      if (v === true) return { s: '1', ctx: undefined };
      if (typeof v === 'number' || typeof v === 'bigint') return { s: String(v), ctx: undefined };
      if (v instanceof NixFloat) return { s: formatFloatF(v.v), ctx: undefined };
      if (Array.isArray(v)) {
        let s = '';
        let c: Set<string> | undefined;
        for (let i = 0; i < v.length; i++) {
          let r;
          try {
            r = this.coerceToString(v[i]!, pos, ctx, o);
          } catch (e) {
            if (e instanceof NixError) e.addTrace(pos, 'while evaluating one element of the list');
            throw e;
          }
          s += r.s;
          if (r.ctx) for (const e of r.ctx) (c ??= new Set()).add(e);
          const el = v[i]!;
          const ev = el instanceof Thunk ? el.force() : el;
          if (i < v.length - 1 && (!Array.isArray(ev) || ev.length !== 0)) s += ' ';
        }
        return { s, ctx: c };
      }
    }
    // As CppNix: no primary position; the context frame carries it.
    const err = new NixError('type', `cannot coerce ${showType(v)} to a string: ${printForError(v)}`);
    err.addTrace(pos, ctx);
    throw err;
  }

  /** Coerce for builtins that accept strings, paths and `outPath` sets (toString-like). */
  coerceString(x: Lazy, pos: PosIdx, ctx: string, coerceMore = false, copyToStore = true): string | NixString {
    const r = this.coerceToString(x, pos, ctx, { coerceMore, copyToStore });
    return r.ctx && r.ctx.size > 0 ? new NixString(r.s, r.ctx) : r.s;
  }

  copyPathToStore(path: string, pos: PosIdx): string {
    return this.store.copyPathToStore(this, path, pos);
  }

  isDerivation(v: NixAttrs): boolean {
    return isDerivation(v);
  }

  /** For `assert a == b`: CppNix explains which part differs. */
  assertEqValues(a: Value, b: Value, pos: PosIdx, ctx: string): void {
    if (eqValues(a, b, pos, ctx)) return;
    void pos;
    throw new NixError('assert', explainInequality(a, b));
  }

  warn(message: string): void {
    this.host.stderr(`evaluation warning: ${message}\n`);
  }

  typeError(expected: string, v: Value, pos: PosIdx, ctx?: string): NixError {
    return typeError(expected, v, pos, ctx);
  }
}

function explainInequality(a: Value, b: Value): string {
  const sa = printForError(a);
  const sb = printForError(b);
  if (typeof a === 'string' || a instanceof NixString) {
    if (typeof b === 'string' || b instanceof NixString) return `string '${sa}' is not equal to string '${sb}'`;
  }
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint'))
    return `integer '${String(a)}' is not equal to integer '${String(b)}'`;
  if (showType(a) !== showType(b)) return `${sa} of type ${showType(a)} is not equal to ${sb} of type ${showType(b)}`;
  return `${sa} is not equal to ${sb}`;
}

function suggestFormals(names: string[], k: string): string | undefined {
  // CppNix prints all formals when none is close ("Did you mean one of x or z?").
  const sorted = [...names].sort();
  if (sorted.length === 0) return undefined;
  void k;
  if (sorted.length === 1) return sorted[0];
  return `one of ${sorted.slice(0, -1).join(', ')} or ${sorted[sorted.length - 1]}`;
}

export function ioMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: string }).code;
    if (code === 'ENOENT') return 'No such file or directory';
    if (code === 'EACCES') return 'Permission denied';
    if (code === 'EISDIR') return 'Is a directory';
    if (code === 'ENOTDIR') return 'Not a directory';
  }
  return err instanceof Error ? err.message : String(err);
}

/** Any thrown thing as a NixError; JS stack exhaustion becomes CppNix's stack overflow. */
export function toNixError(e: unknown, pos: PosIdx = noPos): NixError {
  if (e instanceof NixError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded', pos);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new NixError('eval', msg, pos, 'eval/internal');
}

export { I64 };
