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

/**
 * From this many names on, a layout's name → slot index is a hash table of slots in an
 * Int32Array rather than a Map: built in a fifth of the time (a Map of 100 000 names
 * rehashes its way up through every power of two, a few MB of heap, copied by the
 * scavenger while it is young), off the GC heap, and no slower to look up.
 */
const HASH_INDEX_MIN = 512;

/** FNV-1a over the bytes of a name (byte strings: one char per byte). */
function hashName(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Slots of `keys` (distinct names) by hash, linear probing; -1 marks an empty entry. */
function buildHashIndex(keys: readonly string[]): Int32Array {
  const n = keys.length;
  let cap = 1;
  while (cap < 2 * n) cap <<= 1;
  const t = new Int32Array(cap).fill(-1);
  const mask = cap - 1;
  for (let i = 0; i < n; i++) {
    let h = hashName(keys[i]!) & mask;
    while (t[h] !== -1) h = (h + 1) & mask;
    t[h] = i;
  }
  return t;
}

function hashLookup(t: Int32Array, keys: readonly string[], name: string): number {
  const mask = t.length - 1;
  let h = hashName(name) & mask;
  for (;;) {
    const i = t[h]!;
    if (i === -1 || keys[i] === name) return i;
    h = (h + 1) & mask;
  }
}

/**
 * The sorted name list of a set, shared by every set with the same names: all the sets
 * a given literal builds, and the results of `mapAttrs` over one set. A set is then
 * just its layout plus an array of values (as CppNix's Bindings are an array sorted by
 * name), so building, `mapAttrs` and `//` allocate one array instead of a hash map.
 * Large layouts get a name → slot index once they are looked up often enough to pay
 * for it.
 */
export class AttrLayout {
  private index: Map<string, number> | undefined = undefined;
  /** For large layouts, the index as an open-addressing table instead (see buildHashIndex). */
  private hashIndex: Int32Array | undefined = undefined;
  private lookups = 0;
  /** The slots in CppNix's symbol order, for one symbol table (see symbols.ts). */
  symCache: { owner: object; slots: number[] } | undefined = undefined;
  /** The last few `//` plans with this layout on the left (see compile.ts's mergeAttrs). */
  mergeCache: MergePlan[] | undefined = undefined;
  /** The last `removeAttrs` from sets of this layout: which slots went, and the result's layout. */
  removeCache: { readonly gone: Uint8Array; readonly out: AttrLayout } | undefined = undefined;
  /** The right-hand layout of the last `//` without a plan. */
  lastRight: AttrLayout | undefined = undefined;
  constructor(
    /** Names in byte order, without duplicates. */
    readonly keys: string[],
  ) {}

  indexOf(name: string): number {
    const ks = this.keys;
    const n = ks.length;
    if (n <= 8) {
      for (let i = 0; i < n; i++) if (ks[i] === name) return i;
      return -1;
    }
    const ix = this.index;
    if (ix !== undefined) {
      const r = ix.get(name);
      return r === undefined ? -1 : r;
    }
    const hx = this.hashIndex;
    if (hx !== undefined) return hashLookup(hx, ks, name);
    if (++this.lookups > 16) {
      if (n >= HASH_INDEX_MIN) {
        const t = buildHashIndex(ks);
        this.hashIndex = t;
        return hashLookup(t, ks, name);
      }
      const m = new Map<string, number>();
      for (let i = 0; i < n; i++) m.set(ks[i]!, i);
      this.index = m;
      const r = m.get(name);
      return r === undefined ? -1 : r;
    }
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = ks[mid]!;
      if (k === name) return mid;
      if (k < name) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  static readonly empty = new AttrLayout([]);

  /** The layout of an arbitrary (unsorted, duplicate-free) name list, with the permutation. */
  static sortedOf(names: string[]): { layout: AttrLayout; order: number[] } {
    if (names.length <= 8) {
      const order = names.map((_, i) => i).sort((i, j) => compareBytes(names[i]!, names[j]!));
      return { layout: new AttrLayout(order.map((i) => names[i]!)), order };
    }
    // The default sort (UTF-16 units, i.e. bytes here) runs without calling back into JS.
    const slot = new Map<string, number>();
    for (let i = 0; i < names.length; i++) slot.set(names[i]!, i);
    const keys = names.slice().sort();
    return { layout: new AttrLayout(keys), order: keys.map((k) => slot.get(k)!) };
  }
}

/**
 * `a // b` for one pair of layouts: the result's layout and, per result slot, where
 * the value comes from (`i` from `a`, `~i` from `b`). With the positions of the last
 * operands, whose merged positions are then shared too.
 */
export interface MergePlan {
  readonly right: AttrLayout;
  readonly out: AttrLayout;
  readonly plan: Int32Array;
  pa: PosArray | undefined;
  pb: PosArray | undefined;
  meta: AttrMeta | undefined;
}

/**
 * Positions by slot: an array, or for large results of `//` an Int32Array, whose
 * contents live outside the JS heap (the garbage collector neither scans nor copies
 * them; a chain of updates keeps thousands of such arrays alive).
 */
export type PosArray = ArrayLike<PosIdx>;

/**
 * How a set's attributes were written: a position per slot (or, for sets built from a
 * Map outside the evaluator, by name) and the set's own position. One instance is
 * shared by every set a literal builds, which keeps sets at three fields.
 *
 * For a layered set (see NixAttrs) it also says what lies below the top layer: the set
 * `base`, the number of names in the whole chain, and the chain's length.
 */
export class AttrMeta {
  constructor(
    readonly posArr: PosArray | undefined,
    readonly posSrc: AttrPosSource | undefined,
    /** Where the set was written (CppNix's `Bindings::pos`), for `determinePos`. */
    readonly pos: PosIdx,
    readonly base: NixAttrs | undefined = undefined,
    readonly size: number = 0,
    readonly depth: number = 1,
  ) {}
  static readonly none = new AttrMeta(undefined, undefined, noPos);
}

/** CppNix's `Bindings::maxLayers`: past this, `//` flattens its left operand. */
export const MAX_LAYERS = 8;

/** `attrs.map` for the code that wants a Map: a read-only view, built in O(1). */
class AttrsMapView implements ReadonlyMap<string, Lazy> {
  constructor(private readonly a: NixAttrs) {}
  get size(): number {
    return this.a.vals.length;
  }
  get(k: string): Lazy | undefined {
    return this.a.get(k);
  }
  has(k: string): boolean {
    return this.a.has(k);
  }
  *entries(): IterableIterator<[string, Lazy]> {
    const ks = this.a.layout.keys;
    const vs = this.a.vals;
    for (let i = 0; i < ks.length; i++) yield [ks[i]!, vs[i]!];
  }
  keys(): IterableIterator<string> {
    return this.a.layout.keys[Symbol.iterator]();
  }
  values(): IterableIterator<Lazy> {
    return this.a.vals[Symbol.iterator]();
  }
  forEach(cb: (v: Lazy, k: string, m: ReadonlyMap<string, Lazy>) => void, thisArg?: unknown): void {
    const ks = this.a.layout.keys;
    const vs = this.a.vals;
    for (let i = 0; i < ks.length; i++) cb.call(thisArg, vs[i]!, ks[i]!, this);
  }
  [Symbol.iterator](): IterableIterator<[string, Lazy]> {
    return this.entries();
  }
}

/**
 * Layouts of sets built from Maps, by their names in insertion order: code outside the
 * evaluator builds many sets with the same names, which then share a layout (and skip
 * the sort). Checked name by name on a hit, so the joined key needs no escaping.
 */
const mapLayouts = new Map<string, { names: string[]; layout: AttrLayout; order: number[] }>();

function layoutOfNames(names: string[]): { layout: AttrLayout; order: number[] } {
  if (names.length > 16) return AttrLayout.sortedOf(names);
  const key = names.join('\u0001');
  const hit = mapLayouts.get(key);
  if (hit !== undefined && hit.names.length === names.length) {
    let same = true;
    for (let i = 0; i < names.length; i++) if (hit.names[i] !== names[i]) same = false;
    if (same) return hit;
  }
  const r = AttrLayout.sortedOf(names);
  if (mapLayouts.size > 50000) mapLayouts.clear();
  mapLayouts.set(key, { names, layout: r.layout, order: r.order });
  return r;
}

/**
 * An attribute set: a layout (its sorted names) and their values, slot by slot.
 *
 * `a // b` with a small `b` does not copy `a`: the result is `b`'s layout and values
 * as a layer on top of `a` (CppNix 2.36's layered Bindings). An overlay chain adds a
 * name or two to a set of thousands at every step, and copying made it quadratic in
 * time and in memory, every copy alive (each `super`) for V8's scavenger to move.
 * A chain is at most MAX_LAYERS long; a lookup goes down it, top first.
 *
 * The fields are the top layer — the whole set when there is one layer, as for nearly
 * every set. Code that wants the set as one sorted array (iteration, merging, slot
 * positions) reads `layout`, `vals` and `meta`, which flatten a layered set first, in
 * place and once (the set is immutable to Nix, so nothing observes it). The hot paths
 * (`get`, selection) read the top fields and go down only when the name is not there,
 * so a one-layer set pays nothing for any of this.
 */
export class NixAttrs {
  topLayout: AttrLayout;
  topVals: Lazy[];
  topMeta: AttrMeta;

  constructor(map: Map<string, Lazy> | null, positions?: AttrPosSource, layout?: AttrLayout, vals?: Lazy[], meta?: AttrMeta) {
    if (map !== null) {
      const names = [...map.keys()];
      if (names.length === 0) {
        this.topLayout = AttrLayout.empty;
        this.topVals = [];
      } else {
        const { layout: l, order } = layoutOfNames(names);
        const vs = new Array<Lazy>(names.length);
        for (let i = 0; i < order.length; i++) vs[i] = map.get(names[order[i]!]!)!;
        this.topLayout = l;
        this.topVals = vs;
      }
      this.topMeta = positions === undefined ? AttrMeta.none : new AttrMeta(undefined, positions, noPos);
    } else {
      this.topLayout = layout!;
      this.topVals = vals!;
      this.topMeta = meta!;
    }
  }

  /** A set from a layout and its values (no copying). */
  static of(layout: AttrLayout, vals: Lazy[], posArr?: PosArray): NixAttrs {
    return new NixAttrs(null, undefined, layout, vals, posArr === undefined ? AttrMeta.none : new AttrMeta(posArr, undefined, noPos));
  }

  static withMeta(layout: AttrLayout, vals: Lazy[], meta: AttrMeta): NixAttrs {
    return new NixAttrs(null, undefined, layout, vals, meta);
  }

  /** `a // b` as `b` on top of `a` (`b` of one layer; `a` less than MAX_LAYERS deep). */
  static layered(a: NixAttrs, b: NixAttrs): NixAttrs {
    const kb = b.topLayout.keys;
    let size = a.size;
    for (let j = 0; j < kb.length; j++) if (!a.has(kb[j]!)) size++;
    const bm = b.topMeta;
    // Shares `b`'s arrays: a forced value stored back into one is the same value in both.
    return new NixAttrs(null, undefined, b.topLayout, b.topVals, new AttrMeta(bm.posArr, bm.posSrc, noPos, a, size, a.depth + 1));
  }

  /** The names in byte order (the set flattened first if layered). */
  get layout(): AttrLayout {
    if (this.topMeta.base !== undefined) this.flatten();
    return this.topLayout;
  }

  /** The values, slot by slot as `layout` (the set flattened first if layered). */
  get vals(): Lazy[] {
    if (this.topMeta.base !== undefined) this.flatten();
    return this.topVals;
  }

  get meta(): AttrMeta {
    if (this.topMeta.base !== undefined) this.flatten();
    return this.topMeta;
  }

  /** The number of layers (1 for a plain set). */
  get depth(): number {
    const m = this.topMeta;
    return m.base === undefined ? 1 : m.depth;
  }

  /** Where the set was written (CppNix's `Bindings::pos`), for `determinePos`. */
  get pos(): PosIdx {
    return this.topMeta.pos;
  }

  set pos(p: PosIdx) {
    const m = this.meta;
    if (m.pos !== p) this.topMeta = new AttrMeta(m.posArr, m.posSrc, p);
  }

  get size(): number {
    const m = this.topMeta;
    return m.base === undefined ? this.topVals.length : m.size;
  }

  get(name: string): Lazy | undefined {
    let s: NixAttrs = this;
    for (;;) {
      const i = s.topLayout.indexOf(name);
      if (i >= 0) return s.topVals[i];
      const b = s.topMeta.base;
      if (b === undefined) return undefined;
      s = b;
    }
  }

  has(name: string): boolean {
    let s: NixAttrs = this;
    for (;;) {
      if (s.topLayout.indexOf(name) >= 0) return true;
      const b = s.topMeta.base;
      if (b === undefined) return false;
      s = b;
    }
  }

  /** Names in byte-lexicographic order (shared: never mutate). */
  keys(): string[] {
    return this.layout.keys;
  }

  /** A read-only Map view (in name order), for code that wants one. */
  get map(): ReadonlyMap<string, Lazy> {
    return new AttrsMapView(this);
  }

  /** Positions by name, for code that builds sets from Maps. */
  get positions(): AttrPosSource | undefined {
    if (!this.hasPositions()) return undefined;
    return {
      get: (n: string) => {
        const p = this.posOf(n);
        return p === noPos ? undefined : { pos: p };
      },
    };
  }

  posOf(name: string): PosIdx {
    let s: NixAttrs = this;
    for (;;) {
      const i = s.topLayout.indexOf(name);
      if (i >= 0) return s.topPosAt(i);
      const b = s.topMeta.base;
      if (b === undefined) return noPos;
      s = b;
    }
  }

  hasPositions(): boolean {
    let s: NixAttrs = this;
    for (;;) {
      const m = s.topMeta;
      if (m.posArr !== undefined || m.posSrc !== undefined) return true;
      if (m.base === undefined) return false;
      s = m.base;
    }
  }

  /** The position of slot `i` of `layout` (cheaper than `posOf` when the slot is known). */
  posAt(i: number): PosIdx {
    if (this.topMeta.base !== undefined) this.flatten();
    return this.topPosAt(i);
  }

  /** The position of slot `i` of the top layer. */
  topPosAt(i: number): PosIdx {
    const m = this.topMeta;
    const pa = m.posArr;
    if (pa !== undefined) return pa[i]!;
    return m.posSrc?.get(this.topLayout.keys[i]!)?.pos ?? noPos;
  }

  /**
   * Makes a layered set one layer: the names of the upper layers (a few each), the
   * higher layer winning, are merged into the flat set at the bottom in one pass.
   */
  flatten(): void {
    const uppers: NixAttrs[] = [];
    let s: NixAttrs = this;
    while (s.topMeta.base !== undefined) {
      uppers.push(s);
      s = s.topMeta.base;
    }
    if (uppers.length === 0) return;
    let withPos = s.topMeta.posArr !== undefined || s.topMeta.posSrc !== undefined;
    // The upper layers' names, each from the highest layer that has it.
    const over = new Map<string, { v: Lazy; p: PosIdx }>();
    for (let u = uppers.length - 1; u >= 0; u--) {
      const l = uppers[u]!;
      const ks = l.topLayout.keys;
      const vs = l.topVals;
      const m = l.topMeta;
      if (m.posArr !== undefined || m.posSrc !== undefined) withPos = true;
      for (let i = 0; i < ks.length; i++) over.set(ks[i]!, { v: vs[i]!, p: l.topPosAt(i) });
    }
    const names = [...over.keys()].sort();
    const ka = s.topLayout.keys;
    const va = s.topVals;
    const na = ka.length;
    const nb = names.length;
    const keys = new Array<string>(na + nb);
    const vals = new Array<Lazy>(na + nb);
    const pos = withPos ? new Int32Array(na + nb) : undefined;
    // The upper names are few and the base is large: each upper name's place in the
    // base is found by binary search, and the base runs between them are copied
    // without comparing names.
    const basePos = s.topMeta.posArr;
    let i = 0;
    let k = 0;
    const copyTo = (end: number): void => {
      for (let q = i; q < end; q++, k++) {
        keys[k] = ka[q]!;
        vals[k] = va[q]!;
      }
      if (pos !== undefined) {
        if (basePos instanceof Int32Array) pos.set(basePos.subarray(i, end), k - (end - i));
        else for (let q = i, r = k - (end - i); q < end; q++, r++) pos[r] = s.topPosAt(q);
      }
      i = end;
    };
    for (let j = 0; j < nb; j++) {
      const y = names[j]!;
      let lo = i;
      let hi = na;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ka[mid]! < y) lo = mid + 1;
        else hi = mid;
      }
      copyTo(lo);
      const o = over.get(y)!;
      keys[k] = y;
      vals[k] = o.v;
      if (pos !== undefined) pos[k] = o.p;
      k++;
      if (i < na && ka[i] === y) i++;
    }
    copyTo(na);
    keys.length = k;
    vals.length = k;
    this.topLayout = k === na ? s.topLayout : new AttrLayout(keys);
    this.topVals = vals;
    this.topMeta = pos === undefined ? AttrMeta.none : new AttrMeta(k < na + nb ? pos.subarray(0, k) : pos, undefined, noPos);
  }

  static readonly empty = new NixAttrs(new Map());
}

