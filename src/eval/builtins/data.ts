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
import { NixAttrs, mkString, type Lazy, type Value } from '../value.js';
import type { Builtin } from './registry.js';

const mkAttrs = (m: Map<string, unknown>): NixAttrs => new NixAttrs(m as Map<string, Lazy>);

export function dataBuiltins(st: EvalState): Builtin[] {
  return [
    {
      name: 'fromJSON',
      arity: 1,
      fn: ([x]) => {
        const s = forceString(x!, noPos, 'while evaluating the first argument passed to builtins.fromJSON');
        return parseJSON(s, mkAttrs) as Value;
      },
    },
    {
      name: 'toJSON',
      arity: 1,
      fn: ([x]) => {
        const ctx = new Set<string>();
        const s = valueToJSON(st, x!, true, ctx);
        return mkString(s, ctx);
      },
    },
    {
      name: 'fromTOML',
      arity: 1,
      global: true,
      fn: ([x]) => {
        const s = forceString(x!, noPos, 'while evaluating the argument passed to builtins.fromTOML');
        const features = st.opts.settings.get('extra-experimental-features') ?? st.opts.settings.get('experimental-features') ?? '';
        return parseTOML(s, mkAttrs, { timestamps: features.split(/\s+/).includes('parse-toml-timestamps') }) as Value;
      },
    },
    {
      name: 'toXML',
      arity: 1,
      fn: ([x]) => {
        const ctx = new Set<string>();
        const s = valueToXML(st, x!, true, false, ctx);
        return mkString(s, ctx);
      },
    },
    {
      name: 'splitVersion',
      arity: 1,
      fn: ([x]) => splitVersion(forceString(x!, noPos, 'while evaluating the first argument passed to builtins.splitVersion')),
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
      fn: ([x]) => {
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
