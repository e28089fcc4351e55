/**
 * Derivations: `derivationStrict`, the `derivation` wrapper, `placeholder`, `outputOf`.
 *
 * `derivationStrict` is the front half of instantiation; the back half (output paths,
 * hash modulo, the ATerm, the `.drv` path) is src/store's `instantiateDerivation`,
 * reached through `StoreBackend.instantiate`. The split follows what CppNix does
 * *during* the attribute loop versus after it, because that decides which errors carry
 * which trace: everything that evaluates an attribute or interprets a single attribute
 * (`outputs`, `outputHashMode`, `__contentAddressed` …) happens here, under
 * `while evaluating attribute 'X' of derivation 'N'`; checks that need the whole
 * derivation (missing `builder`, fixed outputs with several outputs …) happen in the
 * store, under only the `while evaluating derivation 'N'` frame — which CppNix prints
 * even when the trace is truncated, so users can find the package at fault.
 *
 * Attributes are processed in byte order of their names (CppNix's
 * `lexicographicOrder`), which is observable: it decides which error wins and in what
 * order warnings appear. Contexts of every coerced string are collected and become the
 * inputs: Opaque → input source, Built → that output of an input derivation, DrvDeep
 * (a `drvPath` interpolated) → the derivation's whole closure, each derivation in it
 * with all its outputs — the expansion CppNix does with `computeFSClosure`, which our
 * stores can do without writing anything because they remember what they computed.
 *
 * `derivation` itself is Nix code, as in CppNix: laziness is the point (reading
 * `drv.name` must not instantiate anything), and a wrapper written in Nix is lazy for
 * free. It is parsed once per EvalState from the text below. Its positions appear in
 * error traces as `«nix-internal»/derivation-internal.nix`, and the text is laid out
 * so that the two positions users see most (the `derivationStrict` call, line 36, and
 * the `outPath` selection, line 49) match CppNix's.
 */

import { NixError, noteHostStack } from '../../diag/diagnostic.js';
import { renderDiagnostic } from '../../diag/render.js';
import { noPos, toBinary, type PosIdx } from '../../lang/source.js';
import {
  checkDerivationName,
  checkOutputs,
  parseOutputHashMode,
  type DerivationSpec,
} from '../../store/derivation.js';
import { missingExperimentalFeature } from '../../store/errors.js';
import { hashPlaceholder } from '../../store/path.js';
import { forceBool, forceList, forceStringNoCtx, forceStringValue, forceValue, forceAttrs } from '../force.js';
import { valueToJSON } from '../json-out.js';
import type { EvalState } from '../state.js';
import { jsonString } from '../util/json.js';
import { NixAttrs, NixString, mkString, type Lazy, type Value } from '../value.js';
import { builtCtx, drvDeepCtx, parseContextElem } from './context.js';
import type { Builtin } from './registry.js';

/** Is an experimental feature switched on (`--option experimental-features …`)? */
export function xpEnabled(st: EvalState, feature: string): boolean {
  for (const k of ['experimental-features', 'extra-experimental-features']) {
    const v = st.opts.settings.get(k);
    if (v !== undefined && v.split(/\s+/).includes(feature)) return true;
  }
  return false;
}

function requireXp(st: EvalState, feature: string, reason?: string): void {
  if (!xpEnabled(st, feature)) throw missingExperimentalFeature(feature, reason);
}

/** CppNix `tokenizeString` with its default separators. */
function tokenize(s: string): string[] {
  return s.split(/[ \t\n\r]+/).filter((t) => t !== '');
}

/** Attributes that structured attrs turn into per-output checks (CppNix warns). */
const structuredOnlyChecks = new Set([
  'allowedReferences',
  'allowedRequisites',
  'disallowedReferences',
  'disallowedRequisites',
  'maxSize',
  'maxClosureSize',
]);

/** A warning rendered as CppNix's `logWarning` renders one: position and trace. */
function warnAt(st: EvalState, message: string, pos: PosIdx, trace: string): void {
  const e = new NixError('eval', message, pos).addTrace(noPos, trace);
  st.host.stderr(renderDiagnostic(st.table, e.diag, { showTrace: st.opts.showTrace, level: 'warning' }));
}

