/**
 * builtins.match and builtins.split: POSIX extended regular expressions exactly as
 * CppNix runs them, i.e. libstdc++'s `std::regex` with `std::regex::extended`.
 *
 * Why not just translate to another engine? Because libstdc++ is not a POSIX
 * leftmost-longest matcher, nor a Perl leftmost-first one. It runs a depth-first
 * backtracking search over its NFA and, in POSIX mode, keeps the *longest* accepted
 * end position, first found among equals — but it prunes: at a greedy repetition, once
 * "one more iteration" has produced any accepted match, "stop repeating here" is never
 * tried. So `builtins.split "a*(aab)?" "aab"` is `[ "" [ null ] "" [ null ] "b" [ null ] "" ]`
 * (first match `aa`), where a true POSIX engine (RE2's longest-match mode included)
 * finds `aab`. Repetition bodies that match the empty string may be re-entered twice
 * at the same position (libstdc++'s `_M_rep_count`), which decides whether a group
 * inside is set. These are observable in Nix values, so the exact semantics come from
 * an emulation of that search (`exec` below): the NFA is built with the same shape
 * (alternatives, repeat states, which branch is tried first, `+` sharing its body,
 * `{n,m}` made of cloned bodies) and walked depth-first with an explicit stack, so long
 * inputs cannot overflow the JS stack.
 *
 * re2js is used where it is exact and faster: it decides whether a match exists at all
 * (the pruning never changes existence) with its linear-time DFA, so non-matching
 * `match` calls are rejected without backtracking, and `split` jumps straight to the
 * next position where a match starts. The backtracking emulation then only runs
 * anchored where a match is known to exist.
 *
 * Parsing mirrors libstdc++'s scanner and compiler, including what they reject: `\d`,
 * `\s`, `\}`, `\]` and any escaped ordinary character are errors (Nix is compiled with
 * `-std=c++2x`, hence `__STRICT_ANSI__`); `]` and `}` alone are literals; `*` with
 * nothing to repeat, `a{,2}`, `a{2,1}`, `[z-a]`, `[a-z-0]`, unknown `[[:class:]]` are
 * errors; quantifiers stack (`a**`, `a+?` is `(a+)?`). Character classes are the C
 * locale's (ASCII only, lower-cased names, `[[:w:]]`/`[[:d:]]`/`[[:s:]]` included);
 * ranges compare *signed* chars, so `[a-\xff]` is an error and `[\x80-a]` is valid;
 * `.` matches any byte but NUL. The NFA-size limit (_GLIBCXX_REGEX_STATE_LIMIT,
 * 100000 states) is reproduced, giving CppNix's "memory limit exceeded" error.
 *
 * Strings are byte strings (one byte per code unit): every set is a 256-entry table,
 * and re2js sees code points U+0000–U+00FF, one per byte.
 *
 * Anchors: `^` holds only at the start of the subject and `$` only at its end, for
 * every search `split` makes (libstdc++ passes match_prev_avail after the first one).
 */

import { RE2JS } from 're2js';
import { NixError, noteHostStack } from '../../diag/diagnostic.js';

// ---------------------------------------------------------------------------------
// Errors

class RegexSyntaxError {
  constructor(readonly space: boolean) {}
}

const STATE_LIMIT = 100000;

// ---------------------------------------------------------------------------------
// Scanner (libstdc++ _Scanner, extended grammar)

const enum T {
  Eof,
  OrdChar,
  Any,
  LineBegin,
  LineEnd,
  Star,
  Plus,
  Opt,
  Or,
  SubBegin,
  SubEnd,
  BracketBegin,
  BracketNegBegin,
  BracketEnd,
  BracketDash,
  IntervalBegin,
  IntervalEnd,
  DupCount,
  Comma,
  ClassName,
  CollSymbol,
  EquivName,
}

const enum S {
  Normal,
  Bracket,
  Brace,
}

const SPECIAL = '.[\\()*+?{|^$';

class Scanner {
  private p = 0;
  private state = S.Normal;
  private atBracketStart = false;
  token = T.Eof;
  value = '';

  constructor(private readonly re: string) {
    this.advance();
  }

  private fail(): never {
    throw new RegexSyntaxError(false);
  }

  advance(): void {
    if (this.p >= this.re.length) {
      this.token = T.Eof;
      return;
    }
    if (this.state === S.Normal) this.scanNormal();
    else if (this.state === S.Bracket) this.scanBracket();
    else this.scanBrace();
  }

