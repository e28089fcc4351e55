/**
 * The Nix parser: recursive descent with precedence climbing, producing the AST of
 * ast.ts with every desugaring CppNix's bison grammar (`parser.y`) performs.
 *
 * Why not a generated LALR parser: a hand-written parser is faster in JS, easier to
 * make iterative where it matters (lists, bindings, operator chains), and needs no
 * build step. The price is that bison's behaviour must be reproduced by design:
 *
 *  - Precedence and associativity follow parser.y's table exactly, including the odd
 *    corners: `!a + b` is `!(a + b)` (NOT binds looser than `+`), `-a ? b` is
 *    `(-a) ? b`, `==`/`!=` and `<`/`<=`/… are non-associative, `?` takes an attribute
 *    path and chains to the left, `if`/`let`/lambdas are not allowed as operands.
 *  - Error messages are bison's "syntax error, unexpected X, expecting Y or Z". Bison
 *    reports an error only in a parser state without a default reduction, listing the
 *    tokens that state can shift (or nothing if more than four). Each place below that
 *    *requires* a token corresponds to such a state, and the `E_*` lists are exactly
 *    what the LALR automaton of parser.y lists there (checked against a bison build of
 *    the grammar). Where bison's default reductions take it to a different state than
 *    the obvious one — `{ a = 1; 2 }` says "expecting 'inherit'", `let a = 1; 2` says
 *    "expecting 'in' or 'inherit'" — the lists encode that too.
 *  - Semantic errors (duplicate attributes, duplicate formals, dynamic attributes in
 *    `let`/`inherit`) are raised at the moment bison would run the action, before the
 *    next token is lexed, so lexer errors and semantic errors are ordered as in CppNix.
 *  - `{` is either an attribute set or a formal argument set. Bison decides with one
 *    token of lookahead after `{`, `{ ID` or `{ }`; we do the same, by consuming those
 *    tokens and continuing in "rest" entry points rather than by backtracking.
 *
 * Positions follow CppNix: nodes that have a position there get the same one (a
 * selection `a.b.c` is at `a`, a call at its function, a binary operator at the
 * operator); literal nodes, which have none there, get their token's position (see
 * `cppGetPos` for the exact CppNix view).
 *
 * Deep nesting recurses on the JS stack; the evaluator runs on a thread with a large
 * stack, and a RangeError anywhere becomes a clean "too deeply nested" parse error.
 */

import { hostStackExhausted, NixError, parseError } from '../diag/diagnostic.js';
import { formatPos } from '../diag/render.js';
import { canonPath } from '../host.js';
import type {
  AttrDef,
  AttrName,
  DynamicAttrDef,
  EAttrs,
  ECall,
  EConcatStrings,
  EInheritFrom,
  ELambda,
  ESelect,
  EStr,
  EVar,
  Expr,
  Formal,
  Formals,
} from './ast.js';
import { Lexer, T, tokenName } from './lexer.js';
import { printIdentifier, showExpr } from './printer.js';
import { baseStaticEnv, resolve } from './scope.js';
import { noPos, type PosIdx, type PosTable, type Source } from './source.js';

export interface ParseOptions {
  /** Directory relative path literals are resolved against. */
  baseDir: string;
  /** `$HOME`, for `~/…` path literals (without it they are an error, as in pure mode). */
  home?: string;
  /** Enable the `pipe-operators` experimental feature. */
  pipeOperators?: boolean;
  /** Receives parser warnings (the deprecated "cursed or"), already formatted. */
  warn?: (message: string) => void;
  /** CppNix's `lint-*` settings; absent means `ignore`. */
  lint?: {
    urlLiterals?: LintLevel;
    shortPathLiterals?: LintLevel;
    absolutePathLiterals?: LintLevel;
  };
  /** Receives lint warnings, as diagnostics (printed with level `warning`). */
  warnDiag?: (e: NixError) => void;
}

export type LintLevel = 'warn' | 'fatal';

// What bison lists as expected in each error state (in its symbol order).
const E_EOF = ['end of file'];
const E_THEN = ["'then'"];
const E_ELSE = ["'else'"];
const E_SEMI = ["';'"];
const E_RPAREN = ["')'"];
const E_RBRACE = ["'}'"];
const E_LBRACE = ["'{'"];
const E_COLON = ["':'"];
const E_COLON_AT = ["':'", "'@'"];
const E_ID = ['identifier'];
const E_IN_INHERIT = ["'in'", "'inherit'"];
const E_INHERIT = ["'inherit'"];
const E_INHERIT_RBRACE = ["'inherit'", "'}'"];
const E_DOT_EQ = ["'.'", "'='"];
const E_QUOTE = ["'\"'"];
const E_ATTR = ['identifier', "'or'", "'${'", "'\"'"];
const E_FORMALS_END = ["'}'", "','"];
const E_FORMAL_NEXT = ['identifier', "'...'", "'}'"];
const E_IND = ['indented string', "'${'", 'end of an indented string'];
const E_PATH = ['string', 'end of path', "'${'"];

const C_COLON = 58;
const C_AT = 64;
const C_SEMI = 59;
const C_BANG = 33;
const C_MINUS = 45;
const C_PLUS = 43;
const C_STAR = 42;
const C_SLASH = 47;
const C_LT = 60;
const C_GT = 62;
const C_QUESTION = 63;
const C_DOT = 46;
const C_QUOTE = 34;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_LBRACE = 123;
const C_RBRACE = 125;
const C_LBRACKET = 91;
const C_RBRACKET = 93;
const C_EQUALS = 61;
const C_COMMA = 44;

// Binary operator precedences (parser.y's %right/%left/%nonassoc lines, low to high).
const P_IMPL = 1;
const P_OR = 2;
const P_AND = 3;
const P_EQ = 4;
const P_CMP = 5;
const P_UPDATE = 6;
const P_NOT = 7;
const P_ADD = 8;
const P_MUL = 9;
const P_CONCAT = 10;
const P_HAS = 11;
const P_NEGATE = 12;

