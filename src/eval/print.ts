/**
 * Printing values, in CppNix's two styles.
 *
 *  - `printAmbiguous` is what `nix-instantiate --eval` prints (print-ambiguous.cc):
 *    `<LAMBDA>`, `<PRIMOP>`, `<PRIMOP-APP>`, `<CODE>` for unevaluated thunks, and
 *    `«repeated»` for a non-empty set or list printed a second time. "The same" is
 *    object identity, which the evaluator preserves where CppNix shares values.
 *  - `printValue` is the general printer (print.cc) used for error messages and
 *    `builtins.trace`: `«lambda NAME @ file:line:col»`, `«primop NAME»`, `«thunk»`,
 *    `«potential infinite recursion»`, with optional limits on depth, attributes,
 *    list items and string length (`«3 attributes elided»`).
 *
 * Both print floats as C++ streams do (`%g`), and strings with Nix's escapes.
 */

import { NixAttrs, NixFloat, NixPath, NixString, Lambda, PrimOp, PrimOpApp, Thunk, type Lazy, type Value } from './value.js';
import { formatFloatG } from './util/float.js';
import { noPos, toBinary, type PosTable } from '../lang/source.js';

// Output is a byte string: non-ASCII literals are written as their UTF-8 bytes.
const LQ = toBinary('«');
const RQ = toBinary('»');
import { formatPos } from '../diag/render.js';
import { hostStackExhausted } from '../diag/diagnostic.js';

const keywords = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit']);

export function printLiteralString(s: string, maxLength = Infinity): string {
  let out = '"';
  const n = s.length;
  for (let i = 0; i < n; i++) {
    if (i >= maxLength) {
      return out + '" ' + elided(n - i, 'byte', 'bytes');
    }
    const c = s[i]!;
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '$' && s[i + 1] === '{') out += '\\$';
    else out += c;
  }
  return out + '"';
}

function elided(n: number, single: string, plural: string): string {
  return `${LQ}${n} ${n === 1 ? single : plural} elided${RQ}`;
}

const identRe = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;

/** `printIdentifier`: used by the ambiguous printer. */
export function printIdentifier(s: string): string {
  if (s === '') return '""';
  if (keywords.has(s)) return `"${s}"`;
  return identRe.test(s) ? s : printLiteralString(s);
}

/** `printAttributeName`: used by the general printer. */
export function printAttributeName(s: string): string {
  return identRe.test(s) && !keywords.has(s) ? s : printLiteralString(s);
}

let posTable: PosTable | undefined;
/** The printers need positions for `«lambda @ …»`; the evaluator registers its table. */
export function setPrintPosTable(t: PosTable): void {
  posTable = t;
}

export function showPos(pos: number): string {
  const p = posTable?.resolve(pos);
  return p ? formatPos(p) : `${LQ}none${RQ}`;
}

export function printAmbiguous(v: Lazy, seen: Set<object> = new Set()): string {
  const parts: string[] = [];
  ambiguous(v, seen, parts, 0);
  return parts.join('');
}

function ambiguous(x: Lazy, seen: Set<object>, out: string[], depth: number): void {
  // CppNix keys repeated lists by the Value cell that holds them: for us the thunk
  // (or the array itself when it is stored directly); sets by their bindings.
  const cell = x as object;
  let v: Value;
  if (x instanceof Thunk) {
    const p = x.peek();
    if (p === undefined) {
      out.push('<CODE>');
      return;
    }
    v = p;
  } else v = x;
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(v.toString());
  else if (typeof v === 'string') out.push(printLiteralString(v));
  else if (v instanceof NixString) out.push(printLiteralString(v.s));
  else if (v instanceof NixFloat) out.push(formatFloatG(v.v));
  else if (v instanceof NixPath) out.push(v.path);
  else if (Array.isArray(v)) {
    if (v.length > 0) {
      if (seen.has(cell)) {
        out.push(`${LQ}repeated${RQ}`);
        return;
      }
      seen.add(cell);
    }
    out.push('[ ');
    for (const e of v) {
      ambiguous(e, seen, out, depth + 1);
      out.push(' ');
    }
    out.push(']');
  } else if (v instanceof NixAttrs) {
    if (v.size > 0) {
      if (seen.has(v)) {
        out.push(`${LQ}repeated${RQ}`);
        return;
      }
      seen.add(v);
    }
    out.push('{ ');
    for (const k of v.keys()) {
      out.push(printIdentifier(k), ' = ');
      ambiguous(v.get(k)!, seen, out, depth + 1);
      out.push('; ');
    }
    out.push('}');
  } else if (v instanceof Lambda) out.push('<LAMBDA>');
  else if (v instanceof PrimOp) out.push('<PRIMOP>');
  else if (v instanceof PrimOpApp) out.push('<PRIMOP-APP>');
  else out.push('<UNKNOWN>');
}

