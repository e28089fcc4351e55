/**
 * Unit tests of the parser's output that the printed form does not show: positions
 * (CppNix's, which error messages and `unsafeGetAttrPos` expose), function names,
 * the `inherit (e)` slot layout, per-part positions of string concatenations, the
 * scope pass's annotations, and warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EAttrs, ECall, EConcatStrings, ELambda, ELet, ESelect, EVar, EWith, Expr } from '../../src/lang/ast.js';
import { NixError } from '../../src/diag/diagnostic.js';
import { cppGetPos, parse, parseAndResolve } from '../../src/lang/parser.js';
import { showExpr } from '../../src/lang/printer.js';
import { PosTable, noPos, toBinary } from '../../src/lang/source.js';
import { GLOBALS } from './helpers.js';

function p(text: string, opts: { warn?: (m: string) => void; pipeOperators?: boolean } = {}): Expr {
  const table = new PosTable();
  table.add({ kind: 'string' }, 'padding so that positions are not offsets');
  const src = table.add({ kind: 'string' }, text);
  const e = parse(table, src, { baseDir: '/base/dir', home: '/home/u', ...opts });
  // Report positions relative to this source.
  return rebase(e, src.base);
}

/** Positions as offsets into the text (noPos stays -1). */
function rebase(e: Expr, base: number): Expr {
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (x instanceof Map) {
      for (const v of x.values()) walk(v);
      return;
    }
    const o = x as Record<string, unknown>;
    if (typeof o['pos'] === 'number' && o['pos'] !== noPos) o['pos'] = (o['pos'] as number) - base;
    if (Array.isArray(o['partPos'])) o['partPos'] = (o['partPos'] as number[]).map((q) => q - base);
    for (const k of Object.keys(o)) if (k !== 'partPos') walk(o[k]);
  };
  walk(e);
  return e;
}

function parseErr(text: string, opts: { pipeOperators?: boolean } = {}): NixError {
  const table = new PosTable();
  const src = table.add({ kind: 'stdin' }, text);
  try {
    parseAndResolve(table, src, { baseDir: '/', home: '/h', ...opts }, GLOBALS);
  } catch (e) {
    assert.ok(e instanceof NixError, String(e));
    return e;
  }
  assert.fail('no error');
}

test('positions follow CppNix', () => {
  const sel = p('  a.b.c') as ESelect;
  assert.equal(sel.pos, 2); // a selection is at its subject
  const call = p('f x y') as ECall;
  assert.equal(call.pos, 0);
  assert.equal(call.args.length, 2);
  const plus = p('a + b') as EConcatStrings;
  assert.equal(plus.pos, 2); // binary operators at the operator
  assert.deepEqual(plus.partPos, [0, 4]);
  const sub = p('(a) - b') as ECall;
  assert.equal(sub.pos, 4);
  assert.equal((sub.fn as EVar).name, '__sub');
  assert.equal(sub.fn.pos, noPos);
  const neg = p(' -x') as ECall;
  assert.equal(neg.pos, 1);
  const lam = p(' { a }: a') as ELambda;
  assert.equal(lam.pos, 1);
  assert.equal(lam.formals!.formals[0]!.pos, 3);
  const inter = p('"ab${c}d"') as EConcatStrings;
  assert.equal(inter.pos, 1); // just inside the quote
  assert.deepEqual(inter.partPos, [1, 3, 7]);
  const plusInter = p('(x) + "${y}"') as EConcatStrings;
  assert.deepEqual(plusInter.partPos, [0, 6]);
  const path = p('./a/${b}c') as EConcatStrings;
  assert.equal(path.forceString, false);
  assert.deepEqual(path.partPos, [0, 4, 8]);
  const ind = p("''\n  x ${y}\n''") as EConcatStrings;
  assert.equal(ind.pos, 0);
  assert.deepEqual(ind.partPos, [3, 7, 11]);
});

test('attribute positions: attrpath start; nested sets have none', () => {
  const a = p('{ a.b = 1; inherit c; inherit (d) e; }') as EAttrs;
  assert.equal(a.pos, 0);
  const ab = a.attrs.get('a')!;
  assert.equal(ab.pos, 2);
  assert.equal(ab.e.pos, noPos);
  assert.equal((ab.e as EAttrs).attrs.get('b')!.pos, 2);
  assert.equal(a.attrs.get('c')!.pos, 19);
  assert.equal(a.attrs.get('c')!.kind, 'inherited');
  const e = a.attrs.get('e')!;
  assert.equal(e.kind, 'inheritedFrom');
  assert.equal(e.pos, 34);
  const sel = e.e as ESelect;
  assert.equal(sel.pos, 34);
  assert.equal(sel.e.k, 'inheritFrom');
  assert.equal(sel.e.pos, 31); // the expression inside the parentheses
});

test('inherit (e) slots are renumbered when sets merge', () => {
  const a = p('{ x = { inherit (p) a b; }; x = { inherit (q) c d; inherit (r) e; }; }') as EAttrs;
  const x = a.attrs.get('x')!.e as EAttrs;
  assert.equal(x.inheritFromExprs!.length, 3);
  const idx = (n: string) => ((x.attrs.get(n)!.e as ESelect).e as { index: number }).index;
  assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map(idx), [0, 0, 1, 1, 2]);
  assert.deepEqual(
    x.inheritFromExprs!.map((s) => (s as EVar).name),
    ['p', 'q', 'r'],
  );
});