const TABLE_SIZE = 320;
const PREC = new Uint8Array(TABLE_SIZE);
PREC[T.IMPL] = P_IMPL;
PREC[T.OR] = P_OR;
PREC[T.AND] = P_AND;
PREC[T.EQ] = P_EQ;
PREC[T.NEQ] = P_EQ;
PREC[C_LT] = P_CMP;
PREC[C_GT] = P_CMP;
PREC[T.LEQ] = P_CMP;
PREC[T.GEQ] = P_CMP;
PREC[T.UPDATE] = P_UPDATE;
PREC[C_PLUS] = P_ADD;
PREC[C_MINUS] = P_ADD;
PREC[C_STAR] = P_MUL;
PREC[C_SLASH] = P_MUL;
PREC[T.CONCAT] = P_CONCAT;
PREC[C_QUESTION] = P_HAS;

/** Tokens that can start an `expr_select` (function arguments, list elements). */
const SELECT_START = new Uint8Array(TABLE_SIZE);
for (const k of [
  T.ID,
  T.INT,
  T.FLOAT,
  C_QUOTE,
  T.IND_STRING_OPEN,
  T.PATH,
  T.HPATH,
  T.SPATH,
  T.URI,
  C_LPAREN,
  T.LET,
  T.REC,
  C_LBRACE,
  C_LBRACKET,
])
  SELECT_START[k] = 1;

/**
 * Shared by every attribute set without dynamic attributes (nearly all of them), to
 * save an allocation per set; frozen, so that a stray push fails loudly.
 */
const NO_DYNAMIC: DynamicAttrDef[] = Object.freeze([]) as unknown as DynamicAttrDef[];

interface IndPart {
  pos: PosIdx;
  expr?: Expr;
  text: string;
  indent: boolean;
}

interface FormalsBuilder {
  formals: Formal[];
  ellipsis: boolean;
}

class Parser {
  readonly lx: Lexer;
  private readonly base: number;
  /** The current (lookahead) token kind. */
  t: number = T.EOF;
  /** Calls built from `f or` that would still warn if used as an argument. */
  private cursed: Map<Expr, number> | null = null;

  constructor(
    private readonly table: PosTable,
    private readonly src: Source,
    private readonly opts: ParseOptions,
  ) {
    this.base = src.base;
    this.lx = new Lexer(src.text, src.base, { pipeOperators: opts.pipeOperators });
  }

  advance(): void {
    this.t = this.lx.next();
  }

  /** The current token (a call, so that TypeScript doesn't narrow it across advance()). */
  tk(): number {
    return this.t;
  }

  private pos(offset: number): PosIdx {
    return this.base + offset;
  }

  syntaxError(expected: string[] | null): never {
    const t = this.tk();
    let msg = `syntax error, unexpected ${tokenName(t)}`;
    if (expected !== null) msg += `, expecting ${expected.join(' or ')}`;
    // Bison reports an unexpected end of file where the input ended.
    throw parseError(msg, this.pos(t === T.EOF ? this.lx.end : this.lx.start));
  }

  private expect(kind: number, expected: string[]): void {
    if (this.tk() !== kind) this.syntaxError(expected);
    this.advance();
  }

  // ------------------------------------------------------------------ expressions

  /** `expr` / `expr_function`: lambdas, assert, with, let, if, and operators. */
  parseExpr(): Expr {
    const lx = this.lx;
    switch (this.tk()) {
      case T.ID: {
        const start = lx.start;
        const name = lx.sval;
        this.advance();
        if (this.tk() === C_COLON) {
          this.advance();
          const body = this.parseExpr();
          return newLambda(this.pos(start), name, undefined, body);
        }
        if (this.tk() === C_AT) {
          this.advance();
          if (this.tk() !== C_LBRACE) this.syntaxError(E_LBRACE);
          this.advance();
          const fs = this.parseFormals(true, null, 0);
          if (this.tk() !== C_COLON) this.syntaxError(E_COLON);
          this.advance();
          const body = this.parseExpr();
          return this.makeLambda(start, name, fs, body);
        }
        return this.parseOpRest(this.idExpr(name, start), start);
      }
      case C_LBRACE: {
        const start = lx.start;
        this.advance();
        const t = this.tk();
        if (t === C_RBRACE) {
          this.advance();
          const t2 = this.tk();
          if (t2 === C_COLON || t2 === C_AT) return this.lambdaFromFormals(start, { formals: [], ellipsis: false });
          return this.parseOpRest(this.newAttrs(this.pos(start)), start);
        }
        if (t === T.ELLIPSIS) return this.lambdaFromFormals(start, this.parseFormals(false, null, 0));
        if (t === T.ID) {
          const idStart = lx.start;
          const idName = lx.sval;
          this.advance();
          const t2 = this.tk();
          if (t2 === C_COMMA || t2 === C_QUESTION || t2 === C_RBRACE) {
            return this.lambdaFromFormals(start, this.parseFormals(false, idName, idStart));
          }
          return this.parseOpRest(this.parseAttrsBody(start, idName, idStart), start);
        }
        return this.parseOpRest(this.parseAttrsBody(start, null, 0), start);
      }
      case T.ASSERT:
      case T.WITH: {
        const kind = this.tk();
        const start = lx.start;
        this.advance();
        const e1 = this.parseExpr();
        if (this.tk() !== C_SEMI) this.syntaxError(E_SEMI);
        this.advance();
        const body = this.parseExpr();
        if (kind === T.ASSERT) return { k: 'assert', pos: this.pos(start), cond: e1, body };
        return { k: 'with', pos: this.pos(start), attrs: e1, body, prevWith: -1 };
      }
      case T.LET: {
        const start = lx.start;
        this.advance();
        if (this.tk() === C_LBRACE) return this.parseOpRest(this.parseLetBrace(start), start);
        const attrs = this.parseBinds(null, 0);
        if (this.tk() !== T.IN) this.syntaxError(E_IN_INHERIT);
        this.advance();
        const body = this.parseExpr();
        if (attrs.dynamic.length > 0) throw parseError('dynamic attributes not allowed in let', this.pos(start));
        attrs.rec = true;
        return { k: 'let', pos: this.pos(start), attrs, body };
      }
      case T.IF: {
        const start = lx.start;
        this.advance();
        const cond = this.parseExpr();
        if (this.tk() !== T.THEN) this.syntaxError(E_THEN);
        this.advance();
        const then = this.parseExpr();
        if (this.tk() !== T.ELSE) this.syntaxError(E_ELSE);
        this.advance();
        const els = this.parseExpr();
        return { k: 'if', pos: this.pos(start), cond, then, else: els };
      }
      default:
        return this.parseOpRest(null, lx.start);
    }
  }

