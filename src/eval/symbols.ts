/**
 * CppNix's symbol order.
 *
 * CppNix keeps an attribute set's entries sorted by *symbol*, and symbols compare by
 * their creation order in the symbol table — not by name. Printing sorts by name, but
 * forcing a value deeply (`--strict`, `deepSeq`) and comparing sets walk the entries
 * in symbol order, which decides which of several failing attributes is reported
 * (`outPath` before `buildInputs` in a derivation, `b` before `a` in
 * `{ b = throw "b"; a = throw "a"; }`). This module reproduces that order closely:
 * the symbols CppNix creates at startup first, then the builtins' names, then the
 * names of each parsed file in source order, then any other name when first needed.
 */

import type { AttrName, Expr } from '../lang/ast.js';
import type { NixAttrs } from './value.js';

/** StaticEvalSymbols (eval.hh), in order. */
const staticSymbols = [
  '<with>', 'outPath', 'drvPath', 'type', 'meta', 'name', 'value', 'system', '__overrides', 'outputs',
  'outputName', '__ignoreNulls', 'file', 'line', 'column', '__functor', '__toString', 'right', 'wrong',
  '__structuredAttrs', '__json', 'allowedReferences', 'allowedRequisites', 'disallowedReferences',
  'disallowedRequisites', 'maxSize', 'maxClosureSize', 'builder', 'args', '__contentAddressed', '__impure',
  'outputHash', 'outputHashAlgo', 'outputHashMode', 'recurseForDerivations', 'description', 'self', '',
  'startSet', 'operator', 'key', 'path', 'prefix', 'outputSpecified', 'requiredSystemFeatures', '__sub',
  '__lessThan', '__mul', '__div', 'or', '__findFile', '__nixPath', 'body',
];

export class SymbolOrder {
  private readonly ids = new Map<string, number>();

  constructor() {
    for (const s of staticSymbols) this.intern(s);
  }

  intern(name: string): void {
    if (!this.ids.has(name)) this.ids.set(name, this.ids.size);
  }

  /** The names of a set in symbol order. */
  keysOf(a: NixAttrs): string[] {
    const keys = a.keys();
    if (keys.length < 2) return keys;
    return this.slotsOf(a).map((i) => keys[i]!);
  }

  /**
   * The slots of a set in symbol order. Interning only appends, so the order of names
   * already interned never changes: it is cached on the (shared) layout.
   */
  slotsOf(a: NixAttrs): number[] {
    const layout = a.layout;
    const c = layout.symCache;
    if (c !== undefined && c.owner === this) return c.slots;
    const keys = layout.keys;
    const ids = this.ids;
    const kid = new Array<number>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      let id = ids.get(keys[i]!);
      if (id === undefined) ids.set(keys[i]!, (id = ids.size));
      kid[i] = id;
    }
    const slots = keys.map((_, i) => i);
    if (keys.length > 1) slots.sort((x, y) => kid[x]! - kid[y]!);
    layout.symCache = { owner: this, slots };
    return slots;
  }

  /** Intern the names a parsed expression mentions, in source order. */
  internExpr(root: Expr): void {
    const found: { pos: number; seq: number; name: string }[] = [];
    let seq = 0;
    const add = (pos: number, name: string) => found.push({ pos, seq: seq++, name });
    const path = (pos: number, p: AttrName[]) => {
      for (const a of p) if (a.name !== undefined) add(pos, a.name);
      else walk(a.expr);
    };
    const walk = (e: Expr): void => {
      switch (e.k) {
        case 'var':
          add(e.pos, e.name);
          return;
        case 'select':
          walk(e.e);
          path(e.pos, e.path);
          if (e.def) walk(e.def);
          return;
        case 'hasAttr':
          walk(e.e);
          path(e.pos, e.path);
          return;
        case 'attrs':
          for (const [name, d] of e.attrs) {
            add(d.pos, name);
            if (d.kind === 'plain') walk(d.e);
          }
          for (const d of e.dynamic) {
            walk(d.nameExpr);
            walk(d.value);
          }
          for (const x of e.inheritFromExprs ?? []) walk(x);
          return;
        case 'list':
          for (const x of e.elems) walk(x);
          return;
        case 'lambda':
          if (e.arg !== undefined) add(e.pos, e.arg);
          if (e.formals) {
            for (const f of e.formals.formals) {
              add(f.pos, f.name);
              if (f.def) walk(f.def);
            }
          }
          walk(e.body);
          return;
        case 'call':
          walk(e.fn);
          for (const x of e.args) walk(x);
          return;
        case 'let':
          walk(e.attrs);
          walk(e.body);
          return;
        case 'with':
          walk(e.attrs);
          walk(e.body);
          return;
        case 'if':
          walk(e.cond);
          walk(e.then);
          walk(e.else);
          return;
        case 'assert':
          walk(e.cond);
          walk(e.body);
          return;
        case 'not':
          walk(e.e);
          return;
        case 'binop':
          walk(e.left);
          walk(e.right);
          return;
        case 'concatStrings':
          for (const x of e.parts) walk(x);
          return;
        default:
          return;
      }
    };
    walk(root);
    found.sort((a, b) => a.pos - b.pos || a.seq - b.seq);
    for (const f of found) this.intern(f.name);
  }
}
