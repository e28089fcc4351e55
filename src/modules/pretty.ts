/**
 * The module system's text output: option names, definition listings, pretty values.
 *
 * Every user-visible module-system error embeds these strings, and tests (nixpkgs'
 * modules.sh and ours) match them byte for byte, so they follow nixpkgs' rules
 * exactly: `showOption` escapes a path component unless it is an identifier or a
 * `<placeholder>`/`*`; `showDefs` prints each definition as "\n- In `file'" followed by
 * the value pretty-printed with `lib.generators.toPretty {}` limited to depth 10,
 * showing at most five lines, and nothing at all when printing the value throws.
 *
 * They are native because they sit on the error path of every merge and the
 * `toPretty` walk must cooperate with `tryEval` semantics (only `throw`/`assert`
 * errors are swallowed; `abort` still propagates).
 */

import { NixError } from '../diag/diagnostic.js';
import { formatFloatJSON } from '../eval/util/float.js';
import type { EvalState } from '../eval/state.js';
import { NixAttrs, NixFloat, NixPath, NixString, Thunk, type Lazy, type Value } from '../eval/value.js';
import { f, functionArgsOf, getStr, isFunctionV, withContext } from './nix.js';
import { levenshtein } from '../eval/util/levenshtein.js';

export { levenshtein };

const identRe = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;
const nixKeywords = new Set(['assert', 'else', 'if', 'in', 'inherit', 'let', 'or', 'rec', 'then', 'with']);

/** `builtins.toJSON` of a string (as CppNix/nlohmann escape it). */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = c.charCodeAt(0);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (code < 0x20) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

export function escapeNixString(s: string): string {
  return jsonString(s).replace(/\$/g, '\\$');
}

export function escapeNixIdentifier(s: string): string {
  return identRe.test(s) && !nixKeywords.has(s) ? s : escapeNixString(s);
}

export function showOption(parts: readonly string[]): string {
  return parts.map((p) => (p === '*' || /^<.*>$/s.test(p) ? p : escapeNixIdentifier(p))).join('.');
}

export function showFiles(files: readonly string[]): string {
  return files.map((x) => '`' + x + "'").join(' and ');
}

export interface FileValue {
  file: string;
  value: Lazy;
}

/** nixpkgs' `showDefs`. */
export function showDefs(st: EvalState, defs: readonly FileValue[]): string {
  let out = '';
  for (const d of defs) {
    let text: string | undefined;
    try {
      text = toPretty(st, d.value, '', true, 10);
    } catch (e) {
      if (!(e instanceof NixError) || !e.catchable) throw e;
      text = undefined;
    }
    let result = '';
    if (text !== undefined) {
      const lines = text.split('\n');
      const shown = lines.slice(0, 5);
      if (lines.length > 5) shown.push('...');
      const value = shown.join('\n    ');
      result = lines.length > 1 ? ':\n    ' + value : ': ' + value;
    }
    out += "\n- In `" + d.file + "'" + result;
  }
  return out;
}

/**
 * `lib.generators.toPretty { multiline = true; }` after `withRecursion { depthLimit; throwOnDepthLimit = false; }`:
 * values nested deeper than the limit print as the string "<unevaluated>".
 */
export function toPretty(st: EvalState, x: Lazy, indent: string, multiline: boolean, depthLimit: number | null): string {
  const special = new Set(['__functor', '__functionArgs', '__toString', '__pretty']);
  const go = (x: Lazy, indent: string, depth: number, raw: boolean): string => {
    // `raw`: inside a special attribute that withRecursion does not step into.
    const limited = !raw && depthLimit !== null;
    const intro = multiline ? '\n' + indent + '  ' : ' ';
    const outro = multiline ? '\n' + indent : ' ';
    const v = f(x);
    const isContainer = v instanceof NixAttrs || Array.isArray(v);
    if (limited && !isContainer && depth + 1 > depthLimit!) return '"<unevaluated>"';
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (v instanceof NixFloat) return formatFloatJSON(v.v);
    if (typeof v === 'string' || v instanceof NixString) {
      const s = typeof v === 'string' ? v : v.s;
      const lines = s.split('\n');
      if (multiline && lines.length > 1) {
        const esc = lines.map((l) => l.replace(/''/g, "'''").replace(/\$\{/g, "''${"));
        const last = esc[esc.length - 1]!;
        return "''" + intro + esc.slice(0, -1).join(intro) + (last === '' ? outro : intro + last) + "''";
      }
      return '"' + lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')).join('\\n') + '"';
    }
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v === null) return 'null';
    if (v instanceof NixPath) return v.path;
    const child = (c: Lazy): string => {
      if (limited && depth + 1 > depthLimit!) return '"<unevaluated>"';
      return go(c, indent + '  ', depth + 1, raw);
    };
    if (Array.isArray(v)) {
      if (v.length === 0) return '[ ]';
      return '[' + intro + v.map(child).join(intro) + outro + ']';
    }
    if (isFunctionV(v)) {
      const fa = functionArgsOf(st, v);
      if (fa.size === 0) return '<function>';
      const names = [...fa.keys()].sort();
      return '<function, args: {' + names.map((n) => (fa.get(n) ? n + '?' : n)).join(', ') + '}>';
    }
    if (v instanceof NixAttrs) {
      if (v.size === 0) return '{ }';
      const t = v.get('type');
      if (t !== undefined) {
        const tv = f(t);
        if ((typeof tv === 'string' && tv === 'derivation') || (tv instanceof NixString && tv.s === 'derivation')) {
          const n = v.get('name');
          return '<derivation ' + (n === undefined ? '???' : getStr(n)) + '>';
        }
      }
      const parts: string[] = [];
      for (const k of v.keys()) {
        const c = v.get(k)!;
        const shown = withContext('while evaluating an attribute `' + k + '`', () =>
          special.has(k) ? go(c, indent + '  ', depth + 1, true) : child(c),
        );
        parts.push(escapeNixIdentifier(k) + ' = ' + shown + ';');
      }
      return '{' + intro + parts.join(intro) + outro + '}';
    }
    return '<function>';
  };
  return go(x, indent, 0, false);
}


export { Thunk };