  /** After a formal set: `: body` or `@ name : body`. */
  private lambdaFromFormals(start: number, fs: FormalsBuilder): Expr {
    if (this.tk() === C_COLON) {
      this.advance();
      return this.makeLambda(start, undefined, fs, this.parseExpr());
    }
    if (this.tk() === C_AT) {
      this.advance();
      if (this.tk() !== T.ID) this.syntaxError(E_ID);
      const name = this.lx.sval;
      this.advance();
      if (this.tk() !== C_COLON) this.syntaxError(E_COLON);
      this.advance();
      return this.makeLambda(start, name, fs, this.parseExpr());
    }
    this.syntaxError(E_COLON_AT);
  }

  /**
   * `expr_if` without `if`: an operator expression, optionally piped. `prim` is an
   * already parsed `expr_simple` starting at `start` (or null to parse from scratch).
   */
  private parseOpRest(prim: Expr | null, start: number): Expr {
    const left = this.parseBinary(0, prim, start);
    const t = this.tk();
    if (t === T.PIPE_INTO) {
      let e = left;
      while (this.tk() === T.PIPE_INTO) {
        const op = this.lx.start;
        this.advance();
        const fn = this.parseBinary(0, null, this.lx.start);
        e = this.makeCall(this.pos(op), fn, e);
      }
      return e;
    }
    if (t === T.PIPE_FROM) return this.parsePipeFrom(left);
    return left;
  }

  /** `f <| x <| y` is `f (x y)`: right-associative. */
  private parsePipeFrom(fn: Expr): Expr {
    const op = this.lx.start;
    this.advance();
    let arg = this.parseBinary(0, null, this.lx.start);
    if (this.tk() === T.PIPE_FROM) arg = this.parsePipeFrom(arg);
    return this.makeCall(this.pos(op), fn, arg);
  }

  /** Precedence climbing over `expr_op`. */
  private parseBinary(minPrec: number, prim: Expr | null, start: number): Expr {
    let left: Expr;
    if (prim !== null) left = this.parseAppRest(this.parseSelectRest(prim, start), start);
    else left = this.parseUnary();
    for (;;) {
      const op = this.tk();
      const p = op < TABLE_SIZE ? PREC[op]! : 0;
      if (p === 0 || p < minPrec) return left;
      if (p === P_HAS) {
        this.advance();
        const path = this.parseAttrPath();
        left = { k: 'hasAttr', pos: left.pos, e: left, path };
        continue;
      }
      const opStart = this.lx.start;
      this.advance();
      const rightStart = this.lx.start;
      // IMPL, UPDATE and CONCAT are right-associative; the rest left or non-assoc.
      const right = this.parseBinary(p === P_IMPL || p === P_UPDATE || p === P_CONCAT ? p : p + 1, null, rightStart);
      left = this.binary(op, left, right, opStart, start, rightStart);
      if (p === P_EQ || p === P_CMP) {
        const next = this.tk();
        if (next < TABLE_SIZE && PREC[next] === p) this.syntaxError(null);
      }
    }
  }

  private binary(op: number, left: Expr, right: Expr, opStart: number, leftStart: number, rightStart: number): Expr {
    const pos = this.pos(opStart);
    switch (op) {
      case T.EQ:
        return { k: 'binop', pos, op: '==', left, right };
      case T.NEQ:
        return { k: 'binop', pos, op: '!=', left, right };
      case T.AND:
        return { k: 'binop', pos, op: '&&', left, right };
      case T.OR:
        return { k: 'binop', pos, op: '||', left, right };
      case T.IMPL:
        return { k: 'binop', pos, op: '->', left, right };
      case T.UPDATE:
        return { k: 'binop', pos, op: '//', left, right };
      case T.CONCAT:
        return { k: 'binop', pos, op: '++', left, right };
      case C_PLUS:
        return {
          k: 'concatStrings',
          pos,
          forceString: false,
          parts: [left, right],
          partPos: [this.pos(leftStart), this.pos(rightStart)],
        };
      case C_MINUS:
        return { k: 'call', pos, fn: synthVar('__sub'), args: [left, right] };
      case C_STAR:
        return { k: 'call', pos, fn: synthVar('__mul'), args: [left, right] };
      case C_SLASH:
        return { k: 'call', pos, fn: synthVar('__div'), args: [left, right] };
      case C_LT:
        return { k: 'call', pos, fn: synthVar('__lessThan'), args: [left, right] };
      case C_GT:
        return { k: 'call', pos, fn: synthVar('__lessThan'), args: [right, left] };
      case T.LEQ:
        return { k: 'not', pos, e: { k: 'call', pos, fn: synthVar('__lessThan'), args: [right, left] } };
      default: // T.GEQ
        return { k: 'not', pos, e: { k: 'call', pos, fn: synthVar('__lessThan'), args: [left, right] } };
    }
  }

  private parseUnary(): Expr {
    const t = this.tk();
    if (t === C_BANG) {
      this.advance();
      const e = this.parseBinary(P_NOT + 1, null, this.lx.start);
      return { k: 'not', pos: e.pos, e };
    }
    if (t === C_MINUS) {
      const start = this.lx.start;
      this.advance();
      const e = this.parseBinary(P_NEGATE + 1, null, this.lx.start);
      return { k: 'call', pos: this.pos(start), fn: synthVar('__sub'), args: [{ k: 'int', pos: noPos, value: 0 }, e] };
    }
    const start = this.lx.start;
    return this.parseAppRest(this.parseSelect(), start);
  }

  /** `expr_app`: `head arg arg …`, one call node (CppNix's makeCall). */
  private parseAppRest(head: Expr, start: number): Expr {
    if (this.cursed !== null) this.cursed.delete(head);
    let fn = head;
    while (this.tk() < TABLE_SIZE && SELECT_START[this.tk()] === 1) {
      const arg = this.parseSelect();
      this.warnIfCursed(arg);
      fn = this.makeCall(this.pos(start), fn, arg);
    }
    return fn;
  }