/** Byte-string order: with one byte per code unit, JS comparison is byte order. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An environment is one array: slot 0 links to the enclosing environment (null for
 * the base one) and the variables follow from slot 1, so a call frame is a single
 * allocation. A `with` environment is `[up, attrs (lazily), prevWith]`, where
 * `prevWith` counts the levels to the next enclosing `with`, or is -1.
 *
 * Except the frame of `x: …`, the most common of all (most calls a NixOS evaluation
 * makes are to such lambdas): an `Env1`, whose parent and argument are two fields of
 * one object. A JS array is two objects (the array and its backing store), 64 bytes
 * for `[up, x]`; an `Env1` is one object of 40 bytes, and a module evaluation keeps
 * millions of frames alive (thunks and functions hold them), every one of which the
 * young-generation collector copies. The scope pass marks variables bound by such a
 * lambda (`EVar.one`), so the compiler reads them from the field; walking up goes
 * through `envUp`, which tells the two kinds apart.
 */
export type ArrEnv = Lazy[];
export type Env = ArrEnv | Env1;

export class Env1 {
  constructor(
    readonly p: Env,
    public a: Lazy,
  ) {}
}

/** A fresh environment below `up` with `size` (unfilled) variable slots. */
export function newEnv(up: Env | null, size: number): ArrEnv {
  const e = new Array<Lazy>(size + 1);
  e[0] = up as unknown as Lazy;
  return e;
}