test('functions are named after their binding, curried ones too', () => {
  const l = p('let f = x: y: x; g = { h = z: z; }; in f') as ELet;
  const f = l.attrs.attrs.get('f')!.e as ELambda;
  assert.equal(f.name, 'f');
  assert.equal((f.body as ELambda).name, 'f');
  const g = l.attrs.attrs.get('g')!.e as EAttrs;
  assert.equal((g.attrs.get('h')!.e as ELambda).name, 'h');
  assert.equal((p('x: x') as ELambda).name, undefined);
  // Nested paths name the innermost attribute.
  const n = p('{ a.b = x: x; }') as EAttrs;
  assert.equal(((n.attrs.get('a')!.e as EAttrs).attrs.get('b')!.e as ELambda).name, 'b');
});

test('formals are sorted by name; relative and home paths are resolved', () => {
  const lam = p('{ zz, a ? 1, m }: a') as ELambda;
  assert.deepEqual(lam.formals!.formals.map((f) => f.name), ['a', 'm', 'zz']);
  assert.equal(showExpr(p('./x/../y')), '/base/dir/y');
  assert.equal(showExpr(p('../../..')), '/');
  assert.equal(showExpr(p('~/a/../b')), '/home/u/a/../b');
  const table = new PosTable();
  assert.throws(
    () => parse(table, table.add({ kind: 'string' }, '~/a'), { baseDir: '/' }),
    /the path '~\/a' can not be resolved in pure mode/,
  );
});

test('the scope pass resolves levels, slots and with', () => {
  const table = new PosTable();
  const src = table.add({ kind: 'string' }, 'let a = 1; b = x: with x; a + c + builtins; in b');
  const l = parseAndResolve(table, src, { baseDir: '/' }, GLOBALS) as ELet;
  const body = l.body as EVar;
  assert.deepEqual([body.level, body.index, body.fromWith], [0, 1, false]);
  const lam = l.attrs.attrs.get('b')!.e as ELambda;
  const w = lam.body as EWith;
  assert.equal(w.prevWith, -1);
  const sum = w.body as EConcatStrings;
  const inner = sum.parts[0] as EConcatStrings;
  const a = inner.parts[0] as EVar;
  const c = inner.parts[1] as EVar;
  const bi = sum.parts[1] as EVar;
  assert.deepEqual([a.level, a.index, a.fromWith], [2, 0, false]);
  assert.deepEqual([c.level, c.fromWith], [0, true]);
  assert.deepEqual([bi.level, bi.index, bi.fromWith], [3, GLOBALS.indexOf('builtins'), false]);
});

test('undefined variables are reported after parsing, like CppNix', () => {
  const e = parseErr('x: y');
  assert.equal(e.message, "undefined variable 'y'");
  assert.equal(e.kind, 'undefined-variable');
  // A syntax error anywhere wins over an undefined variable earlier in the text.
  assert.match(parseErr('[ y ] ++').message, /^syntax error/);
  assert.equal(parseErr('{ inherit "a b"; }').message, `undefined variable '"a b"'`);
});

test('duplicate-attribute and formal errors', () => {
  assert.equal(parseErr('{ a = 1; a = 2; }').message, toBinary("attribute 'a' already defined at «stdin»:1:3"));
  assert.match(parseErr('{ a.b.c = 1; a.b.c = 2; }').message, /^attribute 'a.b.c' already defined/);
  assert.match(parseErr('{ "a b".c = 1; "a b".c = 2; }').message, /^attribute '"a b".c' already defined/);
  assert.match(parseErr('{ a, a }: a').message, /^duplicate formal function argument 'a'$/);
  // Merging attribute-set literals is allowed (CppNix ≥ 2.14).
  assert.equal(showExpr(p('{ a = { x = 1; }; a = { y = 2; }; }')), '{ a = { x = 1; y = 2; }; }');
});

test('the cursed `or` warns where CppNix does', () => {
  const warnings: string[] = [];
  p('[ (f or) (map or [ ]) ({ a = 1; }.a or (x: x) or) (g x or) ]', { warn: (m) => warnings.push(m) });
  assert.equal(warnings.length, 2);
  assert.ok(warnings[0]!.startsWith(toBinary('at «string»:1:40: This expression uses `or` as an identifier')));
  assert.match(warnings[0]!, /\n {4}\(\(x: x\) or\)\n/);
  assert.match(warnings[1]!, /\n {4}\(x or\)\n/);
});

test('pipe operators when enabled', () => {
  assert.equal(showExpr(p('a |> f |> g x', { pipeOperators: true })), '(g x (f a))');
  assert.equal(showExpr(p('f <| g <| a + 1', { pipeOperators: true })), '(f (g (a + 1)))');
  assert.match(parseErr('a |> f <| g', { pipeOperators: true }).message, /^syntax error, unexpected '<\|', expecting end of file$/);
});

test('cppGetPos mirrors Expr::getPos', () => {
  const l = p(' [ x 1 ]');
  assert.equal(cppGetPos(l), 3);
  assert.equal(cppGetPos(p('[ ]')), noPos);
  assert.equal(cppGetPos(p('1')), noPos);
  assert.equal(cppGetPos(p(' !x')), 2);
  assert.equal(cppGetPos(p(' x ? a')), 1);
  assert.equal(cppGetPos(p(' x.a')), 1);
});
