/**
 * The module system engine: `evalModules` and everything it is made of, natively.
 *
 * Semantics are nixpkgs' `lib/modules.nix` (collect → push down → match against
 * declarations → merge per option), observable through the same Nix values:
 * `{ _type = "configuration"; config; options; extendModules; type; … }`, option
 * records with `value`, `definitions`, `definitionsWithLocations`, `files`,
 * `highestPrio`, `isDefined`, `declarations`, `declarationPositions`, …
 *
 * Why native:
 *  - speed: NixOS evaluates tens of thousands of options; sorting definitions into
 *    the tree, filtering overrides and merging are tight loops over JS arrays here
 *    instead of chains of `zipAttrsWith`/`concatMap` thunks;
 *  - provenance: each definition keeps its file, source position and priority in a
 *    native record (`Def`); `provenance.ts` reads them to explain which definition
 *    won and why, without re-evaluating anything.
 *
 * Laziness is the one property that must not be lost. The tree is built level by
 * level on demand: `config.a.b` forces only the declarations and definitions under
 * `a`, and an option's value is a thunk until read. Definitions are only pushed
 * down (never discharged) while sorting them into the tree, so conditions such as
 * `mkIf (config.specialisation != {}) …` are evaluated only when the option that
 * holds them is read. The unmatched-definition check, as in nixpkgs, is forced by
 * any access to the result's `config`, `options` or `_module`.
 *
 * The engine is parameterised by the `lib` it serves (passed from the Nix side), so
 * `lib.extend` and `specialArgs.lib` behave as in nixpkgs, and it needs only a few
 * things from it: `types.*` for the built-in `_module` options.
 */

import { NixError, noteHostStack } from '../diag/diagnostic.js';
import { noPos, type PosIdx } from '../lang/source.js';
import type { EvalState } from '../eval/state.js';
import { eqLazy } from '../eval/ops.js';
import { AttrLayout, AttrMeta, Lambda, NixAttrs, NixPath, NixString, PrimOp, PrimOpApp, Thunk, type Code, type Env, type Lazy, type Value } from '../eval/value.js';
import type { AttrDef as EAttrDef, EAttrs, ELambda, ELet, Expr } from '../lang/ast.js';
import {
  attrs,
  call,
  f,
  functionArgNames,
  getStr,
  isFunctionV,
  lazy,
  nixTypeOf,
  prim,
  recordLayout,
  strList,
  throwNix,
  toStr,
  typeTag,
  withContext,
} from './nix.js';
import { DeclCache } from './decl-cache.js';
import { escapeNixString, levenshtein, showDefs, showFiles, showOption, type FileValue } from './pretty.js';
import {
  defaultOrderPriority,
  defaultOverridePriority,
  dischargeProperties,
  mkOverrideV,
  prioOf,
  pushDownProperties,
  stripOverride,
} from './properties.js';

/** One definition of an option, as the engine keeps it. */
export interface Def {
  file: string;
  value: Lazy;
  /** Where the definition's attribute was written (noPos for generated ones). */
  pos?: PosIdx;
  /** Set on unmatched definitions: the path below the level where it left the tree. */
  prefix?: string[];
}

export interface FinalDef extends Def {
  /** mkOverride priority the definition had before it was stripped. */
  prio: number;
}

/**
 * An option's default as its first definition, `mkOptionDefault default`: override
 * filtering reads its priority and content directly; the `mkOverride` set itself is
 * built only if something reads the definition's value.
 */
class DefaultDef implements Def {
  private v: NixAttrs | undefined = undefined;
  constructor(
    readonly file: string,
    readonly content: Lazy,
    readonly pos: PosIdx,
  ) {}
  get value(): Lazy {
    return (this.v ??= mkOverrideV(1500, this.content));
  }
}
const defaultPriority = 1500;

interface DeclRec {
  file: string;
  pos: PosIdx;
  /** A `pos` given from Nix (`lib.mergeOptionDecls` callers): an attrset or null. */
  posValue?: Lazy;
  options: Lazy;
}

/** A definition read from a module's config set; its position is looked up only if asked for. */
class AttrDef implements Def {
  constructor(
    readonly file: string,
    readonly value: Lazy,
    private readonly src: NixAttrs,
    private readonly name: string,
  ) {}
  get pos(): PosIdx {
    return this.src.posOf(this.name);
  }
}

/** A declaration read from a module's options set; position looked up lazily, as for AttrDef. */
class AttrDecl implements DeclRec {
  readonly options: Lazy;
  constructor(
    readonly file: string,
    private readonly src: NixAttrs,
    private readonly name: string,
  ) {
    this.options = src.get(name)!;
  }
  get pos(): PosIdx {
    return this.src.posOf(this.name);
  }
}

interface CfgRec {
  file: string;
  config: Lazy;
}

/**
 * Option result → its native record, for provenance. The record hangs off the
 * option's `__toString` (one object per option anyway) rather than a WeakMap, whose
 * ephemerons every garbage collection would have to trace.
 */
export const optionRecords = {
  get(opt: NixAttrs): OptionRecord | undefined {
    const t = opt.get('__toString');
    return t instanceof OptionToString ? t.cell : undefined;
  },
};
/** evalModules results → their native evaluation. */
export const evaluations = {
  get(result: NixAttrs): Evaluation | undefined {
    const e = result.get('extendModules');
    return e instanceof ExtendModules && e.ev.result === result ? e.ev : undefined;
  },
};

/** An evaluation's `extendModules`; it also leads from the result back to the native evaluation. */
class ExtendModules extends PrimOp {
  constructor(readonly ev: Evaluation) {
    super('extendModules', 1, ([a]) => ev.extendModules(f(a!) as NixAttrs));
  }
}

const evalModulesArgs = new Set(['modules', 'prefix', 'specialArgs', 'class', 'args', 'check']);

export interface OptionRecord {
  loc: string[];
  /** All definitions as written, including the default (first) — before mkIf/mkOverride. */
  defs: Def[];
  merge: MergeResult;
  decl: NixAttrs;
}

// ------------------------------------------------------------------ helpers

function get(a: NixAttrs, k: string): Lazy | undefined {
  return a.get(k);
}

function sel(v: Lazy, ...path: string[]): Value {
  let x = f(v);
  for (let ix = 0, xs = path; ix < xs.length; ix++) {
    const k = xs[ix]!;
    if (!(x instanceof NixAttrs)) throw new NixError('type', `expected a set while selecting '${k}'`);
    const y = x.get(k);
    if (y === undefined) throw new NixError('eval', `attribute '${k}' missing`);
    x = f(y);
  }
  return x;
}

function nixDef(d: Def): NixAttrs {
  return attrs({ file: d.file, value: d.value });
}

function defsFromNix(v: Lazy): Def[] {
  const l = f(v);
  if (!Array.isArray(l)) throw new NixError('type', 'expected a list of definitions');
  return l.map((x) => {
    const a = f(x) as NixAttrs;
    return { file: toFile(get(a, 'file')), value: get(a, 'value')! };
  });
}

function toFile(v: Lazy | undefined): string {
  if (v === undefined) return '<unknown-file>';
  const x = f(v);
  if (typeof x === 'string') return x;
  if (x instanceof NixString) return x.s;
  if (x instanceof NixPath) return x.path;
  return String(x);
}

function boolAttr(a: NixAttrs, k: string): boolean {
  const v = a.get(k);
  return v !== undefined && f(v) === true;
}

const emptyAttrs = NixAttrs.empty;

/** `loc ++ [ name ]` (Array.prototype.concat is a slow generic path in V8). */
function listOf(v: Lazy): Lazy[] {
  const l = f(v);
  if (!Array.isArray(l)) throw new NixError('type', `expected a list but found ${nixTypeOf(l)}`);
  return l;
}

/** `a ++ b`, without spreads (which iterate until the code is optimised). */
function appendLists(a: readonly Lazy[], b: readonly Lazy[]): Lazy[] {
  const n = a.length;
  const m = b.length;
  const out = new Array<Lazy>(n + m);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  for (let i = 0; i < m; i++) out[n + i] = b[i]!;
  return out;
}

function withName(loc: readonly string[], name: string): string[] {
  const n = loc.length;
  const out = new Array<string>(n + 1);
  for (let i = 0; i < n; i++) out[i] = loc[i]!;
  out[n] = name;
  return out;
}

// ------------------------------------------------------------------ the engine

export class Engine {
  constructor(
    readonly st: EvalState,
    /** The lib this engine belongs to (a thunk; only forced when types are needed). */
    readonly lib: Lazy,
  ) {}

  /** Submodule-typed declarations → their type with the declaring file substituted (see prepareOption). */
  readonly substitutedTypes = new WeakMap<NixAttrs, { file: string; typeL: Lazy }>();

  types(name: string): Value {
    return sel(this.lib, 'types', name);
  }

  // ---------------------------------------------------------------- definitions

  mergeDefinitions(loc: string[], type: NixAttrs, defs: Def[]): MergeResult {
    return new MergeResult(this, loc, type, defs);
  }

  evalOptionValue(loc: string[], opt: NixAttrs, defs: Def[]): NixAttrs {
    return this.finishOption(loc, new Map(opt.map), opt.positions, defs, opt);
  }

  /**
   * `evalOptionValue` into a map the caller owns (`m` already holds the declaration's
   * attributes). The option's lazy attributes are thunks over one `OptionCell` with
   * shared code, so an option costs one map and a few small objects, not a closure
   * per attribute.
   */
  finishOption(loc: string[], m: Map<string, Lazy>, positions: NixAttrs['positions'], defs: Def[], declIn?: NixAttrs): NixAttrs {
    const st = this.st;
    let all = defs;
    const dflt = m.get('default');
    if (dflt !== undefined) {
      const decls = m.get('declarations');
      const file = decls !== undefined ? lazyHeadFile(decls) : '<unknown-file>';
      all = [new DefaultDef(file, dflt, positions?.get('default')?.pos ?? noPos), ...defs];
    }
    const typeL = m.get('type')!;
    const readOnlyL = m.get('readOnly');
    const cell = new OptionCell(this, loc, all, typeL, m.get('apply'), readOnlyL);
    m.set('value', cell.valueThunk);
    m.set('highestPrio', cellThunk(cellHighestPrio, cell));
    m.set('definitions', cellThunk(cellDefinitions, cell));
    m.set('files', cellThunk(cellFiles, cell));
    m.set('definitionsWithLocations', cellThunk(cellDefsWithLocs, cell));
    m.set('isDefined', cellThunk(cellIsDefined, cell));
    m.set('valueMeta', cellThunk(cellValueMeta, cell));
    m.set('__toString', new OptionToString(cell));
    const out = new NixAttrs(m, positions);
    cell.decl = declIn ?? out;
    // nixpkgs evaluates `warnDeprecation opt // {…}` when the record is built, which
    // forces the type; do the same so the warning appears at the same moment.
    const t = f(typeL) as NixAttrs;
    const dm = t.get('deprecationMessage');
    if (dm !== undefined) {
      const msg = f(dm);
      if (msg !== null) {
        const decls = m.get('declarations');
        const files = decls ? strList(decls) : [];
        st.warn(
          `The type \`types.${getStr(t.get('name')!)}' of option \`${showOption(loc)}' defined in ${showFiles(files)} is deprecated. ${getStr(msg)}`,
        );
      }
    }
    return out;
  }

  /**
   * `evalOptionValue loc (fixupOptionType loc (mergeOptionDecls loc decls)) defs` for
   * the engine's own tree. The common single-declaration case builds the option record
   * in one map instead of three successive copies.
   */
  /**
   * An option's state without its record: everything `buildOption` forces (the
   * declaration, its type, the level's definitions) and its deprecation warning, in
   * the same order. `config` reads values through it; the record is built only if
   * the option itself is looked at.
   */
  prepareOption(loc: string[], decls: DeclRec[], level: Level, name: string): OptionCell {
    if (decls.length !== 1) {
      const record = this.evalOptionValue(loc, this.fixupOptionType(loc, this.mergeOptionDecls(loc, decls)), level.rawDefs(name));
      const c = optionRecords.get(record) as OptionCell;
      c.record = record;
      return c;
    }
    const d = decls[0]!;
    const o = f(d.options) as NixAttrs;
    const ot = o.get('type');
    const getSub = subModulesOfType(ot);
    let typeL: Lazy;
    if (getSub === null) {
      typeL = ot === undefined ? lazy(() => this.types('unspecified')) : ot;
    } else {
      const file = d.file;
      // The same declaration (shared options of a module function, or a static module
      // in many evaluations) from the same file gets the same substituted type.
      const known = this.substitutedTypes.get(o);
      if (known !== undefined && known.file === file) typeL = known.typeL;
      else {
        const subs = getSub;
        const subOptions = lazy(() => (f(subs) as Lazy[]).map((x) => attrs({ _file: file, imports: [x] })));
        typeL = lazy(() => call(this.st, sel(ot!, 'substSubModules'), subOptions));
        this.substitutedTypes.set(o, { file, typeL });
      }
    }
    const dflt = o.get('default');
    // The default goes first, in the same array (no second copy per option).
    const all = level.rawDefs(name, dflt === undefined ? undefined : new DefaultDef(d.file, dflt, noPos));
    const cell = new OptionCell(this, loc, all, typeL, o.get('apply'), o.get('readOnly'));
    cell.declSrc = d;
    cell.declOpts = o;
    this.warnDeprecatedType(loc, typeL, d.file);
    return cell;
  }