export function envUp(env: Env): Env {
  return env instanceof Env1 ? env.p : (env[0] as unknown as Env);
}

/** The environment `level` frames up. */
export function envAt(env: Env, level: number): Env {
  let en = env;
  for (let l = level; l > 0; l--) en = en instanceof Env1 ? en.p : (en[0] as unknown as Env);
  return en;
}

/** A compiled expression: evaluates in an environment to a value in weak head normal form. */
export type Code = (env: Env) => Value;

export class Lambda {
  constructor(
    readonly env: Env,
    /** The compiled body and argument binder, attached by the compiler. */
    readonly impl: LambdaImpl,
  ) {}
  /** The lambda expression (kept by `impl`: one field less in every function value). */
  get node(): ELambda {
    return this.impl.node;
  }
  get name(): string | undefined {
    return this.impl.node.name;
  }
}

export interface LambdaImpl {
  readonly node: ELambda;
  /** The compiled body (valid once `ready`). */
  body: Code;
  /** Number of slots of the call environment. */
  readonly size: number;
  /** Default-value producers of the formals (in formal order; valid once `ready`). */
  defaults: (((env: Env) => Lazy) | undefined)[];
  ready: boolean;
  /** The layout of the last set a formals lambda was called with, and the formals' slots in it (-1: absent). */
  argLayout: AttrLayout | undefined;
  argSlots: Int32Array | undefined;
  /** When the body is itself a lambda (`x: y: …`), that lambda (valid once `ready`). */
  inner: { readonly node: ELambda; readonly impl: LambdaImpl } | undefined;
  /** Compiles the body and defaults if not done yet. */
  prepare(): void;
}