function plainWarn(st: EvalState): (msg: string) => void {
  return (msg) => st.host.stderr(`warning: ${msg}\n`);
}

export function derivationStrict(st: EvalState, arg: Lazy): Value {
  const attrs = forceAttrs(arg, noPos, 'while evaluating the argument passed to builtins.derivationStrict');
  const nameV = attrs.get('name');
  if (nameV === undefined)
    throw new NixError('eval', "attribute 'name' missing").addTrace(
      noPos,
      'in the attrset passed as argument to builtins.derivationStrict',
    );
  const namePos = attrs.posOf('name');
  let drvName: string;
  try {
    drvName = forceStringNoCtx(nameV, noPos, 'while evaluating the `name` attribute passed to builtins.derivationStrict');
  } catch (e) {
    if (e instanceof NixError) e.addTrace(namePos, "while evaluating the derivation attribute 'name'");
    throw e;
  }
  try {
    return derivationStrictInternal(st, drvName, attrs);
  } catch (e) {
    if (e instanceof NixError)
      // No snippet (the name's position is a hint, not the culprit), and printed even
      // in a truncated trace.
      e.addTrace(
        noPos,
        `while evaluating derivation '${drvName}'\n  whose name attribute is located at ${st.showPos(namePos)}`,
        true,
      );
    throw e;
  }
}

