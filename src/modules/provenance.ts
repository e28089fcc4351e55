/**
 * Provenance: for an option path, every definition with its file, position,
 * priority and value, and which definitions won and why.
 *
 * This is the TypeScript API behind a future `tsnix insight` command. It reads the
 * native records the engine keeps for each option (`optionRecords`), so it explains
 * exactly what the merge saw, without re-running it: a definition is either
 *  - `won`: it survived `mkIf` and has the lowest (winning) `mkOverride` priority,
 *  - `overridden`: its priority number is higher than the winning one,
 *  - `disabled`: every `mkIf` around it was false.
 *
 * Paths may cross submodules (`users.users.alice.shell`,
 * `specialisation.kde.configuration.services…`): the walk follows each option's
 * `valueMeta` (`attrs`, `list`, `configuration`), which is how nixpkgs exposes the
 * nested evaluations of `attrsOf`, `listOf` and `submodule` types.
 */

import { NixError, noteHostStack } from '../diag/diagnostic.js';
import type { EvalState } from '../eval/state.js';
import { NixAttrs, type Lazy, type Value } from '../eval/value.js';
import { optionRecords, type Def } from './engine.js';
import { f, typeTag } from './nix.js';
import { showOption } from './pretty.js';
import { dischargeProperties, prioOf, stripOverride } from './properties.js';

export type DefinitionStatus = 'won' | 'overridden' | 'disabled' | 'error';

export interface DefinitionInfo {
  file: string;
  line: number | null;
  column: number | null;
  /** mkOverride priority (100 plain, 1000 mkDefault, 50 mkForce, 1500 option default). */
  priority: number;
  /** True for the option's `default`, which the module system adds as `mkOptionDefault`. */
  isDefault: boolean;
  status: DefinitionStatus;
  /** Human-readable explanation of the status. */
  reason: string;
  /** The definition's value after mkIf/mkOverride were stripped (lazy; undefined when disabled). */
  value: Lazy | undefined;
}

export interface OptionExplanation {
  loc: string[];
  name: string;
  declarations: string[];
  type: string;
  highestPrio: number;
  definitions: DefinitionInfo[];
  /** The option's final value (lazy: forcing may throw the module system's errors). */
  value: Lazy;
}

function getAttr(v: Value, k: string): Value | undefined {
  if (!(v instanceof NixAttrs)) return undefined;
  const x = v.get(k);
  return x === undefined ? undefined : f(x);
}

/** Find the option record for `path` in an `evalModules` result (or its `options`). */
export function findOption(configuration: Value, path: readonly string[]): NixAttrs {
  let node: Value = getAttr(configuration, 'options') ?? configuration;
  let i = 0;
  while (i < path.length) {
    if (typeTag(node) === 'option') {
      // Descend into a nested evaluation through valueMeta.
      let meta = getAttr(node, 'valueMeta');
      while (meta instanceof NixAttrs && i < path.length) {
        const conf = getAttr(meta, 'configuration');
        if (conf !== undefined) {
          node = getAttr(conf, 'options')!;
          break;
        }
        const as = getAttr(meta, 'attrs');
        const ls = getAttr(meta, 'list');
        if (as instanceof NixAttrs && as.has(path[i]!)) meta = f(as.get(path[i++]!)!);
        else if (Array.isArray(ls) && /^\d+$/.test(path[i]!)) meta = f(ls[Number(path[i++]!)]!);
        else throw new NixError('eval', `option path '${showOption(path.slice(0, i + 1))}' does not lead into a submodule`);
      }
      if (!(meta instanceof NixAttrs)) throw new NixError('eval', `cannot descend into '${showOption(path.slice(0, i))}'`);
      continue;
    }
    const next = getAttr(node, path[i]!);
    if (next === undefined) throw new NixError('eval', `The option \`${showOption(path.slice(0, i + 1))}' does not exist.`);
    node = next;
    i++;
  }
  if (typeTag(node) !== 'option' || !(node instanceof NixAttrs)) {
    throw new NixError('eval', `'${showOption(path)}' is a set of options, not an option`);
  }
  return node;
}

function describeDef(st: EvalState, d: Def, isDefault: boolean, highest: number): DefinitionInfo[] {
  const p = d.pos !== undefined ? st.table.resolve(d.pos) : undefined;
  const base = { file: d.file, line: p?.line ?? null, column: p?.column ?? null, isDefault };
  let parts: Lazy[];
  try {
    parts = dischargeProperties(d.value);
  } catch (e) {
    noteHostStack(e);
    return [{ ...base, priority: NaN, status: 'error', reason: e instanceof Error ? e.message : String(e), value: undefined }];
  }
  if (parts.length === 0) {
    return [{ ...base, priority: prioOf(d.value), status: 'disabled', reason: 'its mkIf condition is false', value: undefined }];
  }
  return parts.map((x) => {
    const prio = prioOf(x);
    const won = prio === highest;
    const label = isDefault ? 'option default' : prio === 100 ? 'plain definition' : `mkOverride ${prio}`;
    return {
      ...base,
      priority: prio,
      status: won ? 'won' : 'overridden',
      reason: won
        ? `${label} at the winning priority ${prio}`
        : `${label} (priority ${prio}) loses to priority ${highest} (lower numbers win)`,
      value: stripOverride(x),
    } satisfies DefinitionInfo;
  });
}

/** Explain an option: all definitions with file/position/priority/value and which won. */
export function explainOption(st: EvalState, configuration: Value, path: readonly string[]): OptionExplanation {
  const opt = findOption(configuration, path);
  const rec = optionRecords.get(opt);
  if (!rec) throw new NixError('eval', `no provenance is recorded for '${showOption(path)}' (not evaluated by the native module system)`);
  const highest = rec.merge.highestPrio();
  const hasDefault = rec.decl.has('default');
  const definitions = rec.defs.flatMap((d, i) => describeDef(st, d, hasDefault && i === 0, highest));
  const decls = getAttr(opt, 'declarations');
  const type = getAttr(opt, 'type');
  const desc = type instanceof NixAttrs ? getAttr(type, 'description') : undefined;
  return {
    loc: rec.loc,
    name: showOption(rec.loc),
    declarations: Array.isArray(decls) ? decls.map((x) => String(f(x))) : [],
    type: typeof desc === 'string' ? desc : 'unspecified',
    highestPrio: highest,
    definitions,
    value: opt.get('value')!,
  };
}
