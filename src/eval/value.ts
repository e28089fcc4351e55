/**
 * Runtime values.
 *
 * The representation is chosen so that the common cases cost nothing:
 *   - null, booleans: JS `null`, `true`, `false`;
 *   - integers: a JS `number` while it is a safe integer (|n| < 2^53), otherwise a
 *     `bigint` — always normalised, so `typeof v === 'number'` means "small int" and
 *     int64 semantics (with CppNix's overflow errors) are kept by int.ts;
 *   - floats: boxed in `NixFloat`, because plain numbers are the ints;
 *   - strings: a JS byte string when the string has no context (nearly always),
 *     `NixString` (bytes + context set) when it has one;
 *   - paths: `NixPath`;
 *   - lists: plain JS arrays of `Lazy` elements;
 *   - attribute sets: `NixAttrs` (a Map; observable order is byte order of the names,
 *     which for byte strings is plain JS `<`);
 *   - functions: `Lambda`, `PrimOp`, `PrimOpApp`.
 *
 * A `Lazy` is either a value or a `Thunk`. Thunks have four explicit states —
 * suspended, blackholed (being forced), done, failed — and a failed thunk re-throws its
 * error without re-evaluating (CppNix ≥ 2.34). Object identity of `Lazy`s is preserved
 * where CppNix shares `Value*`s, which is what makes `[ f ] == [ f ]` true and what the
 * `«repeated»` printer keys on.
 */

import type { ELambda } from '../lang/ast.js';
import { noPos, type PosIdx } from '../lang/source.js';
import { NixError } from '../diag/diagnostic.js';

export class NixFloat {
  constructor(readonly v: number) {}
}

/** Context elements, encoded as CppNix prints them: `/nix/store/…` (opaque),
 * `=/nix/store/…drv` (all outputs, deep), `!out!/nix/store/…drv` (one output). */
export type Context = ReadonlySet<string>;

export class NixString {
  constructor(
    readonly s: string,
    readonly ctx: Context,
  ) {}
}

export class NixPath {
  constructor(readonly path: string) {}
}

export type NixList = Lazy[];

/** Where the attributes of a set were written, for `unsafeGetAttrPos` and provenance. */
export interface AttrPosSource {
  get(name: string): { pos: PosIdx } | undefined;
}

export class NixAttrs {
  private sorted: string[] | undefined;
  /** Where the set was written (CppNix's `Bindings::pos`), for `determinePos`. */
  pos: PosIdx = noPos;
  constructor(
    readonly map: Map<string, Lazy>,
    /** Positions of the attributes (shared with the AST node that built the set). */
    public positions?: AttrPosSource,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(name: string): Lazy | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** Names in byte-lexicographic order (cached; sets are immutable once built). */
  keys(): string[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.map.keys()].sort(compareBytes);
    }
    return this.sorted;
  }

  posOf(name: string): PosIdx {
    return this.positions?.get(name)?.pos ?? noPos;
  }

  static readonly empty = new NixAttrs(new Map());
}

/** Byte-string order: with one byte per code unit, JS comparison is byte order. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Env {
  constructor(
    readonly up: Env | null,
    readonly s: Lazy[],
  ) {}
}

/** The environment of a `with`: slot 0 holds the attrset (lazily). */
export class WithEnv extends Env {
  constructor(
    up: Env | null,
    s: Lazy[],
    /** Levels from this env to the next enclosing `with`, or -1. */
    readonly prevWith: number,
  ) {
    super(up, s);
  }
}

/** A compiled expression: evaluates in an environment to a value in weak head normal form. */
export type Code = (env: Env) => Value;

export class Lambda {
  constructor(
    readonly node: ELambda,
    readonly env: Env,
    /** The compiled body and argument binder, attached by the compiler. */
    readonly impl: LambdaImpl,
  ) {}
  get name(): string | undefined {
    return this.node.name;
  }
}

export interface LambdaImpl {
  readonly body: Code;
  /** Number of slots of the call environment. */
  readonly size: number;
  /** Default-value producers of the formals (in formal order). */
  readonly defaults: (((env: Env) => Lazy) | undefined)[];
}

export type PrimOpFn = (args: Lazy[], pos: PosIdx) => Value;

export class PrimOp {
  constructor(
    readonly name: string,
    readonly arity: number,
    readonly fn: PrimOpFn,
  ) {}
}

export class PrimOpApp {
  constructor(
    readonly primop: PrimOp,
    readonly args: Lazy[],
  ) {}
}

export type Value =
  | null
  | boolean
  | number
  | bigint
  | NixFloat
  | string
  | NixString
  | NixPath
  | NixList
  | NixAttrs
  | Lambda
  | PrimOp
  | PrimOpApp;

const enum ThunkState {
  Suspended,
  Blackholed,
  Done,
  Failed,
}

/**
 * A suspended computation. Forcing a blackholed thunk reports `infinite recursion
 * encountered` at the position the forcer gives (CppNix's tryFixupBlackHolePos); the
 * force that blackholed it marks, while the error unwinds through it, where the cycle
 * is entered. A failed thunk rethrows a copy of its error (CppNix ≥ 2.34).
 */
export class Thunk {
  private st: ThunkState = ThunkState.Suspended;
  private v: Value | undefined;
  private err: unknown;
  constructor(
    private code: Code | null,
    protected env: Env | null,
    /** Position of the suspended expression. */
    readonly pos: PosIdx = noPos,
  ) {}

  static of(fn: () => Value, pos: PosIdx = noPos): Thunk {
    return new Thunk(fn as unknown as Code, null, pos);
  }

