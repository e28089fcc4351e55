/**
 * Data-format and version builtins: `fromJSON`, `toJSON`, `fromTOML`, `toXML`,
 * `splitVersion`, `compareVersions`, `parseDrvName`.
 *
 * Parsing is done by the format modules in ../util (byte-exact to CppNix's parsers);
 * this file only converts their trees into values and back, and keeps string contexts
 * (`toJSON`/`toXML` of a string with context return a string with that context).
 */

import { noPos } from '../../lang/source.js';
import { forceString, forceValue } from '../force.js';
import { valueToJSON } from '../json-out.js';
import type { EvalState } from '../state.js';
import { parseJSON } from '../util/json.js';
import { parseTOML } from '../util/toml.js';
import { compareVersions, parseDrvName, splitVersion } from '../util/versions.js';
import { valueToXML } from '../xml-out.js';
import { AttrLayout, NixAttrs, mkString, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';

const mkAttrs = (m: Map<string, unknown>): NixAttrs => new NixAttrs(m as Map<string, Lazy>);

/*
 * fromJSON objects straight from the parser's key/value stack. Documents are mostly
 * arrays of objects with the same keys in the same order: the last key list is
 * remembered with its layout and the slot order, so such an object costs one values
 * array (no Map, no sort, no layout lookup).
 */
let lastKeys: string[] | undefined;
let lastLayout: AttrLayout | undefined;
/** For each slot of `lastLayout`, the index of its key in `lastKeys`. */
let lastOrder: number[] | undefined;

export function mkPairs(items: readonly unknown[], from: number, to: number): NixAttrs {
  const n = (to - from) >> 1;
  const keys = lastKeys;
  if (keys !== undefined && keys.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (keys[i] !== items[from + 2 * i]) {
        same = false;
        break;
      }
    }
    if (same) {
      const order = lastOrder!;
      let vals: Lazy[];
      // Short ones by array literals, which V8 can allocate in the old generation
      // directly (see copyOut in util/json.ts).
      if (n === 1) vals = [items[from + 1] as Lazy];
      else if (n === 2) vals = [items[from + 2 * order[0]! + 1] as Lazy, items[from + 2 * order[1]! + 1] as Lazy];
      else if (n === 3) {
        vals = [items[from + 2 * order[0]! + 1] as Lazy, items[from + 2 * order[1]! + 1] as Lazy, items[from + 2 * order[2]! + 1] as Lazy];
      } else {
        vals = new Array<Lazy>(n);
        for (let j = 0; j < n; j++) vals[j] = items[from + 2 * order[j]! + 1] as Lazy;
      }
      return NixAttrs.of(lastLayout!, vals);
    }
  }
  const m = new Map<string, Lazy>();
  for (let j = from; j < to; j += 2) m.set(items[j] as string, items[j + 1] as Lazy);
  const r = new NixAttrs(m);
  // Remembered only without repeated keys (then every key has its own slot).
  if (m.size === n) {
    const names = [...m.keys()];
    const sorted = r.layout.keys;
    const order = new Array<number>(n);
    if (n <= 16) for (let j = 0; j < n; j++) order[j] = names.indexOf(sorted[j]!);
    else {
      const at = new Map<string, number>();
      for (let j = 0; j < n; j++) at.set(names[j]!, j);
      for (let j = 0; j < n; j++) order[j] = at.get(sorted[j]!)!;
    }
    lastKeys = names;
    lastLayout = r.layout;
    lastOrder = order;
  }
  return r;
}

export function dataBuiltins(st: EvalState): Builtin[] {
  return [
    {
      name: 'fromJSON',
      arity: 1,
      fn1: (x) => {
        const s = forceString(x!, noPos, 'while evaluating the first argument passed to builtins.fromJSON');
        return parseJSON(s, mkAttrs, mkPairs) as Value;
      },
    },
    {
      name: 'toJSON',
      arity: 1,
      fn1: (x) => {
        const ctx = new Set<string>();
        const s = valueToJSON(st, x!, true, ctx);
        return mkString(s, ctx);
      },
    },
    {
      name: 'fromTOML',
      arity: 1,
      global: true,
      fn1: (x) => {
        const s = forceString(x!, noPos, 'while evaluating the argument passed to builtins.fromTOML');
        const features = st.opts.settings.get('extra-experimental-features') ?? st.opts.settings.get('experimental-features') ?? '';
        return parseTOML(s, mkAttrs, { timestamps: features.split(/\s+/).includes('parse-toml-timestamps') }) as Value;
      },
    },
    {
      name: 'toXML',
      arity: 1,
      fn1: (x) => {
        const ctx = new Set<string>();
        const s = valueToXML(st, x!, true, false, ctx);
        return mkString(s, ctx);
      },
    },
    {
      name: 'splitVersion',
      arity: 1,
      fn1: (x) => splitVersion(forceString(x!, noPos, 'while evaluating the first argument passed to builtins.splitVersion')),
    },
    {
      name: 'compareVersions',
      arity: 2,
      fn: ([a, b]) =>
        compareVersions(
          forceString(a!, noPos, 'while evaluating the first argument passed to builtins.compareVersions'),
          forceString(b!, noPos, 'while evaluating the second argument passed to builtins.compareVersions'),
        ),
    },
    {
      name: 'parseDrvName',
      arity: 1,
      fn1: (x) => {
        const s = forceString(forceValue(x!), noPos, 'while evaluating the first argument passed to builtins.parseDrvName');
        const r = parseDrvName(s);
        return new NixAttrs(
          new Map<string, Lazy>([
            ['name', r.name],
            ['version', r.version],
          ]),
        );
      },
    },
  ];
}