  /** `evalOptionValue loc (fixupOptionType loc (mergeOptionDecls loc decls)) defs` for the engine's own tree. */
  optionRecord(cell: OptionCell): NixAttrs {
    if (cell.record !== undefined) return cell.record;
    const o = cell.declOpts!;
    const d = cell.declSrc!;
    const typeL = cell.typeL;
    // The record straight from a per-name-set plan: no Map, no sort per option.
    const plan = optionPlanOf(o);
    const n = plan.src.length;
    const vals = new Array<Lazy>(n);
    const ovals = o.vals;
    for (let i = 0; i < n; i++) {
      const j = plan.src[i]!;
      if (j >= 0) vals[i] = ovals[j]!;
    }
    const x = plan.extra;
    vals[x[X_toString]!] = new OptionToString(cell);
    vals[x[X_declPositions]!] = [this.declPosition(d)];
    vals[x[X_declarations]!] = [d.file];
    vals[x[X_definitions]!] = cellThunk(cellDefinitions, cell);
    vals[x[X_defsWithLocs]!] = cellThunk(cellDefsWithLocs, cell);
    vals[x[X_files]!] = cellThunk(cellFiles, cell);
    vals[x[X_highestPrio]!] = cellThunk(cellHighestPrio, cell);
    vals[x[X_isDefined]!] = cellThunk(cellIsDefined, cell);
    vals[x[X_loc]!] = cell.loc;
    vals[x[X_options]!] = [];
    vals[x[X_type]!] = typeL;
    vals[x[X_value]!] = cell.valueThunk;
    vals[x[X_valueMeta]!] = cellThunk(cellValueMeta, cell);
    const out = NixAttrs.of(plan.layout, vals);
    cell.decl = out;
    return (cell.record = out);
  }

  /** nixpkgs evaluates `warnDeprecation opt // {…}` when the record is built, which
   * forces the type; the warning appears at the same moment here. */
  private warnDeprecatedType(loc: string[], typeL: Lazy, file: string): void {
    const t = f(typeL) as NixAttrs;
    const dm = t.get('deprecationMessage');
    if (dm !== undefined) {
      const msg = f(dm);
      if (msg !== null) {
        this.st.warn(
          `The type \`types.${getStr(t.get('name')!)}' of option \`${showOption(loc)}' defined in ${showFiles([file])} is deprecated. ${getStr(msg)}`,
        );
      }
    }
  }

  private declPosition(d: DeclRec): Lazy {
    if (d.posValue !== undefined) {
      const pv = d.posValue;
      return lazy(() => (f(pv) === null ? attrs({ file: d.file, line: null, column: null }) : f(pv)));
    }
    if (d.pos === noPos) return attrs({ file: d.file, line: null, column: null });
    const st = this.st;
    return lazy(() => st.mkPos(d.pos) ?? attrs({ file: d.file, line: null, column: null }));
  }

  // ---------------------------------------------------------------- declarations

  mergeOptionDecls(loc: string[], decls: DeclRec[]): NixAttrs {
    const st = this.st;
    let res = new Map<string, Lazy>();
    res.set('loc', loc);
    let declarations: Lazy[] = [];
    let declPositions: Lazy[] = [];
    let subOptions: Lazy = [] as Lazy[];
    for (const d of decls) {
      const o = f(d.options) as NixAttrs;
      let typeSet: Lazy | undefined;
      if (o.has('type') && res.has('type')) {
        const t = f(res.get('type')!) as NixAttrs;
        const t2 = f(o.get('type')!) as NixAttrs;
        const merged = call(st, t.get('typeMerge')!, sel(t2, 'functor'));
        if (merged === null) throwNix(`The option \`${showOption(loc)}' in \`${d.file}' is already declared in ${showFiles(declarations.map(getStr))}.`);
        typeSet = merged;
      }
      for (const k of ['default', 'example', 'description', 'apply']) {
        if (o.has(k) && res.has(k)) throwNix(`The option \`${showOption(loc)}' in \`${d.file}' is already declared in ${showFiles(declarations.map(getStr))}.`);
      }
      let getSub: Value = null;
      const ot = o.get('type');
      if (ot !== undefined) {
        const tv = f(ot);
        if (tv instanceof NixAttrs) {
          const gs = tv.get('getSubModules');
          if (gs !== undefined) getSub = f(gs);
        }
      }
      if (getSub !== null) {
        const prev = subOptions;
        const file = d.file;
        const subs = getSub;
        subOptions = lazy(() => [
          ...(f(subs) as Lazy[]).map((m) => attrs({ _file: file, imports: [m] })),
          ...(f(prev) as Lazy[]),
        ]);
      }
      const next = new Map(o.map);
      for (const [k, v] of res) next.set(k, v);
      declarations = [...declarations, d.file];
      declPositions = [...declPositions, this.declPosition(d)];
      next.set('declarations', declarations);
      next.set('declarationPositions', declPositions);
      next.set('options', subOptions);
      if (typeSet !== undefined) next.set('type', typeSet);
      res = next;
    }
    return new NixAttrs(res);
  }

  fixupOptionType(loc: string[], opt: NixAttrs): NixAttrs {
    void loc;
    const t = opt.get('type');
    const getSub = subModulesOfType(t);
    const m = new Map(opt.map);
    if (getSub === null) {
      if (t === undefined) m.set('type', lazy(() => this.types('unspecified')));
    } else {
      const subs = opt.get('options') ?? [];
      m.set('type', lazy(() => call(this.st, sel(t!, 'substSubModules'), subs)));
      m.set('options', []);
    }
    return new NixAttrs(m, opt.positions);
  }

  // ---------------------------------------------------------------- evalModules

  evalModules(args: NixAttrs): NixAttrs {
    return new Evaluation(this, args).result;
  }

  private internalOptionsCache: (NixAttrs | undefined)[] = [undefined, undefined];

  /** The `_module` option declarations, shared by every evaluation (and so are their types). */
  internalOptions(nested: boolean): NixAttrs {
    const i = nested ? 1 : 0;
    const cached = this.internalOptionsCache[i];
    if (cached) return cached;
    const eng = this;
    const st = this.st;
    const T = (n: string) => lazy(() => eng.types(n));
    const opt = (r: Record<string, Lazy | undefined>) => attrs({ _type: 'option', ...r });
    const internal = nested ? true : undefined;
    const o = attrs({
        _module: attrs({
          args: opt({
            type: lazy(() => call(st, eng.types('lazyAttrsOf'), T('raw'))),
            internal,
            description:
              'Additional arguments passed to each module in addition to ones\nlike `lib`, `config`,\nand `pkgs`, `modulesPath`.\n',
          }),
          check: opt({
            type: T('bool'),
            internal: true,
            default: true,
            description: 'Whether to check whether all option definitions have matching declarations.',
          }),
          freeformType: opt({
            type: lazy(() => call(st, eng.types('nullOr'), T('optionType'))),
            internal: true,
            default: null,
            description:
              'If set, merge all definitions that don\'t have an associated option\ntogether using this type. The result then gets combined with the\nvalues of all declared options to produce the final `\nconfig` value.\n\nIf this is `null`, definitions without an option\nwill throw an error unless {option}`_module.check` is\nturned off.\n',
          }),
          specialArgs: opt({
            readOnly: true,
            internal: true,
            description:
              "Externally provided module arguments that can't be modified from\nwithin a configuration, but can be used in module imports.\n",
          }),
        }),
      });
    return (this.internalOptionsCache[i] = o);
  }
}

/**
 * The attributes an option record adds to its declaration (they replace same-named
 * ones). Records are built from a plan per set of declaration names: where each slot
 * of the record's layout comes from.
 */
const optionExtras = [
  '__toString',
  'declarationPositions',
  'declarations',
  'definitions',
  'definitionsWithLocations',
  'files',
  'highestPrio',
  'isDefined',
  'loc',
  'options',
  'type',
  'value',
  'valueMeta',
] as const;
const [X_toString, X_declPositions, X_declarations, X_definitions, X_defsWithLocs, X_files, X_highestPrio, X_isDefined, X_loc, X_options, X_type, X_value, X_valueMeta] =
  optionExtras.map((_, i) => i) as number[];

interface OptionPlan {
  layout: AttrLayout;
  /** Per record slot: the declaration's slot it copies, or -1 (an added attribute). */
  src: Int32Array;
  /** Per added attribute (optionExtras order): its record slot. */
  extra: Int32Array;
}
const optionPlans = new Map<string, OptionPlan>();
// Sets from `mkOption` (built by `//`) rarely share layout objects; consecutive ones often do.
let lastPlanLayout: AttrLayout | undefined;
let lastPlan: OptionPlan | undefined;

function optionPlanOf(o: NixAttrs): OptionPlan {
  const ol = o.layout;
  if (ol === lastPlanLayout) return lastPlan!;
  const keys = ol.keys;
  const key = keys.join('\u0001');
  let plan = optionPlans.get(key);
  if (plan === undefined) {
    const names = new Set<string>(keys);
    for (const e of optionExtras) names.add(e);
    const layout = new AttrLayout([...names].sort());
    const src = new Int32Array(layout.keys.length).fill(-1);
    const extraNames = new Set<string>(optionExtras);
    for (let j = 0; j < keys.length; j++) if (!extraNames.has(keys[j]!)) src[layout.indexOf(keys[j]!)] = j;
    const extra = new Int32Array(optionExtras.length);
    for (let i = 0; i < optionExtras.length; i++) extra[i] = layout.indexOf(optionExtras[i]!);
    plan = { layout, src, extra };
    if (optionPlans.size > 2000) optionPlans.clear();
    optionPlans.set(key, plan);
  }
  lastPlanLayout = ol;
  return (lastPlan = plan);
}

/** The state behind one option record's lazy attributes (and its provenance record). */
class OptionCell implements OptionRecord {
  private res: MergeResult | undefined = undefined;
  /** Set when the option's record is built (provenance reads it only from a record).
   * Initialised here, as every lazily set field of the engine's classes: a field added
   * after construction gives the object a new hidden class, and the hot engine
   * functions, seeing several, were deoptimised and recompiled. */
  decl: NixAttrs = undefined as unknown as NixAttrs;
  /** The option's value, shared by its record and `config`. */
  readonly valueThunk: Thunk;
  /** The option's record, once built. */
  record: NixAttrs | undefined = undefined;
  /** The single declaration the record is built from (the engine's own tree). */
  declSrc: DeclRec | undefined = undefined;
  declOpts: NixAttrs | undefined = undefined;
  constructor(
    readonly engine: Engine,
    readonly loc: string[],
    /** All definitions, the default (as mkOptionDefault) first. */
    readonly defs: Def[],
    readonly typeL: Lazy,
    readonly applyFn: Lazy | undefined,
    private readonly readOnlyL: Lazy | undefined,
  ) {
    this.valueThunk = cellThunk(cellValue, this);
  }

  get merge(): MergeResult {
    return this.getRes();
  }

  getRes(): MergeResult {
    if (this.res) return this.res;
    const all = this.defs;
    const typeV = f(this.typeL) as NixAttrs;
    if (this.readOnlyL !== undefined && f(this.readOnlyL) === true && all.length > 1) {
      const eng = this.engine;
      const separate: FileValue[] = all.map((d) => ({
        file: d.file,
        value: lazy(() => f(eng.mergeDefinitions(this.loc, f(this.typeL) as NixAttrs, [d]).mergedValue())),
      }));
      throwNix(`The option \`${showOption(this.loc)}' is read-only, but it's set multiple times. Definition values:${showDefs(eng.st, separate)}`);
    }
    return (this.res = this.engine.mergeDefinitions(this.loc, typeV, all));
  }

  value(): Value {
    try {
      const v = this.getRes().mergedValue();
      return this.applyFn !== undefined ? call(this.engine.st, this.applyFn, v) : f(v);
    } catch (e) {
      if (e instanceof NixError) e.addTrace(noPos, `while evaluating the option \`${showOption(this.loc)}':`, true);
      throw e;
    }
  }
}

/** An option's `__toString`, carrying the option's native record. */
class OptionToString extends PrimOp {
  constructor(readonly cell: OptionCell) {
    const loc = cell.loc;
    super('__toString', 1, () => showOption(loc));
  }
}

function cellThunk(code: (c: OptionCell) => Value, cell: OptionCell): Thunk {
  return new Thunk(code as unknown as Code, cell as unknown as Env);
}
const cellValue = (c: OptionCell): Value => c.value();
const cellHighestPrio = (c: OptionCell): Value => c.getRes().highestPrio();
const cellDefinitions = (c: OptionCell): Value => c.getRes().defsFinal().map((d) => d.value);
const cellFiles = (c: OptionCell): Value => c.getRes().defsFinal().map((d) => d.file);
const cellDefsWithLocs = (c: OptionCell): Value => c.getRes().defsFinal().map(nixDef);
const cellIsDefined = (c: OptionCell): Value => c.getRes().isDefined();
const cellValueMeta = (c: OptionCell): Value => c.getRes().valueMeta();

function lazyHeadFile(decls: Lazy): string {
  const l = f(decls) as Lazy[];
  return l.length ? toFile(l[0]) : '<unknown-file>';
}