  private makeCall(pos: PosIdx, fn: Expr, arg: Expr): Expr {
    if (fn.k === 'call') {
      fn.args.push(arg);
      return fn;
    }
    return { k: 'call', pos, fn, args: [arg] };
  }

  /** `expr_select`: `e`, `e.a.b`, `e.a.b or d`, and the legacy `f or`. */
  private parseSelect(): Expr {
    const start = this.lx.start;
    return this.parseSelectRest(this.parsePrimary(), start);
  }

  private parseSelectRest(e: Expr, start: number): Expr {
    const t = this.tk();
    if (t === C_DOT) {
      this.advance();
      const path = this.parseAttrPath();
      if (this.tk() === T.OR_KW) {
        this.advance();
        if (!(this.tk() < TABLE_SIZE && SELECT_START[this.tk()] === 1)) this.syntaxError(null);
        const def = this.parseSelect();
        this.warnIfCursed(def);
        return newSelect(this.pos(start), e, path, def);
      }
      return newSelect(this.pos(start), e, path, undefined);
    }
    if (t === T.OR_KW) {
      // `f or`: `or` as a variable, applied to `f` (nixpkgs once had a function `or`).
      const end = this.lx.end;
      this.advance();
      const pos = this.pos(start);
      const call: ECall = { k: 'call', pos, fn: e, args: [this.varExpr('or', pos)] };
      (this.cursed ??= new Map()).set(call, end);
      return call;
    }
    return e;
  }

  /** CppNix's `diagnose`: per the lint setting, nothing, a warning, or a parse error. */
  private lint(key: 'urlLiterals' | 'shortPathLiterals' | 'absolutePathLiterals', setting: string, msg: (fatal: boolean) => string, pos: PosIdx): void {
    const level = this.opts.lint?.[key];
    if (level === undefined) return;
    const fatal = level === 'fatal';
    const err = new NixError('parse', `${msg(fatal)} (${setting})`, pos, 'parse/lint');
    if (fatal) throw err;
    this.opts.warnDiag?.(err);
  }

  private warnIfCursed(e: Expr): void {
    if (this.cursed === null) return;
    const end = this.cursed.get(e);
    if (end === undefined) return;
    this.cursed.delete(e);
    if (!this.opts.warn) return;
    const p = this.table.resolve(e.pos);
    const text = this.src.text.slice(e.pos - this.base, end).replace(/\r\n?/g, '\n');
    this.opts.warn(
      `at ${p ? formatPos(p) : '«none»'}: This expression uses \`or\` as an identifier in a way that will change in a future Nix release.\n` +
        'Wrap this entire expression in parentheses to preserve its current meaning:\n' +
        `    (${text})\n` +
        'Give feedback at https://github.com/NixOS/nix/pull/11121',
    );
  }

  /** `expr_simple`. */
  private parsePrimary(): Expr {
    const lx = this.lx;
    const start = lx.start;
    switch (this.tk()) {
      case T.ID: {
        const name = lx.sval;
        this.advance();
        return this.idExpr(name, start);
      }
      case T.INT: {
        const value = lx.ival;
        this.advance();
        return { k: 'int', pos: this.pos(start), value };
      }
      case T.FLOAT: {
        const value = lx.fval;
        this.advance();
        return { k: 'float', pos: this.pos(start), value };
      }
      case C_QUOTE: {
        this.advance();
        const r = this.parseStringParts();
        if (this.tk() !== C_QUOTE) this.syntaxError(E_QUOTE);
        this.advance();
        return typeof r === 'string' ? { k: 'str', pos: this.pos(start), value: r } : r;
      }
      case T.IND_STRING_OPEN:
        this.advance();
        return this.parseIndString(start);
      case T.PATH:
      case T.HPATH:
        return this.parsePath();
      case T.SPATH: {
        const inner = lx.sval.slice(1, -1);
        this.advance();
        const pos = this.pos(start);
        return {
          k: 'call',
          pos,
          fn: synthVar('__findFile'),
          args: [synthVar('__nixPath'), { k: 'str', pos, value: inner }],
        };
      }
      case T.URI: {
        const value = lx.sval;
        this.lint('urlLiterals', 'lint-url-literals', (fatal) =>
          `URL literals are ${fatal ? 'disallowed' : 'discouraged'}. Consider using a string literal "${value}" instead`, this.pos(start));
        this.advance();
        return { k: 'str', pos: this.pos(start), value };
      }
      case C_LPAREN: {
        this.advance();
        const e = this.parseExpr();
        if (this.tk() !== C_RPAREN) this.syntaxError(E_RPAREN);
        this.advance();
        return e;
      }
      case T.LET:
        this.advance();
        if (this.tk() !== C_LBRACE) this.syntaxError(E_LBRACE);
        return this.parseLetBrace(start);
      case T.REC: {
        this.advance();
        if (this.tk() !== C_LBRACE) this.syntaxError(E_LBRACE);
        this.advance();
        const attrs = this.parseBinds(null, 0);
        if (this.tk() !== C_RBRACE) this.syntaxError(E_INHERIT_RBRACE);
        this.advance();
        attrs.rec = true;
        attrs.pos = this.pos(start);
        return attrs;
      }
      case C_LBRACE: {
        this.advance();
        if (this.tk() === C_RBRACE) {
          this.advance();
          return this.newAttrs(this.pos(start));
        }
        return this.parseAttrsBody(start, null, 0);
      }
      case C_LBRACKET: {
        this.advance();
        const elems: Expr[] = [];
        while (this.tk() < TABLE_SIZE && SELECT_START[this.tk()] === 1) {
          const e = this.parseSelect();
          this.warnIfCursed(e);
          elems.push(e);
        }
        if (this.tk() !== C_RBRACKET) this.syntaxError(null);
        this.advance();
        return { k: 'list', pos: this.pos(start), elems };
      }
      default:
        this.syntaxError(null);
    }
  }

  private idExpr(name: string, start: number): Expr {
    if (name === '__curPos') return { k: 'curPos', pos: this.pos(start) };
    return this.varExpr(name, this.pos(start));
  }

