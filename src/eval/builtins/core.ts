/**
 * Core builtins: types, arithmetic, control flow, errors, tracing, `toString`.
 */

import { NixError } from '../../diag/diagnostic.js';
import { noPos } from '../../lang/source.js';
import { forceAttrs, forceBool, forceFloat, forceInt, forceString, forceValue } from '../force.js';
import { eqValues, lessThan } from '../ops.js';
import { printValue } from '../print.js';
import { I64, stackOverflow, toNixError, type EvalState } from '../state.js';
import {
  Lambda,
  NixAttrs,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  determinePos,
  mkString,
  typeOf,
  type Lazy,
  type Value,
} from '../value.js';
import type { Builtin } from './registry.js';

type Num = number | bigint | NixFloat;

/** CppNix's prim_add/sub/mul/div: floats if either operand is one, else integers. */
function arith(
  st: EvalState,
  name: string,
  what: string,
  intOp: (a: number | bigint, b: number | bigint) => number | bigint,
  floatOp: (a: number, b: number) => number,
): Builtin {
  const first = name === 'mul' ? `while evaluating the first of the ${what}` : `while evaluating the first argument of the ${what}`;
  const second = `while evaluating the second argument of the ${what}`;
  return {
    name,
    arity: 2,
    fn: ([a, b]) => {
      const x = forceValue(a!);
      const y = forceValue(b!);
      if (x instanceof NixFloat || y instanceof NixFloat) {
        return new NixFloat(floatOp(forceFloat(x, noPos, first), forceFloat(y, noPos, second)));
      }
      const i1 = forceInt(x, noPos, name === 'mul' ? `while evaluating the first argument of the ${what}` : first);
      const i2 = forceInt(y, noPos, second);
      return intOp(i1, i2);
    },
  };
}

function divide(): Builtin {
  return {
    name: 'div',
    arity: 2,
    fn: ([a, b]) => {
      const x: Value = forceValue(a!);
      const y: Value = forceValue(b!);
      const f2 = forceFloat(y, noPos, 'while evaluating the second operand of the division');
      if (f2 === 0) throw new NixError('eval', 'division by zero');
      if (x instanceof NixFloat || y instanceof NixFloat) {
        return new NixFloat(forceFloat(x, noPos, 'while evaluating the first operand of the division') / f2);
      }
      const i1 = forceInt(x, noPos, 'while evaluating the first operand of the division');
      const i2 = forceInt(y, noPos, 'while evaluating the second operand of the division');
      return I64.intDiv(i1, i2);
    },
  };
}

/**
 * CppNix's forceValueDeep. Every level counts against max-call-depth (with the other
 * calls in progress), and a stack overflow is reported at the value's position.
 */
export function deepForce(st: EvalState, x: Lazy): void {
  const seen = new Set<object>();
  const max = st.opts.maxCallDepth;
  const go = (x: Lazy): void => {
    if (st.callDepth > max) throw stackOverflow(determinePos(x));
    // Values with nothing inside need no depth of their own.
    if (!(x instanceof Thunk || x instanceof NixAttrs || Array.isArray(x))) return;
    st.callDepth++;
    try {
      const v = x instanceof Thunk ? (x.evaluated ? x.peek()! : x.force(determinePos(x))) : x;
      if (Array.isArray(v)) {
        if (seen.has(v)) return;
        seen.add(v);
        for (let i = 0; i < v.length; i++) {
          try {
            go(v[i]!);
          } catch (e) {
            throw toNixError(e).addTrace(noPos, `while evaluating list element at index ${i}`);
          }
        }
      } else if (v instanceof NixAttrs) {
        if (seen.has(v)) return;
        seen.add(v);
        const slots = st.symbols.slotsOf(v);
        const vals = v.vals;
        for (let j = 0; j < slots.length; j++) {
          const i = slots[j]!;
          try {
            go(vals[i]!);
          } catch (e) {
            throw toNixError(e).addTrace(v.posAt(i), `while evaluating the attribute '${v.layout.keys[i]!}'`);
          }
        }
      }
    } finally {
      st.callDepth--;
    }
  };
  go(x);
}

export function coreBuiltins(st: EvalState): Builtin[] {
  const isType = (name: string, t: string): Builtin => ({
    name,
    arity: 1,
    fn1: (x) => typeOf(forceValue(x!)) === t,
  });
  return [
    { name: 'typeOf', arity: 1, fn1: (x) => typeOf(forceValue(x!)) },
    isType('isInt', 'int'),
    isType('isFloat', 'float'),
    isType('isString', 'string'),
    isType('isBool', 'bool'),
    isType('isPath', 'path'),
    isType('isList', 'list'),
    isType('isAttrs', 'set'),
    { name: 'isNull', arity: 1, global: true, fn1: (x) => forceValue(x!) === null },
    {
      name: 'isFunction',
      arity: 1,
      fn1: (x) => {
        const v = forceValue(x!);
        return v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp;
      },
    },
    arith(st, 'add', 'addition', (a, b) => I64.intAdd(a, b), (a, b) => a + b),
    arith(st, 'sub', 'subtraction', (a, b) => I64.intSub(a, b), (a, b) => a - b),
    arith(st, 'mul', 'multiplication', (a, b) => I64.intMul(a, b), (a, b) => a * b),
    divide(),
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
      fn1: (x) => {
        const v = forceValue(x!);
        if (typeof v === 'number' || typeof v === 'bigint') return I64.intFloorCeil(v);
        return I64.floatToInt(forceFloat(v, noPos, 'while evaluating the first argument passed to builtins.ceil'), 'ceil');
      },
    },
    {
      name: 'floor',
      arity: 1,
      fn1: (x) => {
        const v = forceValue(x!);
        if (typeof v === 'number' || typeof v === 'bigint') return I64.intFloorCeil(v);
        return I64.floatToInt(forceFloat(v, noPos, 'while evaluating the first argument passed to builtins.floor'), 'floor');
      },
    },
    {
      name: 'throw',
      arity: 1,
      global: true,
      fn1: (x) => {
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
      fn1: (x) => {
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
      fn1: (x) => {
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
    { name: 'break', arity: 1, global: true, fn1: (x) => forceValue(x!) },
    {
      name: 'toString',
      arity: 1,
      global: true,
      fn1: (x) =>
        st.coerceString(x!, noPos, 'while evaluating the first argument passed to builtins.toString', true, false),
    },
    {
      name: 'functionArgs',
      arity: 1,
      fn1: (x) => {
        const v = forceValue(x!);
        if (v instanceof PrimOp || v instanceof PrimOpApp) return NixAttrs.empty;
        if (!(v instanceof Lambda)) throw new NixError('type', "'functionArgs' requires a function");
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
      fn1: (x) => {
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
      fn1: (x) => {
        const n = forceString(x!, noPos, 'while evaluating the first argument passed to builtins.getEnv');
        return st.opts.pureEval ? '' : (st.host.getEnv(n) ?? '');
      },
    },
    {
      name: 'toPath',
      arity: 1,
      fn1: (x) => {
        const r = st.coerceToPath(x!, noPos, 'while evaluating the first argument passed to builtins.toPath');
        return mkString(r.path, r.ctx);
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