// ------------------------------------------------------------------ merging one option

export class MergeResult {
  private final: { defs: FinalDef[]; highestPrio: number } | undefined = undefined;
  private merged: { headError: Value; value: Lazy; valueMeta: Lazy } | undefined = undefined;
  private nixDefsCache: Lazy[] | undefined = undefined;

  constructor(
    readonly engine: Engine,
    readonly loc: string[],
    readonly type: NixAttrs,
    readonly defs: Def[],
  ) {}

  defsFinal(): FinalDef[] {
    if (this.sorted) return this.sorted;
    const kept = this.filtered().defs;
    // mkOrder (stable). Kept separate from filtering so that `highestPrio` never
    // forces the definitions' values (mergeAttrDefinitionsWithPrio relies on that).
    let sorted = kept;
    let ordered = false;
    for (let i = 0; i < kept.length && !ordered; i++) ordered = typeTag(f(kept[i]!.value)) === 'order';
    if (ordered) {
      const withOrder = kept.map((d, i) => {
        const v = f(d.value);
        if (typeTag(v) === 'order') {
          const a = v as NixAttrs;
          const p = f(a.get('priority')!);
          return { d: { ...d, value: a.get('content')! }, o: typeof p === 'bigint' ? Number(p) : (p as number), i };
        }
        return { d, o: defaultOrderPriority, i };
      });
      sorted = withOrder.sort((a, b) => a.o - b.o || a.i - b.i).map((x) => x.d);
    }
    return (this.sorted = sorted);
  }

  highestPrio(): number {
    return this.filtered().highestPrio;
  }

  isDefined(): boolean {
    return this.filtered().defs.length > 0;
  }

  private sorted: FinalDef[] | undefined = undefined;

  private filtered(): { defs: FinalDef[]; highestPrio: number } {
    if (this.final) return this.final;
    const defs = this.defs;
    if (defs.length === 1) {
      const d = defs[0]!;
      if (d instanceof DefaultDef) return (this.final = { defs: [{ file: d.file, value: d.content, prio: defaultPriority }], highestPrio: defaultPriority });
      let plain: boolean;
      try {
        const v = f(d.value);
        plain = !(v instanceof NixAttrs && v.has('_type'));
      } catch (e) {
        throw inDefinitionsFrom(e, d.file);
      }
      if (plain) {
        this.sorted = [{ file: d.file, value: d.value, prio: defaultOverridePriority }];
        return (this.final = { defs: this.sorted, highestPrio: defaultOverridePriority });
      }
    }
    // Without mkMerge/mkIf/mkDefinition, overrides are filtered in one pass over the values.
    const n = defs.length;
    // Each definition's content without mkOverride, and its priority.
    const xs = new Array<Lazy>(n);
    const prios = new Array<number>(n);
    let simple = true;
    for (let i = 0; i < n && simple; i++) {
      const d = defs[i]!;
      if (d instanceof DefaultDef) {
        xs[i] = d.content;
        prios[i] = defaultPriority;
        continue;
      }
      let x: Value;
      try {
        x = f(d.value);
      } catch (e) {
        throw inDefinitionsFrom(e, d.file);
      }
      const tag = x instanceof NixAttrs ? typeTag(x) : null;
      if (tag === 'merge' || tag === 'if' || tag === 'definition') simple = false;
      else {
        xs[i] = x;
        prios[i] = -1;
      }
    }
    if (simple) {
      let highest = 9999;
      let count = 0;
      // Priorities only once every value is forced (as nixpkgs' filterOverrides).
      for (let i = 0; i < n; i++) {
        let p = prios[i]!;
        if (p === -1) {
          const x = xs[i]!;
          prios[i] = p = prioOf(x);
          xs[i] = stripOverride(x);
        }
        if (n === 1 || p < highest) highest = p;
      }
      for (let i = 0; i < n; i++) if (prios[i] === highest) count++;
      const kept = new Array<FinalDef>(count);
      for (let i = 0, k = 0; i < n; i++) {
        if (prios[i] === highest) kept[k++] = { file: defs[i]!.file, value: xs[i]!, prio: highest };
      }
      return (this.final = { defs: kept, highestPrio: highest });
    }
    // Discharge mkMerge/mkIf (only those need dischargeProperties' lists).
    const normalized: Def[] = [];
    for (let i = 0; i < n; i++) {
      const d = defs[i]!;
      let x: Value;
      let tag: string | null;
      let vals: Lazy[] | undefined;
      try {
        x = f(d.value);
        tag = typeTag(x);
        if (tag === 'merge' || tag === 'if') vals = dischargeProperties(x);
      } catch (e) {
        throw inDefinitionsFrom(e, d.file);
      }
      if (vals === undefined) {
        if (tag === 'definition') {
          const a = x as NixAttrs;
          normalized.push({ file: toFile(a.get('file')), value: a.get('value')! });
        } else normalized.push({ file: d.file, value: x });
        continue;
      }
      for (let j = 0; j < vals.length; j++) {
        const y = f(vals[j]!);
        if (typeTag(y) === 'definition') {
          const a = y as NixAttrs;
          normalized.push({ file: toFile(a.get('file')), value: a.get('value')! });
        } else normalized.push({ file: d.file, value: y });
      }
    }
    // mkOverride.
    let highest = 9999;
    const nprios = normalized.map((d) => prioOf(d.value));
    if (normalized.length === 1) highest = nprios[0]!;
    else for (let i = 0; i < nprios.length; i++) if (nprios[i]! < highest) highest = nprios[i]!;
    const kept: FinalDef[] = [];
    for (let i = 0; i < normalized.length; i++) {
      const d = normalized[i]!;
      if (nprios[i] === highest) kept.push({ file: d.file, value: stripOverride(d.value), prio: highest });
    }
    // Kept for good: without its push-grown spare capacity.
    return (this.final = { defs: kept.slice(), highestPrio: highest });
  }

  nixDefs(): Lazy[] {
    return (this.nixDefsCache ??= this.defsFinal().map(nixDef));
  }

  private isV2(): NixAttrs | undefined {
    const m = f(this.type.get('merge')!);
    if (m instanceof NixAttrs) {
      const v2 = m.get('v2');
      if (v2 !== undefined) return m;
    }
    return undefined;
  }

  checkedAndMerged(): { headError: Value; value: Lazy; valueMeta: Lazy } {
    if (this.merged) return this.merged;
    const st = this.engine.st;
    const m = this.isV2();
    if (m !== undefined) {
      checkV2Coherence(this.loc, this.type);
      const v2 = f(m.get('v2')!);
      const nat = v2 instanceof PrimOpApp ? nativeV2s.get(v2.primop) : undefined;
      if (nat !== undefined && (v2 as PrimOpApp).args.length === nat.nargs) {
        const r = nat.fn(this.engine, this.loc, this.defsFinal(), (v2 as PrimOpApp).args);
        const vm = r.valueMeta;
        return (this.merged = {
          headError: r.headError,
          value: r.value,
          valueMeta: lazy(() => {
            const base = f(vm) as NixAttrs;
            const mm = new Map(base.map);
            mm.set('_internal', attrs({ type: this.type }));
            return new NixAttrs(mm);
          }),
        });
      }
      const r = f(call(st, v2, attrs({ loc: this.loc, defs: this.nixDefs() }))) as NixAttrs;
      const he = r.get('headError');
      const vm = r.get('valueMeta') ?? emptyAttrs;
      return (this.merged = {
        headError: he === undefined ? null : f(he),
        value: r.get('value')!,
        valueMeta: lazy(() => {
          const base = f(vm) as NixAttrs;
          const mm = new Map(base.map);
          mm.set('_internal', attrs({ type: this.type }));
          return new NixAttrs(mm);
        }),
      });
    }
    return (this.merged = { headError: null, value: lazy(() => f(this.mergedValue())), valueMeta: emptyAttrs });
  }

  valueMeta(): Value {
    return f(this.checkedAndMerged().valueMeta);
  }

  private mergedCache: Lazy | undefined = undefined;

  mergedValue(): Lazy {
    if (this.mergedCache !== undefined) return this.mergedCache;
    const st = this.engine.st;
    const loc = this.loc;
    const type = this.type;
    let out: Lazy;
    if (this.isDefined()) {
      if (this.isV2() !== undefined) {
        const cm = this.checkedAndMerged();
        if (cm.headError !== null) {
          const msg = getStr(sel(cm.headError, 'message'));
          throwNix(`A definition for option \`${showOption(loc)}' is not of type \`${getStr(type.get('description')!)}'. TypeError: ${msg}`);
        }
        out = f(cm.value);
      } else {
        const defs = this.defsFinal();
        const check = type.get('check')!;
        let allOk = true;
        const ok = defs.map((d) => {
          const r = f(call(st, check, d.value)) === true;
          if (!r) allOk = false;
          return r;
        });
        if (allOk) {
          out = mergeV1(this.engine, f(type.get('merge')!), loc, defs, this);
        } else {
          const bad = defs.filter((_, i) => !ok[i]);
          throwNix(`A definition for option \`${showOption(loc)}' is not of type \`${getStr(type.get('description')!)}'. Definition values:${showDefs(st, bad)}`);
        }
      }
    } else {
      const ev = type.get('emptyValue');
      const e = ev !== undefined ? f(ev) : null;
      if (e instanceof NixAttrs && e.has('value')) out = f(e.get('value')!);
      else throwNix(`The option \`${showOption(loc)}' was accessed but has no value defined. Try setting the option.`);
    }
    this.mergedCache = out;
    return out;
  }

  /** The record `lib.modules.mergeDefinitions` returns. */
  toNix(): NixAttrs {
    const m = new Map<string, Lazy>();
    m.set("defsFinal'", mrThunk(mrDefsFinalPrime, this));
    m.set('defsFinal', mrThunk(mrNixDefs, this));
    m.set('mergedValue', mrThunk(mrMergedValue, this));
    m.set('checkedAndMerged', mrThunk(mrCheckedAndMerged, this));
    m.set('isDefined', mrThunk(mrIsDefined, this));
    m.set('optionalValue', mrThunk(mrOptionalValue, this));
    return new NixAttrs(m);
  }
}

/**
 * `mergeEqualOption` / `mergeOneOption` of the native lib, recognised so that the
 * most common merges (str, int, bool, enum, …) run on the engine's definitions
 * directly instead of on a freshly built Nix list of `{ file; value; }` records.
 */
const nativeMerges = new WeakMap<PrimOp, 'equal' | 'one'>();

export function markNativeMerge(p: PrimOp, kind: 'equal' | 'one'): PrimOp {
  nativeMerges.set(p, kind);
  return p;
}

const prioritySuggestion =
  'Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.\n';

function nativeMerge(st: EvalState, kind: 'equal' | 'one', loc: string[], defs: FinalDef[]): Value {
  if (defs.length === 1) return f(defs[0]!.value);
  try {
    return nativeMergeMany(st, kind, loc, defs);
  } catch (e) {
    // The frame the call through Nix would have added.
    if (e instanceof NixError) e.addTrace(noPos, `while calling the '${kind === 'one' ? 'mergeOneOption' : 'mergeEqualOption'}' builtin`);
    throw e;
  }
}

function nativeMergeMany(st: EvalState, kind: 'equal' | 'one', loc: string[], defs: FinalDef[]): Value {
  if (kind === 'one') {
    throwNix(
      `The option \`${showOption(loc)}' is defined multiple times while it's expected to be unique.\n\nDefinition values:${showDefs(st, defs)}\n${prioritySuggestion}`,
    );
  }
  const first = defs[0]!;
  for (let i = 1; i < defs.length; i++) {
    const d = defs[i]!;
    if (!eqLazy(d.value, first.value, noPos, 'while comparing definitions')) {
      throwNix(`The option \`${showOption(loc)}' has conflicting definition values:${showDefs(st, [first, d])}\n${prioritySuggestion}`);
    }
  }
  return f(first.value);
}

/** A v1 merge (`loc: defs: value`) on the engine's definitions, natively when it is one of the lib's. */
function mergeV1(eng: Engine, merge: Value, loc: string[], defs: FinalDef[], r?: MergeResult): Value {
  if (merge instanceof PrimOp) {
    const kind = nativeMerges.get(merge);
    if (kind !== undefined) return nativeMerge(eng.st, kind, loc, defs);
  } else if (merge instanceof PrimOpApp) {
    const nat = nativeV1s.get(merge.primop);
    if (nat !== undefined && merge.args.length === nat.nargs) return nat.fn(eng, loc, defs, merge.args);
  }
  return f(call(eng.st, merge, loc, r !== undefined ? r.nixDefs() : defs.map(nixDef)));
}

/** What a v2 merge returns (`merge.v2 { loc; defs; }`). */
export interface V2Result {
  headError: Value;
  value: Lazy;
  valueMeta: Lazy;
}
type NativeMergeFn<R> = (eng: Engine, loc: string[], defs: Def[], args: Lazy[]) => R;
/**
 * Merges of the lib's composite types, by the primop the type's `merge` partially
 * applies to its parameters (`nargs` of them): the engine runs them on its own
 * definition records; called from Nix they take the usual `{ file; value; }` lists.
 */