  private scanNormal(): void {
    const re = this.re;
    const c = re[this.p++]!;
    // NUL counts as special (strchr finds the terminator) and is rejected below.
    if (c !== '\0' && SPECIAL.indexOf(c) < 0) {
      this.token = T.OrdChar;
      this.value = c;
      return;
    }
    switch (c) {
      case '\\': {
        if (this.p >= re.length) this.fail();
        const d = re[this.p]!;
        // Only special characters may be escaped (strict ANSI: anything else throws).
        if (d === '\0' || SPECIAL.indexOf(d) < 0) this.fail();
        this.p++;
        this.token = T.OrdChar;
        this.value = d;
        return;
      }
      case '(':
        this.token = T.SubBegin;
        return;
      case ')':
        this.token = T.SubEnd;
        return;
      case '[':
        this.state = S.Bracket;
        this.atBracketStart = true;
        if (this.p < re.length && re[this.p] === '^') {
          this.token = T.BracketNegBegin;
          this.p++;
        } else this.token = T.BracketBegin;
        return;
      case '{':
        this.state = S.Brace;
        this.token = T.IntervalBegin;
        return;
      case '\0':
        this.fail();
      // falls through (unreachable)
      case '^':
        this.token = T.LineBegin;
        return;
      case '$':
        this.token = T.LineEnd;
        return;
      case '.':
        this.token = T.Any;
        return;
      case '*':
        this.token = T.Star;
        return;
      case '+':
        this.token = T.Plus;
        return;
      case '?':
        this.token = T.Opt;
        return;
      case '|':
        this.token = T.Or;
        return;
    }
    this.fail();
  }

  private scanBracket(): void {
    const re = this.re;
    if (this.p >= re.length) this.fail();
    const c = re[this.p++]!;
    if (c === '-') this.token = T.BracketDash;
    else if (c === '[') {
      if (this.p >= re.length) this.fail();
      const d = re[this.p]!;
      if (d === '.' || d === ':' || d === '=') {
        this.p++;
        this.token = d === '.' ? T.CollSymbol : d === ':' ? T.ClassName : T.EquivName;
        this.eatClass(d);
      } else {
        this.token = T.OrdChar;
        this.value = '[';
      }
    } else if (c === ']' && !this.atBracketStart) {
      this.token = T.BracketEnd;
      this.state = S.Normal;
    } else {
      // Backslash is an ordinary character inside brackets in POSIX.
      this.token = T.OrdChar;
      this.value = c;
    }
    this.atBracketStart = false;
  }

  private eatClass(ch: string): void {
    const re = this.re;
    const start = this.p;
    while (this.p < re.length && re[this.p] !== ch) this.p++;
    this.value = re.slice(start, this.p);
    if (this.p >= re.length) this.fail();
    this.p++;
    if (this.p >= re.length || re[this.p++] !== ']') this.fail();
  }

  private scanBrace(): void {
    const re = this.re;
    if (this.p >= re.length) this.fail();
    const c = re[this.p++]!;
    if (c >= '0' && c <= '9') {
      let v = c;
      while (this.p < re.length && re[this.p]! >= '0' && re[this.p]! <= '9') v += re[this.p++];
      this.token = T.DupCount;
      this.value = v;
    } else if (c === ',') this.token = T.Comma;
    else if (c === '}') {
      this.state = S.Normal;
      this.token = T.IntervalEnd;
    } else this.fail();
  }
}

// ---------------------------------------------------------------------------------
// AST

type Node =
  | { k: 'set'; set: Uint8Array } // one byte from a 256-entry table
  | { k: 'bol' }
  | { k: 'eol' }
  | { k: 'group'; idx: number; body: Node }
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; alts: Node[] }
  | { k: 'star'; body: Node }
  | { k: 'plus'; body: Node }
  | { k: 'opt'; body: Node }
  | { k: 'brace'; body: Node; min: number; max: number }; // max = -1: unbounded

// C-locale ctype classes, as libstdc++'s lookup_classname maps them.
function classTable(name: string): ((c: number) => boolean) | undefined {
  const alpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const digit = (c: number): boolean => c >= 48 && c <= 57;
  const alnum = (c: number): boolean => alpha(c) || digit(c);
  const space = (c: number): boolean => (c >= 9 && c <= 13) || c === 32;
  const graph = (c: number): boolean => c >= 33 && c <= 126;
  switch (name) {
    case 'd':
    case 'digit':
      return digit;
    case 'w':
      return (c) => alnum(c) || c === 95;
    case 's':
    case 'space':
      return space;
    case 'alnum':
      return alnum;
    case 'alpha':
      return alpha;
    case 'blank':
      return (c) => c === 32 || c === 9;
    case 'cntrl':
      return (c) => c < 32 || c === 127;
    case 'graph':
      return graph;
    case 'lower':
      return (c) => c >= 97 && c <= 122;
    case 'print':
      return (c) => c >= 32 && c <= 126;
    case 'punct':
      return (c) => graph(c) && !alnum(c);
    case 'upper':
      return (c) => c >= 65 && c <= 90;
    case 'xdigit':
      return (c) => digit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  }
  return undefined;
}

