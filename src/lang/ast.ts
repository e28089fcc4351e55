/**
 * The Nix abstract syntax tree.
 *
 * The tree is CppNix's (`nixexpr.hh`) in shape, because several of its desugarings are
 * observable and must be reproduced exactly:
 *   - `-e` is `__sub 0 e`, `a < b` is `__lessThan a b` (and `>`, `<=`, `>=` likewise),
 *     `<p>` is `__findFile __nixPath "p"` — all as `Call`s of `Var`s, so user bindings
 *     named `__sub` etc. change them;
 *   - `a + b` and string interpolation are both `ConcatStrings`;
 *   - nested attribute paths (`a.b = 1; a.c = 2;`) are merged into nested `Attrs` at
 *     parse time, with the `rec`-ness of the first definition;
 *   - relative path literals are resolved against the file's directory at parse time.
 *
 * Every node carries `pos`, a `PosIdx` (see source.ts). Nodes are plain objects with a
 * string tag `k`; the scope pass (scope.ts) annotates `Var`s in place with where their
 * binding lives, and the compiler (eval/compile.ts) turns the tree into closures.
 *
 * All strings in the tree (names, literal text, paths) are byte strings.
 */

import type { PosIdx } from './source.js';

export type Expr =
  | EInt
  | EFloat
  | EStr
  | EPath
  | EVar
  | ESelect
  | EHasAttr
  | EAttrs
  | EList
  | ELambda
  | ECall
  | ELet
  | EWith
  | EIf
  | EAssert
  | ENot
  | EBinOp
  | EConcatStrings
  | ECurPos
  | EInheritFrom;

export interface EInt {
  k: 'int';
  pos: PosIdx;
  /** A JS number when it is a safe integer, else a bigint (always within int64). */
  value: number | bigint;
}

export interface EFloat {
  k: 'float';
  pos: PosIdx;
  value: number;
}

export interface EStr {
  k: 'str';
  pos: PosIdx;
  value: string;
}

/** A path literal, already absolute and canonical (`~/x` keeps `home: true` to be expanded at eval). */
export interface EPath {
  k: 'path';
  pos: PosIdx;
  value: string;
}

/**
 * Where a variable's binding lives, filled in by the scope pass:
 *  - `level`/`index`: the static environment `level` frames up, slot `index`;
 *  - `fromWith`: not bound lexically; looked up in the `with` scopes at run time,
 *    starting with the one `level` frames up (its slot 0 holds the attrset);
 *    `withDepth` counts further enclosing withs is computed by walking `Env.up`.
 */
export interface EVar {
  k: 'var';
  pos: PosIdx;
  name: string;
  level: number;
  index: number;
  fromWith: boolean;
  /**
   * Bound by a lambda without formals (`x: …`): its frame is an `Env1` and the value
   * sits in the frame's `a` field rather than at an index (see eval/value.ts).
   */
  one: boolean;
  /** Bound in the base environment (a builtin): its value is known at compile time. */
  global?: boolean;
}

/** An attribute name in a path: static (`a`, `"a"`) or dynamic (`${e}`, `"${e}"`). */
export type AttrName = { name: string; expr?: undefined } | { name?: undefined; expr: Expr };

export interface ESelect {
  k: 'select';
  pos: PosIdx;
  e: Expr;
  path: AttrName[];
  def?: Expr;
}

export interface EHasAttr {
  k: 'hasAttr';
  pos: PosIdx;
  e: Expr;
  path: AttrName[];
}

/**
 * How an attribute was defined.
 *  - `plain`: `a = e;` (also the merged result of `a.b = …`),
 *  - `inherited`: `inherit a;` — `e` is a `Var` resolved in the *outer* scope,
 *  - `inheritedFrom`: `inherit (s) a;` — `e` is a `Select` of an `InheritFrom`
 *    node that refers to `inheritFromExprs[index]` of the enclosing set/let.
 */
export type AttrKind = 'plain' | 'inherited' | 'inheritedFrom';

export interface AttrDef {
  kind: AttrKind;
  e: Expr;
  pos: PosIdx;
  /** Slot of this attribute in the rec/let environment (set by the scope pass). */
  displ: number;
}

export interface DynamicAttrDef {
  nameExpr: Expr;
  value: Expr;
  pos: PosIdx;
}

export interface EAttrs {
  k: 'attrs';
  pos: PosIdx;
  rec: boolean;
  /** Static attributes, in definition order. */
  attrs: Map<string, AttrDef>;
  /** `${e} = …` and `"${e}" = …`, evaluated after the static ones. */
  dynamic: DynamicAttrDef[];
  /** The `s` of every `inherit (s) …`, evaluated once per instantiation. */
  inheritFromExprs?: Expr[];
}

/** Refers to `inheritFromExprs[index]` of the enclosing attrs/let (CppNix ExprInheritFrom). */
export interface EInheritFrom {
  k: 'inheritFrom';
  pos: PosIdx;
  index: number;
}

export interface EList {
  k: 'list';
  pos: PosIdx;
  elems: Expr[];
}

export interface Formal {
  name: string;
  pos: PosIdx;
  def?: Expr;
}

export interface Formals {
  /** Sorted by name, as CppNix keeps them (and as `functionArgs` observes). */
  formals: Formal[];
  ellipsis: boolean;
}

export interface ELambda {
  k: 'lambda';
  pos: PosIdx;
  /** The simple argument name, or the `@` name of a pattern lambda. */
  arg?: string;
  formals?: Formals;
  body: Expr;
  /** Set by the parser from the binding it is defined in (`f = x: …` → `f`), for traces. */
  name?: string;
}

export interface ECall {
  k: 'call';
  pos: PosIdx;
  fn: Expr;
  args: Expr[];
}

export interface ELet {
  k: 'let';
  pos: PosIdx;
  /** Always `rec`, never has dynamic attributes. */
  attrs: EAttrs;
  body: Expr;
}

export interface EWith {
  k: 'with';
  pos: PosIdx;
  attrs: Expr;
  body: Expr;
  /** Levels up to the next enclosing `with` scope (set by the scope pass; -1 if none). */
  prevWith: number;
}

export interface EIf {
  k: 'if';
  pos: PosIdx;
  cond: Expr;
  then: Expr;
  else: Expr;
}

export interface EAssert {
  k: 'assert';
  pos: PosIdx;
  cond: Expr;
  body: Expr;
}

export interface ENot {
  k: 'not';
  pos: PosIdx;
  e: Expr;
}

export type BinOp = '==' | '!=' | '&&' | '||' | '->' | '//' | '++';

export interface EBinOp {
  k: 'binop';
  pos: PosIdx;
  op: BinOp;
  left: Expr;
  right: Expr;
}

/**
 * `a + b` (`forceString: false`) and interpolation `"a${b}"` (`forceString: true`).
 * Parts keep their own positions for error messages.
 */
export interface EConcatStrings {
  k: 'concatStrings';
  pos: PosIdx;
  forceString: boolean;
  parts: Expr[];
  /**
   * Where CppNix reports errors about each part (it keeps a position per part): the
   * `${` of an interpolation, the start of each operand of `+`. Set by the parser;
   * when absent, use `parts[i].pos`.
   */
  partPos?: PosIdx[];
}

export interface ECurPos {
  k: 'curPos';
  pos: PosIdx;
}
