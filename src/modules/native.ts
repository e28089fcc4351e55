/**
 * The native half of the embedded lib, as the Nix half sees it: the value of
 * `import ./native.nix` inside `/__tsnix__/nixpkgs/lib`.
 *
 * Everything here is a `PrimOp` taking and returning ordinary Nix values with
 * nixpkgs' argument shapes, so the Nix sources can re-export them under nixpkgs'
 * names (`lib.evalModules`, `lib.mergeEqualOption`, `lib.showDefs`, …). The engine is
 * per-`lib` (`engine lib`), because `evalModules` passes that lib to modules and takes
 * its `types` from it.
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos } from '../lang/source.js';
import type { EvalState } from '../eval/state.js';
import { eqLazy } from '../eval/ops.js';
import { NixAttrs, type Lazy, type Value } from '../eval/value.js';
import { Engine, attrsWithMerge, defsFromNix, listOfMerge, markNativeMerge, nativeV1Prim, nativeV2Prim, nullOrMerge, submoduleMerge, type Def } from './engine.js';
import { attrs, f, getStr, lazy, prim, strList, throwNix } from './nix.js';
import { escapeNixIdentifier, escapeNixString, showDefs, showFiles, showOption, toPretty } from './pretty.js';
import { NixString, mkString } from '../eval/value.js';
import { defaultOrderPriority, dischargeProperties, prioOf, pushDownProperties, stripOverride } from './properties.js';

const prioritySuggestion =
  'Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.\n';

/** Engines by lib value, so `lib.evalModules` and `lib.types.submoduleWith` share one. */
const engines = new WeakMap<object, Engine>();

export function engineFor(st: EvalState, lib: Lazy): Engine {
  const key = lib as object;
  let e = engines.get(key);
  if (!e) engines.set(key, (e = new Engine(st, lib)));
  return e;
}

function declsFromNix(v: Lazy): { file: string; pos: number; posValue: Lazy; options: Lazy }[] {
  return (f(v) as Lazy[]).map((x) => {
    const a = f(x) as NixAttrs;
    const file = a.get('_file');
    return {
      file: file === undefined ? '<unknown-file>' : getStr(file),
      pos: noPos,
      posValue: a.get('pos') ?? null,
      options: a.get('options')!,
    };
  });
}