export type PrimOpFn = (args: Lazy[], pos: PosIdx) => Value;
/** A one-argument builtin's body taking its argument directly (no argument array per call). */
export type PrimOpFn1 = (x: Lazy, pos: PosIdx) => Value;

export class PrimOp {
  constructor(
    readonly name: string,
    readonly arity: number,
    readonly fn: PrimOpFn,
    /** For arity 1, when given: `fn` without the argument array (what calls use). */
    readonly fn1: PrimOpFn1 | undefined = undefined,
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

/** Markers in a thunk's code slot for the states that have no code to run. */
const BLACKHOLE: Code = () => {
  throw new Error('blackhole');
};
const FAILED: Code = () => {
  throw new Error('failed');
};

/** Code of `Thunk.ofValue`: the value sits in the environment slot. */
const identity: Code = (v) => v as unknown as Value;

/**
 * A suspended computation. Forcing a blackholed thunk reports `infinite recursion
 * encountered` at the position the forcer gives (CppNix's tryFixupBlackHolePos); the
 * force that blackholed it marks, while the error unwinds through it, where the cycle
 * is entered. A failed thunk rethrows a copy of its error (CppNix ≥ 2.34).
 *
 * Two fields only, since programs keep millions of these alive: `c` is the code while
 * suspended, BLACKHOLE while being forced, FAILED after an error and null when done;
 * `x` is the environment until the code has run, then the value (or the error).
 */
export class Thunk {
  private c: Code | null;
  protected x: unknown;
  constructor(code: Code | null, env: Env | null, pos?: PosIdx) {
    void pos;
    this.c = code;
    this.x = env;
  }

  static of(fn: () => Value, pos: PosIdx = noPos): Thunk {
    return new Thunk(fn as unknown as Code, null, pos);
  }

  /** A suspended computation of a known value (a thunk where CppNix has one). */
  static ofValue(v: Value): Thunk {
    return new Thunk(identity, v as unknown as Env);
  }

  force(pos: PosIdx = noPos): Value {
    const code = this.c;
    if (code === null) return this.x as Value;
    if (code === BLACKHOLE) {
      const e = new NixError('infinite-recursion', 'infinite recursion encountered', pos);
      e.blackhole = this;
      throw e;
    }
    if (code === FAILED) {
      const err = this.x;
      throw err instanceof NixError ? err.clone() : err;
    }
    this.c = BLACKHOLE;
    try {
      // The forcing position goes along for applications (AppThunk); plain code ignores it.
      const v = (code as (env: unknown, pos: PosIdx, self: Thunk) => Value)(this.x, pos, this);
      this.c = null;
      this.x = v;
      return v;
    } catch (e) {
      if (e instanceof NixError && e.kind !== 'stack-overflow') {
        if (e.blackhole === this) e.addTrace(noPos, 'entering the infinite recursion', true);
        this.c = FAILED;
        this.x = e;
      } else {
        // Host-level failures (stack exhaustion) are not memoised: the same thunk may
        // succeed when forced from a shallower stack.
        this.c = code;
      }
      throw e;
    }
  }

  /** The environment slot while the code has not finished (for AppThunk, the function). */
  pending(): Lazy | undefined {
    const c = this.c;
    return c === null || c === FAILED ? undefined : (this.x as Lazy);
  }

  get evaluated(): boolean {
    return this.c === null;
  }

  /** The value if already computed, else undefined (never forces). */
  peek(): Value | undefined {
    return this.c === null ? (this.x as Value) : undefined;
  }

  /** For an unforced application made by `appCode`, the function applied. */
  appFunction(): Value | undefined {
    const c = this.c as { appFn?: Value } | null;
    return c === null ? undefined : c.appFn;
  }
}

export type Lazy = Value | Thunk;

/** What an application needs from the evaluator. */
export interface Caller {
  callFunction(f: Value, arg: Lazy, pos: PosIdx): Value;
  callFunction2(f: Value, a: Lazy, b: Lazy, pos: PosIdx): Value;
}

/**
 * CppNix's `tApp`: a function applied to one or two arguments (`a2` is null for one),
 * built by builtins such as `mapAttrs` (`map` and `genList` use `appCode`, below). It is applied at the position it is
 * forced at, and its function is kept for `determinePos` until then. The function sits
 * in the thunk's environment slot and the code is a per-evaluator closure, so an
 * application costs one small object (lists of a million of them are common).
 *
 * One class for both arities, as CallThunk: every thunk class is another map at each
 * place that reads a thunk's fields (`force` above all), and past four maps V8's inline
 * caches there go megamorphic, a hash lookup per access. Three classes keep them
 * polymorphic, for 8 bytes more in a one-argument application.
 */
export class AppThunk extends Thunk {
  constructor(
    code: Code,
    fn: Lazy,
    public a1: Lazy,
    public a2: Lazy,
  ) {
    super(code, fn as unknown as Env);
  }
}

/**
 * A call `f a` or `f a b` written in the program, suspended with the Lazies of the
 * function and the arguments (read from the environment when it was made) instead of
 * the environment: see compile.ts's lazyCall. Unlike an AppThunk it is an ordinary
 * thunk to the rest of the evaluator (no position of its own).
 */
export class CallThunk extends Thunk {
  constructor(
    code: Code,
    fn: Lazy,
    public a1: Lazy,
    public a2: Lazy,
  ) {
    super(code, fn as unknown as Env);
  }
}

/**
 * V8 tracks what each field has held so far (small ints only, one class of object, …)
 * and compiles code against that; the first store of anything else generalises the
 * field and discards all code compiled against the old assumption — including every
 * activation of it on the stack, each deoptimised as it returns. A thunk's value slot
 * held environments until some thunk finished with a small int, and a fixpoint 3000
 * calls deep paid 120 ms of such deoptimisations. So every field of the thunk classes
 * is made general here, before anything is compiled.
 */
for (const t of [
  new Thunk(null, null),
  new AppThunk(identity, null, null, null),
  new CallThunk(identity, null, null, null),
]) {
  const o = t as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    o[k] = 0;
    o[k] = identity;
    o[k] = null;
  }
}

/**
 * V8 sizes a class's instances by watching its first constructions ("slack
 * tracking": the first map has spare in-object room, trimmed to what was used after
 * seven). The start-up snapshot (scripts/snapshot-entry.cjs) is taken right after the
 * bundle loads, when the thunk classes had been constructed once each and their fields
 * generalised above; the maps restored from such a snapshot keep no in-object fields,
 * so every thunk got a second object, a property array, for its two fields (1.2 M
 * thunks live in a NixOS-scale evaluation: 40 -> 67 bytes each, two objects for the
 * scavenger to copy instead of one). Finishing the tracking here, before any snapshot
 * is taken, keeps the fields in the object.
 */
for (let i = 0; i < 16; i++) {
  new Thunk(null, null);
  new AppThunk(identity, null, null, null);
  new CallThunk(identity, null, null, null);
}

interface AppCodes {
  caller: Caller;
  one: Code;
  two: Code;
}

let appCodes: AppCodes | undefined;

function codesFor(caller: Caller): AppCodes {
  if (appCodes !== undefined && appCodes.caller === caller) return appCodes;
  const one = (f: Lazy, pos: PosIdx, self: AppThunk): Value => {
    const v = caller.callFunction(f instanceof Thunk ? f.force(pos) : f, self.a1, pos);
    // Forced: let go of the argument (determinePos now uses the value).
    self.a1 = null;
    return v;
  };
  const two = (f: Lazy, pos: PosIdx, self: AppThunk): Value => {
    const v = caller.callFunction2(f instanceof Thunk ? f.force(pos) : f, self.a1, self.a2, pos);
    self.a1 = null;
    self.a2 = null;
    return v;
  };
  return (appCodes = { caller, one: one as unknown as Code, two: two as unknown as Code });
}

/**
 * The code of `fv a`, for plain Thunks whose environment slot holds `a`: the
 * one-argument applications a `map` or `genList` makes by the million, 40 bytes each
 * instead of an AppThunk's 56, which their lists keep alive and the scavenger copies.
 * One closure per builtin call, which keeps `fv` (already forced) for `determinePos`.
 */
export function appCode(caller: Caller, fv: Value): Code {
  const code = (a: Lazy, pos: PosIdx): Value => caller.callFunction(fv, a, pos);
  (code as { appFn?: Value }).appFn = fv;
  return code as unknown as Code;
}

/** A `tApp` of `f` to one or two arguments (CppNix's `mkApp`). */
export function mkApp(caller: Caller, f: Lazy, a1: Lazy, a2?: Lazy): AppThunk {
  const c = codesFor(caller);
  return a2 === undefined ? new AppThunk(c.one, f, a1, null) : new AppThunk(c.two, f, a1, a2);
}

/** CppNix's `Value::determinePos`: where a set or lambda (or an application of one) was written. */
export function determinePos(x: Lazy, dflt: PosIdx = noPos): PosIdx {
  for (;;) {
    if (x instanceof Thunk) {
      const v = x.peek();
      if (v !== undefined) x = v;
      else if (x instanceof AppThunk) {
        const f = x.pending();
        if (f === undefined) return dflt;
        x = f;
      } else {
        const f = x.appFunction();
        if (f === undefined) return dflt;
        x = f;
      }
    } else if (x instanceof NixAttrs) return x.pos === noPos ? dflt : x.pos;
    else if (x instanceof Lambda) return x.node.pos;
    else return dflt;
  }
}

/**
 * Whether a forced thunk's value may be stored in its place, in the list, set or
 * environment slot it was read from. CppNix updates a thunk's cell in place, so every
 * holder sees the value; here the holders keep pointing at the thunk object, which an
 * evaluation keeps alive by the million: 56 bytes each, and V8's scavenger copies all
 * that survive it, twice (young space, then old). A thunk read and forced through its
 * only holder, the common case, becomes garbage when that holder gets the value, and
 * later reads skip the indirection. Storing it changes nothing observable but identity:
 * `==` says `[ f ] == [ f ]` when both elements are the same Lazy (CppNix: the same
 * cell), which is all that makes functions, and a NaN, equal to themselves. So those
 * two keep their thunk; every other value is equal to itself anyway.
 */
export function settles(v: Value): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof NixAttrs) return true;
  return !(v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp || v instanceof NixFloat);
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
