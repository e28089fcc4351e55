/**
 * Definition properties: `mkIf`, `mkMerge`, `mkOverride`, `mkOrder`, `mkDefinition`.
 *
 * On the Nix side these are plain attribute sets tagged with `_type` (exactly as in
 * nixpkgs, so modules may build or inspect them by hand). The engine interprets them
 * in three steps, each with nixpkgs' laziness:
 *
 *  - push-down (while sorting definitions into the option tree): `mkMerge` is
 *    flattened and `mkIf`/`mkOverride` wrapped around a set are moved onto each of
 *    its attributes. The condition is *not* evaluated here — that is what lets a
 *    module write `mkIf config.a.enable { b = …; }` without infinite recursion;
 *  - discharge (when one option's value is needed): `mkMerge` is flattened again and
 *    `mkIf` conditions are finally forced;
 *  - override filtering and order sorting, which keep only the definitions with the
 *    numerically lowest priority (100 for plain ones) and stably sort by `mkOrder`
 *    priority (1000 by default).
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos, toBinary } from '../lang/source.js';
import { AttrMeta, NixAttrs, type Lazy, type Value } from '../eval/value.js';
import { attrs, f, typeTag } from './nix.js';

export const defaultOverridePriority = 100;
export const defaultOrderPriority = 1000;

export function mkIfV(condition: Lazy, content: Lazy): NixAttrs {
  return attrs({ _type: 'if', condition, content });
}

export function mkOverrideV(priority: Lazy, content: Lazy): NixAttrs {
  return attrs({ _type: 'override', priority, content });
}

export function mkMergeV(contents: Lazy[]): NixAttrs {
  return attrs({ _type: 'merge', contents });
}

/** `mapAttrs (n: mkIf cond)` (or mkOverride prio) on a set; anything else unchanged. */
function wrapAttrsIfAttrs(v: Value, isIf: boolean, arg: Lazy): Value {
  if (!(v instanceof NixAttrs)) return v;
  const xs = v.vals;
  const n = xs.length;
  const out = new Array<Lazy>(n);
  for (let i = 0; i < n; i++) out[i] = isIf ? mkIfV(arg, xs[i]!) : mkOverrideV(arg, xs[i]!);
  // Same names, so the same layout; and the attribute positions: provenance of a
  // pushed-down definition is still the place where the user wrote it.
  const m = v.meta;
  return NixAttrs.withMeta(v.layout, out, m.pos === noPos ? m : new AttrMeta(m.posArr, m.posSrc, noPos));
}

function list(v: Lazy, what: string): Lazy[] {
  const l = f(v);
  if (!Array.isArray(l)) throw new NixError('type', `expected a list but found ${typeof l} while evaluating ${what}`);
  return l;
}

export function pushDownProperties(cfg: Lazy): Lazy[] {
  const v = f(cfg);
  const t = typeTag(v);
  if (t === null) return [v];
  const a = v as NixAttrs;
  if (t === 'merge') {
    const out: Lazy[] = [];
    const cs = list(a.get('contents')!, 'the contents of mkMerge');
    for (let i = 0; i < cs.length; i++) {
      const ps = pushDownProperties(cs[i]!);
      for (let j = 0; j < ps.length; j++) out.push(ps[j]!);
    }
    return out;
  }
  if (t === 'if' || t === 'override') {
    const isIf = t === 'if';
    const arg = a.get(isIf ? 'condition' : 'priority')!;
    const ps = pushDownProperties(a.get('content')!);
    const out = new Array<Lazy>(ps.length);
    for (let i = 0; i < ps.length; i++) out[i] = wrapAttrsIfAttrs(f(ps[i]!), isIf, arg);
    return out;
  }
  return [v];
}

const nonBoolMkIf = toBinary('‘mkIf’ called with a non-Boolean condition');

export function dischargeProperties(def: Lazy): Lazy[] {
  const v = f(def);
  const t = typeTag(v);
  if (t === 'merge') {
    const out: Lazy[] = [];
    const cs = list((v as NixAttrs).get('contents')!, 'the contents of mkMerge');
    for (let i = 0; i < cs.length; i++) {
      const ds = dischargeProperties(cs[i]!);
      for (let j = 0; j < ds.length; j++) out.push(ds[j]!);
    }
    return out;
  }
  if (t === 'if') {
    const c = f((v as NixAttrs).get('condition')!);
    if (c === true) return dischargeProperties((v as NixAttrs).get('content')!);
    if (c === false) return [];
    throw new NixError('throw', nonBoolMkIf);
  }
  return [v];
}

export function prioOf(v: Lazy): number {
  const x = f(v);
  if (typeTag(x) === 'override') {
    const p = f((x as NixAttrs).get('priority')!);
    return typeof p === 'bigint' ? Number(p) : (p as number);
  }
  return defaultOverridePriority;
}

export function stripOverride(v: Lazy): Lazy {
  const x = f(v);
  if (typeTag(x) === 'override') return (x as NixAttrs).get('content')!;
  return v;
}