const nativeV2s = new WeakMap<PrimOp, { nargs: number; fn: NativeMergeFn<V2Result> }>();
const nativeV1s = new WeakMap<PrimOp, { nargs: number; fn: NativeMergeFn<Value> }>();

export function nativeV2Prim(eng: Engine, name: string, nargs: number, fn: NativeMergeFn<V2Result>): PrimOp {
  const p = prim(name, nargs + 1, (args) => {
    const a = f(args[nargs]!) as NixAttrs;
    const r = fn(eng, strList(a.get('loc')!), defsFromNix(a.get('defs')!), args.slice(0, nargs));
    return attrs({ headError: r.headError, value: r.value, valueMeta: r.valueMeta });
  });
  nativeV2s.set(p, { nargs, fn });
  return p;
}

export function nativeV1Prim(eng: Engine, name: string, nargs: number, fn: NativeMergeFn<Value>): PrimOp {
  const p = prim(name, nargs + 2, (args) => fn(eng, strList(args[nargs]!), defsFromNix(args[nargs + 1]!), args.slice(0, nargs)));
  nativeV1s.set(p, { nargs, fn });
  return p;
}

/** `checkDefsForError` for a check that is a plain predicate on the value. */
function headErrorOf(st: EvalState, defs: Def[], ok: (v: Value) => boolean): Value {
  let bad: Def[] | undefined;
  for (let ix = 0, xs = defs; ix < xs.length; ix++) {
    const d = xs[ix]!;
    if (!ok(f(d.value))) (bad ??= []).push(d);
  }
  return bad === undefined ? null : attrs({ message: 'Definition values: ' + showDefs(st, bad) });
}

const isAttrsValue = (v: Value): boolean => v instanceof NixAttrs;
const isListValue = (v: Value): boolean => Array.isArray(v);

function mergedValueThunk(r: MergeResult): Thunk {
  return mrThunk(mrMergedValue, r);
}
const mrValueMeta = (r: MergeResult): Value => f(r.checkedAndMerged().valueMeta);

/** `types.attrsWith { elemType; lazy; }`'s merge. */
export const attrsWithMerge: NativeMergeFn<V2Result> = (eng, loc, defs, params) => {
  // (no array destructuring: it runs the iterator protocol until the code is optimised)
  const elemTypeL = params[0];
  const lazyL = params[1];
  const st = eng.st;
  const headError = headErrorOf(st, defs, isAttrsValue);
  let evals: { names: string[]; res: MergeResult[] } | undefined;
  const lazyAttrs = f(lazyL!) === true;
  const getEvals = (): { names: string[]; res: MergeResult[] } => {
    if (evals !== undefined) return evals;
    const byName = new Map<string, Def[]>();
    // In first-seen order, as the map's keys (without iterating the map).
    const names: string[] = [];
    for (let ix = 0, xs = defs; ix < xs.length; ix++) {
      const d = xs[ix]!;
      const a = f(d.value);
      if (!(a instanceof NixAttrs)) throw new NixError('type', `expected a set but found ${nixTypeOf(a)}`);
      const ks = a.keys();
      const vs = a.vals;
      for (let i = 0; i < ks.length; i++) {
        let l = byName.get(ks[i]!);
        if (l === undefined) {
          byName.set(ks[i]!, [{ file: d.file, value: vs[i]! }]);
          names.push(ks[i]!);
        } else l.push({ file: d.file, value: vs[i]! });
      }
    }
    if (defs.length > 1) names.sort();
    if (names.length === 0) return (evals = { names, res: [] });
    const elemType = f(elemTypeL!) as NixAttrs;
    let res = new Array<MergeResult>(names.length);
    for (let i = 0; i < names.length; i++) res[i] = eng.mergeDefinitions(withName(loc, names[i]!), elemType, byName.get(names[i]!)!);
    let kept = names;
    if (!lazyAttrs) {
      kept = [];
      const keptRes: MergeResult[] = [];
      for (let i = 0; i < res.length; i++) {
        if (res[i]!.isDefined()) {
          kept.push(names[i]!);
          keptRes.push(res[i]!);
        }
      }
      res = keptRes.slice();
      kept = kept.slice();
    }
    return (evals = { names: kept, res });
  };
  const value = lazy(() => {
    const { names, res } = getEvals();
    if (names.length === 0) return emptyAttrs;
    const vals: Lazy[] = lazyAttrs
      ? res.map((r) => new Thunk(lazyAttrValueCode as unknown as Code, [r, elemTypeL!] as unknown as Env))
      : res.map(mergedValueThunk);
    return NixAttrs.of(new AttrLayout(names), vals);
  });
  const valueMeta = lazy(() => {
    const { names, res } = getEvals();
    return attrs({ attrs: names.length === 0 ? emptyAttrs : NixAttrs.of(new AttrLayout(names), res.map((r) => mrThunk(mrValueMeta, r))) });
  });
  return { headError, value, valueMeta };
};

/** `v.optionalValue.value or elemType.emptyValue.value or v.mergedValue` */
const lazyAttrValueCode = (env: [MergeResult, Lazy]): Value => {
  const r = env[0];
  const elemTypeL = env[1];
  if (r.isDefined()) return f(r.mergedValue());
  const ev = (f(elemTypeL) as NixAttrs).get('emptyValue');
  if (ev !== undefined) {
    const e = f(ev);
    if (e instanceof NixAttrs) {
      const v = e.get('value');
      if (v !== undefined) return f(v);
    }
  }
  return f(r.mergedValue());
};

/**
 * `types.submoduleWith`'s merge: the value is `base.extendModules` with one module
 * per definition (and the value's name), as types.nix writes it; natively, the
 * extension is built without a Nix call and its list of `{ file; value; }` records.
 * `allModules` (types.nix's) is used only when `shorthandOnlyDefinesConfig` is not a
 * Boolean, so that its error stays Nix's.
 */
export const submoduleMerge: NativeMergeFn<V2Result> = (eng, loc, defs, params) => {
  const baseL = params[0];
  const shorthandL = params[1];
  const allModulesL = params[2];
  const checkL = params[3];
  const st = eng.st;
  const headError = headErrorOf(st, defs, (v) => v instanceof NixAttrs || isFunctionV(v) || f(call(st, checkL!, v)) === true);
  let conf: Value | undefined;
  const configuration = (): Value => {
    if (conf !== undefined) return conf;
    const n = loc.length;
    const name: Lazy = n > 0 ? loc[n - 1]! : lazy(() => call(st, sel(eng.lib, 'last'), loc));
    const nameModule = attrs({ _module: attrs({ args: attrs({ name }) }) });
    const modules = lazy(() => {
      const sh = f(shorthandL!);
      if (typeof sh !== 'boolean') return [nameModule, ...(f(call(st, allModulesL!, defs.map(nixDef))) as Lazy[])];
      const out = new Array<Lazy>(defs.length + 1);
      out[0] = nameModule;
      for (let i = 0; i < defs.length; i++) {
        const d = defs[i]!;
        out[i + 1] = lazy(() =>
          sh && f(d.value) instanceof NixAttrs ? attrs({ _file: d.file, config: d.value }) : attrs({ _file: d.file, imports: [d.value] }),
        );
      }
      return out;
    });
    const ext = attrs({ modules, prefix: loc });
    const base = f(baseL!) as NixAttrs;
    const ev = evaluations.get(base);
    return (conf = ev !== undefined ? ev.extendModules(ext) : call(st, sel(base, 'extendModules'), ext));
  };
  const value = lazy(() => sel(configuration(), 'config'));
  const valueMeta = lazy(() => attrs({ configuration: lazy(configuration) }));
  return { headError, value, valueMeta };
};

/** `types.listOf elemType`'s merge. */
export const listOfMerge: NativeMergeFn<V2Result> = (eng, loc, defs, params) => {
  const elemTypeL = params[0];
  const st = eng.st;
  const headError = headErrorOf(st, defs, isListValue);
  let evals: MergeResult[] | undefined;
  const getEvals = (): MergeResult[] => {
    if (evals !== undefined) return evals;
    const out: MergeResult[] = [];
    let elemType: NixAttrs | undefined;
    for (let n = 0; n < defs.length; n++) {
      const d = defs[n]!;
      const l = f(d.value);
      if (!Array.isArray(l)) throw new NixError('type', `expected a list but found ${nixTypeOf(l)}`);
      for (let m = 0; m < l.length; m++) {
        elemType ??= f(elemTypeL!) as NixAttrs;
        const r = eng.mergeDefinitions(withName(loc, `[definition ${n + 1}-entry ${m + 1}]`), elemType, [{ file: d.file, value: l[m]! }]);
        if (r.isDefined()) out.push(r);
      }
    }
    return (evals = out.slice());
  };
  const value = lazy(() => getEvals().map(mergedValueThunk));
  const valueMeta = lazy(() => attrs({ list: lazy(() => getEvals().map((r) => mrThunk(mrValueMeta, r))) }));
  return { headError, value, valueMeta };
};

/** `types.nullOr elemType`'s merge. */
export const nullOrMerge: NativeMergeFn<Value> = (eng, loc, defs, params) => {
  const elemTypeL = params[0];
  let nulls = 0;
  for (let ix = 0, xs = defs; ix < xs.length; ix++) {
    const d = xs[ix]!;
    if (f(d.value) === null) nulls++;
  }
  if (nulls === 0) {
    const et = f(elemTypeL!) as NixAttrs;
    return mergeV1(eng, f(et.get('merge')!), loc, defs as FinalDef[]);
  }
  if (nulls === defs.length) return null;
  throwNix(`The option \`${showOption(loc)}\` is defined both null and not null, in ${showFiles(defs.map((d) => d.file))}.`);
};

// The lazy attributes of `MergeResult.toNix()`, as thunks sharing their code.
function mrThunk(code: (r: MergeResult) => Value, r: MergeResult): Thunk {
  return new Thunk(code as unknown as Code, r as unknown as Env);
}
const mrNixDefs = (r: MergeResult): Value => r.nixDefs();
const mrDefsFinalPrime = (r: MergeResult): Value => attrs({ values: mrThunk(mrNixDefs, r), highestPrio: mrThunk(mrHighestPrio, r) });
const mrHighestPrio = (r: MergeResult): Value => r.highestPrio();
const mrMergedValue = (r: MergeResult): Value => f(r.mergedValue());
const mrIsDefined = (r: MergeResult): Value => r.isDefined();
const mrOptionalValue = (r: MergeResult): Value => (r.isDefined() ? attrs({ value: mrThunk(mrMergedValue, r) }) : emptyAttrs);
const mrCheckedAndMerged = (r: MergeResult): Value => {
  const c = r.checkedAndMerged();
  return attrs({ headError: c.headError, value: c.value, valueMeta: c.valueMeta });
};

/** An option type's `getSubModules` (the submodules it declares), or null. */
function subModulesOfType(t: Lazy | undefined): Value {
  if (t === undefined) return null;
  const tv = f(t);
  if (!(tv instanceof NixAttrs)) return null;
  const gs = tv.get('getSubModules');
  return gs !== undefined ? f(gs) : null;
}

function inDefinitionsFrom(e: unknown, file: string): unknown {
  if (e instanceof NixError) e.addTrace(noPos, `while evaluating definitions from \`${file}':`, true);
  return e;
}

function checkV2Coherence(loc: string[], type: NixAttrs): void {
  const c = f(type.get('check')!);
  if (c instanceof NixAttrs) {
    const k = c.get('isV2MergeCoherent');
    if (k !== undefined && f(k) === true) return;
  }
  throwNix(
    `The option \`${showOption(loc)}' has a type \`${getStr(type.get('description')!)}' that uses
an ad-hoc \`type // { check = ...; }' override, which is incompatible with
the v2 merge mechanism.

Please use \`lib.types.addCheck\` instead of \`type // { check }' to add
custom validation. For example:

  lib.types.addCheck baseType (value: /* your check */)

instead of:

  baseType // { check = value: /* your check */; }
`,
  );
}

// ------------------------------------------------------------------ one level of the option tree

interface LevelResult {
  unmatched(): Def[];
  isOption: boolean;
}

const noDefs: Def[] = [];

class LevelEntry {
  constructor(
    readonly level: Level,
    readonly name: string,
  ) {}
}
const levelEntryCode = (e: LevelEntry): Value => {
  const r = e.level.result(e.name);
  if (r instanceof OptionSlot) return r.level.ev.engine.optionRecord(r.cell());
  return (r as SubLevelResult).sub.matched();
};

/** `config` from a level of the tree: each option's value, each sublevel recursively (lazily). */
function configOfLevel(level: Level): NixAttrs {
  const { layout, meta } = level.shape();
  const keys = layout.keys;
  const vals = new Array<Lazy>(keys.length);
  for (let i = 0; i < keys.length; i++) vals[i] = new Thunk(configEntryCode as unknown as Code, new LevelEntry(level, keys[i]!) as unknown as Env);
  return NixAttrs.withMeta(layout, vals, meta);
}
const configEntryCode = (e: LevelEntry): Value => {
  const r = e.level.result(e.name);
  if (r instanceof OptionSlot) return f(r.cell().valueThunk);
  return configOfLevel((r as SubLevelResult).sub);
};

class SubLevelResult implements LevelResult {
  readonly isOption = false;
  constructor(readonly sub: Level) {}
  unmatched(): Def[] {
    return this.sub.unmatched();
  }
}