function derivationStrictInternal(st: EvalState, drvName: string, attrs: NixAttrs): Value {
  checkDerivationName(drvName);
  const store = st.store;

  const saV = attrs.get('__structuredAttrs');
  const structured =
    saV !== undefined &&
    forceBool(saV, noPos, 'while evaluating the `__structuredAttrs` attribute passed to builtins.derivationStrict');
  const inV = attrs.get('__ignoreNulls');
  const ignoreNulls =
    inV !== undefined &&
    forceBool(inV, noPos, 'while evaluating the `__ignoreNulls` attribute passed to builtins.derivationStrict');

  const context = new Set<string>();
  const addCtx = (c: ReadonlySet<string> | undefined) => {
    if (c) for (const x of c) context.add(x);
  };
  const env = new Map<string, string>();
  const args: string[] = [];
  const json: string[] = [];
  let builder = '';
  let system = '';
  let outputs: string[] | undefined;
  let outputHash: string | undefined;
  let outputHashAlgo: string | undefined;
  let outputHashMode: string | undefined;
  let contentAddressed = false;
  let impure = false;
  const features = new Set(
    ['dynamic-derivations', 'git-hashing'].filter((f) => xpEnabled(st, f)),
  );
  const handleOutputs = (names: string[]) => {
    checkOutputs(names);
    outputs = names;
  };
  const handleHashMode = (s: string) => {
    parseOutputHashMode(s, drvName, features);
    outputHashMode = s;
  };

  for (const key of attrs.keys()) {
    if (key === '__ignoreNulls') continue;
    const v = attrs.get(key)!;
    try {
      if (ignoreNulls && forceValue(v) === null) continue;
      switch (key) {
        case '__contentAddressed':
          if (forceBool(v, noPos, '')) {
            contentAddressed = true;
            requireXp(st, 'ca-derivations');
          }
          continue;
        case '__impure':
          if (forceBool(v, noPos, '')) {
            impure = true;
            requireXp(st, 'impure-derivations');
          }
          continue;
        case 'args': {
          const list = forceList(v, noPos, '');
          for (const e of list) {
            const r = st.coerceToString(e, noPos, 'while evaluating an element of the argument list', {
              coerceMore: true,
              copyToStore: true,
            });
            addCtx(r.ctx);
            args.push(r.s);
          }
          continue;
        }
      }
      if (structured) {
        if (key === '__structuredAttrs') continue;
        json.push(jsonString(key) + ':' + valueToJSON(st, v, true, context));
        switch (key) {
          case 'builder': {
            const s = forceStringValue(v, noPos, '');
            if (s instanceof NixString) addCtx(s.ctx);
            builder = typeof s === 'string' ? s : s.s;
            break;
          }
          case 'system':
            system = forceStringNoCtx(v, noPos, '');
            break;
          case 'outputHash':
            outputHash = forceStringNoCtx(v, noPos, '');
            break;
          case 'outputHashAlgo':
            outputHashAlgo = forceStringNoCtx(v, noPos, '');
            break;
          case 'outputHashMode':
            handleHashMode(forceStringNoCtx(v, noPos, ''));
            break;
          case 'outputs':
            handleOutputs(forceList(v, noPos, '').map((e) => forceStringNoCtx(e, noPos, '')));
            break;
        }
        if (structuredOnlyChecks.has(key))
          warnAt(
            st,
            `'structuredAttrs' disables the effect of the derivation attribute '${key}'; use 'outputChecks.<output>.${key}' instead`,
            attrs.posOf(key),
            `while evaluating derivation '${drvName}'`,
          );
      } else {
        const r = st.coerceToString(v, noPos, '', { coerceMore: true, copyToStore: true });
        addCtx(r.ctx);
        const s = r.s;
        env.set(key, s);
        switch (key) {
          case 'builder':
            builder = s;
            break;
          case 'system':
            system = s;
            break;
          case 'outputHash':
            outputHash = s;
            break;
          case 'outputHashAlgo':
            outputHashAlgo = s;
            break;
          case 'outputHashMode':
            handleHashMode(s);
            break;
          case 'outputs':
            handleOutputs(tokenize(s));
            break;
        }
      }
    } catch (e) {
      if (e instanceof NixError) e.addTrace(attrs.posOf(key), `while evaluating attribute '${key}' of derivation '${drvName}'`);
      throw e;
    }
  }

  // Contexts → inputs.
  const inputDrvs = new Map<string, Set<string>>();
  const inputSrcs = new Set<string>();
  const addInputDrv = (p: string, outs: Iterable<string>) => {
    let s = inputDrvs.get(p);
    if (!s) inputDrvs.set(p, (s = new Set()));
    for (const o of outs) s.add(o);
  };
  for (const c of context) {
    const e = parseContextElem(c);
    if (e.kind === 'opaque') inputSrcs.add(e.path);
    else if (e.kind === 'built') addInputDrv(e.drvPath, [e.output]);
    else {
      for (const p of store.closure([e.drvPath])) {
        inputSrcs.add(p);
        if (p.endsWith('.drv')) addInputDrv(p, store.derivationOutputs(p).keys());
      }
    }
  }

  const spec: DerivationSpec = {
    name: drvName,
    system,
    builder,
    args,
    env,
    inputDrvs,
    inputSrcs,
    ...(outputs ? { outputs } : {}),
    ...(outputHash !== undefined ? { outputHash } : {}),
    ...(outputHashAlgo !== undefined ? { outputHashAlgo } : {}),
    ...(outputHashMode !== undefined ? { outputHashMode } : {}),
    ...(contentAddressed ? { contentAddressed } : {}),
    ...(impure ? { impure } : {}),
    ...(structured ? { structuredAttrsJson: '{' + json.join(',') + '}' } : {}),
  };
  const res = store.instantiate(spec, plainWarn(st));

  const m = new Map<string, Lazy>();
  m.set('drvPath', new NixString(res.drvPath, new Set([drvDeepCtx(res.drvPath)])));
  for (const [name, path] of res.outputs) {
    const s = path ?? store.downstreamPlaceholder(res.drvPath, name);
    m.set(name, new NixString(s, new Set([builtCtx(res.drvPath, name)])));
  }
  return new NixAttrs(m);
}

