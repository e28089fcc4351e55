/**
 * Core builtins: types, arithmetic, control flow, errors, tracing, `toString`.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceBool, forceFloat, forceInt, forceString, forceValue } from '../force.js';
import { eqValues, lessThan } from '../ops.js';
import { printValue } from '../print.js';
import { I64, toNixError, type EvalState } from '../state.js';
import {
  Lambda,
  NixAttrs,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  mkString,
  typeOf,
  type Lazy,
  type Value,
} from '../value.js';
import type { Builtin } from './registry.js';

function num(st: EvalState, x: Lazy, which: string, op: string): number | bigint | NixFloat {
  const v = forceValue(x);
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof NixFloat) return v;
  throw st.typeError('an integer', v, noPos, `while evaluating the ${which} argument of the ${op}`);
}

function arith(
  st: EvalState,
  name: string,
  intOp: (a: number | bigint, b: number | bigint) => number | bigint,
  floatOp: (a: number, b: number) => number,
): Builtin {
  return {
    name,
    arity: 2,
    fn: ([a, b]) => {
      const x = num(st, a!, 'first', name === 'add' ? 'addition' : name === 'sub' ? 'subtraction' : name === 'mul' ? 'multiplication' : 'division');
      const y = num(st, b!, 'second', name === 'add' ? 'addition' : name === 'sub' ? 'subtraction' : name === 'mul' ? 'multiplication' : 'division');
      if (x instanceof NixFloat || y instanceof NixFloat) {
        const fx = x instanceof NixFloat ? x.v : Number(x);
        const fy = y instanceof NixFloat ? y.v : Number(y);
        if (name === 'div' && fy === 0) throw new NixError('eval', 'division by zero');
        return new NixFloat(floatOp(fx, fy));
      }
      return intOp(x, y);
    },
  };
}

/** Force deeply, counting depth against max-call-depth as CppNix does. */
export function deepForce(st: EvalState, x: Lazy): void {
  const seen = new Set<object>();
  const go = (x: Lazy, depth: number): void => {
    const v = x instanceof Thunk ? x.force() : x;
    if (Array.isArray(v)) {
      if (seen.has(v)) return;
      seen.add(v);
      if (depth > st.opts.maxCallDepth) throw new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded');
      for (let i = 0; i < v.length; i++) {
        try {
          go(v[i]!, depth + 1);
        } catch (e) {
          throw toNixError(e).addTrace(noPos, `while evaluating list element at index ${i}`);
        }
      }
    } else if (v instanceof NixAttrs) {
      if (seen.has(v)) return;
      seen.add(v);
      if (depth > st.opts.maxCallDepth) throw new NixError('stack-overflow', 'stack overflow; max-call-depth exceeded');
      for (const k of v.keys()) {
        try {
          go(v.get(k)!, depth + 1);
        } catch (e) {
          throw toNixError(e).addTrace(v.posOf(k), `while evaluating the attribute '${k}'`);
        }
      }
    }
  };
  go(x, 0);
}