/** A level entry that is an option: its state is prepared, and its record built, on first use. */
class OptionSlot implements LevelResult {
  readonly isOption = true;
  /** The prepared option, as a thunk: re-entry is infinite recursion, a failure is kept. */
  private readonly prepared: Thunk;
  constructor(
    readonly level: Level,
    readonly loc: string[],
    readonly decls: DeclRec[],
    readonly name: string,
  ) {
    this.prepared = new Thunk(prepareSlotCode as unknown as Code, this as unknown as Env);
  }
  unmatched(): Def[] {
    return noDefs;
  }
  /** The option's state, prepared on first use. */
  cell(): OptionCell {
    return this.prepared.force() as unknown as OptionCell;
  }
}

const prepareSlotCode = (s: OptionSlot): unknown => s.level.ev.engine.prepareOption(s.loc, s.decls, s.level, s.name);

/**
 * A level's declarations by option name and the names' layout, shared by every level
 * built from the same option sets (decl-cache.ts): read, never changed.
 */
interface LevelDecls {
  readonly decls: Map<string, DeclRec[]>;
  shape: { layout: AttrLayout; meta: AttrMeta } | undefined;
}
const levelDecls = new DeclCache<LevelDecls>();
const noLevelDecls: LevelDecls = { decls: new Map(), shape: undefined };

/** The level's names in order and their positions, shared by its options and config sets. */
function shapeOf(decls: Map<string, DeclRec[]>): { layout: AttrLayout; meta: AttrMeta } {
  const positions = {
    get(name: string): { pos: PosIdx } | undefined {
      const ds = decls.get(name);
      return ds === undefined ? undefined : { pos: ds[0]!.pos };
    },
  };
  const names = [...decls.keys()];
  const layout = names.length === 0 ? AttrLayout.empty : recordLayout(names).layout;
  return { layout, meta: new AttrMeta(undefined, positions, noPos) };
}

class Level {
  private declsByName: Map<string, DeclRec[]> | undefined = undefined;
  private cfgs: { file: string; attrs: NixAttrs }[] | undefined = undefined;
  /** Per slot of the level's layout (shape()), once looked at. */
  private results: (LevelResult | undefined)[] | undefined = undefined;
  private matchedCache: NixAttrs | undefined = undefined;
  private unmatchedCache: Def[] | undefined = undefined;

  constructor(
    readonly ev: Evaluation,
    readonly prefix: string[],
    readonly modules: readonly { readonly file: string; readonly options: Lazy }[],
    /** Definitions, computed on first use: the option *names* of a level must not
     * depend on them (a module's config may test `options ? x`). */
    private readonly configsFn: () => CfgRec[],
  ) {}

  private configsCache: CfgRec[] | undefined = undefined;
  get configs(): CfgRec[] {
    return (this.configsCache ??= this.configsFn());
  }

  decls(): Map<string, DeclRec[]> {
    if (this.declsByName) return this.declsByName;
    return this.sharedDecls().decls;
  }

  private declsEntry: LevelDecls | undefined = undefined;

  /** The level's declarations, indexed once for every evaluation with the same option sets. */
  private sharedDecls(): LevelDecls {
    if (this.declsEntry) return this.declsEntry;
    const mods = this.modules;
    const sets: NixAttrs[] = [];
    const files: string[] = [];
    for (let i = 0; i < mods.length; i++) {
      const mod = mods[i]!;
      const sub = f(mod.options);
      if (!(sub instanceof NixAttrs)) {
        throwNix(
          `An option declaration for \`${this.prefix.join('.')}' has type\n\`${nixTypeOf(sub)}' rather than an attribute set.\nDid you mean to define this outside of \`options'?\n`,
        );
      }
      if (sub.size !== 0) {
        sets.push(sub);
        files.push(mod.file);
      }
    }
    let entry: LevelDecls | undefined = sets.length === 0 ? noLevelDecls : levelDecls.find(sets, files)?.value;
    if (entry === undefined) {
      const m = new Map<string, DeclRec[]>();
      for (let i = 0; i < sets.length; i++) {
        const sub = sets[i]!;
        const file = files[i]!;
        const ks = sub.keys();
        for (let j = 0; j < ks.length; j++) {
          const k = ks[j]!;
          const l = m.get(k);
          if (l === undefined) m.set(k, [new AttrDecl(file, sub, k)]);
          else l.push(new AttrDecl(file, sub, k));
        }
      }
      entry = { decls: m, shape: undefined };
      levelDecls.add(sets, files, entry);
    }
    this.declsByName = entry.decls;
    return (this.declsEntry = entry);
  }

  checkedConfigs(): { file: string; attrs: NixAttrs }[] {
    if (this.cfgs) return this.cfgs;
    const cs = this.configs;
    const out = new Array<{ file: string; attrs: NixAttrs }>(cs.length);
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      const v = f(c.config);
      if (!(v instanceof NixAttrs)) {
        const p = this.prefix.join('.');
        throwNix(
          `In module \`${c.file}', you're trying to define a value of type \`${nixTypeOf(v)}'\nrather than an attribute set for the option\n\`${p}'!\n\nThis usually happens if \`${p}' has option\ndefinitions inside that are not matched. Please check how to properly define\nthis option by e.g. referring to \`man 5 configuration.nix'!\n`,
        );
      }
      out[i] = { file: c.file, attrs: v };
    }
    return (this.cfgs = out);
  }

  private defIndex: Map<string, number[]> | undefined = undefined;

  /**
   * The configs defining each name, as (config, slot) pairs in config order: with
   * many modules, looking every name up in every config would be quadratic.
   */
  private definersOf(name: string): number[] | undefined {
    let ix = this.defIndex;
    if (ix === undefined) {
      ix = new Map();
      const cfgs = this.checkedConfigs();
      for (let ci = 0; ci < cfgs.length; ci++) {
        const ks = cfgs[ci]!.attrs.keys();
        for (let k = 0; k < ks.length; k++) {
          const l = ix.get(ks[k]!);
          if (l === undefined) ix.set(ks[k]!, [ci, k]);
          else l.push(ci, k);
        }
      }
      this.defIndex = ix;
    }
    return ix.get(name);
  }

  /** The definitions of `name` in this level's configs, after `lead` (an option's default) if given. */
  rawDefs(name: string, lead?: Def): Def[] {
    const off = lead === undefined ? 0 : 1;
    const cfgs = this.checkedConfigs();
    if (cfgs.length <= 8) {
      // Option definitions are kept: allocated at their exact size (most options have
      // at most one definition besides the default).
      let one: Def | undefined;
      let more: Def[] | undefined;
      for (let i = 0; i < cfgs.length; i++) {
        const c = cfgs[i]!;
        const v = c.attrs.get(name);
        if (v !== undefined) {
          const d = new AttrDef(c.file, v, c.attrs, name);
          if (one === undefined) one = d;
          else (more ??= []).push(d);
        }
      }
      const out = new Array<Def>(off + (one === undefined ? 0 : 1) + (more === undefined ? 0 : more.length));
      let k = 0;
      if (lead !== undefined) out[k++] = lead;
      if (one !== undefined) out[k++] = one;
      if (more !== undefined) for (let j = 0; j < more.length; j++) out[k++] = more[j]!;
      return out;
    }
    const ds = this.definersOf(name);
    if (ds === undefined) return lead === undefined ? [] : [lead];
    const exact = new Array<Def>(off + ds.length / 2);
    if (lead !== undefined) exact[0] = lead;
    for (let i = 0; i < ds.length; i += 2) {
      const c = cfgs[ds[i]!]!;
      exact[off + i / 2] = new AttrDef(c.file, c.attrs.vals[ds[i + 1]!]!, c.attrs, name);
    }
    return exact;
  }

  pushedDefs(name: string): CfgRec[] {
    const out: CfgRec[] = [];
    const cfgs = this.checkedConfigs();
    if (cfgs.length <= 8) {
      for (let i = 0; i < cfgs.length; i++) {
        const c = cfgs[i]!;
        const v = c.attrs.get(name);
        if (v !== undefined) {
          const ps = pushDownProperties(v);
          for (let j = 0; j < ps.length; j++) out.push({ file: c.file, config: ps[j]! });
        }
      }
      return out.slice();
    }
    const ds = this.definersOf(name);
    if (ds === undefined) return out;
    for (let i = 0; i < ds.length; i += 2) {
      const c = cfgs[ds[i]!]!;
      const ps = pushDownProperties(c.attrs.vals[ds[i + 1]!]!);
      for (let j = 0; j < ps.length; j++) out.push({ file: c.file, config: ps[j]! });
    }
    return out.slice();
  }

  result(name: string): LevelResult {
    const layout = this.shape().layout;
    const slot = layout.indexOf(name);
    const results = (this.results ??= new Array<LevelResult | undefined>(layout.keys.length));
    let r = results[slot];
    if (r !== undefined) return r;
    const eng = this.ev.engine;
    const loc = withName(this.prefix, name);
    const decls = this.decls().get(name)!;
    let nOptions = 0;
    for (let i = 0; i < decls.length; i++) {
      const d = decls[i]!;
      const o = f(d.options);
      if (!(o instanceof NixAttrs) || !o.has('_type')) continue;
      const t = typeTag(o);
      if (t === 'option') nOptions++;
      else throwDeclarationTypeError(loc, t ?? '', d.file);
    }
    if (nOptions > 0) {
      let useDecls = decls;
      if (nOptions !== decls.length) {
        const optionDecls = decls.filter((d) => typeTag(f(d.options)) === 'option');
        const allSub = optionDecls.every((d) => {
          const t = (f(d.options) as NixAttrs).get('type');
          if (t === undefined) return false;
          const tv = f(t);
          const n = tv instanceof NixAttrs ? tv.get('name') : undefined;
          return n !== undefined && getStr(n) === 'submodule';
        });
        if (!allSub) {
          const first = optionDecls[0]!;
          const t = (f(first.options) as NixAttrs).get('type');
          let desc = '<no description>';
          if (t !== undefined) {
            const tv = f(t);
            const dd = tv instanceof NixAttrs ? tv.get('description') : undefined;
            if (dd !== undefined) desc = getStr(dd);
          }
          const nonOptions = decls.filter((d) => typeTag(f(d.options)) !== 'option');
          const lines: string[] = [];
          for (const d of nonOptions) {
            for (const k of (f(d.options) as NixAttrs).keys()) lines.push(` - option(s) with prefix \`${showOption([...loc, k])}' in module \`${d.file}'`);
          }
          lines.sort();
          throwNix(
            `The option \`${showOption(loc)}' in module \`${first.file}' would be a parent of the following options, but its type \`${desc}' does not support nested options.\n${lines.join('\n')}`,
          );
        }
        useDecls = decls.map((d) => (typeTag(f(d.options)) === 'option' ? d : this.optionTreeToOption(d)));
      }
      r = new OptionSlot(this, loc, useDecls, name);
    } else {
      const sub = new Level(
        this.ev,
        loc,
        decls,
        () => this.pushedDefs(name),
      );
      r = new SubLevelResult(sub);
    }
    results[slot] = r;
    return r;
  }


  private optionTreeToOption(d: DeclRec): DeclRec {
    const eng = this.ev.engine;
    const opts = d.options;
    const type = lazy(() =>
      call(
        eng.st,
        sel(eng.lib, 'types', 'submoduleWith'),
        attrs({ modules: [attrs({ options: opts })], shorthandOnlyDefinesConfig: null }),
      ),
    );
    return { file: d.file, pos: d.pos, options: attrs({ _type: 'option', type }) };
  }

  private shapeCache: { layout: AttrLayout; meta: AttrMeta } | undefined = undefined;

  /** The level's names in order and their positions, shared by its options and config sets. */
  shape(): { layout: AttrLayout; meta: AttrMeta } {
    if (this.shapeCache) return this.shapeCache;
    const entry = this.sharedDecls();
    return (this.shapeCache = entry.shape ??= shapeOf(entry.decls));
  }

  matched(): NixAttrs {
    if (this.matchedCache) return this.matchedCache;
    const { layout, meta } = this.shape();
    const keys = layout.keys;
    const vals = new Array<Lazy>(keys.length);
    for (let i = 0; i < keys.length; i++) vals[i] = new Thunk(levelEntryCode as unknown as Code, new LevelEntry(this, keys[i]!) as unknown as Env);
    return (this.matchedCache = NixAttrs.withMeta(layout, vals, meta));
  }

  unmatched(): Def[] {
    if (this.unmatchedCache) return this.unmatchedCache;
    if (this.configs.length === 0) return (this.unmatchedCache = []);
    // Nearly always empty: find the names with unmatched definitions first, and
    // sort only those (the result is in name order).
    const decls = this.decls();
    const cfgs = this.checkedConfigs();
    let found: { name: string; defs: Def[] }[] | undefined;
    // The option names in byte order, sorted once per level (cached by the set).
    const names = this.shape().layout.keys;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const u = this.result(name).unmatched();
      if (u.length > 0) (found ??= []).push({ name, defs: u });
    }
    let undeclared: Set<string> | undefined;
    for (let i = 0; i < cfgs.length; i++) {
      const ks = cfgs[i]!.attrs.keys();
      for (let j = 0; j < ks.length; j++) if (!decls.has(ks[j]!)) (undeclared ??= new Set()).add(ks[j]!);
    }
    if (undeclared !== undefined) for (const name of undeclared) (found ??= []).push({ name, defs: [] });
    if (found === undefined) return (this.unmatchedCache = []);
    found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out: Def[] = [];
    for (const { name, defs } of found) {
      if (decls.has(name)) {
        for (const d of defs) out.push({ file: d.file, value: d.value, pos: d.pos, prefix: [name, ...(d.prefix ?? [])] });
      } else {
        for (const d of this.rawDefs(name)) out.push({ file: d.file, value: d.value, pos: d.pos, prefix: [name] });
      }
    }
    return (this.unmatchedCache = out);
  }
}

