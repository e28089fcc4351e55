/**
 * `--xml` output and `builtins.toXML` (CppNix value-to-xml.cc + xml-writer.cc).
 *
 * The format is fixed by CppNix: an indented document with `<expr>` at the root,
 * attributes of an element in name order, `<attrs>`/`<attr name=…>` in byte order of
 * the names, derivations shown once (`<repeated />` afterwards), functions as their
 * argument patterns, primops and thunks as `<unevaluated />`.
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos, type PosIdx } from '../lang/source.js';
import type { EvalState } from './state.js';
import { formatFloatG } from './util/float.js';
import { Lambda, NixAttrs, NixFloat, NixPath, NixString, Thunk, type Lazy, type Value } from './value.js';

type XMLAttrs = [string, string][];

class XMLWriter {
  private out: string[] = ["<?xml version='1.0' encoding='utf-8'?>\n"];
  private depth = 0;

  private attrs(a: XMLAttrs): string {
    let s = '';
    for (const [k, v] of [...a].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      s += ` ${k}="`;
      for (const c of v) {
        if (c === '"') s += '&quot;';
        else if (c === '<') s += '&lt;';
        else if (c === '>') s += '&gt;';
        else if (c === '&') s += '&amp;';
        else if (c === '\n') s += '&#xA;';
        else s += c;
      }
      s += '"';
    }
    return s;
  }

  open(name: string, a: XMLAttrs = []): void {
    this.out.push(`${'  '.repeat(this.depth)}<${name}${this.attrs(a)}>\n`);
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.out.push(`${'  '.repeat(this.depth)}</${name}>\n`);
  }

  empty(name: string, a: XMLAttrs = []): void {
    this.out.push(`${'  '.repeat(this.depth)}<${name}${this.attrs(a)} />\n`);
  }

  text(): string {
    return this.out.join('');
  }
}

export function valueToXML(st: EvalState, x: Lazy, strict: boolean, location: boolean, ctx?: Set<string>): string {
  const doc = new XMLWriter();
  const drvsSeen = new Set<string>();
  const posAttrs = (pos: PosIdx): XMLAttrs => {
    const p = st.table.resolve(pos);
    if (!p) return [];
    const a: XMLAttrs = [];
    if (p.source.origin.kind === 'file') a.push(['path', p.source.origin.path]);
    a.push(['line', String(p.line)], ['column', String(p.column)]);
    return a;
  };
  const showAttrs = (v: NixAttrs, depth: number) => {
    for (const k of v.keys()) {
      const a: XMLAttrs = [['name', k]];
      const pos = v.posOf(k);
      if (location && pos !== noPos) a.push(...posAttrs(pos));
      doc.open('attr', a);
      go(v.get(k)!, depth + 1);
      doc.close('attr');
    }
  };
  const go = (x: Lazy, depth: number): void => {
    if (depth > st.opts.maxCallDepth) throw new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded');
    let v: Value;
    if (x instanceof Thunk) {
      if (strict) v = x.force();
      else {
        const p = x.peek();
        if (p === undefined) {
          doc.empty('unevaluated');
          return;
        }
        v = p;
      }
    } else v = x;
    if (v === null) doc.empty('null');
    else if (typeof v === 'boolean') doc.empty('bool', [['value', v ? 'true' : 'false']]);
    else if (typeof v === 'number' || typeof v === 'bigint') doc.empty('int', [['value', String(v)]]);
    else if (typeof v === 'string') doc.empty('string', [['value', v]]);
    else if (v instanceof NixString) {
      if (ctx) for (const c of v.ctx) ctx.add(c);
      doc.empty('string', [['value', v.s]]);
    } else if (v instanceof NixFloat) doc.empty('float', [['value', formatFloatG(v.v)]]);
    else if (v instanceof NixPath) doc.empty('path', [['value', v.path]]);
    else if (Array.isArray(v)) {
      doc.open('list');
      for (const e of v) go(e, depth + 1);
      doc.close('list');
    } else if (v instanceof NixAttrs) {
      if (st.isDerivation(v)) {
        const a: XMLAttrs = [];
        let drvPath = '';
        const strAttr = (name: string): string | undefined => {
          const y = v.get(name);
          if (y === undefined) return undefined;
          const z = strict && y instanceof Thunk ? y.force() : y instanceof Thunk ? y.peek() : y;
          return typeof z === 'string' ? z : z instanceof NixString ? z.s : undefined;
        };
        const dp = strAttr('drvPath');
        if (dp !== undefined) a.push(['drvPath', (drvPath = dp)]);
        const op = strAttr('outPath');
        if (op !== undefined) a.push(['outPath', op]);
        doc.open('derivation', a);
        if (drvPath !== '' && !drvsSeen.has(drvPath)) {
          drvsSeen.add(drvPath);
          showAttrs(v, depth);
        } else doc.empty('repeated');
        doc.close('derivation');
      } else {
        doc.open('attrs');
        showAttrs(v, depth);
        doc.close('attrs');
      }
    } else if (v instanceof Lambda) {
      doc.open('function', location ? posAttrs(v.node.pos) : []);
      const f = v.node.formals;
      if (f) {
        const a: XMLAttrs = [];
        if (v.node.arg !== undefined) a.push(['name', v.node.arg]);
        if (f.ellipsis) a.push(['ellipsis', '1']);
        doc.open('attrspat', a);
        for (const fm of [...f.formals].sort((p, q) => (p.name < q.name ? -1 : 1))) doc.empty('attr', [['name', fm.name]]);
        doc.close('attrspat');
      } else doc.empty('varpat', [['name', v.node.arg!]]);
      doc.close('function');
    } else doc.empty('unevaluated');
  };
  doc.open('expr');
  go(x, 0);
  doc.close('expr');
  return doc.text();
}