// The `derivation` wrapper. Line numbers matter (see the essay above).
const derivationNix = `# tsnix: the \`derivation\` builtin, a lazy wrapper around \`derivationStrict\`.
#
# \`derivationStrict\` evaluates every attribute and instantiates the store
# derivation. This wrapper returns at once, forcing nothing: reading
# \`drv.name\` or \`drv.meta\` never instantiates, and the first path asked
# for instantiates once for all outputs (\`strict\` is shared).
#
# There is one attribute set per output, all sharing the caller's attributes:
#
#   outPath     that output's path, with a built-output context
#   drvPath     the .drv path, with a whole-closure context
#   type        "derivation": what makes the set a derivation to
#               nix-instantiate, to \`==\` and to the printers
#   outputName  the output the set stands for
#   all         every output's set, in \`outputs\` order
#   drvAttrs    the attributes as passed
#
# and one attribute per output name, so that \`drv.dev.out\` works. The result
# is the first output's set.
#
# Error traces show positions in this text; keep the \`derivationStrict\`
# call on line 36 and the \`outPath\` selection on line 49, where users of
# other Nix implementations expect them.
#
#
#
#
#
#
drvAttrs@{
  outputs ? [ "out" ],
  ...
}:
let

  strict = derivationStrict drvAttrs;

  outputsList = map outputToAttrListElement outputs;
  # Shared by all outputs' sets.
  commonAttrs =
    drvAttrs // builtins.listToAttrs outputsList // {
      all = map (o: o.value) outputsList;
      inherit drvAttrs;
    };
  # { name; value; } so that listToAttrs can name each output's set.
  outputToAttrListElement = outputName: {
    name = outputName;
    value = commonAttrs // {
      outPath = strict.\${outputName};
      drvPath = strict.drvPath;
      type = "derivation";
      inherit outputName;
    };
  };
in
(builtins.head outputsList).value
`;

export const derivationOrigin = { kind: 'file' as const, path: toBinary('«nix-internal»/derivation-internal.nix') };

export function derivationBuiltins(st: EvalState): Builtin[] {
  let derivationFn: Value | undefined;
  return [
    { name: 'derivationStrict', arity: 1, global: true, fn1: (a) => derivationStrict(st, a!) },
    {
      name: 'derivation',
      global: true,
      value: () => (derivationFn ??= st.evalExpr(st.parseString(derivationNix, '/', derivationOrigin))),
    },
    {
      name: 'placeholder',
      arity: 1,
      global: true,
      fn1: (o) => hashPlaceholder(forceStringNoCtx(o!, noPos, 'while evaluating the first argument passed to builtins.placeholder')),
    },
    {
      name: 'outputOf',
      arity: 2,
      fn: ([d, o]) => {
        requireXp(st, 'dynamic-derivations');
        const ctxMsg = 'while evaluating the first argument to builtins.outputOf';
        const v = forceStringValue(d!, noPos, ctxMsg);
        const s = typeof v === 'string' ? v : v.s;
        const ctx = typeof v === 'string' ? [] : [...v.ctx];
        if (ctx.length !== 1)
          throw new NixError(
            'eval',
            `string '${s}' has ${ctx.length} entries in its context. It should only have exactly one entry`,
          ).addTrace(noPos, ctxMsg);
        const e = parseContextElem(ctx[0]!);
        if (e.kind === 'drvDeep')
          throw new NixError(
            'eval',
            `string '${s}' has a context which refers to a complete source and binary closure. This is not supported at this time`,
          ).addTrace(noPos, ctxMsg);
        if (e.kind === 'built')
          throw new NixError('eval', `outputs of derivations produced by derivations ('${s}') are not supported by tsnix`);
        if (s !== e.path)
          throw new NixError('eval', `path string '${s}' has context with the different path '${e.path}'`).addTrace(noPos, ctxMsg);
        const output = forceStringNoCtx(o!, noPos, 'while evaluating the second argument to builtins.outputOf');
        let path: string | undefined;
        try {
          path = st.store.derivationOutputs(e.path).get(output);
        } catch (err) {
          noteHostStack(err);
          // Not a derivation this store knows: only the placeholder can stand for it.
          path = undefined;
        }
        return mkString(path ?? st.store.downstreamPlaceholder(e.path, output), new Set([builtCtx(e.path, output)]));
      },
    },
  ];
}