  force(pos: PosIdx = noPos): Value {
    switch (this.st) {
      case ThunkState.Done:
        return this.v as Value;
      case ThunkState.Blackholed: {
        const e = new NixError('infinite-recursion', 'infinite recursion encountered', pos);
        e.blackhole = this;
        throw e;
      }
      case ThunkState.Failed:
        throw this.err instanceof NixError ? this.err.clone() : this.err;
    }
    const code = this.code!;
    const env = this.env;
    this.st = ThunkState.Blackholed;
    try {
      // The forcing position goes along for applications (AppThunk); plain code ignores it.
      const v = (code as (env: Env, pos: PosIdx) => Value)(env as Env, pos);
      this.v = v;
      this.st = ThunkState.Done;
      this.code = null;
      this.env = null;
      return v;
    } catch (e) {
      if (e instanceof NixError && e.kind !== 'stack-overflow') {
        if (e.blackhole === this) e.addTrace(noPos, 'entering the infinite recursion', true);
        this.st = ThunkState.Failed;
        this.err = e;
        this.code = null;
        this.env = null;
      } else {
        // Host-level failures (stack exhaustion) are not memoised: the same thunk may
        // succeed when forced from a shallower stack.
        this.st = ThunkState.Suspended;
      }
      throw e;
    }
  }

  get evaluated(): boolean {
    return this.st === ThunkState.Done;
  }

  /** The value if already computed, else undefined (never forces). */
  peek(): Value | undefined {
    return this.st === ThunkState.Done ? this.v : undefined;
  }
}

export type Lazy = Value | Thunk;

/** What an application needs from the evaluator. */
export interface Caller {
  callFunction(f: Value, arg: Lazy, pos: PosIdx): Value;
}

/**
 * CppNix's `tApp`: a function applied to one or two arguments, built by builtins such
 * as `map` and `genList`. It is applied at the position it is forced at, and its
 * function is kept for `determinePos`.
 */
export class AppThunk extends Thunk {
  constructor(
    private readonly caller: Caller,
    public fn: Lazy,
    private a1: Lazy,
    private a2: Lazy | undefined = undefined,
  ) {
    super(applyCode as unknown as Code, null, noPos);
    this.env = this as unknown as Env;
  }

  apply(pos: PosIdx): Value {
    const f = this.fn;
    const a2 = this.a2;
    const g = this.caller.callFunction(f instanceof Thunk ? f.force(pos) : f, this.a1, pos);
    const v = a2 === undefined ? g : this.caller.callFunction(g, a2, pos);
    // Forced: let go of the function and arguments (determinePos now uses the value).
    this.a1 = null;
    this.a2 = undefined;
    return v;
  }
}

function applyCode(self: AppThunk, pos: PosIdx): Value {
  return self.apply(pos);
}

/** A `tApp` of `f` to one or two arguments (CppNix's `mkApp`). */
export function mkApp(caller: Caller, f: Lazy, a1: Lazy, a2?: Lazy): AppThunk {
  return new AppThunk(caller, f, a1, a2);
}

/** CppNix's `Value::determinePos`: where a set or lambda (or an application of one) was written. */
export function determinePos(x: Lazy, dflt: PosIdx = noPos): PosIdx {
  for (;;) {
    if (x instanceof Thunk) {
      const v = x.peek();
      if (v !== undefined) x = v;
      else if (x instanceof AppThunk) x = x.fn;
      else return dflt;
    } else if (x instanceof NixAttrs) return x.pos === noPos ? dflt : x.pos;
    else if (x instanceof Lambda) return x.node.pos;
    else return dflt;
  }
}

export function force(x: Lazy): Value {
  return x instanceof Thunk ? x.force() : x;
}

export function isString(v: Value): v is string | NixString {
  return typeof v === 'string' || v instanceof NixString;
}

export function isInt(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function isFunction(v: Value): v is Lambda | PrimOp | PrimOpApp {
  return v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp;
}

export function isAttrs(v: Value): v is NixAttrs {
  return v instanceof NixAttrs;
}

export function isList(v: Value): v is NixList {
  return Array.isArray(v);
}

/** `builtins.typeOf` names. */
export function typeOf(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
  }
  if (v instanceof NixString) return 'string';
  if (v instanceof NixFloat) return 'float';
  if (v instanceof NixPath) return 'path';
  if (Array.isArray(v)) return 'list';
  if (v instanceof NixAttrs) return 'set';
  return 'lambda';
}

/** How CppNix names a value's type in error messages (`showType`). */
export function showType(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'a Boolean';
    case 'number':
    case 'bigint':
      return 'an integer';
    case 'string':
      return 'a string';
  }
  if (v instanceof NixString) return 'a string';
  if (v instanceof NixFloat) return 'a float';
  if (v instanceof NixPath) return 'a path';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof NixAttrs) return 'a set';
  if (v instanceof Lambda) return 'a function';
  if (v instanceof PrimOp) return 'a built-in function';
  return 'a partially applied built-in function';
}

export function strValue(v: string | NixString): string {
  return typeof v === 'string' ? v : v.s;
}

export function strContext(v: string | NixString): Context | undefined {
  return typeof v === 'string' ? undefined : v.ctx;
}

const emptyCtx: Context = new Set();

/** Make a string value, dropping an empty context. */
export function mkString(s: string, ctx?: Context | null): string | NixString {
  return ctx && ctx.size > 0 ? new NixString(s, ctx) : s;
}

export { emptyCtx };

export function mkAttrs(entries: Iterable<[string, Lazy]>): NixAttrs {
  return new NixAttrs(new Map(entries));
}
