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

import { HOST_STACK_EXHAUSTED, hostStackExhausted, NixError } from '../diag/diagnostic.js';
import type { ELambda, Expr } from '../lang/ast.js';
import { parse, parseAndResolve, type LintLevel, type ParseOptions } from '../lang/parser.js';
import { StaticEnv, baseStaticEnv, resolve } from '../lang/scope.js';
import { noPos, originName, PosTable, type PosIdx, type Source, type Origin } from '../lang/source.js';
import { formatPos, renderDiagnostic } from '../diag/render.js';
import { type Host, dirOf, canonPath } from '../host.js';
import { Compiler, suggestions } from './compile.js';
import { SymbolOrder } from './symbols.js';
import { typeError } from './errors.js';
import { forceAttrs } from './force.js';
import { isDerivation, eqValues } from './ops.js';
import { printForError, setPrintPosTable } from './print.js';
import { formatFloatF } from './util/float.js';
import * as I64 from './util/int64.js';
import {
  newEnv,
  Env1,
  type ArrEnv,
  type Env,
  Lambda,
  NixAttrs,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  type PrimOpFn1,
  Thunk,
  showType,
  typeOf,
  type Lazy,
  type LambdaImpl,
  type Value,
} from './value.js';
import { createBuiltins } from './builtins/index.js';
import type { StoreBackend } from './store-backend.js';
import { createStoreBackend } from './store-glue.js';
import { installEmbeddedLib } from '../modules/embedded.js';
import { installEmbeddedNixpkgs } from '../nixos/embedded.js';

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
  /** CppNix's symbol creation order (see symbols.ts). */
  readonly symbols = new SymbolOrder();
  readonly compiler: Compiler;
  readonly opts: EvalOptions;
  readonly globals: string[] = [];
  baseEnv!: ArrEnv;
  builtins!: NixAttrs;
  private readonly fileCache = new Map<string, Value>();
  private readonly parseCache = new Map<string, Expr>();
  callDepth = 0;
  /**
   * Embedded Nix sources (corepkgs such as `<nix/fetchurl.nix>`, our `lib`), by virtual path.
   * A source may be given as a function that yields it on first read: the CLI keeps the
   * embedded NixOS and lib sources out of its start-up bundle (scripts/bundle.mjs), and
   * most commands never read them.
   */
  readonly virtualFiles = new Map<string, string | (() => string)>();
  /** Virtual files whose value is built natively instead of parsed (the embedded lib's `native.nix`). */
  readonly nativeFiles = new Map<string, () => Value>();

  /** Without one given, a store that computes paths but writes nothing. */
  readonly store: StoreBackend;

  /** Files, environment and clock; reads include what this evaluation added to the store. */
  readonly host: Host;

  constructor(
    host: Host,
    opts: Partial<EvalOptions> = {},
    store?: StoreBackend,
  ) {
    this.opts = { ...defaultOptions, ...opts };
    this.store = store ?? createStoreBackend(host, { storeDir: this.opts.storeDir });
    this.host = this.store.files;
    this.compiler = new Compiler(this);
    setPrintPosTable(this.table);
    const { names, values, builtins } = createBuiltins(this);
    for (const n of names) {
      this.symbols.intern(n);
      if (n.startsWith('__')) this.symbols.intern(n.slice(2));
    }
    this.globals.push(...names);
    this.builtins = builtins;
    this.baseEnv = [null, ...values];
    // `<nixpkgs/lib>` without a nixpkgs on the search path (src/modules/embedded.ts).
    installEmbeddedLib(this);
    // `<nixpkgs/nixos>` and `import <nixpkgs> {}` likewise (src/nixos/embedded.ts).
    installEmbeddedNixpkgs(this);
  }

  // ---------------------------------------------------------------- parsing

  parse(src: Source, baseDir: string): Expr {
    const e = parseAndResolve(this.table, src, this.parseOptions(baseDir), this.globals);
    this.symbols.internExpr(e);
    return e;
  }

  /** The parser's options: `$HOME`, the lint settings, and where warnings go. */
  parseOptions(baseDir: string): ParseOptions {
    const lint = (name: string): LintLevel | undefined => {
      const v = this.opts.settings.get(name);
      return v === 'warn' || v === 'fatal' ? v : undefined;
    };
    const shortPath = lint('lint-short-path-literals') ?? (this.opts.settings.get('warn-short-path-literals') === 'true' ? 'warn' : undefined);
    return {
      baseDir,
      home: this.host.getEnv('HOME'),
      lint: {
        urlLiterals: lint('lint-url-literals'),
        shortPathLiterals: shortPath,
        absolutePathLiterals: lint('lint-absolute-path-literals'),
      },
      warn: (message) => this.host.stderr(`warning: ${message}\n`),
      warnDiag: (e) => this.host.stderr(renderDiagnostic(this.table, e.diag, { showTrace: false, level: 'warning' })),
    };
  }

  /** Parse with an extra lexical scope around the file (for `scopedImport`). */
  parseScoped(src: Source, baseDir: string, names: string[]): Expr {
    const e = parse(this.table, src, this.parseOptions(baseDir));
    this.symbols.internExpr(e);
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
    if (v === undefined) return this.host.readFile(path);
    if (typeof v === 'string') return v;
    const text = v();
    this.virtualFiles.set(path, text);
    return text;
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
    // As CppNix: follow the path itself while it is a symlink, but keep the (possibly
    // symlinked) directories it sits in, so relative paths in the file resolve from
    // where it was imported.
    let p = path;
    for (let follow = 0; follow < 1024; follow++) {
      if (this.host.lstat(p)?.type !== 'symlink') break;
      const target = this.host.readLink(p);
      p = target.startsWith('/') ? canonPath(target) : canonPath(dirOf(p) + '/' + target);
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
    // CppNix's addCallDepth: every call counts, primops included.
    if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
    this.callDepth++;
    try {
      if (f instanceof Lambda) return this.callLambda(f, arg, pos);
      if (f instanceof PrimOp) {
        if (f.arity === 1) return f.fn1 !== undefined ? this.callPrimOp1(f, f.fn1, arg, pos) : this.callPrimOp(f, [arg], pos);
        return new PrimOpApp(f, [arg]);
      }
      if (f instanceof PrimOpApp) {
        const prev = f.args;
        const args = new Array<Lazy>(prev.length + 1);
        for (let i = 0; i < prev.length; i++) args[i] = prev[i]!;
        args[prev.length] = arg;
        if (args.length === f.primop.arity) return this.callPrimOp(f.primop, args, pos);
        return new PrimOpApp(f.primop, args);
      }
      if (f instanceof NixAttrs) {
        const functor = f.get('__functor');
        if (functor !== undefined) {
          try {
            const fpos = f.posOf('__functor');
            const g = this.callFunction(functor instanceof Thunk ? functor.force(fpos) : functor, f, fpos);
            return this.callFunction(g, arg, fpos);
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
    } finally {
      this.callDepth--;
    }
  }

  /** A builtin applied to all its arguments at once (one call, as CppNix's). */
  callPrimOpFull(p: PrimOp, args: Lazy[], pos: PosIdx): Value {
    if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
    this.callDepth++;
    try {
      return this.callPrimOp(p, args, pos);
    } finally {
      this.callDepth--;
    }
  }

  /** Apply to several arguments (used by builtins). */
  call(f: Value, ...args: Lazy[]): Value {
    let v = f;
    for (const a of args) v = this.callFunction(v, a, noPos);
    return v;
  }

  /** `callPrimOp` of a one-argument builtin through its `fn1`: no argument array. */
  private callPrimOp1(p: PrimOp, fn1: PrimOpFn1, arg: Lazy, pos: PosIdx): Value {
    try {
      return fn1(arg, pos);
    } catch (e) {
      const ne = toNixError(e, pos);
      ne.addTrace(pos, `while calling the '${p.name}' builtin`);
      throw ne;
    }
  }

  callPrimOp(p: PrimOp, args: Lazy[], pos: PosIdx): Value {
    try {
      return p.fn(args, pos);
    } catch (e) {
      const ne = toNixError(e, pos);
      // addErrorContext's own frame is redundant (CppNix: `.addTrace = false`).
      if (p.name !== 'addErrorContext') ne.addTrace(pos, `while calling the '${p.name}' builtin`);
      throw ne;
    }
  }

  private callLambda(f: Lambda, arg: Lazy, pos: PosIdx): Value {
    return this.runLambda(f.impl.node, f.impl, f.env, arg, pos);
  }

  /**
   * `f a b`, as `(f a) b`. When `f` is `x: y: …` (its body is itself a lambda), the
   * intermediate function is never observed: its call environment is made directly,
   * without allocating the `y: …` function value in between.
   */
  callFunction2(f: Value, a: Lazy, b: Lazy, pos: PosIdx): Value {
    if (f instanceof Lambda) {
      const impl = f.impl;
      if (!impl.ready) impl.prepare();
      const inner = impl.inner;
      if (inner !== undefined) {
        if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
        this.callDepth++;
        let env: Env;
        try {
          env = this.lambdaEnv(impl.node, impl, f.env, a, pos);
        } finally {
          this.callDepth--;
        }
        if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
        this.callDepth++;
        try {
          return this.runLambda(inner.node, inner.impl, env, b, pos);
        } finally {
          this.callDepth--;
        }
      }
    }
    return this.callFunction(this.callFunction(f, a, pos), b, pos);
  }

  private runLambda(node: ELambda, impl: LambdaImpl, up: Env, arg: Lazy, pos: PosIdx): Value {
    if (!impl.ready) impl.prepare();
    const env = node.formals === undefined ? new Env1(up, arg) : this.lambdaEnv(node, impl, up, arg, pos);
    try {
      return impl.body(env);
    } catch (e) {
      const ne = toNixError(e, pos);
      if (this.opts.showTrace) {
        ne.addTrace(node.pos, `while calling ${node.name !== undefined ? `'${node.name}'` : 'anonymous lambda'}`);
        if (pos !== noPos) ne.addTrace(pos, 'from call site');
      }
      throw ne;
    }
  }

  /** The call environment of a lambda (`impl` prepared), binding the argument and formals. */
  private lambdaEnv(node: ELambda, impl: LambdaImpl, up: Env, arg: Lazy, pos: PosIdx): Env {
    const formals = node.formals;
    // `x: body`: the frame is an Env1, parent and argument (value.ts).
    if (formals === undefined) return new Env1(up, arg);
    const env = newEnv(up, impl.size);
    let attrs: NixAttrs;
    try {
      attrs = forceAttrs(arg, node.pos, 'while evaluating the value passed for the lambda argument');
    } catch (e) {
      if (e instanceof NixError && pos !== noPos) e.addTrace(pos, 'from call site');
      throw e;
    }
    let d = 1;
    if (node.arg !== undefined) env[d++] = arg;
    const fs = formals.formals;
    const defaults = impl.defaults;
    // A function is mostly called with sets of one layout: the formals' slots are
    // looked up once per layout.
    const lay = attrs.layout;
    let slots = impl.argSlots;
    if (impl.argLayout !== lay || slots === undefined) {
      // Filled in place: nothing below runs Nix code (defaults only make thunks).
      slots ??= new Int32Array(fs.length);
      for (let i = 0; i < fs.length; i++) slots[i] = lay.indexOf(fs[i]!.name);
      impl.argLayout = lay;
      impl.argSlots = slots;
    }
    const vals = attrs.vals;
    let used = 0;
    for (let i = 0; i < fs.length; i++) {
      const j = slots[i]!;
      const x = j < 0 ? undefined : vals[j];
      if (x === undefined) {
        const dc = defaults[i];
        if (dc === undefined) {
          throw new NixError(
            'missing-argument',
            `function '${node.name ?? 'anonymous lambda'}' called without required argument '${fs[i]!.name}'`,
            node.pos,
          ).addTrace(pos, 'from call site');
        }
        env[d++] = dc(env);
      } else {
        used++;
        env[d++] = x;
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
    return env;
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
    // The context of the only part that has one is shared, not copied (`"${drv}/bin"`).
    let shared: ReadonlySet<string> | undefined;
    let ctx: Set<string> | undefined;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i]!;
      if (typeof v === 'string') {
        s += v;
        continue;
      }
      let c: ReadonlySet<string> | undefined;
      if (v instanceof NixString) {
        s += v.s;
        c = v.ctx;
      } else {
        const r = this.coerceToString(v, parts[i]!.pos, 'while evaluating a path segment', {
          coerceMore: false,
          copyToStore: !isPath,
        });
        s += r.s;
        c = r.ctx;
      }
      if (c !== undefined && c.size > 0) {
        if (ctx !== undefined) for (const e of c) ctx.add(e);
        else if (shared === undefined) shared = c;
        else if (shared !== c) {
          ctx = new Set(shared);
          for (const e of c) ctx.add(e);
        }
      }
    }
    const all = ctx ?? shared;
    if (isPath) {
      if (all !== undefined) throw new NixError('eval', 'a string that refers to a store path cannot be appended to a path', pos);
      return new NixPath(canonPath(s));
    }
    return all !== undefined ? new NixString(s, all) : s;
  }

  /**
   * CppNix's peelToStringOutPath: replace a set by the result of its `__toString`, or
   * by its `outPath`, repeatedly, adding the frames CppNix adds; `k` gets the peeled
   * value (and whether a `__toString` was called on the way). With `check`, a
   * `__toString` result must end in a string or path (toJSON's rule).
   */
  peel<R>(pos: PosIdx, x: Lazy, check: boolean, k: (v: Value, viaToString: boolean) => R): R {
    let via = false;
    const go = (pos: PosIdx, x: Lazy): R => {
      const v = x instanceof Thunk ? x.force(pos) : x;
      if (!(v instanceof NixAttrs)) {
        if (check && via && !(typeof v === 'string' || v instanceof NixString || v instanceof NixPath)) {
          throw new NixError('type', `\`__toString\` should return a string, but got ${showType(v)}: ${printForError(v)}`, pos);
        }
        return k(v, via);
      }
      const ts = v.get('__toString');
      if (ts !== undefined) {
        const ipos = v.posOf('__toString');
        let r: Value;
        try {
          r = this.callFunction(ts instanceof Thunk ? ts.force(ipos) : ts, v, ipos);
        } catch (e) {
          if (e instanceof NixError) e.addTrace(ipos, 'while calling the `__toString` attribute');
          throw e;
        }
        via = true;
        try {
          if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
          this.callDepth++;
          try {
            return go(ipos, r);
          } finally {
            this.callDepth--;
          }
        } catch (e) {
          if (e instanceof NixError) e.addTrace(ipos, 'while using the result of the `__toString` attribute');
          throw e;
        }
      }
      const out = v.get('outPath');
      if (out !== undefined) {
        const ipos = v.posOf('outPath');
        try {
          const ov = out instanceof Thunk ? out.force(ipos) : out;
          if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
          this.callDepth++;
          try {
            return go(ipos, ov);
          } finally {
            this.callDepth--;
          }
        } catch (e) {
          if (e instanceof NixError) {
            const whnf = !(out instanceof Thunk) || out.evaluated;
            e.addTrace(ipos, `while ${whnf ? 'using' : 'evaluating'} the \`outPath\` attribute`);
          }
          throw e;
        }
      }
      if (check && via) {
        throw new NixError('type', `\`__toString\` must return a string, but got ${showType(v)}: ${printForError(v)}`, pos);
      }
      return k(v, via);
    };
    return go(pos, x);
  }

  /** CppNix's coerceToString. Returns the bytes and any context. */
  coerceToString(
    x: Lazy,
    pos: PosIdx,
    ctx: string,
    o: CoerceOptions,
  ): { s: string; ctx: ReadonlySet<string> | undefined } {
    const v = x instanceof Thunk ? x.force(pos) : x;
    if (typeof v === 'string') return { s: v, ctx: undefined };
    if (v instanceof NixString) return { s: v.s, ctx: v.ctx };
    if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
    this.callDepth++;
    try {
      return this.coerceSlow(v, pos, ctx, o);
    } finally {
      this.callDepth--;
    }
  }

  private coerceSlow(v: Value, pos: PosIdx, ctx: string, o: CoerceOptions): { s: string; ctx: ReadonlySet<string> | undefined } {
    if (v instanceof NixPath) {
      if (o.copyToStore) {
        const p = this.copyPathToStore(v.path, pos);
        return { s: p, ctx: new Set([p]) };
      }
      return { s: v.path, ctx: undefined };
    }
    if (v instanceof NixAttrs) {
      return this.peel(pos, v, false, (peeled) => {
        if (peeled instanceof NixAttrs) {
          throw new NixError('type', `cannot coerce ${showType(peeled)} to a string: ${printForError(peeled)}`).addTrace(pos, ctx);
        }
        return this.coerceToString(peeled, pos, ctx, o);
      });
    }
    if (o.coerceMore) {
      if (v === null || v === false) return { s: '', ctx: undefined };
      if (v === true) return { s: '1', ctx: undefined };
      if (typeof v === 'number' || typeof v === 'bigint') return { s: I64.intToString(v), ctx: undefined };
      if (v instanceof NixFloat) return { s: formatFloatF(v.v), ctx: undefined };
      if (Array.isArray(v)) {
        let s = '';
        let c: Set<string> | undefined;
        for (let i = 0; i < v.length; i++) {
          let r;
          try {
            r = this.coerceToString(v[i]!, pos, 'while evaluating one element of the list', o);
          } catch (e) {
            if (e instanceof NixError) e.addTrace(pos, ctx);
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

  /** CppNix's coerceToPath: a path value, or a string that is an absolute path. */
  coerceToPath(x: Lazy, pos: PosIdx, ctx: string): { path: string; ctx: ReadonlySet<string> | undefined } {
    return this.peel(pos, x, false, (v) => {
      if (v instanceof NixPath) return { path: v.path, ctx: undefined };
      const r = this.coerceToString(v, pos, ctx, { coerceMore: false, copyToStore: false });
      if (r.s === '' || r.s[0] !== '/') {
        throw new NixError('eval', `string '${r.s}' doesn't represent an absolute path`).addTrace(pos, ctx);
      }
      return { path: canonPath(r.s), ctx: r.ctx };
    });
  }

  /** Coerce for builtins that accept strings, paths and `outPath` sets (toString-like). */
  coerceString(x: Lazy, pos: PosIdx, ctx: string, coerceMore = false, copyToStore = true): string | NixString {
    // `toString` of a string or an int: no result record, no options object.
    const v = x instanceof Thunk ? x.force(pos) : x;
    if (typeof v === 'string') return v;
    if (v instanceof NixString) return v.ctx.size > 0 ? v : v.s;
    // I64.decimal, not String(): see there.
    if (coerceMore && typeof v === 'number' && this.callDepth <= this.opts.maxCallDepth) return I64.decimal(v);
    const r = this.coerceToString(v, pos, ctx, { coerceMore, copyToStore });
    return r.ctx && r.ctx.size > 0 ? new NixString(r.s, r.ctx) : r.s;
  }

  copyPathToStore(path: string, pos: PosIdx): string {
    return this.store.copyPathToStore(this, path, pos);
  }

  isDerivation(v: NixAttrs): boolean {
    return isDerivation(v);
  }

  /** For `assert a == b`: CppNix's assertEqValues explains which part differs. */
  assertEqValues(a: Lazy, b: Lazy, pos: PosIdx, ctx: string, top = false): void {
    // The operands of the assertion itself are fresh values, never "the same".
    if (!top && a === b && typeof a === 'object' && a !== null) return;
    if (this.callDepth > this.opts.maxCallDepth) throw stackOverflow(pos);
    this.callDepth++;
    try {
      this.assertEq(a instanceof Thunk ? a.force(pos) : a, b instanceof Thunk ? b.force(pos) : b, pos, ctx);
    } finally {
      this.callDepth--;
    }
  }

  private assertEq(v1: Value, v2: Value, pos: PosIdx, ctx: string): void {
    const fail = (msg: string) => new NixError('assert', msg);
    const p = (v: Value) => printForError(v);
    const isNum = (v: Value) => typeof v === 'number' || typeof v === 'bigint' || v instanceof NixFloat;
    if (isNum(v1) && isNum(v2)) {
      if (eqValues(v1, v2, pos, ctx)) return;
      throw fail(`${showType(v1)} with value '${p(v1)}' is not equal to ${showType(v2)} with value '${p(v2)}'`);
    }
    const t1 = typeOf(v1);
    if (t1 !== typeOf(v2)) {
      throw fail(`${showType(v1)} of value '${p(v1)}' is not equal to ${showType(v2)} of value '${p(v2)}'`);
    }
    switch (t1) {
      case 'bool':
        if (v1 !== v2) throw fail(`boolean '${p(v1)}' is not equal to boolean '${p(v2)}'`);
        return;
      case 'string':
        if ((typeof v1 === 'string' ? v1 : (v1 as NixString).s) !== (typeof v2 === 'string' ? v2 : (v2 as NixString).s))
          throw fail(`string '${p(v1)}' is not equal to string '${p(v2)}'`);
        return;
      case 'path':
        if ((v1 as NixPath).path !== (v2 as NixPath).path) throw fail(`path '${p(v1)}' is not equal to path '${p(v2)}'`);
        return;
      case 'null':
        return;
      case 'list': {
        const l1 = v1 as Lazy[];
        const l2 = v2 as Lazy[];
        if (l1.length !== l2.length) {
          throw fail(
            `list of size '${l1.length}' is not equal to list of size '${l2.length}', left hand side is '${p(v1)}', right hand side is '${p(v2)}'`,
          );
        }
        for (let n = 0; n < l1.length; n++) {
          try {
            this.assertEqValues(l1[n]!, l2[n]!, pos, ctx);
          } catch (e) {
            if (e instanceof NixError) e.addTrace(pos, `while comparing list element ${n}`);
            throw e;
          }
        }
        return;
      }
      case 'set': {
        const a1 = v1 as NixAttrs;
        const a2 = v2 as NixAttrs;
        if (isDerivation(a1) && isDerivation(a2)) {
          const i = a1.get('outPath');
          const j = a2.get('outPath');
          if (i !== undefined && j !== undefined) {
            try {
              this.assertEqValues(i, j, pos, ctx);
              return;
            } catch (e) {
              if (e instanceof NixError) e.addTrace(pos, "while comparing a derivation by its 'outPath' attribute");
              throw e;
            }
          }
        }
        if (a1.size !== a2.size) {
          throw fail(`attribute names of attribute set '${p(v1)}' differs from attribute set '${p(v2)}'`);
        }
        const k1 = this.symbols.keysOf(a1);
        const k2 = this.symbols.keysOf(a2);
        for (let n = 0; n < k1.length; n++) {
          const name = k1[n]!;
          if (name !== k2[n]) {
            if (!a2.has(name)) throw fail(`attribute name '${name}' is contained in '${p(v1)}', but not in '${p(v2)}'`);
            throw fail(`attribute name '${k2[n]}' is missing in '${p(v1)}', but is contained in '${p(v2)}'`);
          }
          try {
            this.assertEqValues(a1.get(name)!, a2.get(name)!, pos, ctx);
          } catch (e) {
            if (e instanceof NixError) {
              const jp = a2.posOf(name);
              const ip = a1.posOf(name);
              if (jp !== noPos) e.addTrace(jp, 'where right hand side is');
              if (ip !== noPos) e.addTrace(ip, 'where left hand side is');
              e.addTrace(pos, `while comparing attribute '${name}'`);
            }
            throw e;
          }
        }
        return;
      }
      case 'lambda':
        throw fail('distinct functions and immediate comparisons of identical functions compare as unequal');
    }
  }

  /** `builtins.warn`: CppNix's logWarning with `isFromExpr` (continuation lines are
   * indented under the prefix, unless the message starts with a newline). */
  warn(message: string): void {
    const prefix = 'evaluation warning: ';
    const text = message.replace(/\s+$/, '');
    if (message.startsWith('\n')) {
      this.host.stderr(prefix.slice(0, -1) + text + '\n');
      return;
    }
    const pad = ' '.repeat(prefix.length);
    const lines = text.split('\n').map((l, i) => ((i === 0 ? prefix : pad) + l).replace(/\s+$/, ''));
    this.host.stderr(lines.join('\n') + '\n');
  }

  typeError(expected: string, v: Value, pos: PosIdx, ctx?: string): NixError {
    return typeError(expected, v, pos, ctx);
  }
}

function suggestFormals(names: string[], k: string): string | undefined {
  return suggestions(names, k);
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

export function stackOverflow(pos: PosIdx): NixError {
  return new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded', pos);
}

/** Any thrown thing as a NixError; JS stack exhaustion becomes CppNix's stack overflow. */
export function toNixError(e: unknown, pos: PosIdx = noPos): NixError {
  if (e instanceof NixError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    hostStackExhausted();
    return new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded', pos);
  }
  if (e === HOST_STACK_EXHAUSTED) throw e;
  const msg = e instanceof Error ? e.message : String(e);
  return new NixError('eval', msg, pos, 'eval/internal');
}

export { I64 };