// POSIX collating-symbol names of the ASCII characters (index = character code).
const COLLATE_NAMES = (
  'NUL SOH STX ETX EOT ENQ ACK alert backspace tab newline vertical-tab form-feed carriage-return SO SI ' +
  'DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC IS4 IS3 IS2 IS1 space exclamation-mark quotation-mark ' +
  'number-sign dollar-sign percent-sign ampersand apostrophe left-parenthesis right-parenthesis asterisk ' +
  'plus-sign comma hyphen period slash zero one two three four five six seven eight nine colon semicolon ' +
  'less-than-sign equals-sign greater-than-sign question-mark commercial-at A B C D E F G H I J K L M N O P ' +
  'Q R S T U V W X Y Z left-square-bracket backslash right-square-bracket circumflex underscore grave-accent ' +
  'a b c d e f g h i j k l m n o p q r s t u v w x y z left-curly-bracket vertical-line right-curly-bracket ' +
  'tilde DEL'
).split(' ');

function collate(name: string): number {
  const i = COLLATE_NAMES.indexOf(name);
  if (i < 0) throw new RegexSyntaxError(false);
  return i;
}

const signed = (c: number): number => (c >= 128 ? c - 256 : c);
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** libstdc++'s _M_cur_int_value: accumulate in a long, return as int. */
function dupCount(digits: string): number {
  let v = 0n;
  for (const d of digits) v = BigInt.asIntN(64, v * 10n + BigInt(d.charCodeAt(0) - 48));
  return Number(BigInt.asIntN(32, v));
}

interface Parsed {
  node: Node;
  groups: number; // including group 0
}

/** The compiler, token for token as libstdc++'s _Compiler (with its NFA state count). */
class Parser {
  private sc: Scanner;
  private groups = 1;
  /** Total NFA states libstdc++ would have inserted so far. */
  private total = 1; // subexpr_begin of group 0

  constructor(re: string) {
    this.sc = new Scanner(re);
  }

  private fail(): never {
    throw new RegexSyntaxError(false);
  }

  private add(n: number): void {
    this.total += n;
    if (this.total > STATE_LIMIT) throw new RegexSyntaxError(true);
  }

  private match(t: T): boolean {
    if (this.sc.token !== t) return false;
    this.value = this.sc.value;
    this.sc.advance();
    return true;
  }
  private value = '';

  parse(): Parsed {
    const node = this.disjunction();
    if (!this.match(T.Eof)) this.fail();
    this.add(2); // subexpr_end of group 0, accept
    return { node: node.n, groups: this.groups };
  }

  // Each result carries the number of NFA states reachable in its sequence, which is
  // what a `{n,m}` clone copies.
  private disjunction(): { n: Node; c: number } {
    const first = this.alternative();
    const alts = [first.n];
    let c = first.c;
    while (this.match(T.Or)) {
      const a = this.alternative();
      alts.push(a.n);
      this.add(2); // dummy end + alternative state
      c += a.c + 2;
    }
    return { n: alts.length === 1 ? first.n : { k: 'alt', alts }, c };
  }

  private alternative(): { n: Node; c: number } {
    const items: Node[] = [];
    let c = 0;
    for (;;) {
      const t = this.term();
      if (t === null) break;
      items.push(t.n);
      c += t.c;
    }
    this.add(1); // the dummy that ends every alternative
    return { n: items.length === 1 ? items[0]! : { k: 'seq', items }, c: c + 1 };
  }

  private term(): { n: Node; c: number } | null {
    if (this.match(T.LineBegin)) {
      this.add(1);
      return { n: { k: 'bol' }, c: 1 };
    }
    if (this.match(T.LineEnd)) {
      this.add(1);
      return { n: { k: 'eol' }, c: 1 };
    }
    let a = this.atom();
    if (a === null) return null;
    for (;;) {
      const q = this.quantifier(a);
      if (q === null) return a;
      a = q;
    }
  }

  private atom(): { n: Node; c: number } | null {
    if (this.match(T.Any)) {
      const set = new Uint8Array(256).fill(1);
      set[0] = 0;
      this.add(1);
      return { n: { k: 'set', set }, c: 1 };
    }
    if (this.match(T.OrdChar)) {
      const set = new Uint8Array(256);
      set[this.value.charCodeAt(0)] = 1;
      this.add(1);
      return { n: { k: 'set', set }, c: 1 };
    }
    if (this.match(T.SubBegin)) {
      const idx = this.groups++;
      this.add(1);
      const body = this.disjunction();
      if (!this.match(T.SubEnd)) this.fail();
      this.add(1);
      return { n: { k: 'group', idx, body: body.n }, c: body.c + 2 };
    }
    let neg: boolean;
    if (this.match(T.BracketNegBegin)) neg = true;
    else if (this.match(T.BracketBegin)) neg = false;
    else return null;
    const set = this.bracket(neg);
    this.add(1);
    return { n: { k: 'set', set }, c: 1 };
  }