  private varExpr(name: string, pos: PosIdx): EVar {
    return { k: 'var', pos, name, level: 0, index: 0, fromWith: false, one: false };
  }

  private newAttrs(pos: PosIdx): EAttrs {
    return { k: 'attrs', pos, rec: false, attrs: new Map(), dynamic: NO_DYNAMIC };
  }

  private pushDynamic(attrs: EAttrs, d: DynamicAttrDef): void {
    if (attrs.dynamic === NO_DYNAMIC) attrs.dynamic = [d];
    else attrs.dynamic.push(d);
  }

  /** After `let` (at `{`): `let { … body = e; }` is `(rec { … }).body`. */
  private parseLetBrace(letStart: number): Expr {
    this.advance();
    const attrs = this.parseBinds(null, 0);
    if (this.tk() !== C_RBRACE) this.syntaxError(E_INHERIT_RBRACE);
    this.advance();
    const pos = this.pos(letStart);
    attrs.rec = true;
    attrs.pos = pos;
    return newSelect(pos, attrs, [{ name: 'body' }], undefined);
  }

  /** After `{` of a non-empty plain attribute set (maybe with its first name consumed). */
  private parseAttrsBody(braceStart: number, firstName: string | null, firstStart: number): EAttrs {
    const attrs = this.parseBinds(firstName, firstStart);
    if (this.tk() !== C_RBRACE) this.syntaxError(E_INHERIT);
    this.advance();
    attrs.pos = this.pos(braceStart);
    return attrs;
  }

  // ------------------------------------------------------------------ strings

  /**
   * The inside of `"…"`, up to (not including) the closing quote: a plain string, or a
   * `ConcatStrings` when there is interpolation.
   */
  private parseStringParts(): string | EConcatStrings {
    const lx = this.lx;
    let parts: Expr[] | null = null;
    let partPos: PosIdx[] | null = null;
    if (this.tk() === T.STR) {
      const s = lx.sval;
      const sStart = lx.start;
      this.advance();
      if (this.tk() !== T.DOLLAR_CURLY) return s;
      parts = [{ k: 'str', pos: this.pos(sStart), value: s }];
      partPos = [this.pos(sStart)];
    } else if (this.tk() !== T.DOLLAR_CURLY) return '';
    parts ??= [];
    partPos ??= [];
    for (;;) {
      if (this.tk() === T.DOLLAR_CURLY) {
        const dc = lx.start;
        this.advance();
        const e = this.parseExpr();
        if (this.tk() !== C_RBRACE) this.syntaxError(E_RBRACE);
        this.advance();
        parts.push(e);
        partPos.push(this.pos(dc));
      } else if (this.tk() === T.STR) {
        const p = this.pos(lx.start);
        parts.push({ k: 'str', pos: p, value: lx.sval });
        partPos.push(p);
        this.advance();
      } else break;
    }
    // Positioned at the first part, i.e. just inside the quote.
    return { k: 'concatStrings', pos: partPos[0]!, forceString: true, parts, partPos };
  }

  /** After `''`: the parts, then CppNix's indentation stripping. */
  private parseIndString(start: number): Expr {
    const lx = this.lx;
    const parts: IndPart[] = [];
    for (;;) {
      const t = this.tk();
      if (t === T.IND_STR) {
        parts.push({ pos: this.pos(lx.start), text: lx.sval, indent: lx.indent });
        this.advance();
      } else if (t === T.DOLLAR_CURLY) {
        const dc = lx.start;
        this.advance();
        const e = this.parseExpr();
        if (this.tk() !== C_RBRACE) this.syntaxError(E_RBRACE);
        this.advance();
        parts.push({ pos: this.pos(dc), expr: e, text: '', indent: false });
      } else if (t === T.IND_STRING_CLOSE) {
        this.advance();
        break;
      } else this.syntaxError(E_IND);
    }
    return stripIndentation(this.pos(start), parts);
  }

  // ------------------------------------------------------------------ paths

  private parsePath(): Expr {
    const lx = this.lx;
    const start = lx.start;
    const lit = lx.sval;
    let value: string;
    const nonPortable = (kind: string) => () =>
      `${kind} path literals are not portable. Consider replacing path literal '${lit}' by a string, relative path, or parameter`;
    if (this.tk() === T.HPATH) {
      if (this.opts.home === undefined) {
        throw new NixError('eval', `the path '${lit}' can not be resolved in pure mode`, noPos, 'parse/home-path');
      }
      this.lint('absolutePathLiterals', 'lint-absolute-path-literals', nonPortable('home'), this.pos(start));
      value = this.opts.home + lit.slice(1);
    } else {
      if (lit.charCodeAt(0) === 47) this.lint('absolutePathLiterals', 'lint-absolute-path-literals', nonPortable('absolute'), this.pos(start));
      else if (lit.charCodeAt(0) !== 46)
        this.lint(
          'shortPathLiterals',
          'lint-short-path-literals',
          () => `relative path literal '${lit}' should be prefixed with '.' for clarity: './${lit}'`,
          this.pos(start),
        );
      value = lit.charCodeAt(0) === 47 ? canonPath(lit) : canonPath(this.opts.baseDir + '/' + lit);
      // An interpolated path keeps the slash that separates it from the interpolation.
      if (lit.length > 1 && lit.charCodeAt(lit.length - 1) === 47) value += '/';
    }
    const first: Expr = { k: 'path', pos: this.pos(start), value };
    this.advance();
    if (this.tk() === T.PATH_END) {
      this.advance();
      return first;
    }
    const parts: Expr[] = [first];
    const partPos: PosIdx[] = [this.pos(start)];
    for (;;) {
      const t = this.tk();
      if (t === T.STR) {
        const p = this.pos(lx.start);
        parts.push({ k: 'str', pos: p, value: lx.sval });
        partPos.push(p);
        this.advance();
      } else if (t === T.DOLLAR_CURLY) {
        const dc = lx.start;
        this.advance();
        const e = this.parseExpr();
        if (this.tk() !== C_RBRACE) this.syntaxError(E_RBRACE);
        this.advance();
        parts.push(e);
        partPos.push(this.pos(dc));
      } else if (t === T.PATH_END) {
        this.advance();
        break;
      } else this.syntaxError(E_PATH);
    }
    return { k: 'concatStrings', pos: this.pos(start), forceString: false, parts, partPos };
  }

