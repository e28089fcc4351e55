/**
 * One diagnostic shape for every stage.
 *
 * The parser, the evaluator, the module system and the system planner all report
 * problems as a `Diagnostic`: a stable code, a message, a primary position, related
 * positions, notes, and (for evaluation) the trace frames collected while the error
 * unwound. Positions are `PosIdx` integers; nothing here knows lines or columns —
 * `render.ts` computes them when the diagnostic is printed, in CppNix's layout.
 *
 * Errors travel as `NixError` exceptions (a JS `Error` subclass, so that `catch` works
 * naturally), each wrapping its diagnostic. `kind` mirrors CppNix's exception classes
 * where the language observes them: `builtins.tryEval` catches exactly `throw` and
 * `assert` failures.
 */

import { noPos, type PosIdx } from '../lang/source.js';

export type ErrorKind =
  | 'parse' // syntax and static scope errors
  | 'eval' // generic evaluation error (EvalError)
  | 'type' // TypeError
  | 'throw' // builtins.throw / failed <path> lookup (ThrownError; caught by tryEval)
  | 'assert' // failed assertion (AssertionError; caught by tryEval)
  | 'abort' // builtins.abort
  | 'infinite-recursion'
  | 'stack-overflow'
  | 'missing-argument'
  | 'undefined-variable'
  | 'io'
  | 'usage'; // bad command line

export interface Related {
  pos: PosIdx;
  message: string;
}

export interface TraceFrame {
  pos: PosIdx;
  message: string;
  /** CppNix's TracePrint::Always: shown even when the trace is truncated. */
  always?: boolean;
}

export interface Diagnostic {
  /** Stable machine-readable code, e.g. `parse/syntax`, `eval/type`. */
  code: string;
  message: string;
  pos: PosIdx;
  related: Related[];
  notes: string[];
  /** Trace frames, innermost first (the order they were added while unwinding). */
  trace: TraceFrame[];
}

export class NixError extends Error {
  readonly diag: Diagnostic;
  /** For infinite recursion: the blackholed thunk, so the frame that first forced it
   * can mark where the cycle is entered. */
  blackhole?: unknown;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    pos: PosIdx = noPos,
    code: string = `eval/${kind}`,
  ) {
    super(message);
    this.diag = { code, message, pos, related: [], notes: [], trace: [] };
  }

  /** Set the primary position if none is known yet (errors from builtins get the call site). */
  atPos(pos: PosIdx): this {
    if (this.diag.pos === noPos) this.diag.pos = pos;
    return this;
  }

  addTrace(pos: PosIdx, message: string, always = false): this {
    this.diag.trace.push({ pos, message, always });
    return this;
  }

  note(text: string): this {
    this.diag.notes.push(text);
    return this;
  }

  /** A fresh copy (CppNix's `throwClone`): memoised errors are rethrown as copies, so
   * frames added while one copy unwinds do not show up in the next. */
  clone(): NixError {
    const c = new NixError(this.kind, this.diag.message, this.diag.pos, this.diag.code);
    c.diag.related.push(...this.diag.related);
    c.diag.notes.push(...this.diag.notes);
    c.diag.trace = this.diag.trace.slice();
    c.blackhole = this.blackhole;
    return c;
  }

  /** True for the errors `builtins.tryEval` catches. */
  get catchable(): boolean {
    return this.kind === 'throw' || this.kind === 'assert';
  }
}

export function parseError(message: string, pos: PosIdx, code = 'parse/syntax'): NixError {
  return new NixError('parse', message, pos, code);
}

/**
 * Host (JS) stack exhaustion while the CLI tries a command on the main thread.
 *
 * The CLI first evaluates on the main thread, whose stack (~1 MiB) is far smaller than
 * the 512 MiB worker's; a run that exhausts it must not end in the Nix error a real
 * exhaustion gives ("stack overflow" / "expression nested too deeply"), but be redone
 * on the big stack (src/cli/main.ts). So every place that turns a JS RangeError into a
 * Nix error first calls `hostStackExhausted()`: with `hostStack.retry` set it records
 * the exhaustion and throws `HOST_STACK_EXHAUSTED`, which no Nix-level handler catches.
 * `exhausted` stays set even if some handler swallows the signal: the CLI checks it.
 */
export const hostStack = { retry: false, exhausted: false };

/** Not a NixError; made once, as the stack is short when it is thrown. */
export const HOST_STACK_EXHAUSTED: Error = new Error('host stack exhausted');

export function hostStackExhausted(): void {
  if (hostStack.retry) {
    hostStack.exhausted = true;
    throw HOST_STACK_EXHAUSTED;
  }
}

/**
 * For handlers that swallow errors (fallbacks while building a message, say): a JS
 * stack overflow there must still abandon a main-thread attempt, or that attempt would
 * answer differently from the big-stack rerun.
 */
export function noteHostStack(e: unknown): void {
  if (e === HOST_STACK_EXHAUSTED || (e instanceof RangeError && /call stack/i.test(e.message))) hostStackExhausted();
}