function throwDeclarationTypeError(loc: string[], tag: string, file: string): never {
  const name = loc[loc.length - 1]!;
  const paragraphs = [
    `In module ${file}: expected an option declaration at option path \`${showOption(loc)}\` but got an attribute set with type ${tag}`,
  ];
  if (tag === 'option-type') {
    const comment = loc.length > 1 ? `\n    # ${showOption(loc)}` : '';
    paragraphs.push(
      `When declaring an option, you must wrap the type in a \`mkOption\` call. It should look somewhat like:\n    ${comment}\n    ${escapeIdent(name)} = lib.mkOption {\n      description = ...;\n      type = <the type you wrote for ${escapeIdent(name)}>;\n      ...\n    };\n`,
    );
  }
  throwNix(paragraphs.join('\n\n'));
}

function escapeIdent(s: string): string {
  return showOption([s]);
}

// ------------------------------------------------------------------ modules

class Module {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly cls: string | null,
    readonly disabledModules: Lazy,
    readonly imports: Lazy,
    readonly options: Lazy,
    readonly config: Lazy,
  ) {}
}

/** Never mutated: modules without imports/disabledModules share it. */
const emptyList: Lazy[] = [];

function withFreeform(m: NixAttrs, cfg: Lazy): Lazy {
  const ft = m.get('freeformType');
  if (ft !== undefined) return attrs({ _type: 'merge', contents: [cfg, attrs({ _module: attrs({ freeformType: ft }) })] });
  return cfg;
}

const noDisabled: { file: string; disabled: Lazy }[] = [];
/** Never mutated: the disabled keys when nothing is disabled. */
const noKeys = new Set<string>();

interface Structured {
  key: string;
  module: Module;
  modules: Structured[];
  disabled: { file: string; disabled: Lazy }[];
}

const unknownModule = '<unknown-file>';
/** Never mutated: the imports of a module that imports nothing. */
const noStructured: Structured[] = [];

// An evaluation's lazy parts, as thunks sharing their code (one object each, no closures).
function evThunk(code: (ev: Evaluation) => Value, ev: Evaluation): Thunk {
  return new Thunk(code as unknown as Code, ev as unknown as Env);
}
const evRegularModules = (ev: Evaluation): Value => {
  const l = f(ev.modulesL);
  return ev.legacy.length === 0 && Array.isArray(l) ? l : [...(l as Lazy[]), ...ev.legacy];
};
const evConfigV = (ev: Evaluation): Value => ev.computeConfig();
const evType = (ev: Evaluation): Value =>
  call(ev.st, sel(ev.engine.lib, 'types', 'submoduleWith'), attrs({ modules: ev.modulesL, specialArgs: ev.specialArgs, class: ev.cls }));
// `options`, `config` and `_module` of the result check for unmatched definitions first.
const evOptions = (ev: Evaluation): Value => {
  ev.checkUnmatched();
  return ev.options();
};
const evConfig = (ev: Evaluation): Value => {
  ev.checkUnmatched();
  return ev.publicConfig();
};
const evModule = (ev: Evaluation): Value => {
  ev.checkUnmatched();
  return sel(ev.configV, '_module');
};
const evGraph = (ev: Evaluation): Value => f(ev.collect().graph);
/** Not yet looked up (Evaluation.internalDefault). */
const unknownDefault: unique symbol = Symbol('unknown');

export class Evaluation {
  readonly engine: Engine;
  readonly st: EvalState;
  readonly prefix: string[];
  readonly specialArgs: NixAttrs;
  readonly cls: string | null;
  readonly result: NixAttrs;
  private root: Level | undefined = undefined;
  private collected: { modules: Module[]; graph: Lazy } | undefined = undefined;
  readonly regularModules: Thunk;
  readonly configV: Thunk;
  private checkedDone = false;

  constructor(
    engine: Engine,
    readonly args: NixAttrs,
  ) {
    this.engine = engine;
    const st = (this.st = engine.st);
    let unexpected = false;
    for (let ix = 0, xs = args.keys(); ix < xs.length; ix++) {
      const k = xs[ix]!;
      if (!evalModulesArgs.has(k)) unexpected = true;
    }
    if (unexpected) {
      for (const k of args.keys()) {
        if (!evalModulesArgs.has(k)) throw new NixError('type', `function 'evalModules' called with unexpected argument '${k}'`);
      }
    }
    const modulesL = args.get('modules');
    if (modulesL === undefined) throw new NixError('missing-argument', "function 'evalModules' called without required argument 'modules'");
    this.prefix = args.has('prefix') ? strList(args.get('prefix')!) : [];
    this.specialArgs = args.has('specialArgs') ? (f(args.get('specialArgs')!) as NixAttrs) : emptyAttrs;
    const c = args.has('class') ? f(args.get('class')!) : null;
    this.cls = c === null ? null : getStr(c);
    const legacy: Lazy[] = [];
    if (args.has('args')) {
      st.warn('The args argument to evalModules is deprecated. Please set config._module.args instead.');
      legacy.push(attrs({ config: attrs({ _module: attrs({ args: args.get('args')! }) }) }));
    }
    if (args.has('check')) {
      st.warn('The check argument to evalModules is deprecated. Please set config._module.check instead.');
      legacy.push(attrs({ config: attrs({ _module: attrs({ check: mkOverrideV(1000, args.get('check')!) }) }) }));
    }
    this.modulesL = modulesL;
    this.legacy = legacy;
    this.regularModules = evThunk(evRegularModules, this);
    this.configV = evThunk(evConfigV, this);
    const typeL = evThunk(evType, this);
    this.typeL = typeL;
    this.result = attrs({
      _type: 'configuration',
      options: evThunk(evOptions, this),
      config: evThunk(evConfig, this),
      _module: evThunk(evModule, this),
      graph: evThunk(evGraph, this),
      extendModules: new ExtendModules(this),
      type: typeL,
      class: this.cls,
    });
  }

  /** The `modules` argument, and the modules the deprecated `args`/`check` arguments stand for. */
  readonly modulesL: Lazy;
  readonly legacy: Lazy[];

  /** `config` without `_module` (the result's `config`). */
  publicConfig(): Value {
    const cfg = f(this.configV) as NixAttrs;
    const i = cfg.layout.indexOf('_module');
    // Positions by name (never by slot here) stay valid for the set without `_module`.
    if (i >= 0 && cfg.meta.posArr === undefined) {
      const all = cfg.vals;
      const vals = new Array<Lazy>(all.length - 1);
      for (let j = 0; j < i; j++) vals[j] = all[j]!;
      for (let j = i + 1; j < all.length; j++) vals[j - 1] = all[j]!;
      return NixAttrs.withMeta(withoutModuleLayout(cfg.layout, i), vals, cfg.meta);
    }
    const m = new Map(cfg.map);
    m.delete('_module');
    return new NixAttrs(m, cfg.positions);
  }

  readonly typeL: Thunk;

  extendModules(ext: NixAttrs): Value {
    let unexpected = false;
    for (let ix = 0, xs = ext.keys(); ix < xs.length; ix++) {
      const k = xs[ix]!;
      if (k !== 'modules' && k !== 'specialArgs' && k !== 'prefix') unexpected = true;
    }
    if (unexpected) {
      for (const k of ext.keys()) {
        if (!['modules', 'specialArgs', 'prefix'].includes(k))
          throw new NixError('type', `function 'extendModules' called with unexpected argument '${k}'`);
      }
    }
    const extra = ext.get('modules');
    const base = this.regularModules;
    const sa = ext.get('specialArgs');
    let specialArgs: Lazy = this.specialArgs;
    if (sa !== undefined) {
      const mine = this.specialArgs;
      specialArgs = lazy(() => {
        const x = new Map(mine.map);
        for (const [k, v] of (f(sa) as NixAttrs).map) x.set(k, v);
        return new NixAttrs(x);
      });
    }
    const p = ext.get('prefix');
    // Legacy `args`/`check` are already part of regularModules; `class` stays.
    return this.engine.evalModules(
      attrs({
        class: this.args.get('class'),
        modules: extra === undefined ? base : lazy(() => appendLists(listOf(base), listOf(extra))),
        prefix: p !== undefined ? p : this.prefix,
        specialArgs,
      }),
    );
  }

  // ---------------------------------------------------------------- collecting

  private internalModule(): NixAttrs {
    return attrs({
      _file: 'lib/modules.nix',
      key: 'lib/modules.nix',
      options: this.engine.internalOptions(this.prefix.length !== 0),
      config: attrs({
        _module: attrs({
          args: attrs({ extendModules: this.result.get('extendModules')!, moduleType: this.typeL }),
          specialArgs: this.specialArgs,
        }),
      }),
    });
  }

  private moduleArgs: NixAttrs | undefined = undefined;

  private collectArgs(): NixAttrs {
    if (this.moduleArgs) return this.moduleArgs;
    const options = lazy(() => this.options());
    const config = lazy(() =>
      withContext(
        'if you get an infinite recursion here, you probably reference `config` in `imports`. If you are trying to achieve a conditional import behavior dependent on `config`, consider importing unconditionally, and using `mkEnableOption` and `mkIf` to control its effect.',
        () => f(this.configV),
      ),
    );
    // Most evaluations (every submodule value) have no specialArgs: one shared layout.
    if (this.specialArgs.size === 0) {
      return (this.moduleArgs = attrs({ _class: this.cls, _prefix: this.prefix, config, lib: this.engine.lib, options, specialArgs: this.specialArgs }));
    }
    const m = new Map<string, Lazy>();
    m.set('lib', this.engine.lib);
    m.set('options', options);
    m.set('specialArgs', this.specialArgs);
    m.set('_class', this.cls);
    m.set('_prefix', this.prefix);
    m.set('config', config);
    for (const [k, v] of this.specialArgs.map) m.set(k, v);
    return (this.moduleArgs = new NixAttrs(m));
  }

  private applyModuleArgs(key: string, fn: Value, args: NixAttrs): Value {
    const fa = functionArgNames(this.st, fn);
    if (fa.length === 0) return this.st.callFunction(fn, args, noPos);
    // Usually every argument asked for is one of `args`: then the set keeps their layout.
    let allKnown = true;
    for (let ix = 0, xs = fa; ix < xs.length; ix++) {
      const name = xs[ix]!;
      if (!args.has(name)) allKnown = false;
    }
    if (allKnown) {
      const vals = args.vals.slice();
      for (let ix = 0, xs = fa; ix < xs.length; ix++) {
        const name = xs[ix]!;
        vals[args.layout.indexOf(name)] = moduleArgThunk(key, name, args);
      }
      return this.st.callFunction(fn, NixAttrs.withMeta(args.layout, vals, args.meta), noPos);
    }
    const m = new Map(args.map);
    for (const name of fa) m.set(name, moduleArgThunk(key, name, args));
    return this.st.callFunction(fn, new NixAttrs(m), noPos);
  }

  private loadModule(args: NixAttrs, fallbackFile: string, fallbackKey: string, m: Lazy): Module {
    const v = f(m);
    if (isFunctionV(v)) {
      const mod = this.unify(fallbackFile, fallbackKey, this.applyModuleArgs(fallbackKey, v, args));
      if (v instanceof Lambda && mod.options !== emptyAttrs) {
        const share = sharedOptionsOf(v.node);
        if (share !== null) {
          // The arguments `options` reads, by their sources (module arguments are fresh thunks).
          const used: Lazy[] = [];
          for (let ix = 0, xs = share.formals; ix < xs.length; ix++) {
            const name = xs[ix]!;
            const x = args.get(name);
            if (x === undefined) return mod;
            used.push(x);
          }
          const prev = sharedOptions.get(v);
          if (prev === undefined) sharedOptions.set(v, { options: mod.options, args: used });
          else if (prev.args.every((x, i) => x === used[i])) {
            return new Module(mod.file, mod.key, mod.cls, mod.disabledModules, mod.imports, prev.options, mod.config);
          }
        }
      }
      return mod;
    }
    if (v instanceof NixAttrs) {
      const t = typeTag(v);
      if (t === null || t === 'module') return this.unify(fallbackFile, fallbackKey, v);
      if (t === 'if' || t === 'override') return this.loadModule(args, fallbackFile, fallbackKey, attrs({ config: v }));
      throwNix(notAModule(fallbackFile, t, this.cls, this.prefix));
    }
    if (Array.isArray(v)) {
      throwNix(
        `Module imports can't be nested lists. Perhaps you meant to remove one level of lists? Definitions: ${showDefs(this.st, [{ file: fallbackFile, value: v }])}`,
      );
    }
    const path = toStr(this.st, v);
    const imported = this.st.evalFile(path);
    const body = isFunctionV(imported) ? this.applyModuleArgs(path, imported, args) : imported;
    return this.unify(path, path, body);
  }