  // ------------------------------------------------------------------ attributes

  /** An attribute path after `.` or `?` (or in a binding): `a.b."c".${d}`. */
  private parseAttrPath(): AttrName[] {
    const path = [this.parseAttrName()];
    while (this.tk() === C_DOT) {
      this.advance();
      path.push(this.parseAttrName());
    }
    return path;
  }

  /** `attr` or `string_attr`; a string without interpolation (or `${"s"}`) is static. */
  private parseAttrName(): AttrName {
    const lx = this.lx;
    switch (this.tk()) {
      case T.ID:
      case T.OR_KW: {
        const name = lx.sval;
        this.advance();
        return { name };
      }
      case C_QUOTE: {
        this.advance();
        const r = this.parseStringParts();
        if (this.tk() !== C_QUOTE) this.syntaxError(E_QUOTE);
        this.advance();
        return typeof r === 'string' ? { name: r } : { expr: r };
      }
      case T.DOLLAR_CURLY: {
        this.advance();
        const e = this.parseExpr();
        if (this.tk() !== C_RBRACE) this.syntaxError(E_RBRACE);
        this.advance();
        return e.k === 'str' ? { name: e.value } : { expr: e };
      }
      default:
        this.syntaxError(E_ATTR);
    }
  }

  /**
   * `binds`: bindings and inherits until something else. `firstName` is an already
   * consumed identifier that starts the first attribute path.
   */
  private parseBinds(firstName: string | null, firstStart: number): EAttrs {
    const attrs = this.newAttrs(noPos);
    if (firstName !== null) this.parseBinding(attrs, firstName, firstStart);
    for (;;) {
      const t = this.tk();
      if (t === T.ID || t === T.OR_KW || t === C_QUOTE || t === T.DOLLAR_CURLY) this.parseBinding(attrs, null, 0);
      else if (t === T.INHERIT) this.parseInherit(attrs);
      else break;
    }
    return attrs;
  }

  private parseBinding(attrs: EAttrs, firstName: string | null, firstStart: number): void {
    const lx = this.lx;
    let start: number;
    let path: AttrName[];
    if (firstName === null && (this.tk() === T.ID || this.tk() === T.OR_KW)) {
      firstName = lx.sval;
      firstStart = lx.start;
      this.advance();
    }
    if (firstName !== null) {
      if (this.tk() === C_EQUALS) return this.parseSimpleBinding(attrs, firstName, firstStart);
      start = firstStart;
      path = [{ name: firstName }];
    } else {
      start = lx.start;
      path = [this.parseAttrName()];
    }
    while (this.tk() === C_DOT) {
      this.advance();
      path.push(this.parseAttrName());
    }
    if (this.tk() !== C_EQUALS) this.syntaxError(E_DOT_EQ);
    this.advance();
    const e = this.parseExpr();
    if (this.tk() !== C_SEMI) this.syntaxError(E_SEMI);
    // The binding is added when bison reduces, before it reads the next token.
    this.addAttrPath(attrs, path, this.pos(start), e);
    this.advance();
  }

  /** The common `name = e;` (name already consumed), without building a path. */
  private parseSimpleBinding(attrs: EAttrs, name: string, start: number): void {
    this.advance(); // '='
    const e = this.parseExpr();
    if (this.tk() !== C_SEMI) this.syntaxError(E_SEMI);
    this.addAttr(attrs, null, name, { kind: 'plain', e, pos: this.pos(start), displ: 0 });
    this.advance();
  }

  private parseInherit(attrs: EAttrs): void {
    const lx = this.lx;
    this.advance();
    let from: EInheritFrom | null = null;
    let fromExpr: Expr | null = null;
    if (this.tk() === C_LPAREN) {
      this.advance();
      const eStart = lx.start;
      fromExpr = this.parseExpr();
      if (this.tk() !== C_RPAREN) this.syntaxError(E_RPAREN);
      this.advance();
      from = { k: 'inheritFrom', pos: this.pos(eStart), index: 0 };
    }
    const names: string[] = [];
    const positions: number[] = [];
    for (;;) {
      const t = this.tk();
      const start = lx.start;
      if (t === T.ID || t === T.OR_KW) {
        names.push(lx.sval);
        positions.push(start);
        this.advance();
      } else if (t === C_QUOTE) {
        this.advance();
        const r = this.parseStringParts();
        if (this.tk() !== C_QUOTE) this.syntaxError(E_QUOTE);
        if (typeof r !== 'string') throw parseError('dynamic attributes not allowed in inherit', this.pos(start));
        this.advance();
        names.push(r);
        positions.push(start);
      } else if (t === T.DOLLAR_CURLY) {
        this.advance();
        const e = this.parseExpr();
        if (this.tk() !== C_RBRACE) this.syntaxError(E_RBRACE);
        if (e.k !== 'str') throw parseError('dynamic attributes not allowed in inherit', this.pos(start));
        this.advance();
        names.push(e.value);
        positions.push(start);
      } else if (t === C_SEMI) break;
      else this.syntaxError(null);
    }
    if (from !== null) {
      const list = (attrs.inheritFromExprs ??= []);
      list.push(fromExpr!);
      from.index = list.length - 1;
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const pos = this.pos(positions[i]!);
      const prev = attrs.attrs.get(name);
      if (prev !== undefined) this.dupAttr(printIdentifier(name), pos, prev.pos);
      const e: Expr =
        from === null ? this.varExpr(name, pos) : newSelect(pos, from, [{ name }], undefined);
      attrs.attrs.set(name, { kind: from === null ? 'inherited' : 'inheritedFrom', e, pos, displ: 0 });
    }
    this.advance();
  }

  private dupAttr(shown: string, pos: PosIdx, prevPos: PosIdx): never {
    const p = this.table.resolve(prevPos);
    throw parseError(
      `attribute '${shown}' already defined at ${p ? formatPos(p) : '«none»'}`,
      pos,
      'parse/duplicate-attribute',
    );
  }

