/**
 * Error construction for the evaluator, with CppNix's wording.
 *
 * Type errors read `expected a set but found an integer: 1`; the offending value is
 * shown with the error printer (print.ts, bounded depth and width). The optional
 * `ctx` string is CppNix's "error context" (`while evaluating the first argument
 * passed to builtins.length`), attached as a trace frame.
 */

import { NixError, type ErrorKind } from '../diag/diagnostic.js';
import { noPos, type PosIdx } from '../lang/source.js';
import { showType, type Value } from './value.js';
import { printForError } from './print.js';

export function evalError(message: string, pos: PosIdx = noPos, kind: ErrorKind = 'eval'): NixError {
  return new NixError(kind, message, pos);
}

export function typeError(expected: string, v: Value, pos: PosIdx = noPos, ctx?: string): NixError {
  const e = new NixError('type', `expected ${expected} but found ${showType(v)}: ${printForError(v)}`, pos, 'eval/type');
  if (ctx) e.addTrace(pos, ctx);
  return e;
}

/** A type error without a position of its own: the context frame carries it (CppNix's
 * forceAttrs/forceList). */
export function typeErrorCtx(expected: string, v: Value, pos: PosIdx, ctx: string): NixError {
  return new NixError('type', `expected ${expected} but found ${showType(v)}: ${printForError(v)}`, noPos, 'eval/type').addTrace(
    pos,
    ctx,
  );
}

/** Run `f`; if it throws a Nix error, add a trace frame and rethrow. */
export function withTrace<T>(pos: PosIdx, message: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NixError) e.addTrace(pos, message);
    throw e;
  }
}