  private unify(file: string, key: string, mv: Value): Module {
    const st = this.st;
    if (!(mv instanceof NixAttrs)) throwNix(`module ${file} (${key}) does not look like a module.`);
    const m = mv;
    const fileV = m.get('_file');
    const keyV = m.get('key');
    const outFile = fileV !== undefined ? toStr(st, fileV) : file;
    const outKey = keyV !== undefined ? toStr(st, keyV) : key;
    const clsV = m.get('_class');
    let cls: string | null = null;
    if (clsV !== undefined) {
      const x = f(clsV);
      cls = x === null ? null : getStr(x);
    }
    const disabledModules = m.get('disabledModules') ?? emptyList;
    if (m.has('config') || m.has('options')) {
      let anyBad = false;
      for (let ix = 0, xs = m.keys(); ix < xs.length; ix++) {
        const k = xs[ix]!;
        if (!explicitModuleKeys.has(k)) anyBad = true;
      }
      if (anyBad) {
        const bad = m.keys().filter((k) => !explicitModuleKeys.has(k));
        throwNix(
          `Module \`${key}' has an unsupported attribute \`${bad[0]}'. This is caused by introducing a top-level \`config' or \`options' attribute. Add configuration attributes immediately on the top level instead, or move all of them (namely: ${bad.join(' ')}) into the explicit \`config' attribute.`,
        );
      }
      let config: Lazy = m.get('config') ?? emptyAttrs;
      const meta = m.get('meta');
      if (meta !== undefined) config = attrs({ _type: 'merge', contents: [config, attrs({ meta })] });
      return new Module(outFile, outKey, cls, disabledModules, m.get('imports') ?? emptyList, m.get('options') ?? emptyAttrs, withFreeform(m, config));
    }
    let cfgAttrs = m;
    let special = false;
    for (let ix = 0, xs = shorthandModuleKeys; ix < xs.length; ix++) {
      const k = xs[ix]!;
      if (m.has(k)) special = true;
    }
    if (special) {
      let rest = 0;
      for (let ix = 0, xs = m.keys(); ix < xs.length; ix++) {
        const k = xs[ix]!;
        if (!shorthandKeySet.has(k)) rest++;
      }
      if (rest === 0) cfgAttrs = emptyAttrs;
      else {
        const cfg = new Map(m.map);
        for (const k of shorthandModuleKeys) cfg.delete(k);
        cfgAttrs = new NixAttrs(cfg, m.positions);
      }
    }
    const req = m.get('require');
    const imp = m.get('imports');
    const imports =
      req === undefined ? (imp ?? emptyList) : lazy(() => [...(f(req) as Lazy[]), ...(imp === undefined ? [] : (f(imp) as Lazy[]))]);
    return new Module(outFile, outKey, cls, disabledModules, imports, emptyAttrs, withFreeform(m, cfgAttrs));
  }

  private checkModule(m: Module): Module {
    if (this.cls === null || m.cls === null || m.cls === this.cls) return m;
    throwNix(
      `The module \`${m.file || m.key}\` (class: ${escapeNixString(m.cls)}) cannot be imported into a module evaluation that expects class ${escapeNixString(this.cls)}.

Help:
- Ensure that you are importing the correct module.
- Verify that the module's \`_class\`, ${escapeNixString(m.cls)} matches the expected \`class\` ${escapeNixString(this.cls)}.
- If you are using a custom class, make sure it is correctly defined and used consistently across your modules.
`,
    );
  }

  private collectStructured(parentFile: string, parentKey: string, initial: Lazy, args: NixAttrs): Structured[] {
    const list = f(initial);
    if (!Array.isArray(list)) throw new NixError('type', `expected a list but found ${nixTypeOf(list)}`);
    // Most modules import nothing.
    if (list.length === 0) return noStructured;
    const out = new Array<Structured>(list.length);
    for (let i = 0; i < list.length; i++) {
      const module = this.checkModule(this.loadModule(args, parentFile, `${parentKey}:anon-${i + 1}`, list[i]!));
      const sub = this.collectStructured(module.file, module.key, module.imports, args);
      const dm = f(module.disabledModules);
      let disabled = noDisabled;
      if (Array.isArray(dm) && dm.length > 0) disabled = [{ file: module.file, disabled: dm }];
      for (let j = 0; j < sub.length; j++) if (sub[j]!.disabled.length > 0) disabled = disabled.concat(sub[j]!.disabled);
      out[i] = { key: module.key, module, modules: sub, disabled };
    }
    return out;
  }

  private disabledKeys(disabled: { file: string; disabled: Lazy }[]): Set<string> {
    const st = this.st;
    if (disabled.length === 0) return noKeys;
    const modulesPathV = this.specialArgs.get('modulesPath');
    const keys = new Set<string>();
    for (const { file, disabled: dl } of disabled) {
      for (const x of f(dl) as Lazy[]) {
        const m = f(x);
        if (typeof m === 'string' || m instanceof NixString) {
          const s = getStr(m);
          keys.add(s.startsWith('/') ? s : (modulesPathV !== undefined ? toStr(st, modulesPathV) : '') + '/' + s);
        } else if (convertibleWithToString(m)) {
          const s = toStr(st, m);
          if (m instanceof NixAttrs && m.has('key')) {
            const k = toStr(st, m.get('key')!);
            if (k !== s)
              throwNix(
                `Module \`${file}\` contains a disabledModules item that is an attribute set that can be converted to a string (${s}) but also has a \`.key\` attribute (${k}) with a different value. This makes it ambiguous which module should be disabled.`,
              );
          }
          keys.add(s);
        } else if (m instanceof NixAttrs && m.has('key')) {
          keys.add(toStr(st, m.get('key')!));
        } else if (m instanceof NixAttrs) {
          throwNix(
            `Module \`${file}\` contains a disabledModules item that is an attribute set, presumably a module, that does not have a \`key\` attribute. This means that the module system doesn't have any means to identify the module that should be disabled. Make sure that you've put the correct value in disabledModules: a string path relative to modulesPath, a path value, or an attribute set with a \`key\` attribute.`,
          );
        } else {
          throwNix(
            `Each disabledModules item must be a path, string, or a attribute set with a key attribute, or a value supported by toString. However, one of the disabledModules items in \`${file}\` is none of that, but is of type ${nixTypeOf(m)}.`,
          );
        }
      }
    }
    return keys;
  }

  collect(): { modules: Module[]; graph: Lazy } {
    if (this.collected) return this.collected;
    // Re-entry means module structure (imports) depends on the result being built.
    if (this.collecting) throw new NixError('infinite-recursion', 'infinite recursion encountered');
    this.collecting = true;
    try {
      return this.doCollect();
    } finally {
      this.collecting = false;
    }
  }

  private doCollect(): { modules: Module[]; graph: Lazy } {
    const st = this.st;
    const regular = f(this.regularModules);
    const all = Array.isArray(regular) ? appendLists(regular, [this.internalModule()]) : regular;
    const structured = this.collectStructured(unknownModule, '', all, this.collectArgs());
    let disabledAll = noDisabled;
    for (let ix = 0, xs = structured; ix < xs.length; ix++) {
      const s = xs[ix]!;
      if (s.disabled.length > 0) disabledAll = disabledAll.concat(s.disabled);
    }
    const dkeys = this.disabledKeys(disabledAll);
    // genericClosure: breadth-first, first occurrence of a key wins.
    const seen = new Set<string>();
    const out: Module[] = [];
    const queue: Structured[] = [];
    for (let i = 0; i < structured.length; i++) if (!dkeys.has(structured[i]!.key)) queue.push(structured[i]!);
    for (let i = 0; i < queue.length; i++) {
      const s = queue[i]!;
      if (seen.has(s.key)) continue;
      seen.add(s.key);
      out.push(s.module);
      for (let ix = 0, xs = s.modules; ix < xs.length; ix++) {
        const c = xs[ix]!;
        if (!dkeys.has(c.key)) queue.push(c);
      }
    }
    const toGraph = (s: Structured): NixAttrs =>
      attrs({
        disabled: dkeys.has(s.key),
        key: s.key,
        file: s.module.file,
        imports: lazy(() => s.modules.map(toGraph)),
      });
    const graph = lazy(() => structured.filter((s) => s.key !== 'lib/modules.nix').map(toGraph));
    void st;
    return (this.collected = { modules: out, graph });
  }

  private buildingLevel = false;
  private collecting = false;

  level(): Level {
    if (this.root) return this.root;
    if (this.buildingLevel) throw new NixError('infinite-recursion', 'infinite recursion encountered');
    this.buildingLevel = true;
    try {
      const mods = this.collect().modules.slice().reverse();
      const configs = (): CfgRec[] => {
        const out: CfgRec[] = [];
        for (let i = 0; i < mods.length; i++) {
          const m = mods[i]!;
          // Most configs are plain sets: no push-down list for them.
          const v = f(m.config);
          if (!(v instanceof NixAttrs) || !v.has('_type')) {
            out.push({ file: m.file, config: v });
            continue;
          }
          const ps = pushDownProperties(v);
          for (let j = 0; j < ps.length; j++) out.push({ file: m.file, config: ps[j]! });
        }
        return out.slice();
      };
      return (this.root = new Level(this, this.prefix, mods, configs));
    } finally {
      this.buildingLevel = false;
    }
  }

  options(): NixAttrs {
    return this.level().matched();
  }

  private declaredConfig(): NixAttrs {
    return configOfLevel(this.level());
  }

  /**
   * `config._module.<name>` when it is provably its default: declared only by the
   * internal module and defined nowhere. Every evaluation (one per submodule value)
   * reads `check` and `freeformType`; this skips preparing and merging both options.
   */
  private internalDefault(name: 'check' | 'freeformType'): Value | undefined {
    // Asked up to three times per evaluation (computeConfig, checkUnmatched).
    if (name === 'check') return this.checkDefault === unknownDefault ? (this.checkDefault = this.findInternalDefault(name)) : this.checkDefault;
    return this.freeformDefault === unknownDefault ? (this.freeformDefault = this.findInternalDefault(name)) : this.freeformDefault;
  }
  private checkDefault: Value | undefined | typeof unknownDefault = unknownDefault;
  private freeformDefault: Value | undefined | typeof unknownDefault = unknownDefault;

  private findInternalDefault(name: 'check' | 'freeformType'): Value | undefined {
    const r = this.level().result('_module');
    if (!(r instanceof SubLevelResult)) return undefined;
    const sub = r.sub;
    const ds = sub.decls().get(name);
    if (ds === undefined || ds.length !== 1) return undefined;
    const internal = f(this.engine.internalOptions(this.prefix.length !== 0).get('_module')!) as NixAttrs;
    if (ds[0]!.options !== internal.get(name)) return undefined;
    if (sub.rawDefs(name).length !== 0) return undefined;
    return name === 'check' ? true : null;
  }

  computeConfig(): Value {
    const declared = this.declaredConfig();
    const ft0 = this.internalDefault('freeformType');
    const ft = ft0 !== undefined ? ft0 : sel(declared, '_module', 'freeformType');
    if (ft === null) return declared;
    const unmatched = this.level().unmatched();
    if (unmatched.length === 0) return recursiveUpdate(emptyAttrs, declared);
    const defs = unmatched.map((d) =>
      attrs({ file: d.file, value: setAttrByPath(d.prefix ?? [], d.value) }),
    );
    const free = lazy(() => call(this.st, (ft as NixAttrs).get('merge')!, this.prefix, defs));
    return recursiveUpdate(f(free) as NixAttrs, declared);
  }

  checkUnmatched(): void {
    if (this.checkedDone) return;
    const cfg = f(this.configV) as NixAttrs;
    // `config._module` itself only when the internal defaults do not answer.
    const mod = (): NixAttrs => f(cfg.get('_module')!) as NixAttrs;
    const check = this.internalDefault('check') ?? f(mod().get('check')!);
    // (not `??`: the default freeformType is null)
    const ft0 = check === true ? this.internalDefault('freeformType') : undefined;
    if (check !== true || (ft0 !== undefined ? ft0 : f(mod().get('freeformType')!)) !== null) {
      this.checkedDone = true;
      return;
    }
    const un = this.level().unmatched();
    if (un.length === 0) {
      this.checkedDone = true;
      return;
    }
    const st = this.st;
    const first = un[0]!;
    const fp = first.prefix ?? [];
    const optText = showOption([...this.prefix, ...fp]);
    const defText = withContext(
      `while evaluating the error message for definitions for \`${optText}', which is an option that does not exist`,
      () => withContext(`while evaluating a definition from \`${first.file}'`, () => showDefs(st, [first])),
    );
    const absParent = [...this.prefix, ...fp].slice(0, -1);
    const parent = fp.slice(0, -1);
    let siblings: string[] = [];
    try {
      let x: Value = this.options();
      for (const p of parent) {
        if (!(x instanceof NixAttrs) || !x.has(p)) {
          x = emptyAttrs;
          break;
        }
        x = f(x.get(p)!);
      }
      if (x instanceof NixAttrs) siblings = x.keys();
    } catch (e) {
      noteHostStack(e);
      siblings = [];
    }
    const candidates = parent.length === 0 ? siblings.filter((s) => s !== '_module') : siblings;
    const invalid = fp[fp.length - 1]!;
    let scored = candidates.map((c, i) => ({ c, d: levenshtein(invalid, c), i }));
    if (candidates.length >= 100) scored = scored.filter((s) => s.d <= 2);
    const sugg = scored
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .slice(0, 3)
      .map((s) => s.c);
    const q = (s: string) => '`' + showOption([...absParent, s]) + "'";
    const suggestion =
      sugg.length === 0
        ? ''
        : sugg.length === 1
          ? `\n\nDid you mean ${q(sugg[0]!)}?`
          : `\n\nDid you mean ${sugg.slice(0, -1).map(q).join(', ')} or ${q(sugg[sugg.length - 1]!)}?`;
    const baseMsg = `The option \`${optText}' does not exist. Definition values:${defText}${suggestion}`;
    const optNames = this.options().keys();
    if (optNames.length === 1 && optNames[0] === '_module') {
      const name = showOption(this.prefix);
      if (name === '')
        throwNix(`${baseMsg}\n\nIt seems as if you're trying to declare an option by placing it into \`config' rather than \`options'!\n`);
      throwNix(
        `${baseMsg}\n\nHowever there are no options defined in \`${name}'. Are you sure you've\ndeclared your options properly? This can happen if you e.g. declared your options in \`types.submodule'\nunder \`config' rather than \`options'.\n`,
      );
    }
    throwNix(baseMsg);
  }
}