  private bracket(neg: boolean): Uint8Array {
    const set = new Uint8Array(256);
    // The pending single character (a possible range start), or a class marker.
    let last = -1; // -1 none, -2 class, else char code
    const flush = (): void => {
      if (last >= 0) set[last] = 1;
    };
    const pushChar = (c: number): void => {
      flush();
      last = c;
    };
    const pushClass = (): void => {
      flush();
      last = -2;
    };
    const range = (l: number, r: number): void => {
      if (signed(l) > signed(r)) this.fail();
      for (let c = 0; c < 256; c++) if (signed(c) >= signed(l) && signed(c) <= signed(r)) set[c] = 1;
    };

    if (this.match(T.OrdChar)) last = this.value.charCodeAt(0);
    else if (this.match(T.BracketDash)) last = 45;
    for (;;) {
      if (this.match(T.BracketEnd)) break;
      if (this.match(T.CollSymbol)) {
        const c = collate(this.value);
        set[c] = 1;
        pushChar(c);
      } else if (this.match(T.EquivName)) {
        pushClass();
        const c = lower(collate(this.value));
        for (let x = 0; x < 256; x++) if (lower(x) === c) set[x] = 1;
      } else if (this.match(T.ClassName)) {
        pushClass();
        let name = '';
        for (const ch of this.value) name += String.fromCharCode(lower(ch.charCodeAt(0)));
        const f = classTable(name);
        if (f === undefined) this.fail();
        for (let x = 0; x < 128; x++) if (f(x)) set[x] = 1;
      } else if (this.match(T.OrdChar)) {
        pushChar(this.value.charCodeAt(0));
      } else if (this.match(T.BracketDash)) {
        if (this.match(T.BracketEnd)) {
          pushChar(45);
          break;
        }
        if (last === -2) this.fail();
        if (last >= 0) {
          if (this.match(T.OrdChar)) {
            range(last, this.value.charCodeAt(0));
            last = -1;
          } else if (this.match(T.BracketDash)) {
            range(last, 45);
            last = -1;
          } else this.fail();
        } else this.fail(); // POSIX: a '-' that starts nothing
      } else this.fail();
    }
    flush();
    if (neg) for (let c = 0; c < 256; c++) set[c] ^= 1;
    return set;
  }

  private quantifier(a: { n: Node; c: number }): { n: Node; c: number } | null {
    if (this.match(T.Star)) {
      this.add(1);
      return { n: { k: 'star', body: a.n }, c: a.c + 1 };
    }
    if (this.match(T.Plus)) {
      this.add(1);
      return { n: { k: 'plus', body: a.n }, c: a.c + 1 };
    }
    if (this.match(T.Opt)) {
      this.add(2);
      return { n: { k: 'opt', body: a.n }, c: a.c + 2 };
    }
    if (!this.match(T.IntervalBegin)) return null;
    if (!this.match(T.DupCount)) this.fail();
    this.add(1); // the dummy that starts the expansion
    const min = dupCount(this.value);
    let max = min;
    let inf = false;
    if (this.match(T.Comma)) {
      if (this.match(T.DupCount)) max = dupCount(this.value);
      else inf = true;
    }
    if (!this.match(T.IntervalEnd)) this.fail();
    const c = a.c;
    const mins = Math.max(min, 0);
    // Copies are inserted one by one; the limit check only needs the running total.
    this.addBig(mins * c);
    let own = 1 + mins * c;
    if (inf) {
      this.add(c + 1);
      own += c + 1;
    } else {
      const n = max - min;
      if (n < 0) this.fail();
      this.add(1);
      this.addBig(n * (c + 1));
      own += 1 + n * (c + 1);
    }
    return { n: { k: 'brace', body: a.n, min: mins, max: inf ? -1 : mins + (max - min) }, c: own };
  }

  private addBig(n: number): void {
    if (n > STATE_LIMIT) throw new RegexSyntaxError(true);
    this.add(n);
  }
}

// ---------------------------------------------------------------------------------
// NFA, shaped as libstdc++ builds it (dummy states elided: they only forward)

const enum Op {
  Match,
  SubBegin,
  SubEnd,
  Bol,
  Eol,
  Alt,
  Repeat,
  Accept,
}

class Nfa {
  op: number[] = [];
  next: number[] = [];
  alt: number[] = [];
  arg: number[] = []; // group index, or set index
  sets: Uint8Array[] = [];

  add(op: Op, next: number, alt = -1, arg = 0): number {
    this.op.push(op);
    this.next.push(next);
    this.alt.push(alt);
    this.arg.push(arg);
    return this.op.length - 1;
  }

