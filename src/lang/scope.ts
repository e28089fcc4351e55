/**
 * Static scope resolution (CppNix's `bindVars`).
 *
 * Before anything is evaluated, every variable is resolved to where its value will
 * live at run time: `level` environments up, slot `index`. The compiler then emits a
 * direct indexed load — no name lookups at run time, except for variables that no
 * lexical scope binds, which are looked up in the enclosing `with`s, innermost first.
 * A variable bound nowhere, with no `with` around it, is the static error
 * `undefined variable 'x'`, reported before evaluation starts, as CppNix does.
 *
 * The environment layout defined here is the contract with eval/compile.ts:
 *   - base env: one slot per global (`builtins`, `true`, `map`, `__add`, …);
 *   - `let` and `rec { }`: one env; static attributes in definition order, then one
 *     slot per `inherit (e)` source expression;
 *   - non-rec `{ }` with `inherit (e)`: one env holding only the source expressions,
 *     in which the inherited attributes' selects are evaluated;
 *   - lambda: one env; the plain or `@` argument first (if named), then the formals
 *     in sorted order — except `x: …`, whose frame is an `Env1`, its parent and its
 *     argument as two fields (eval/value.ts);
 *   - `with`: one env whose slot 0 holds the (lazy) attrset.
 */

import { NixError } from '../diag/diagnostic.js';
import type { EAttrs, Expr, EVar } from './ast.js';
import { printIdentifier } from './printer.js';

export class StaticEnv {
  constructor(
    readonly up: StaticEnv | null,
    readonly vars: Map<string, number>,
    readonly isWith: boolean = false,
    /** The frame of a lambda without formals: an `Env1` at run time. */
    readonly one: boolean = false,
  ) {}
}

export function baseStaticEnv(globals: readonly string[]): StaticEnv {
  const m = new Map<string, number>();
  globals.forEach((g, i) => m.set(g, i));
  return new StaticEnv(null, m);
}

function resolveVar(v: EVar, env: StaticEnv): void {
  let withLevel = -1;
  let level = 0;
  for (let e: StaticEnv | null = env; e; e = e.up, level++) {
    if (e.isWith) {
      if (withLevel === -1) withLevel = level;
      continue;
    }
    const i = e.vars.get(v.name);
    if (i !== undefined) {
      v.level = level;
      v.index = i;
      v.fromWith = false;
      v.one = e.one;
      v.global = e.up === null;
      return;
    }
  }
  if (withLevel === -1) {
    throw new NixError(
      'undefined-variable',
      `undefined variable '${printIdentifier(v.name)}'`,
      v.pos,
      'parse/undefined-variable',
    );
  }
  v.level = withLevel;
  v.index = 0;
  v.fromWith = true;
  v.one = false;
}

/** Levels from `env` up to the nearest `with` scope, or -1. */
function withDistance(env: StaticEnv | null): number {
  let level = 0;
  for (let e = env; e; e = e.up, level++) if (e.isWith) return level;
  return -1;
}

function bindAttrsRec(a: EAttrs, outer: StaticEnv): void {
  const vars = new Map<string, number>();
  let displ = 0;
  for (const [name, def] of a.attrs) {
    def.displ = displ;
    vars.set(name, displ++);
  }
  const inner = new StaticEnv(outer, vars);
  // `inherit (e)` sources live in slots after the attributes.
  a.inheritFromExprs?.forEach((e) => resolve(e, inner));
  for (const def of a.attrs.values()) {
    // `inherit x;` takes x from the scope *around* the rec set / let.
    resolve(def.e, def.kind === 'inherited' ? outer : inner);
  }
  for (const d of a.dynamic) {
    resolve(d.nameExpr, inner);
    resolve(d.value, inner);
  }
}

function bindAttrsNonRec(a: EAttrs, env: StaticEnv): void {
  let inheritEnv = env;
  if (a.inheritFromExprs && a.inheritFromExprs.length > 0) {
    for (const e of a.inheritFromExprs) resolve(e, env);
    inheritEnv = new StaticEnv(env, new Map());
  }
  let displ = 0;
  for (const def of a.attrs.values()) {
    def.displ = displ++;
    resolve(def.e, def.kind === 'inheritedFrom' ? inheritEnv : env);
  }
  for (const d of a.dynamic) {
    resolve(d.nameExpr, env);
    resolve(d.value, env);
  }
}

/**
 * Resolve every variable under `e` in `env`. Iterative over the spine of long
 * left-nested chains would be nicer; nesting depth is bounded by the parser's own
 * recursion, and the CLI runs evaluation on a thread with a large stack.
 */
export function resolve(e: Expr, env: StaticEnv): void {
  switch (e.k) {
    case 'int':
    case 'float':
    case 'str':
    case 'path':
    case 'curPos':
    case 'inheritFrom':
      return;
    case 'var':
      return resolveVar(e, env);
    case 'select':
      // CppNix's order (subject, default, then dynamic path parts) decides which of
      // several undefined variables is reported.
      resolve(e.e, env);
      if (e.def) resolve(e.def, env);
      for (const p of e.path) if (p.expr) resolve(p.expr, env);
      return;
    case 'hasAttr':
      resolve(e.e, env);
      for (const p of e.path) if (p.expr) resolve(p.expr, env);
      return;
    case 'attrs':
      if (e.rec) bindAttrsRec(e, env);
      else bindAttrsNonRec(e, env);
      return;
    case 'list':
      for (const x of e.elems) resolve(x, env);
      return;
    case 'lambda': {
      const vars = new Map<string, number>();
      let displ = 0;
      if (e.arg !== undefined) vars.set(e.arg, displ++);
      if (e.formals) for (const f of e.formals.formals) vars.set(f.name, displ++);
      const inner = new StaticEnv(env, vars, false, e.formals === undefined && e.arg !== undefined);
      if (e.formals) for (const f of e.formals.formals) if (f.def) resolve(f.def, inner);
      resolve(e.body, inner);
      return;
    }
    case 'call':
      resolve(e.fn, env);
      for (const a of e.args) resolve(a, env);
      return;
    case 'let': {
      bindAttrsRec(e.attrs, env);
      // bindAttrsRec made the env; rebuild the same view for the body.
      const vars = new Map<string, number>();
      for (const [name, def] of e.attrs.attrs) vars.set(name, def.displ);
      resolve(e.body, new StaticEnv(env, vars));
      return;
    }
    case 'with': {
      resolve(e.attrs, env);
      e.prevWith = withDistance(env);
      if (e.prevWith >= 0) e.prevWith += 1; // measured from the with's own env
      resolve(e.body, new StaticEnv(env, new Map(), true));
      return;
    }
    case 'if':
      resolve(e.cond, env);
      resolve(e.then, env);
      resolve(e.else, env);
      return;
    case 'assert':
      resolve(e.cond, env);
      resolve(e.body, env);
      return;
    case 'not':
      resolve(e.e, env);
      return;
    case 'binop':
      resolve(e.left, env);
      resolve(e.right, env);
      return;
    case 'concatStrings':
      for (const p of e.parts) resolve(p, env);
      return;
  }
}