/**
 * Config layouts without `_module`, shared like the layouts they come from (every
 * value of a submodule type has the same names): one layout object per shape keeps
 * the evaluator's per-layout caches (`//` plans, symbol orders) warm.
 */
const noModuleLayouts = new WeakMap<AttrLayout, AttrLayout>();
function withoutModuleLayout(l: AttrLayout, i: number): AttrLayout {
  let r = noModuleLayouts.get(l);
  if (r === undefined) {
    const keys = l.keys;
    noModuleLayouts.set(l, (r = new AttrLayout(keys.slice(0, i).concat(keys.slice(i + 1)))));
  }
  return r;
}

/**
 * Module functions whose `options` do not depend on the evaluation they are applied in.
 *
 * `extendModules` children (and every evaluation of a submodule type) apply the same
 * module functions again, to new `config`/`options` arguments. When the function's
 * body is an attribute set (under `let`s) whose `options` expression reads, directly
 * or through those `let`s, only the closure and arguments that are the very same
 * values as at the first application (`lib`, specialArgs — never `config`), its value
 * is that of the first application: the declarations, and the option types built
 * from them, are reused instead of rebuilt.
 */
interface SharedOptions {
  /** The formals `options` reads. */
  formals: string[];
}
const closedOptionsExprs = new WeakMap<ELambda, SharedOptions | null>();
const sharedOptions = new WeakMap<Lambda, { options: Lazy; args: Lazy[] }>();

function sharedOptionsOf(node: ELambda): SharedOptions | null {
  let r = closedOptionsExprs.get(node);
  if (r === undefined) {
    r = null;
    const lets: ELet[] = [];
    let body = node.body;
    while (body.k === 'let') {
      lets.push(body);
      body = body.body;
    }
    if (body.k === 'attrs' && !body.rec && body.dynamic.length === 0) {
      const def = body.attrs.get('options');
      if (def !== undefined && def.kind === 'plain') {
        const c = new ClosureCheck(node, lets);
        if (c.expr(def.e, lets.length, lets.length) && !c.formals.has('config') && !c.formals.has('options')) r = { formals: [...c.formals] };
      }
    }
    closedOptionsExprs.set(node, r);
  }
  return r;
}

/**
 * What an expression in a module function's body reads. Depths are absolute: 0 is the
 * function's own environment, 1… the `let`s around the body; `base` is the depth the
 * current check started at, so deeper environments were made by the expression itself.
 */
class ClosureCheck {
  readonly formals = new Set<string>();
  private readonly bindings = new Map<Expr, boolean>();
  constructor(
    private readonly fn: ELambda,
    private readonly lets: ELet[],
  ) {}

  expr(e: Expr, d: number, base: number): boolean {
    switch (e.k) {
      case 'int':
      case 'float':
      case 'str':
      case 'path':
      case 'curPos':
        return true;
      case 'inheritFrom':
        // Only as an `inherit (e)` attribute, which is checked with its source.
        return false;
      case 'var': {
        const target = d - e.level;
        if (e.fromWith) return target < 0;
        if (target < 0 || target > base) return true;
        if (target === 0) return this.formal(e.index);
        return this.letBinding(this.lets[target - 1]!, e.index);
      }
      case 'select':
        if (!this.expr(e.e, d, base) || (e.def !== undefined && !this.expr(e.def, d, base))) return false;
        return this.path(e.path, d, base);
      case 'hasAttr':
        return this.expr(e.e, d, base) && this.path(e.path, d, base);
      case 'attrs':
        return this.attrs(e, d, base);
      case 'list':
        for (const x of e.elems) if (!this.expr(x, d, base)) return false;
        return true;
      case 'lambda':
        if (e.formals) for (const x of e.formals.formals) if (x.def !== undefined && !this.expr(x.def, d + 1, base)) return false;
        return this.expr(e.body, d + 1, base);
      case 'call':
        if (!this.expr(e.fn, d, base)) return false;
        for (const x of e.args) if (!this.expr(x, d, base)) return false;
        return true;
      case 'let':
        return this.attrs(e.attrs, d, base, true) && this.expr(e.body, d + 1, base);
      case 'with':
        return this.expr(e.attrs, d, base) && this.expr(e.body, d + 1, base);
      case 'if':
        return this.expr(e.cond, d, base) && this.expr(e.then, d, base) && this.expr(e.else, d, base);
      case 'assert':
        return this.expr(e.cond, d, base) && this.expr(e.body, d, base);
      case 'not':
        return this.expr(e.e, d, base);
      case 'binop':
        return this.expr(e.left, d, base) && this.expr(e.right, d, base);
      case 'concatStrings':
        for (const x of e.parts) if (!this.expr(x, d, base)) return false;
        return true;
    }
    return false;
  }

  private path(path: readonly { expr?: Expr }[], d: number, base: number): boolean {
    for (const p of path) if (p.expr !== undefined && !this.expr(p.expr, d, base)) return false;
    return true;
  }

  /** A set (or a `let`'s bindings: `rec`) evaluated at depth `d`. */
  private attrs(a: EAttrs, d: number, base: number, rec = a.rec): boolean {
    const inner = rec ? d + 1 : d;
    for (const def of a.attrs.values()) if (!this.attrDef(a, def, d, base, rec)) return false;
    for (const x of a.dynamic) if (!this.expr(x.nameExpr, inner, base) || !this.expr(x.value, inner, base)) return false;
    return true;
  }

  /** One attribute of `a` (a set or `let` at depth `d`), as scope.ts resolves it. */
  private attrDef(a: EAttrs, def: EAttrDef, d: number, base: number, rec: boolean): boolean {
    const inner = rec ? d + 1 : d;
    if (def.kind === 'inherited') return this.expr(def.e, d, base);
    if (def.kind === 'inheritedFrom') {
      const sel = def.e;
      if (sel.k !== 'select' || sel.e.k !== 'inheritFrom') return false;
      const src = a.inheritFromExprs?.[sel.e.index];
      return src !== undefined && this.expr(src, inner, base) && this.path(sel.path, inner, base);
    }
    return this.expr(def.e, inner, base);
  }

  private formal(index: number): boolean {
    const fn = this.fn;
    let i = index;
    if (fn.arg !== undefined) {
      if (i === 0) return false;
      i--;
    }
    const x = fn.formals?.formals[i];
    if (x === undefined) return false;
    this.formals.add(x.name);
    return true;
  }

  /** Slot `slot` of the `let` around the body whose bindings live at its depth. */
  private letBinding(l: ELet, slot: number): boolean {
    let def: EAttrDef | undefined;
    for (const x of l.attrs.attrs.values()) if (x.displ === slot) def = x;
    if (def === undefined) return false;
    const known = this.bindings.get(def.e);
    if (known !== undefined) return known;
    // Recursive bindings: assumed closed while being checked.
    this.bindings.set(def.e, true);
    const depth = this.lets.indexOf(l) + 1;
    // Evaluated in the let's own environment (`depth`; its `inherit x` one above), where
    // the let's other bindings are still the function's, not the binding's own.
    const r = this.attrDef(l.attrs, def, depth - 1, depth, true);
    this.bindings.set(def.e, r);
    return r;
  }
}

/** A module function's argument, read with the context nixpkgs gives it. */
class ModuleArg {
  constructor(
    readonly key: string,
    readonly name: string,
    readonly args: NixAttrs,
  ) {}
}
function moduleArgThunk(key: string, name: string, args: NixAttrs): Thunk {
  return new Thunk(moduleArgCode as unknown as Code, new ModuleArg(key, name, args) as unknown as Env);
}
const moduleArgCode = (a: ModuleArg): Value =>
  withContext(`while evaluating the module argument \`${a.name}' in "${a.key}":`, () => {
    const direct = a.args.get(a.name);
    if (direct !== undefined) return f(direct);
    return withContext(
      `noting that argument \`${a.name}\` is not externally provided, so querying \`_module.args\` instead, requiring \`config\``,
      () => {
        const margs = sel(a.args.get('config')!, '_module', 'args') as NixAttrs;
        const v = margs.get(a.name);
        if (v === undefined) throw new NixError('eval', `attribute '${a.name}' missing`);
        return f(v);
      },
    );
  });

const explicitModuleKeys = new Set(['_class', '_file', 'key', 'disabledModules', 'imports', 'options', 'config', 'meta', 'freeformType']);
/** Module attributes that are not configuration in a shorthand (config-only) module. */
const shorthandModuleKeys = ['_class', '_file', 'key', 'disabledModules', 'require', 'imports', 'freeformType'];
const shorthandKeySet = new Set(shorthandModuleKeys);

/** `lib.strings.isConvertibleWithToString`. */
function convertibleWithToString(v: Value): boolean {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return true;
  if (typeof v === 'string' || v instanceof NixString || v instanceof NixPath) return true;
  if (v instanceof NixAttrs) return v.has('__toString') || v.has('outPath');
  if (Array.isArray(v)) return v.every((x) => convertibleWithToString(f(x)));
  return typeTagFloat(v);
}

function typeTagFloat(v: Value): boolean {
  return nixTypeOf(v) === 'float';
}

function setAttrByPath(path: string[], v: Lazy): Lazy {
  let x = v;
  for (let i = path.length - 1; i >= 0; i--) x = attrs({ [path[i]!]: x });
  return x;
}

/** `lib.recursiveUpdate`, lazy in the values that only one side has. */
export function recursiveUpdate(lhs: NixAttrs, rhs: NixAttrs): NixAttrs {
  const m = new Map(lhs.map);
  for (const [k, r] of rhs.map) {
    const l = lhs.map.get(k);
    if (l === undefined) m.set(k, r);
    else
      m.set(
        k,
        lazy(() => {
          const lv = f(l);
          const rv = f(r);
          if (lv instanceof NixAttrs && rv instanceof NixAttrs) return recursiveUpdate(lv, rv);
          return rv;
        }),
      );
  }
  return new NixAttrs(m, rhs.positions ?? lhs.positions);
}

function notAModule(fallbackFile: string, type: string, cls: string | null, prefix: string[]): string {
  const esc = '\u001b';
  const warn = (s: string) => `${esc}[1;35m${s}${esc}[0m`;
  const good = (s: string) => `${esc}[1;32m${s}${esc}[0m`;
  const code = (s: string) => `${esc}[1m${s}${esc}[0m`;
  const intoFile = fallbackFile !== unknownModule ? `, while trying to load a module into ${fallbackFile}` : '';
  const intoPrefix = prefix.length ? `, while trying to load a module into ${code(showOption(prefix))}` : '';
  const paras = [
    `Expected a module, but found a value of type ${warn(escapeNixString(type))}${intoFile}${intoPrefix}.
A module is typically loaded by adding it to the ${code('imports = [ ... ];')} attribute of an existing module, or in the ${code('modules = [ ... ];')} argument of various functions.
Please make sure that each of the list items is a module, and not a different kind of value.`,
  ];
  if (type === 'configuration') {
    paras.push(`If you really mean to import this configuration, instead please only import the modules that make up the configuration.
You may have to create a \`let\` binding, file or attribute to give yourself access to the relevant modules.
While loading a configuration into the module system is a very sensible idea, it can not be done cleanly in practice.`);
  } else if (type === 'flake') {
    const lines = [
      `Perhaps you forgot to select an attribute name?
Instead of, for example,
    ${warn('inputs.someflake')}
you need to write something like
    ${warn('inputs.someflake')}${cls === null ? good('.modules.someApp.default') : good(`.modules.${cls}.default`)}`,
    ];
    if (cls === 'nixos') lines.push(`or\n    ${warn('inputs.someflake')}${good('.nixosModules.default')}`);
    if (cls === 'darwin') lines.push(`or\n    ${warn('inputs.someflake')}${good('.darwinModules.default')}`);
    paras.push(lines.join('\n'));
  }
  return paras.join('\n\n');
}

export { defsFromNix, nixDef, sel };