  /** States for `n` followed by state `k`; returns the entry state. */
  build(n: Node, k: number): number {
    switch (n.k) {
      case 'set':
        this.sets.push(n.set);
        return this.add(Op.Match, k, -1, this.sets.length - 1);
      case 'bol':
        return this.add(Op.Bol, k);
      case 'eol':
        return this.add(Op.Eol, k);
      case 'group': {
        const end = this.add(Op.SubEnd, k, -1, n.idx);
        const body = this.build(n.body, end);
        return this.add(Op.SubBegin, body, -1, n.idx);
      }
      case 'seq': {
        let s = k;
        for (let i = n.items.length - 1; i >= 0; i--) s = this.build(n.items[i]!, s);
        return s;
      }
      case 'alt': {
        // ((a|b)|c): the left operand is the state's `alt`, tried first.
        let left = this.build(n.alts[0]!, k);
        for (let i = 1; i < n.alts.length; i++) {
          const right = this.build(n.alts[i]!, k);
          left = this.add(Op.Alt, right, left);
        }
        return left;
      }
      case 'star': {
        const r = this.add(Op.Repeat, k);
        this.alt[r] = this.build(n.body, r);
        return r;
      }
      case 'plus': {
        // The body is shared by the first pass and the loop.
        const r = this.add(Op.Repeat, k);
        const body = this.build(n.body, r);
        this.alt[r] = body;
        return body;
      }
      case 'opt':
        return this.add(Op.Repeat, k, this.build(n.body, k));
      case 'brace': {
        let s: number;
        if (n.max < 0) {
          s = this.add(Op.Repeat, k);
          this.alt[s] = this.build(n.body, s);
        } else {
          // R1(body1 → R2(body2 → … → k) | k) | k, each with its own copy.
          s = k;
          for (let i = n.max - n.min; i > 0; i--) s = this.add(Op.Repeat, k, this.build(n.body, s));
        }
        for (let i = 0; i < n.min; i++) s = this.build(n.body, s);
        return s;
      }
    }
  }
}

// ---------------------------------------------------------------------------------
// The depth-first executor (libstdc++ _Executor<…, __dfs_mode = true>, POSIX flavour)

const enum F {
  Dec,
  SetFirst,
  SetEnd,
  AltNext,
  OrSol,
  RepNext,
  SetRc,
}

class Program {
  readonly op: Uint8Array;
  readonly next: Int32Array;
  readonly alt: Int32Array;
  readonly arg: Int32Array;
  readonly sets: Uint8Array[];
  readonly start: number;
  readonly groups: number;
  // scratch, reused across runs
  private readonly first: Int32Array;
  private readonly second: Int32Array;
  private readonly matched: Uint8Array;
  readonly solFirst: Int32Array;
  readonly solSecond: Int32Array;
  readonly solMatched: Uint8Array;
  private readonly repPos: Int32Array;
  private readonly repCnt: Int32Array;
  private stack: Int32Array = new Int32Array(1024);

  constructor(parsed: Parsed) {
    const nfa = new Nfa();
    const accept = nfa.add(Op.Accept, -1);
    const end = nfa.add(Op.SubEnd, accept, -1, 0);
    const body = nfa.build(parsed.node, end);
    this.start = nfa.add(Op.SubBegin, body, -1, 0);
    this.op = Uint8Array.from(nfa.op);
    this.next = Int32Array.from(nfa.next);
    this.alt = Int32Array.from(nfa.alt);
    this.arg = Int32Array.from(nfa.arg);
    this.sets = nfa.sets;
    this.groups = parsed.groups;
    const g = parsed.groups;
    this.first = new Int32Array(g);
    this.second = new Int32Array(g);
    this.matched = new Uint8Array(g);
    this.solFirst = new Int32Array(g);
    this.solSecond = new Int32Array(g);
    this.solMatched = new Uint8Array(g);
    this.repPos = new Int32Array(this.op.length).fill(-1);
    this.repCnt = new Int32Array(this.op.length);
  }