  /** CppNix's ParserState::addAttr: nested paths create (or extend) nested sets. */
  private addAttrPath(attrs: EAttrs, path: AttrName[], pos: PosIdx, e: Expr): void {
    const n = path.length;
    for (let i = 0; i < n - 1; i++) {
      const an = path[i]!;
      let nested: EAttrs;
      if (an.name !== undefined) {
        const j = attrs.attrs.get(an.name);
        if (j !== undefined) {
          if (j.e.k !== 'attrs') this.dupAttr(showAttrPath(path.slice(0, i + 1)), pos, j.pos);
          nested = j.e;
        } else {
          nested = this.newAttrs(noPos);
          attrs.attrs.set(an.name, { kind: 'plain', e: nested, pos, displ: 0 });
        }
      } else {
        nested = this.newAttrs(noPos);
        this.pushDynamic(attrs, { nameExpr: an.expr, value: nested, pos });
      }
      attrs = nested;
    }
    const last = path[n - 1]!;
    if (last.name !== undefined) this.addAttr(attrs, path, last.name, { kind: 'plain', e, pos, displ: 0 });
    else this.pushDynamic(attrs, { nameExpr: last.expr, value: e, pos });
  }

  /** Add one attribute, merging two attribute-set literals of the same name. */
  private addAttr(attrs: EAttrs, path: AttrName[] | null, name: string, def: AttrDef): void {
    const j = attrs.attrs.get(name);
    if (j === undefined) {
      attrs.attrs.set(name, def);
      if (def.e.k === 'lambda') setName(def.e, name);
      return;
    }
    path ??= [{ name }];
    const ae = def.e;
    const je = j.e;
    if (ae.k !== 'attrs' || je.k !== 'attrs') this.dupAttr(showAttrPath(path), def.pos, j.pos);
    // The merged set keeps the first definition's `rec`-ness (CppNix issue #9020).
    const offset = je.inheritFromExprs?.length ?? 0;
    const shifted = new Set<EInheritFrom>();
    for (const [n2, ad] of ae.attrs) {
      if (ad.kind === 'inheritedFrom' && offset > 0) {
        const from = (ad.e as ESelect).e as EInheritFrom;
        if (!shifted.has(from)) {
          from.index += offset;
          shifted.add(from);
        }
      }
      path.push({ name: n2 });
      this.addAttr(je, path, n2, ad);
      path.pop();
    }
    ae.attrs.clear();
    if (ae.dynamic.length > 0) {
      if (je.dynamic === NO_DYNAMIC) je.dynamic = [];
      for (const d of ae.dynamic) je.dynamic.push(d);
      ae.dynamic = NO_DYNAMIC;
    }
    if (ae.inheritFromExprs) {
      const list = (je.inheritFromExprs ??= []);
      for (const x of ae.inheritFromExprs) list.push(x);
      ae.inheritFromExprs = undefined;
    }
  }

  // ------------------------------------------------------------------ lambdas

  /**
   * After `{` of a formal argument set, up to and including `}`. `firstName` is an
   * already consumed first formal. `only` is set where nothing but a formal set can
   * follow (after `x @`), which changes what bison expects after the `{`.
   */
  private parseFormals(only: boolean, firstName: string | null, firstStart: number): FormalsBuilder {
    const lx = this.lx;
    const formals: Formal[] = [];
    if (firstName === null) {
      if (this.tk() === C_RBRACE) {
        this.advance();
        return { formals, ellipsis: false };
      }
      if (this.tk() === T.ELLIPSIS) {
        this.advance();
        if (this.tk() !== C_RBRACE) this.syntaxError(E_RBRACE);
        this.advance();
        return { formals, ellipsis: true };
      }
      if (this.tk() !== T.ID) this.syntaxError(only ? E_FORMAL_NEXT : E_ID);
    }
    let name = firstName;
    let start = firstStart;
    for (;;) {
      if (name === null) {
        name = lx.sval;
        start = lx.start;
        this.advance();
      }
      const formal: Formal = { name, pos: this.pos(start), def: undefined };
      if (this.tk() === C_QUESTION) {
        this.advance();
        formal.def = this.parseExpr();
      }
      formals.push(formal);
      name = null;
      if (this.tk() === C_RBRACE) {
        this.advance();
        return { formals, ellipsis: false };
      }
      if (this.tk() !== C_COMMA) this.syntaxError(E_FORMALS_END);
      this.advance();
      if (this.tk() === T.ID) continue;
      if (this.tk() === T.ELLIPSIS) {
        this.advance();
        if (this.tk() !== C_RBRACE) this.syntaxError(E_RBRACE);
        this.advance();
        return { formals, ellipsis: true };
      }
      if (this.tk() === C_RBRACE) {
        this.advance();
        return { formals, ellipsis: false };
      }
      this.syntaxError(E_FORMAL_NEXT);
    }
  }

  /** CppNix's validateFormals, then the lambda node (formals sorted by name). */
  private makeLambda(start: number, arg: string | undefined, fs: FormalsBuilder, body: Expr): ELambda {
    const pos = this.pos(start);
    const list = fs.formals;
    if (list.length > 1) {
      // CppNix reports the duplicated name it interned first, at its second occurrence.
      const seen = new Map<string, number>();
      let best = -1;
      let bestPos = 0;
      for (let i = 0; i < list.length; i++) {
        const f = list[i]!;
        const first = seen.get(f.name);
        if (first === undefined) seen.set(f.name, i);
        else if (best === -1 || first < best) {
          best = first;
          bestPos = f.pos;
        }
      }
      if (best !== -1) {
        throw parseError(
          `duplicate formal function argument '${printIdentifier(list[best]!.name)}'`,
          bestPos,
          'parse/duplicate-formal',
        );
      }
    }
    if (arg !== undefined && list.some((f) => f.name === arg)) {
      throw parseError(`duplicate formal function argument '${printIdentifier(arg)}'`, pos, 'parse/duplicate-formal');
    }
    if (list.length > 65535) {
      throw new NixError('parse', 'too many formal arguments, implementation supports at most 65535', pos);
    }
    const sorted = list.length > 1 ? list.slice().sort(byName) : list;
    const formals: Formals = { formals: sorted, ellipsis: fs.ellipsis };
    return newLambda(pos, arg, formals, body);
  }
}