export function coreBuiltins(st: EvalState): Builtin[] {
  const isType = (name: string, t: string): Builtin => ({
    name,
    arity: 1,
    fn: ([x]) => typeOf(forceValue(x!)) === t,
  });
  return [
    { name: 'typeOf', arity: 1, fn: ([x]) => typeOf(forceValue(x!)) },
    isType('isInt', 'int'),
    isType('isFloat', 'float'),
    isType('isString', 'string'),
    isType('isBool', 'bool'),
    isType('isPath', 'path'),
    isType('isList', 'list'),
    isType('isAttrs', 'set'),
    { name: 'isNull', arity: 1, global: true, fn: ([x]) => forceValue(x!) === null },
    {
      name: 'isFunction',
      arity: 1,
      fn: ([x]) => {
        const v = forceValue(x!);
        return v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp;
      },
    },
    arith(st, 'add', (a, b) => I64.intAdd(a, b), (a, b) => a + b),
    arith(st, 'sub', (a, b) => I64.intSub(a, b), (a, b) => a - b),
    arith(st, 'mul', (a, b) => I64.intMul(a, b), (a, b) => a * b),
    arith(st, 'div', (a, b) => I64.intDiv(a, b), (a, b) => a / b),
    {
      name: 'bitAnd',
      arity: 2,
      fn: ([a, b]) =>
        I64.intBitAnd(
          forceInt(a!, noPos, 'while evaluating the first argument passed to builtins.bitAnd'),
          forceInt(b!, noPos, 'while evaluating the second argument passed to builtins.bitAnd'),
        ),
    },
    {
      name: 'bitOr',
      arity: 2,
      fn: ([a, b]) =>
        I64.intBitOr(
          forceInt(a!, noPos, 'while evaluating the first argument passed to builtins.bitOr'),
          forceInt(b!, noPos, 'while evaluating the second argument passed to builtins.bitOr'),
        ),
    },
    {
      name: 'bitXor',
      arity: 2,
      fn: ([a, b]) =>
        I64.intBitXor(
          forceInt(a!, noPos, 'while evaluating the first argument passed to builtins.bitXor'),
          forceInt(b!, noPos, 'while evaluating the second argument passed to builtins.bitXor'),
        ),
    },
    {
      name: 'lessThan',
      arity: 2,
      fn: ([a, b]) => lessThan(forceValue(a!), forceValue(b!), noPos, ''),
    },
    {
      name: 'ceil',
      arity: 1,
      fn: ([x]) => {
        const v = forceValue(x!);
        if (typeof v === 'number' || typeof v === 'bigint') return I64.intFloorCeil(v);
        return I64.floatToInt(forceFloat(v, noPos, 'while evaluating the first argument passed to builtins.ceil'), 'ceil');
      },
    },
    {
      name: 'floor',
      arity: 1,
      fn: ([x]) => {
        const v = forceValue(x!);
        if (typeof v === 'number' || typeof v === 'bigint') return I64.intFloorCeil(v);
        return I64.floatToInt(forceFloat(v, noPos, 'while evaluating the first argument passed to builtins.floor'), 'floor');
      },
    },
    {
      name: 'throw',
      arity: 1,
      global: true,
      fn: ([x]) => {
        const s = st.coerceToString(x!, noPos, 'while evaluating the error message passed to builtin.throw', {
          coerceMore: false,
          copyToStore: false,
        });
        throw new NixError('throw', s.s);
      },
    },
    {
      name: 'abort',
      arity: 1,
      global: true,
      fn: ([x]) => {
        const s = st.coerceToString(x!, noPos, 'while evaluating the error message passed to builtins.abort', {
          coerceMore: false,
          copyToStore: false,
        });
        throw new NixError('abort', `evaluation aborted with the following error message: '${s.s}'`);
      },
    },
    {
      name: 'addErrorContext',
      arity: 2,
      fn: ([c, x]) => {
        try {
          return forceValue(x!);
        } catch (e) {
          if (e instanceof NixError) {
            const s = st.coerceToString(c!, noPos, 'while evaluating the error message passed to builtins.addErrorContext', {
              coerceMore: false,
              copyToStore: false,
            });
            e.addTrace(noPos, s.s, true);
          }
          throw e;
        }
      },
    },
    {
      name: 'tryEval',
      arity: 1,
      fn: ([x]) => {
        let v: Value;
        try {
          v = forceValue(x!);
        } catch (e) {
          if (e instanceof NixError && e.catchable) {
            return new NixAttrs(
              new Map<string, Lazy>([
                ['success', false],
                ['value', false],
              ]),
            );
          }
          throw e;
        }
        return new NixAttrs(
          new Map<string, Lazy>([
            ['success', true],
            ['value', v],
          ]),
        );
      },
    },
    {
      name: 'seq',
      arity: 2,
      fn: ([a, b]) => {
        forceValue(a!);
        return forceValue(b!);
      },
    },
    {
      name: 'deepSeq',
      arity: 2,
      fn: ([a, b]) => {
        deepForce(st, a!);
        return forceValue(b!);
      },
    },
    {
      name: 'trace',
      arity: 2,
      fn: ([a, b]) => {
        const v = forceValue(a!);
        st.host.stderr(`trace: ${typeof v === 'string' ? v : v instanceof NixString ? v.s : printValue(v)}\n`);
        return forceValue(b!);
      },
    },
    {
      name: 'traceVerbose',
      arity: 2,
      fn: ([, b]) => forceValue(b!),
    },
    {
      name: 'warn',
      arity: 2,
      fn: ([a, b]) => {
        const v = forceValue(a!);
        if (!(typeof v === 'string' || v instanceof NixString)) {
          throw st.typeError('a string', v, noPos, 'while evaluating the first argument; the message passed to builtins.warn');
        }
        st.warn(typeof v === 'string' ? v : v.s);
        if (st.opts.settings.get('abort-on-warn') === 'true') {
          throw new NixError('eval', '(aborting to reveal stack trace of warning, as abort-on-warn is set)', noPos);
        }
        return forceValue(b!);
      },
    },
    { name: 'break', arity: 1, global: true, fn: ([x]) => forceValue(x!) },
    {
      name: 'toString',
      arity: 1,
      global: true,
      fn: ([x]) =>
        st.coerceString(x!, noPos, 'while evaluating the first argument passed to builtins.toString', true, false),
    },
    {
      name: 'functionArgs',
      arity: 1,
      fn: ([x]) => {
        const v = forceValue(x!);
        if (v instanceof PrimOp || v instanceof PrimOpApp) return NixAttrs.empty;
        if (!(v instanceof Lambda)) throw st.typeError('a function', v, noPos, 'while evaluating the argument passed to builtins.functionArgs');
        const f = v.node.formals;
        if (!f) return NixAttrs.empty;
        const m = new Map<string, Lazy>();
        const pos = new Map<string, { pos: number }>();
        for (const fm of f.formals) {
          m.set(fm.name, fm.def !== undefined);
          pos.set(fm.name, { pos: fm.pos });
        }
        return new NixAttrs(m, pos);
      },
    },
    {
      name: 'unsafeGetAttrPos',
      arity: 2,
      fn: ([n, s]) => {
        const name = forceString(n!, noPos, 'while evaluating the first argument passed to builtins.unsafeGetAttrPos');
        const attrs = forceAttrs(s!, noPos, 'while evaluating the second argument passed to builtins.unsafeGetAttrPos');
        if (!attrs.has(name)) return null;
        return st.mkPos(attrs.posOf(name));
      },
    },
    {
      name: 'unsafeGetLambdaPos',
      arity: 1,
      fn: ([x]) => {
        const v = forceValue(x!);
        return v instanceof Lambda ? st.mkPos(v.node.pos) : null;
      },
    },
    { name: 'nixVersion', value: () => '2.36.0' },
    { name: 'langVersion', value: () => 6 },
    { name: 'storeDir', value: () => st.opts.storeDir },
    { name: 'currentSystem', value: () => st.opts.currentSystem },
    { name: 'currentTime', value: () => Math.floor(st.host.now()) },
    {
      name: 'getEnv',
      arity: 1,
      fn: ([x]) => {
        const n = forceString(x!, noPos, 'while evaluating the first argument passed to builtins.getEnv');
        return st.opts.pureEval ? '' : (st.host.getEnv(n) ?? '');
      },
    },
    {
      name: 'toPath',
      arity: 1,
      fn: ([x]) => {
        const s = st.coerceToString(x!, noPos, 'while evaluating the first argument passed to builtins.toPath', {
          coerceMore: false,
          copyToStore: false,
        });
        if (!s.s.startsWith('/')) throw new NixError('eval', `string '${s.s}' doesn't represent an absolute path`);
        return mkString(canon(s.s), s.ctx);
      },
    },
  ];
}

function canon(p: string): string {
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return '/' + out.join('/');
}

export { forceBool, NixPath };