  /**
   * One anchored attempt at `begin`. `exact`: the match must end at the end of `s`
   * (regex_match); otherwise any end, longest kept (regex_search's per-position
   * attempt). `notNull`: empty matches do not count. Returns whether a match was found;
   * the groups are then in sol*.
   */
  run(s: string, begin: number, exact: boolean, notNull: boolean): boolean {
    const len = s.length;
    const { op, next, alt, arg, sets, first, second, matched, repPos, repCnt } = this;
    matched.fill(0);
    let st = this.stack;
    let sp = 0;
    let cur = begin;
    let hasSol = false;
    let solPos = -1;

    // Frames are four ints; a "call" of a state is not pushed when it can be continued
    // directly (the state loop below), only the undo work that follows it is.
    let i = this.start;
    for (;;) {
      // At most three frames are pushed per step.
      if (sp + 12 > st.length) {
        const bigger = new Int32Array(st.length * 2);
        bigger.set(st);
        st = this.stack = bigger;
      }
      let cont = true;
      switch (op[i]) {
        case Op.Match:
          if (cur < len && sets[arg[i]!]![s.charCodeAt(cur)] === 1) {
            cur++;
            st[sp] = F.Dec;
            sp += 4;
            i = next[i]!;
          } else cont = false;
          break;
        case Op.SubBegin: {
          const k = arg[i]!;
          st[sp] = F.SetFirst;
          st[sp + 1] = k;
          st[sp + 2] = first[k]!;
          sp += 4;
          first[k] = cur;
          i = next[i]!;
          break;
        }
        case Op.SubEnd: {
          const k = arg[i]!;
          st[sp] = F.SetEnd;
          st[sp + 1] = k;
          st[sp + 2] = second[k]!;
          st[sp + 3] = matched[k]!;
          sp += 4;
          second[k] = cur;
          matched[k] = 1;
          i = next[i]!;
          break;
        }
        case Op.Bol:
          if (cur === 0) i = next[i]!;
          else cont = false;
          break;
        case Op.Eol:
          if (cur === len) i = next[i]!;
          else cont = false;
          break;
        case Op.Alt:
          // POSIX: both alternatives are explored; see AltNext.
          st[sp] = F.AltNext;
          st[sp + 1] = i;
          sp += 4;
          i = alt[i]!;
          break;
        case Op.Repeat: {
          st[sp] = F.RepNext;
          st[sp + 1] = i;
          sp += 4;
          // "Once more", allowing at most two visits at the same position.
          const pos = repPos[i]!;
          const cnt = repCnt[i]!;
          if (cnt === 0 || pos !== cur) {
            st[sp] = F.SetRc;
            st[sp + 1] = i;
            st[sp + 2] = pos;
            st[sp + 3] = cnt;
            sp += 4;
            repPos[i] = cur;
            repCnt[i] = 1;
            i = alt[i]!;
          } else if (cnt < 2) {
            st[sp] = F.SetRc;
            st[sp + 1] = i;
            st[sp + 2] = pos;
            st[sp + 3] = cnt;
            sp += 4;
            repCnt[i] = cnt + 1;
            i = alt[i]!;
          } else cont = false;
          break;
        }
        default: {
          // Accept
          hasSol = exact ? cur === len : true;
          if (notNull && cur === begin) hasSol = false;
          if (hasSol && solPos < cur) {
            solPos = cur;
            this.solFirst.set(first);
            this.solSecond.set(second);
            this.solMatched.set(matched);
          }
          cont = false;
        }
      }
      if (cont) continue;
      // Unwind until some frame resumes the search at a state.
      let resumed = false;
      while (sp > 0) {
        sp -= 4;
        const a = st[sp + 1]!;
        switch (st[sp]) {
          case F.Dec:
            cur--;
            break;
          case F.SetFirst:
            first[a] = st[sp + 2]!;
            break;
          case F.SetEnd:
            second[a] = st[sp + 2]!;
            matched[a] = st[sp + 3]!;
            break;
          case F.AltNext:
            st[sp] = F.OrSol;
            st[sp + 1] = hasSol ? 1 : 0;
            sp += 4;
            hasSol = false;
            i = next[a]!;
            resumed = true;
            break;
          case F.OrSol:
            if (a === 1) hasSol = true;
            break;
          case F.RepNext:
            // The pruning: leaving the loop here is tried only if repeating found nothing.
            if (!hasSol) {
              i = next[a]!;
              resumed = true;
            }
            break;
          case F.SetRc:
            repPos[a] = st[sp + 2]!;
            repCnt[a] = st[sp + 3]!;
            break;
        }
        if (resumed) break;
      }
      if (!resumed) return solPos >= 0;
    }
  }
}

// ---------------------------------------------------------------------------------
// RE2 translation (existence only, so no capture groups)

function re2Set(set: Uint8Array): string {
  let out = '';
  let count = 0;
  for (let c = 0; c < 256; c++) {
    if (!set[c]) continue;
    let e = c;
    while (e + 1 < 256 && set[e + 1]) e++;
    out += e === c ? `\\x{${c.toString(16)}}` : `\\x{${c.toString(16)}}-\\x{${e.toString(16)}}`;
    count += e - c + 1;
    c = e;
  }
  if (count === 0) return '[^\\x{0}-\\x{10ffff}]';
  if (count === 1) return out;
  return '[' + out + ']';
}