// Nodes of one kind are always built with the same fields, in the same order (optional
// ones present as `undefined`), so that V8 gives them one shape: smaller objects (no
// out-of-line property store when a field is added later) and monomorphic accesses in
// the passes that walk the tree.
function newLambda(pos: PosIdx, arg: string | undefined, formals: Formals | undefined, body: Expr): ELambda {
  return { k: 'lambda', pos, arg, formals, body, name: undefined };
}

function newSelect(pos: PosIdx, e: Expr, path: AttrName[], def: Expr | undefined): ESelect {
  return { k: 'select', pos, e, path, def };
}

function byName(a: Formal, b: Formal): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `__sub`, `__lessThan`, … as the desugarings reference them (no position in CppNix). */
function synthVar(name: string): EVar {
  return { k: 'var', pos: noPos, name, level: 0, index: 0, fromWith: false, one: false };
}

/** A binding names the function it defines (and, as in CppNix, its curried inner ones). */
function setName(e: Expr, name: string): void {
  while (e.k === 'lambda') {
    e.name = name;
    e = e.body;
  }
}

function showAttrPath(path: AttrName[]): string {
  return path.map((a) => (a.name !== undefined ? printIdentifier(a.name) : '"${' + showExpr(a.expr) + '}"')).join('.');
}

/**
 * CppNix's ParserState::stripIndentation: remove the common leading spaces of an
 * indented string. Only spaces count; lines of only spaces don't; an interpolation
 * or an escape ends a line's indentation; a final line of only spaces is dropped.
 */
function stripIndentation(pos: PosIdx, parts: IndPart[]): Expr {
  if (parts.length === 0) return { k: 'str', pos, value: '' };
  let atStart = true;
  let minIndent = 1000000;
  let cur = 0;
  for (const part of parts) {
    if (part.expr !== undefined || !part.indent) {
      if (atStart) {
        atStart = false;
        if (cur < minIndent) minIndent = cur;
      }
      continue;
    }
    const s = part.text;
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (atStart) {
        if (c === 32) cur++;
        else if (c === 10) cur = 0;
        else {
          atStart = false;
          if (cur < minIndent) minIndent = cur;
        }
      } else if (c === 10) {
        atStart = true;
        cur = 0;
      }
    }
  }

  const out: Expr[] = [];
  const outPos: PosIdx[] = [];
  atStart = true;
  let dropped = 0;
  const n = parts.length;
  for (let i = 0; i < n; i++) {
    const part = parts[i]!;
    if (part.expr !== undefined) {
      atStart = false;
      dropped = 0;
      out.push(part.expr);
      outPos.push(part.pos);
      continue;
    }
    const s = part.text;
    let s2 = '';
    let j = 0;
    const len = s.length;
    while (j < len) {
      if (atStart) {
        const c = s.charCodeAt(j);
        if (c === 32) {
          if (dropped++ >= minIndent) s2 += ' ';
          j++;
        } else if (c === 10) {
          dropped = 0;
          s2 += '\n';
          j++;
        } else {
          atStart = false;
          dropped = 0;
        }
      } else {
        // Copy up to and including the next newline in one slice.
        const nl = s.indexOf('\n', j);
        if (nl < 0) {
          s2 += j === 0 ? s : s.slice(j);
          j = len;
        } else {
          s2 += s.slice(j, nl + 1);
          j = nl + 1;
          atStart = true;
        }
      }
    }
    if (i === n - 1) {
      // Drop a final line consisting only of spaces.
      const p = s2.lastIndexOf('\n');
      if (p >= 0) {
        let k = p + 1;
        while (k < s2.length && s2.charCodeAt(k) === 32) k++;
        if (k === s2.length) s2 = s2.slice(0, p + 1);
      }
    }
    if (s2 !== '') {
      out.push({ k: 'str', pos: part.pos, value: s2 });
      outPos.push(part.pos);
    }
  }
  if (out.length === 0) return { k: 'str', pos, value: '' };
  if (out.length === 1 && out[0]!.k === 'str') return out[0]!;
  return { k: 'concatStrings', pos, forceString: true, parts: out, partPos: outPos };
}

/** A JS stack overflow (not, say, "Invalid string length") becomes a Nix error. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function tooDeep(e: unknown, pos: PosIdx): never {
  if (isStackOverflow(e)) {
    hostStackExhausted();
    throw new NixError('stack-overflow', 'expression nested too deeply', pos, 'parse/too-deep');
  }
  throw e;
}

/**
 * Parse a source into an AST (variables not yet resolved; see `parseAndResolve`).
 * Throws `NixError` for every syntax error, with CppNix's message and position.
 */
export function parse(table: PosTable, src: Source, opts: ParseOptions): Expr {
  const p = new Parser(table, src, opts);
  try {
    p.advance();
    const e = p.parseExpr();
    if (p.t !== T.EOF) p.syntaxError(E_EOF);
    return e;
  } catch (e) {
    return tooDeep(e, src.base + p.lx.start);
  }
}

/**
 * Parse, then run the scope pass against the base environment `globals` (CppNix's
 * parse + bindVars): an undefined variable is reported here, before evaluation.
 */
export function parseAndResolve(table: PosTable, src: Source, opts: ParseOptions, globals: readonly string[]): Expr {
  const e = parse(table, src, opts);
  try {
    resolve(e, baseStaticEnv(globals));
  } catch (err) {
    tooDeep(err, e.pos);
  }
  return e;
}

/**
 * The position CppNix's `Expr::getPos()` gives a node: literals, `let` and empty
 * lists have none there, a list is at its first element, `!e` and `e ? a` at `e`.
 */
export function cppGetPos(e: Expr): PosIdx {
  switch (e.k) {
    case 'int':
    case 'float':
    case 'str':
    case 'path':
    case 'let':
      return noPos;
    case 'list':
      return e.elems.length > 0 ? cppGetPos(e.elems[0]!) : noPos;
    case 'not':
    case 'hasAttr':
      return cppGetPos(e.e);
    default:
      return e.pos;
  }
}