export interface PrintOptions {
  maxDepth: number;
  maxAttrs: number;
  maxListItems: number;
  maxStringLength: number;
  /** Force thunks while printing (trace does not). */
  force: boolean;
  trackRepeated: boolean;
}

export const errorPrintOptions: PrintOptions = {
  maxDepth: 10,
  maxAttrs: 10,
  maxListItems: 10,
  maxStringLength: 1024,
  force: false,
  trackRepeated: true,
};

export const tracePrintOptions: PrintOptions = {
  maxDepth: Infinity,
  maxAttrs: Infinity,
  maxListItems: Infinity,
  maxStringLength: Infinity,
  force: false,
  trackRepeated: true,
};

export function printForError(v: Lazy): string {
  return printValue(v, errorPrintOptions);
}

export function printValue(v: Lazy, opts: PrintOptions = tracePrintOptions): string {
  const st = { attrs: 0, items: 0, seen: new Set<object>() };
  const out: string[] = [];
  general(v, opts, st, out, 0);
  return out.join('');
}

function general(
  x: Lazy,
  o: PrintOptions,
  st: { attrs: number; items: number; seen: Set<object> },
  out: string[],
  depth: number,
): void {
  let v: Value;
  if (x instanceof Thunk) {
    if (o.force) {
      try {
        v = x.force();
      } catch (e) {
        if (e instanceof RangeError && /call stack/i.test(e.message)) hostStackExhausted();
        out.push(`${LQ}error${RQ}`);
        return;
      }
    } else {
      const p = x.peek();
      if (p === undefined) {
        out.push(`${LQ}thunk${RQ}`);
        return;
      }
      v = p;
    }
  } else v = x;
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(v.toString());
  else if (typeof v === 'string') out.push(printLiteralString(v, o.maxStringLength));
  else if (v instanceof NixString) out.push(printLiteralString(v.s, o.maxStringLength));
  else if (v instanceof NixFloat) out.push(formatFloatG(v.v));
  else if (v instanceof NixPath) out.push(v.path);
  else if (Array.isArray(v)) {
    if (o.trackRepeated && v.length > 0) {
      if (st.seen.has(v)) {
        out.push(`${LQ}repeated${RQ}`);
        return;
      }
      st.seen.add(v);
    }
    if (depth >= o.maxDepth) {
      out.push('[ ... ]');
      return;
    }
    out.push('[');
    let printed = 0;
    for (const e of v) {
      out.push(' ');
      if (st.items >= o.maxListItems) {
        out.push(elided(v.length - printed, 'item', 'items'));
        break;
      }
      general(e, o, st, out, depth + 1);
      st.items++;
      printed++;
    }
    out.push(' ]');
  } else if (v instanceof NixAttrs) {
    if (o.trackRepeated && v.size > 0) {
      if (st.seen.has(v)) {
        out.push(`${LQ}repeated${RQ}`);
        return;
      }
      st.seen.add(v);
    }
    if (depth >= o.maxDepth) {
      out.push('{ ... }');
      return;
    }
    let keys = v.keys();
    if (o.maxAttrs !== Infinity) {
      // "Important" names (type, _type) first, as CppNix does when eliding.
      const imp = keys.filter((k) => k === 'type' || k === '_type');
      if (imp.length) keys = [...imp, ...keys.filter((k) => k !== 'type' && k !== '_type')];
    }
    out.push('{');
    let printed = 0;
    for (const k of keys) {
      out.push(' ');
      if (st.attrs >= o.maxAttrs) {
        out.push(elided(keys.length - printed, 'attribute', 'attributes'));
        break;
      }
      out.push(printAttributeName(k), ' = ');
      general(v.get(k)!, o, st, out, depth + 1);
      out.push(';');
      st.attrs++;
      printed++;
    }
    out.push(' }');
  } else if (v instanceof Lambda) {
    const name = v.node.name !== undefined ? ' ' + v.node.name : '';
    out.push(`${LQ}lambda${name} @ ${v.node.pos === noPos ? `${LQ}none${RQ}` : showPos(v.node.pos)}${RQ}`);
  } else if (v instanceof PrimOp) out.push(`${LQ}primop ${v.name}${RQ}`);
  else if (v instanceof PrimOpApp) out.push(`${LQ}partially applied primop ${v.primop.name}${RQ}`);
}