function toRe2(n: Node): string {
  switch (n.k) {
    case 'set':
      return re2Set(n.set);
    case 'bol':
      return '^';
    case 'eol':
      return '$';
    case 'group':
      return '(?:' + toRe2(n.body) + ')';
    case 'seq':
      return n.items.map(toRe2).join('');
    case 'alt':
      return '(?:' + n.alts.map(toRe2).join('|') + ')';
    case 'star':
      return '(?:' + toRe2(n.body) + ')*';
    case 'plus':
      return '(?:' + toRe2(n.body) + ')+';
    case 'opt':
      return '(?:' + toRe2(n.body) + ')?';
    case 'brace':
      return '(?:' + toRe2(n.body) + (n.max < 0 ? `){${n.min},}` : `){${n.min},${n.max}}`);
  }
}

/** A literal byte string if the pattern is a plain sequence of single bytes. */
function literalOf(n: Node): string | null {
  const items = n.k === 'seq' ? n.items : [n];
  let out = '';
  for (const it of items) {
    if (it.k !== 'set') return null;
    let only = -1;
    for (let c = 0; c < 256; c++) {
      if (it.set[c]) {
        if (only >= 0) return null;
        only = c;
      }
    }
    if (only < 0) return null;
    out += String.fromCharCode(only);
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Static facts used to choose a strategy (never to decide a result)

interface Facts {
  /** Bytes that can start a non-empty match (a superset). */
  first: Uint8Array;
  /** Whether the pattern can match without consuming (assertions count as empty). */
  nullable: boolean;
}

function facts(n: Node): Facts {
  switch (n.k) {
    case 'set':
      return { first: n.set, nullable: false };
    case 'bol':
    case 'eol':
      return { first: new Uint8Array(256), nullable: true };
    case 'group':
      return facts(n.body);
    case 'seq': {
      const first = new Uint8Array(256);
      for (const it of n.items) {
        const f = facts(it);
        for (let c = 0; c < 256; c++) first[c] |= f.first[c]!;
        if (!f.nullable) return { first, nullable: false };
      }
      return { first, nullable: true };
    }
    case 'alt': {
      const first = new Uint8Array(256);
      let nullable = false;
      for (const a of n.alts) {
        const f = facts(a);
        for (let c = 0; c < 256; c++) first[c] |= f.first[c]!;
        nullable ||= f.nullable;
      }
      return { first, nullable };
    }
    case 'star':
    case 'opt':
      return { first: facts(n.body).first, nullable: true };
    case 'plus':
      return facts(n.body);
    case 'brace': {
      if (n.max === 0) return { first: new Uint8Array(256), nullable: true };
      const f = facts(n.body);
      return { first: f.first, nullable: n.min === 0 || f.nullable };
    }
  }
}

/**
 * Whether backtracking could blow up on a short subject: some loop (not a mere `?`)
 * has a body that can match empty, or that itself contains a loop or an alternation —
 * the shapes with exponentially many ways to split a subject between iterations.
 */
function risky(n: Node): boolean {
  const branching = (b: Node): boolean => {
    switch (b.k) {
      case 'set':
      case 'bol':
      case 'eol':
        return false;
      case 'group':
        return branching(b.body);
      case 'seq':
        return b.items.some(branching);
      case 'alt':
        return true;
      case 'opt':
        return branching(b.body);
      case 'brace':
        return b.max !== b.min || branching(b.body);
      case 'star':
      case 'plus':
        return true;
    }
  };
  switch (n.k) {
    case 'set':
    case 'bol':
    case 'eol':
      return false;
    case 'group':
    case 'opt':
      return risky(n.body);
    case 'seq':
      return n.items.some(risky);
    case 'alt':
      return n.alts.some(risky);
    case 'star':
    case 'plus':
    case 'brace':
      if (n.k === 'brace' && (n.max === n.min || n.max === 1)) return risky(n.body);
      return facts(n.body).nullable || branching(n.body);
  }
}

// ---------------------------------------------------------------------------------
// Compiled regexes and the builtins

class Compiled {
  readonly prog: Program;
  /** The pattern as a literal byte string (no groups, no operators), else null. */
  readonly literal: string | null;
  readonly first: Uint8Array;
  readonly nullable: boolean;
  /** Worth asking RE2 before backtracking even on short subjects. */
  readonly risky: boolean;
  private readonly node: Node;
  private re2Compiled: RE2JS | null | undefined;

  constructor(parsed: Parsed) {
    this.prog = new Program(parsed);
    this.node = parsed.node;
    this.literal = parsed.groups === 1 ? literalOf(parsed.node) : null;
    const f = facts(parsed.node);
    this.first = f.first;
    this.nullable = f.nullable;
    this.risky = risky(parsed.node);
  }

  /**
   * Linear-time existence test, or null where RE2 cannot express the pattern. Compiled
   * on first use: RE2JS compilation costs far more than most matches.
   */
  get re2(): RE2JS | null {
    if (this.re2Compiled === undefined) {
      try {
        this.re2Compiled = RE2JS.compile(toRe2(this.node), RE2JS.DOTALL);
      } catch (e) {
        noteHostStack(e);
        this.re2Compiled = null; // e.g. counts above RE2's 1000: the emulation alone is still exact
      }
    }
    return this.re2Compiled;
  }

  groupsOf(s: string): (string | null)[] {
    const p = this.prog;
    const out: (string | null)[] = new Array(p.groups - 1);
    for (let k = 1; k < p.groups; k++) {
      out[k - 1] = p.solMatched[k] ? s.slice(p.solFirst[k], p.solSecond[k]) : null;
    }
    return out;
  }
}

const cache = new Map<string, Compiled | RegexSyntaxError>();

/** Subject length from which match() consults RE2 first. */
const PREFILTER_MIN = 48;
/** Failed anchored attempts in a row after which split() lets RE2 find the next start. */
const MISSES_BEFORE_RE2 = 8;

/** Compile (cached) or throw CppNix's error for an invalid regular expression. */
export function compileRegex(re: string): Compiled {
  let c = cache.get(re);
  if (c === undefined) {
    try {
      c = new Compiled(new Parser(re).parse());
    } catch (e) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      c = e;
    }
    cache.set(re, c);
  }
  if (c instanceof RegexSyntaxError) {
    throw new NixError(
      'eval',
      c.space ? `memory limit exceeded by regular expression '${re}'` : `invalid regular expression '${re}'`,
    );
  }
  return c;
}

export type { Compiled as CompiledRegex };

/**
 * builtins.match: the groups of a match of the whole string (null for groups that did
 * not take part), or null if the regex does not match the whole string.
 */
export function builtinMatch(re: string, s: string): (string | null)[] | null {
  const c = compileRegex(re);
  if (c.literal !== null) return s === c.literal ? [] : null;
  // RE2's DFA answers "no match" in linear time; for short subjects and tame patterns
  // the backtracking emulation is cheaper than asking.
  if (c.re2 !== null && (s.length >= PREFILTER_MIN || c.risky) && !c.re2.testExact(s)) return null;
  if (!c.prog.run(s, 0, true, false)) return null;
  return c.groupsOf(s);
}

/** One element of a builtins.split result: a non-matching string or a match's groups. */
export type SplitItem = string | (string | null)[];

/**
 * builtins.split: `[ pre [ groups ] mid [ groups ] … post ]`, walking matches like
 * std::cregex_iterator (after an empty match, a non-empty match at the same position is
 * tried before moving on one byte).
 */
export function builtinSplit(re: string, s: string): SplitItem[] {
  const c = compileRegex(re);
  const len = s.length;
  const out: SplitItem[] = [];

  if (c.literal !== null && c.literal.length > 0) {
    const lit = c.literal;
    let from = 0;
    for (;;) {
      const i = s.indexOf(lit, from);
      if (i < 0) break;
      out.push(s.slice(from, i), []);
      from = i + lit.length;
    }
    out.push(s.slice(from));
    return out;
  }

  const prog = c.prog;
  const first = c.first;
  const nullable = c.nullable;
  let matcher: ReturnType<RE2JS['matcher']> | null = null;

  /**
   * regex_search from `start`: the leftmost position with a match. Candidates are the
   * positions whose byte can begin a match; after a run of failed attempts RE2 (which
   * knows where matches exist, though not which one libstdc++ picks) skips ahead.
   */
  const search = (start: number): boolean => {
    let p = start;
    // Risky patterns may backtrack exponentially where there is no match: ask first.
    let misses = c.risky ? MISSES_BEFORE_RE2 : 0;
    for (;;) {
      if (!nullable) {
        while (p < len && first[s.charCodeAt(p)] !== 1) p++;
        if (p >= len) return false;
      } else if (p > len) return false;
      if (misses >= MISSES_BEFORE_RE2 && c.re2 !== null) {
        matcher ??= c.re2.matcher(s);
        if (!matcher.find(p)) return false;
        p = matcher.start();
        if (!c.risky) misses = 0;
      }
      if (prog.run(s, p, false, false)) return true;
      misses++;
      p++;
    }
  };

  let prefixStart = 0;
  if (!search(0)) return [s];
  for (;;) {
    const mStart = prog.solFirst[0]!;
    const mEnd = prog.solSecond[0]!;
    out.push(s.slice(prefixStart, mStart), c.groupsOf(s));
    prefixStart = mEnd;
    let start = mEnd;
    if (mStart === mEnd) {
      if (start === len) break;
      // A non-empty match anchored here first, then the search moves on one byte.
      if (prog.run(s, start, false, true)) continue;
      start++;
    }
    if (!search(start)) break;
  }
  out.push(s.slice(prefixStart));
  return out;
}
