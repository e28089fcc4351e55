/**
 * `-A a.b.0.c` selection paths and the auto-calling of top-level functions with
 * `--arg`/`--argstr` values, as nix-instantiate does (attr-path.cc, eval.cc
 * autoCallFunction).
 */

import { NixError } from '../diag/diagnostic.js';
import { noPos } from '../lang/source.js';
import { suggestions } from './compile.js';
import type { EvalState } from './state.js';
import { Lambda, NixAttrs, Thunk, showType, type Lazy, type Value } from './value.js';

export function parseAttrPath(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '.') {
      out.push(cur);
      cur = '';
    } else if (c === '"') {
      i++;
      for (; i < s.length && s[i] !== '"'; i++) cur += s[i];
      if (i >= s.length) throw new NixError('eval', `missing closing quote in selection path '${s}'`);
    } else cur += c;
  }
  if (cur !== '' || out.length > 0) out.push(cur);
  return out;
}

export function autoCallFunction(st: EvalState, args: Map<string, Lazy>, x: Lazy): Value {
  const fun = x instanceof Thunk ? x.force() : x;
  if (fun instanceof NixAttrs) {
    const functor = fun.get('__functor');
    if (functor !== undefined) {
      const g = st.callFunction(functor instanceof Thunk ? functor.force() : functor, fun, noPos);
      return autoCallFunction(st, args, g);
    }
    return fun;
  }
  if (!(fun instanceof Lambda) || !fun.node.formals) return fun;
  const m = new Map<string, Lazy>();
  const formals = fun.node.formals;
  if (formals.ellipsis) {
    for (const [k, v] of args) m.set(k, v);
  } else {
    for (const f of formals.formals) {
      const v = args.get(f.name);
      if (v !== undefined) m.set(f.name, v);
      else if (!f.def) {
        throw new NixError(
          'missing-argument',
          `cannot evaluate a function that has an argument without a value ('${f.name}')`,
          f.pos,
        ).note(
          `Nix attempted to evaluate a function as a top level expression; in this case it must have its arguments supplied either by default values, or passed explicitly with '--arg' or '--argstr'. See https://nix.dev/manual/nix/stable/language/syntax.html#functions.`,
        );
      }
    }
  }
  return st.callFunction(fun, new NixAttrs(m), noPos);
}

export function findAlongAttrPath(st: EvalState, path: string, args: Map<string, Lazy>, root: Lazy): Value {
  const tokens = parseAttrPath(path);
  let v: Value = root instanceof Thunk ? root.force() : root;
  for (const attr of tokens) {
    v = autoCallFunction(st, args, v);
    const idx = /^[0-9]+$/.test(attr) ? Number(attr) : undefined;
    if (idx === undefined) {
      if (!(v instanceof NixAttrs)) {
        throw new NixError('type', `the expression selected by the selection path '${path}' should be a set but is ${showType(v)}`);
      }
      if (attr === '') throw new NixError('eval', `empty attribute name in selection path '${path}'`);
      const a = v.get(attr);
      if (a === undefined) {
        const e = new NixError('eval', `attribute '${attr}' in selection path '${path}' not found`);
        const s = suggestions(v.keys(), attr);
        if (s) e.note(`Did you mean ${s}?`);
        throw e;
      }
      v = a instanceof Thunk ? a.force() : a;
    } else {
      if (!Array.isArray(v)) {
        throw new NixError('type', `the expression selected by the selection path '${path}' should be a list but is ${showType(v)}`);
      }
      if (idx >= v.length) throw new NixError('eval', `list index ${idx} in selection path '${path}' is out of range`);
      const a = v[idx]!;
      v = a instanceof Thunk ? a.force() : a;
    }
  }
  return v;
}