export function nativeLib(st: EvalState): NixAttrs {
  const engine = (lib: Lazy): NixAttrs => {
    const e = engineFor(st, lib);
    return attrs({
      evalModules: prim('evalModules', 1, ([a]) => e.evalModules(f(a!) as NixAttrs)),
      mergeDefinitions: prim('mergeDefinitions', 3, ([loc, type, defs]) =>
        e.mergeDefinitions(strList(loc!), f(type!) as NixAttrs, defsFromNix(defs!)).toNix(),
      ),
      evalOptionValue: prim('evalOptionValue', 3, ([loc, opt, defs]) =>
        e.evalOptionValue(strList(loc!), f(opt!) as NixAttrs, defsFromNix(defs!)),
      ),
      mergeOptionDecls: prim('mergeOptionDecls', 2, ([loc, decls]) => e.mergeOptionDecls(strList(loc!), declsFromNix(decls!))),
      fixupOptionType: prim('fixupOptionType', 2, ([loc, opt]) => e.fixupOptionType(strList(loc!), f(opt!) as NixAttrs)),
      // The merges of types.nix's attrsWith, listOf, nullOr and submoduleWith (see engine.ts).
      attrsWithMergeV2: nativeV2Prim(e, 'attrsWithMergeV2', 2, attrsWithMerge),
      listOfMergeV2: nativeV2Prim(e, 'listOfMergeV2', 1, listOfMerge),
      nullOrMerge: nativeV1Prim(e, 'nullOrMerge', 1, nullOrMerge),
      submoduleMergeV2: nativeV2Prim(e, 'submoduleMergeV2', 4, submoduleMerge),
    });
  };

  const filterOverridesPrime = (defsL: Lazy): NixAttrs => {
    const defs = (f(defsL) as Lazy[]).map((x) => f(x) as NixAttrs);
    const prios = defs.map((d) => prioOf(d.get('value')!));
    const highest = defs.length === 1 ? prios[0]! : prios.reduce((a, b) => Math.min(a, b), 9999);
    const values: Lazy[] = [];
    defs.forEach((d, i) => {
      if (prios[i] !== highest) return;
      const m = new Map(d.map);
      m.set('value', stripOverride(d.get('value')!));
      values.push(new NixAttrs(m));
    });
    return attrs({ values, highestPrio: highest });
  };

  const mergeEqual = ([locL, defsL]: Lazy[]): Value => {
    const defs = f(defsL!) as Lazy[];
    if (defs.length === 0) throw new NixError('abort', "evaluation aborted with the following error message: 'This case should never happen.'");
    const first = f(defs[0]!) as NixAttrs;
    if (defs.length === 1) return f(first.get('value')!);
    for (let i = 1; i < defs.length; i++) {
      const d = f(defs[i]!) as NixAttrs;
      if (!eqLazy(d.get('value')!, first.get('value')!, noPos, 'while comparing definitions')) {
        const loc = strList(locL!);
        const shown = [first, d].map((x) => ({ file: getStr(x.get('file')!), value: x.get('value')! }));
        throwNix(`The option \`${showOption(loc)}' has conflicting definition values:${showDefs(st, shown)}\n${prioritySuggestion}`);
      }
    }
    return f(first.get('value')!);
  };

  const mergeOne = ([locL, defsL]: Lazy[]): Value => {
    const defs = f(defsL!) as Lazy[];
    if (defs.length === 1) return f((f(defs[0]!) as NixAttrs).get('value')!);
    if (defs.length === 0) throw new NixError('assert', 'assertion (length defs > 1) failed');
    const shown = defs.map((x) => {
      const a = f(x) as NixAttrs;
      return { file: getStr(a.get('file')!), value: a.get('value')! };
    });
    throwNix(
      `The option \`${showOption(strList(locL!))}' is defined multiple times while it's expected to be unique.\n\nDefinition values:${showDefs(st, shown)}\n${prioritySuggestion}`,
    );
  };

  return attrs({
    engine: prim('engine', 1, ([lib]) => engine(lib!)),
    pushDownProperties: prim('pushDownProperties', 1, ([c]) => pushDownProperties(c!)),
    dischargeProperties: prim('dischargeProperties', 1, ([c]) => dischargeProperties(c!)),
    filterOverrides: prim('filterOverrides', 1, ([d]) => f(filterOverridesPrime(d!).get('values')!)),
    filterOverridesPrime: prim("filterOverrides'", 1, ([d]) => filterOverridesPrime(d!)),
    sortProperties: prim('sortProperties', 1, ([d]) => {
      const defs = (f(d!) as Lazy[]).map((x) => f(x) as NixAttrs);
      const keyed = defs.map((def, i) => {
        const v = f(def.get('value')!);
        if (v instanceof NixAttrs && v.has('_type') && getStr(v.get('_type')!) === 'order') {
          const m = new Map(def.map);
          m.set('value', v.get('content')!);
          m.set('priority', v.get('priority')!);
          const p = f(v.get('priority')!);
          return { def: new NixAttrs(m) as Value, p: Number(p), i };
        }
        const p = def.get('priority');
        return { def: def as Value, p: p === undefined ? defaultOrderPriority : Number(f(p)), i };
      });
      keyed.sort((a, b) => a.p - b.p || a.i - b.i);
      return keyed.map((k) => k.def);
    }),
    mergeEqualOption: markNativeMerge(prim('mergeEqualOption', 2, mergeEqual), 'equal'),
    mergeOneOption: markNativeMerge(prim('mergeOneOption', 2, mergeOne), 'one'),
    showOption: prim('showOption', 1, ([p]) => showOption(strList(p!))),
    showFiles: prim('showFiles', 1, ([p]) => showFiles((f(p!) as Lazy[]).map((x) => st.coerceToString(x, noPos, '', { coerceMore: false, copyToStore: false }).s))),
    showDefs: prim('showDefs', 1, ([d]) =>
      showDefs(
        st,
        (f(d!) as Lazy[]).map((x) => {
          const a = f(x) as NixAttrs;
          return { file: st.coerceToString(a.get('file')!, noPos, '', { coerceMore: false, copyToStore: false }).s, value: a.get('value')! };
        }),
      ),
    ),
    // String helpers the module system calls constantly; native for speed.
    hasInfix: prim('hasInfix', 2, ([i, c]) => {
      const infix = st.coerceToString(i!, noPos, 'while evaluating the first argument of hasInfix', { coerceMore: false, copyToStore: false }).s;
      const content = st.coerceToString(c!, noPos, 'while evaluating the second argument of hasInfix', { coerceMore: false, copyToStore: true }).s;
      return content.includes(infix);
    }),
    hasStorePathPrefix: prim('hasStorePathPrefix', 1, ([x]) => {
      const v = f(x!);
      const path = st.coerceToString(v, noPos, 'while evaluating the argument of hasStorePathPrefix', { coerceMore: false, copyToStore: false }).s;
      const dir = st.opts.storeDir.replace(/\/+$/, '');
      if (!path.startsWith(dir + '/')) return false;
      const first = path.slice(dir.length + 1).split('/')[0]!;
      return /^[0-9a-z]{32}-.+$/.test(first);
    }),
    escapeNixString: prim('escapeNixString', 1, ([x]) => {
      const v = f(x!);
      const str = getStr(v);
      return mkString(escapeNixString(str), v instanceof NixString ? v.ctx : undefined);
    }),
    escapeNixIdentifier: prim('escapeNixIdentifier', 1, ([x]) => {
      const v = f(x!);
      return mkString(escapeNixIdentifier(getStr(v)), v instanceof NixString ? v.ctx : undefined);
    }),
    toPretty: prim('toPretty', 2, ([o, v]) => {
      const opts = f(o!) as NixAttrs;
      const ml = opts.get('multiline');
      const ind = opts.get('indent');
      return toPretty(st, v!, ind === undefined ? '' : getStr(ind), ml === undefined ? true : f(ml) === true, null);
    }),
  });
}

export type { Def };
export { lazy };
