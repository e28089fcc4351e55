/**
 * Derivations: the data type, its ATerm form, and the hashes that name its outputs.
 *
 * A `.drv` file is an ATerm:
 *
 *     Derive([(out,path,methodAlgo,hash)…],[(drvPath,[outputs…])…],[srcs…],
 *            platform,builder,[args…],[(name,value)…])
 *
 * with outputs, input derivations (and each one's output names), sources and the
 * environment in sorted order — they are `std::map`/`std::set`s in CppNix, so the
 * order is byte order, which for our byte strings is plain JS string order. Only the
 * builder, the arguments and the environment are escaped (`\" \\ \n \r \t`); output
 * names, paths, hash fields and even the platform are printed raw, exactly as CppNix
 * does (`aterm.cc`), so a `system` containing a quote yields an unparseable `.drv` in
 * both implementations.
 *
 * Output paths of an input-addressed derivation cannot depend on themselves, so they
 * come from a *masked* copy: every output path blanked, every env var named after an
 * output blanked, and every input derivation path replaced by that input's "hash
 * modulo" (hex). `sha256` of that ATerm is the derivation hash;
 * `output:<id>` + that hash gives each output path (CppNix `modulo.cc`, formerly
 * `hashDerivationModulo`). An input's hash modulo is the SHA-256 of its own ATerm with
 * its input drvs replaced recursively — except that a fixed-output input contributes
 * `sha256("fixed:out:<method><algo>:<hex>:<outPath>")` under the single output `out`,
 * so that changing *how* a tarball is fetched does not rebuild everything
 * downstream. Hashes are memoised per `.drv` path in a `DerivationHasher`; the store
 * owns one and pre-seeds it for every derivation it instantiates (as CppNix does, which
 * is what makes this work in read-only mode where inputs are never written).
 *
 * The `.drv` path itself is a `text:` path over the final ATerm whose references are
 * the input sources and input derivation paths.
 *
 * `instantiateDerivation` is the back half of `derivationStrict`: the evaluator turns
 * the attribute set into strings (coercion, contexts, `__structuredAttrs` JSON, the
 * `outputs` list) and hands them over as a `DerivationSpec`; this module validates
 * what CppNix validates after the attribute loop, fills in output paths and returns the
 * finished derivation, its `.drv` path and output paths. The helpers CppNix runs
 * *during* the attribute loop (name check, `outputs`, `outputHashMode`) are exported
 * separately so the evaluator can call them where CppNix would, with the attribute's
 * position in the trace.
 */

import { BadStorePathName, FormatError, missingExperimentalFeature, StoreError, type WarnFn } from './errors.js';
import {
  Hash,
  hashString,
  newHashAllowEmpty,
  parseHashAlgoOpt,
  parseHashAlgo,
  parseHashUnprefixed,
  type HashAlgo,
} from './hash.js';
import {
  checkName,
  drvExtension,
  hashPlaceholder,
  outputPathName,
  parseMethodAlgo,
  printMethodAlgo,
  StoreDir,
  type ContentAddressMethod,
} from './path.js';

/* ------------------------------------------------------------------------------------
 * The data type
 * ---------------------------------------------------------------------------------- */

export type DerivationOutput =
  /** Path known from the derivation hash (ordinary derivations). */
  | { type: 'inputAddressed'; path: string }
  /** Content-addressed with a known hash: path computed from it (fetchers). */
  | { type: 'fixed'; method: ContentAddressMethod; hash: Hash }
  /** Content-addressed, hash known only after building (`__contentAddressed`). */
  | { type: 'floating'; method: ContentAddressMethod; hashAlgo: HashAlgo }
  /** Input-addressed but not yet known (depends on a floating derivation). */
  | { type: 'deferred' }
  | { type: 'impure'; method: ContentAddressMethod; hashAlgo: HashAlgo };

export interface Derivation {
  /** The name without `.drv` (not stored in the ATerm; from `name` or the drv path). */
  name: string;
  outputs: Map<string, DerivationOutput>;
  /** Input derivation path → the outputs of it that are needed. */
  inputDrvs: Map<string, Set<string>>;
  inputSrcs: Set<string>;
  platform: string;
  builder: string;
  args: string[];
  /** Includes `__json` for structured attrs (kept verbatim). */
  env: Map<string, string>;
}

export type DerivationKind =
  | { kind: 'inputAddressed'; deferred: boolean }
  | { kind: 'contentAddressed'; fixed: boolean }
  | { kind: 'impure' };

/** CppNix `derivation::type`: all outputs must agree on their kind. */
export function derivationKind(drv: Derivation): DerivationKind {
  let key: string | undefined;
  let floatingAlgo: HashAlgo | undefined;
  const decide = (k: string): void => {
    if (key === undefined) key = k;
    else if (key !== k) throw new StoreError("can't mix derivation output types");
    else if (k === 'fixed') throw new StoreError('only one fixed output is allowed for now');
  };
  for (const [name, o] of sortedEntries(drv.outputs)) {
    decide(o.type);
    if (o.type === 'fixed' && name !== 'out') throw new StoreError('single fixed output must be named "out"');
    if (o.type === 'floating') {
      if (floatingAlgo === undefined) floatingAlgo = o.hashAlgo;
      else if (floatingAlgo !== o.hashAlgo)
        throw new StoreError('all floating outputs must use the same hash algorithm');
    }
  }
  switch (key) {
    case undefined:
      throw new StoreError('must have at least one output');
    case 'inputAddressed':
    case 'deferred':
      return { kind: 'inputAddressed', deferred: key === 'deferred' };
    case 'fixed':
    case 'floating':
      return { kind: 'contentAddressed', fixed: key === 'fixed' };
    default:
      return { kind: 'impure' };
  }
}

/** The path of a fixed output (a function of its content address and name). */
export function fixedOutputPath(
  storeDir: StoreDir,
  drvName: string,
  outputName: string,
  o: { method: ContentAddressMethod; hash: Hash },
): string {
  return storeDir.makeFixedOutputPathFromCA(outputPathName(drvName, outputName), o);
}

/** Output name → path, `undefined` where the path is not known before building. */
export function outputPaths(drv: Derivation, storeDir: StoreDir): Map<string, string | undefined> {
  const res = new Map<string, string | undefined>();
  for (const [name, o] of sortedEntries(drv.outputs)) {
    if (o.type === 'inputAddressed') res.set(name, o.path);
    else if (o.type === 'fixed') res.set(name, fixedOutputPath(storeDir, drv.name, name, o));
    else res.set(name, undefined);
  }
  return res;
}

/* ------------------------------------------------------------------------------------
 * ATerm printing
 * ---------------------------------------------------------------------------------- */

// eslint-disable-next-line no-control-regex
const needsEscape = /["\\\n\r\t]/;
// eslint-disable-next-line no-control-regex
const escapeRe = /["\\\n\r\t]/g;
const escapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function quote(s: string): string {
  return needsEscape.test(s) ? '"' + s.replace(escapeRe, (c) => escapes[c]!) + '"' : '"' + s + '"';
}

function quoteRaw(s: string): string {
  return '"' + s + '"';
}

function sortedEntries<V>(m: Map<string, V>): [string, V][] {
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function sortedValues(s: Iterable<string>): string[] {
  return [...new Set(s)].sort();
}

/** One output row's three fields after the name. */
type OutputFields = [path: string, methodAlgo: string, hash: string];

function outputFields(storeDir: StoreDir, drvName: string, name: string, o: DerivationOutput): OutputFields {
  switch (o.type) {
    case 'inputAddressed':
      return [o.path, '', ''];
    case 'fixed':
      return [
        fixedOutputPath(storeDir, drvName, name, o),
        printMethodAlgo(o.method, o.hash.algo),
        o.hash.toString('base16'),
      ];
    case 'floating':
      return ['', printMethodAlgo(o.method, o.hashAlgo), ''];
    case 'deferred':
      return ['', '', ''];
    case 'impure':
      return ['', printMethodAlgo(o.method, o.hashAlgo), 'impure'];
  }
}

/**
 * Quoted environment rows, memoised per env map. A derivation's ATerm is printed three
 * times while instantiating it (masked, as an input, final) and the environment — with
 * its multi-kilobyte build scripts — is most of the text, so each row is quoted once
 * and reused while its value is unchanged. Sorted key lists are reused while the key
 * set is the same.
 */
interface EnvMemo {
  keys: string[];
  rows: Map<string, { v: string; row: string }>;
}
const envMemo = new WeakMap<ReadonlyMap<string, string>, EnvMemo>();

function sortedEnvKeys(env: ReadonlyMap<string, string>, memo: EnvMemo): string[] {
  const k = memo.keys;
  if (k.length === env.size && k.every((x) => env.has(x))) return k;
  return (memo.keys = [...env.keys()].sort());
}

/** `[(k,v),…]` for `env`, with the variables in `blank` printed as `""`. */
function renderEnv(env: ReadonlyMap<string, string>, blank?: ReadonlyMap<string, unknown>): string {
  let memo = envMemo.get(env);
  if (!memo) envMemo.set(env, (memo = { keys: [], rows: new Map() }));
  const rows: string[] = [];
  for (const k of sortedEnvKeys(env, memo)) {
    const v = blank?.has(k) ? '' : env.get(k)!;
    let r = memo.rows.get(k);
    if (!r || r.v !== v) memo.rows.set(k, (r = { v, row: '(' + quote(k) + ',' + quote(v) + ')' }));
    rows.push(r.row);
  }
  return '[' + rows.join(',') + ']';
}

/** The generic printer: the modulo forms substitute hex hashes for input drv paths and
 * blank output fields, so those parts come in pre-digested. */
function printATerm(
  outputs: [string, OutputFields][],
  inputDrvs: [string, Iterable<string>][],
  inputSrcs: string[],
  drv: Derivation,
  env: string,
): string {
  let s = 'Derive([';
  s += outputs
    .map(([name, [p, m, h]]) => '(' + quoteRaw(name) + ',' + quoteRaw(p) + ',' + quoteRaw(m) + ',' + quoteRaw(h) + ')')
    .join(',');
  s += '],[';
  s += inputDrvs
    .map(([key, outs]) => '(' + quoteRaw(key) + ',[' + sortedValues(outs).map(quoteRaw).join(',') + '])')
    .join(',');
  s += '],[' + inputSrcs.map(quoteRaw).join(',') + ']';
  s += ',' + quoteRaw(drv.platform);
  s += ',' + quote(drv.builder);
  s += ',[' + drv.args.map(quote).join(',') + ']';
  s += ',' + env + ')';
  return s;
}

/** The ATerm text of a derivation, as written to its `.drv` file. */
export function unparseDerivation(drv: Derivation, storeDir: StoreDir): string {
  const outs = sortedEntries(drv.outputs).map(
    ([name, o]) => [name, outputFields(storeDir, drv.name, name, o)] as [string, OutputFields],
  );
  return printATerm(outs, sortedEntries(drv.inputDrvs), sortedValues(drv.inputSrcs), drv, renderEnv(drv.env));
}

/* ------------------------------------------------------------------------------------
 * ATerm parsing
 * ---------------------------------------------------------------------------------- */

class ATermReader {
  pos = 0;
  constructor(readonly s: string) {}

  expect(t: string): void {
    if (!this.s.startsWith(t, this.pos)) throw new FormatError(`expected string '${t}'`);
    this.pos += t.length;
  }

  /** `,` continues a list, `]` ends it. */
  endOfList(): boolean {
    const c = this.s[this.pos];
    if (c === ',') {
      this.pos++;
      return false;
    }
    if (c === ']') {
      this.pos++;
      return true;
    }
    return false;
  }

  string(): string {
    this.expect('"');
    const s = this.s;
    let out = '';
    let start = this.pos;
    for (let i = this.pos; i < s.length; i++) {
      const c = s[i];
      if (c === '"') {
        this.pos = i + 1;
        return out + s.slice(start, i);
      }
      if (c === '\\') {
        if (i + 1 >= s.length) break;
        out += s.slice(start, i);
        const e = s[i + 1]!;
        out += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
        i++;
        start = i + 1;
      }
    }
    throw new FormatError('unterminated string in derivation');
  }

  strings(): string[] {
    const res: string[] = [];
    this.expect('[');
    while (!this.endOfList()) res.push(this.string());
    return res;
  }
}

/** Name of a derivation from its `.drv` path (`<hash>-<name>.drv`). */
export function derivationNameFromPath(storeDir: StoreDir, drvPath: string): string {
  const name = storeDir.parseStorePath(drvPath).name;
  if (!name.endsWith(drvExtension))
    throw new FormatError(`store path '${drvPath}' is not a valid derivation path`);
  return name.slice(0, -drvExtension.length);
}

function parseCanonicalStorePath(storeDir: StoreDir, p: string): string {
  if (!p.startsWith(storeDir.storeDir + '/'))
    throw new StoreError(`path '${p}' is not in the Nix store`, 'store/bad-store-path');
  storeDir.parseStorePath(p);
  return p;
}

/** Parse a `.drv` file. `name` is the derivation name (see `derivationNameFromPath`). */
export function parseDerivation(text: string, name: string, storeDir: StoreDir): Derivation {
  const r = new ATermReader(text);
  r.expect('D');
  if (text.startsWith('rvWithVersion(', r.pos)) {
    r.expect('rvWithVersion(');
    const version = r.string();
    if (version === 'xp-dyn-drv')
      throw missingExperimentalFeature(
        'dynamic-derivations',
        `derivation '${name}', ATerm format version 'xp-dyn-drv'`,
      );
    throw new FormatError(`Unknown derivation ATerm format version '${version}'`);
  }
  if (!text.startsWith('erive(', r.pos))
    throw new StoreError("derivation does not start with 'Derive' or 'DrvWithVersion'");
  r.expect('erive(');

  const drv: Derivation = {
    name,
    outputs: new Map(),
    inputDrvs: new Map(),
    inputSrcs: new Set(),
    platform: '',
    builder: '',
    args: [],
    env: new Map(),
  };

  r.expect('[');
  while (!r.endOfList()) {
    r.expect('(');
    const id = r.string();
    r.expect(',');
    const pathS = r.string();
    r.expect(',');
    const methodAlgo = r.string();
    r.expect(',');
    const hashS = r.string();
    r.expect(')');
    drv.outputs.set(id, parseOutput(storeDir, name, id, pathS, methodAlgo, hashS));
  }

  r.expect(',[');
  while (!r.endOfList()) {
    r.expect('(');
    const drvPath = parseCanonicalStorePath(storeDir, r.string());
    r.expect(',');
    const outs = r.strings();
    if (outs.length === 0) throw new FormatError(`inputDrvs entry for '${drvPath}' specifies no outputs`);
    drv.inputDrvs.set(drvPath, new Set(outs));
    r.expect(')');
  }

  r.expect(',');
  for (const p of r.strings()) drv.inputSrcs.add(parseCanonicalStorePath(storeDir, p));
  r.expect(',');
  drv.platform = r.string();
  r.expect(',');
  drv.builder = r.string();
  r.expect(',');
  drv.args = r.strings();
  r.expect(',[');
  while (!r.endOfList()) {
    r.expect('(');
    const k = r.string();
    r.expect(',');
    const v = r.string();
    r.expect(')');
    drv.env.set(k, v);
  }
  r.expect(')');
  return drv;
}

function parseOutput(
  storeDir: StoreDir,
  drvName: string,
  outputName: string,
  pathS: string,
  methodAlgo: string,
  hashS: string,
): DerivationOutput {
  if (methodAlgo !== '') {
    const { method, algo: algoS } = parseMethodAlgo(methodAlgo);
    if (method === 'text') throw missingExperimentalFeature('dynamic-derivations', 'text-hashed derivation output');
    const algo = parseHashAlgo(algoS);
    if (hashS === 'impure') {
      if (pathS !== '') throw new FormatError('impure derivation output should not specify output path');
      return { type: 'impure', method, hashAlgo: algo };
    }
    if (hashS !== '') {
      parseCanonicalStorePath(storeDir, pathS);
      const o: DerivationOutput = { type: 'fixed', method, hash: parseHashUnprefixed(hashS, algo) };
      if (pathS !== fixedOutputPath(storeDir, drvName, outputName, o))
        throw new FormatError(
          `derivation output '${outputName}' has path '${pathS}', which does not match its content address`,
        );
      return o;
    }
    if (pathS !== '') throw new FormatError('content-addressing derivation output should not specify output path');
    return { type: 'floating', method, hashAlgo: algo };
  }
  if (pathS === '') return { type: 'deferred' };
  return { type: 'inputAddressed', path: parseCanonicalStorePath(storeDir, pathS) };
}

/* ------------------------------------------------------------------------------------
 * Hash modulo
 * ---------------------------------------------------------------------------------- */

export type HashModulo =
  /** An ordinary derivation: stands in for its path in dependents' masked ATerms. */
  | { kind: 'drvHash'; hash: Hash }
  /** A fixed-output derivation: one hash per output, each standing in as `out`. */
  | { kind: 'caOutputHashes'; hashes: Map<string, Hash> }
  /** Depends on something whose outputs are unknown before building. */
  | { kind: 'deferred' };

/**
 * Computes and memoises hashes modulo. `readDerivation` is called for input
 * derivations the hasher has not seen (the store reads them from disk or memory).
 */
export class DerivationHasher {
  private readonly memo = new Map<string, HashModulo>();

  constructor(
    readonly storeDir: StoreDir,
    private readonly readDerivation: (drvPath: string) => Derivation,
  ) {}

  /** Record a known result (the store does this for every derivation it creates). */
  remember(drvPath: string, h: HashModulo): void {
    this.memo.set(drvPath, h);
  }

  /** The hash modulo of the derivation at `drvPath`, memoised. */
  pathInputModulo(drvPath: string): HashModulo {
    let h = this.memo.get(drvPath);
    if (!h) {
      h = this.hashInput(this.readDerivation(drvPath));
      this.memo.set(drvPath, h);
    }
    return h;
  }

  /**
   * CppNix `hashInput`: what a derivation contributes when it is an *input* of another
   * (outputs not masked — they are already filled in).
   */
  hashInput(drv: Derivation): HashModulo {
    const kind = derivationKind(drv);
    if (kind.kind === 'contentAddressed' && kind.fixed) {
      const hashes = new Map<string, Hash>();
      for (const [name, o] of sortedEntries(drv.outputs)) {
        if (o.type !== 'fixed') continue;
        const path = fixedOutputPath(this.storeDir, drv.name, name, o);
        const methodAlgo = printMethodAlgo(o.method, o.hash.algo);
        hashes.set(name, hashString('sha256', `fixed:out:${methodAlgo}:${o.hash.toString('base16')}:${path}`));
      }
      return { kind: 'caOutputHashes', hashes };
    }
    for (const o of drv.outputs.values()) if (o.type !== 'inputAddressed') return { kind: 'deferred' };
    const outs = sortedEntries(drv.outputs).map(
      ([name, o]) => [name, outputFields(this.storeDir, drv.name, name, o)] as [string, OutputFields],
    );
    const text = this.unparseWithInputHashes(drv, outs, renderEnv(drv.env));
    return text === undefined ? { kind: 'deferred' } : { kind: 'drvHash', hash: hashString('sha256', text) };
  }

  /** Input derivation paths replaced by their hashes modulo (CppNix `derivationModulo`). */
  private unparseWithInputHashes(drv: Derivation, outs: [string, OutputFields][], env: string): string | undefined {
    const inputs = new Map<string, Set<string>>();
    const add = (key: string, names: Iterable<string>): void => {
      let s = inputs.get(key);
      if (!s) inputs.set(key, (s = new Set()));
      for (const n of names) s.add(n);
    };
    for (const [drvPath, names] of drv.inputDrvs) {
      const h = this.pathInputModulo(drvPath);
      if (h.kind === 'deferred') return undefined;
      if (h.kind === 'drvHash') add(h.hash.toString('base16'), names);
      else
        for (const name of names) {
          const oh = h.hashes.get(name);
          if (!oh) throw new StoreError(`no hash for output '${name}' of derivation '${drv.name}'`);
          add(oh.toString('base16'), ['out']);
        }
    }
    return printATerm(outs, sortedEntries(inputs), sortedValues(drv.inputSrcs), drv, env);
  }

  /**
   * CppNix `unparseModulo`: the masked ATerm (outputs and their env vars blanked) from
   * which an input-addressed derivation's own output paths are computed; `undefined`
   * if some input is deferred.
   */
  unparseModulo(drv: Derivation): string | undefined {
    const outs: [string, OutputFields][] = [];
    for (const [name, o] of sortedEntries(drv.outputs)) {
      if (o.type !== 'inputAddressed' && o.type !== 'deferred')
        throw new StoreError('hash: unexpected output type, these derivation types are not input addressed');
      outs.push([name, ['', '', '']]);
    }
    return this.unparseWithInputHashes(drv, outs, renderEnv(drv.env, drv.outputs));
  }

  /** SHA-256 of `unparseModulo` — the hash in every input-addressed output path. */
  hashModulo(drv: Derivation): Hash | undefined {
    const t = this.unparseModulo(drv);
    return t === undefined ? undefined : hashString('sha256', t);
  }

  /**
   * CppNix `fillInOutputPaths`: give deferred outputs their input-addressed paths and
   * fill in empty or missing output env vars; fixed outputs get their env var too.
   * Mutates `drv`.
   */
  fillInOutputPaths(drv: Derivation): void {
    derivationKind(drv); // throws on invalid output combinations, before hashing
    let memo: { h: Hash | undefined } | undefined;
    const drvHash = (): Hash | undefined => (memo ??= { h: this.hashModulo(drv) }).h;
    const envHasRightPath = (outputName: string, actual: string, isDeferred: boolean): void => {
      const cur = drv.env.get(outputName);
      if (cur === undefined || cur === '') drv.env.set(outputName, actual);
      else if (cur !== actual) {
        if (isDeferred) drv.env.set(outputName, actual);
        else
          throw new StoreError(
            `derivation has incorrect environment variable '${outputName}', ` +
              `should be '${actual}' but is actually '${cur}'`,
          );
      }
    };
    for (const [name, o] of sortedEntries(drv.outputs)) {
      if (o.type === 'inputAddressed' || o.type === 'deferred') {
        const h = drvHash();
        if (!h) {
          if (o.type === 'inputAddressed')
            throw new StoreError(`derivation has incorrect output '${o.path}', should be deferred`);
          continue;
        }
        const outPath = this.storeDir.makeOutputPath(name, h, drv.name);
        if (o.type === 'inputAddressed') {
          if (o.path !== outPath)
            throw new StoreError(`derivation has incorrect output '${o.path}', should be '${outPath}'`);
          envHasRightPath(name, outPath, false);
        } else {
          drv.outputs.set(name, { type: 'inputAddressed', path: outPath });
          envHasRightPath(name, outPath, true);
        }
      } else if (o.type === 'fixed') {
        envHasRightPath(name, fixedOutputPath(this.storeDir, drv.name, name, o), false);
      }
    }
  }
}

/** The `.drv` path and file contents of a finished derivation (CppNix
 * `computeStorePath` / `infoForDerivation`). */
export function derivationPath(
  drv: Derivation,
  storeDir: StoreDir,
): { path: string; text: string; references: string[] } {
  const text = unparseDerivation(drv, storeDir);
  const references = storeDir.sortedPaths([...drv.inputSrcs, ...drv.inputDrvs.keys()]);
  return { path: storeDir.makeTextPath(drv.name + drvExtension, text, references), text, references };
}

/* ------------------------------------------------------------------------------------
 * derivationStrict support
 * ---------------------------------------------------------------------------------- */

/** CppNix `checkDerivationName`, run before any attribute is evaluated. */
export function checkDerivationName(name: string): void {
  try {
    checkName(name);
  } catch (e) {
    if (e instanceof BadStorePathName)
      throw new StoreError(`invalid derivation name: ${e.message}. Please pass a different 'name'.`, 'eval/drv-name');
    throw e;
  }
}

/** CppNix `handleOutputs`: validates the `outputs` attribute (already split into names). */
export function checkOutputs(outputs: readonly string[]): void {
  const seen = new Set<string>();
  for (const o of outputs) {
    if (seen.has(o)) throw new StoreError(`duplicate derivation output '${o}'`);
    if (o === 'drvPath') throw new StoreError("invalid derivation output name 'drvPath'");
    seen.add(o);
  }
  if (seen.size === 0) throw new StoreError('derivation cannot have an empty set of outputs');
}

/** `outputHashMode` to a method, without feature gating (`"recursive"` is the old
 * name of `"nar"`). */
export function parseContentAddressMethod(s: string): ContentAddressMethod {
  if (s === 'recursive' || s === 'nar') return 'nar';
  if (s === 'flat' || s === 'text' || s === 'git') return s;
  throw new StoreError(`invalid value '${s}' for 'outputHashMode' attribute`);
}

/** CppNix `handleHashMode`: the value of `outputHashMode`, with `text` and `git`
 * behind the experimental features CppNix requires for them. */
export function parseOutputHashMode(
  s: string,
  drvName: string,
  experimentalFeatures: ReadonlySet<string> = new Set(),
): ContentAddressMethod {
  const m = parseContentAddressMethod(s);
  if (m === 'text' && !experimentalFeatures.has('dynamic-derivations'))
    throw missingExperimentalFeature(
      'dynamic-derivations',
      `text-hashed derivation '${drvName}', outputHashMode = "text"`,
    );
  if (m === 'git' && !experimentalFeatures.has('git-hashing')) throw missingExperimentalFeature('git-hashing');
  return m;
}

/** What `derivationStrict` has collected once every attribute has been processed. */
export interface DerivationSpec {
  name: string;
  /** `system` (required, non-empty). */
  system: string;
  /** `builder` (required, non-empty). */
  builder: string;
  args?: readonly string[];
  /**
   * The environment: every attribute except `args` and `__ignoreNulls`, coerced to a
   * string — or, with `__structuredAttrs`, only what the evaluator puts there besides
   * `__json`. Env vars named after outputs are overwritten here.
   */
  env: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Output names in any order (default `["out"]`). */
  outputs?: readonly string[];
  /** From `Built` contexts (`!out!/nix/store/…drv`) and `DrvDeep` expansion. */
  inputDrvs?: ReadonlyMap<string, Iterable<string>> | Readonly<Record<string, readonly string[]>>;
  /** From `Opaque` contexts and `DrvDeep` expansion. */
  inputSrcs?: Iterable<string>;
  /** `outputHash`, if the attribute is present: makes a fixed-output derivation. */
  outputHash?: string;
  /** `outputHashAlgo` as written; unknown names are ignored, as CppNix does. */
  outputHashAlgo?: string;
  /** `outputHashMode` as written (default flat, or nar for floating CA). */
  outputHashMode?: string;
  /** `__contentAddressed = true` (floating CA; experimental in CppNix). */
  contentAddressed?: boolean;
  /** `__impure = true` (experimental in CppNix). */
  impure?: boolean;
  /** With `__structuredAttrs = true`: the JSON text, stored as env var `__json`. */
  structuredAttrsJson?: string;
}

/** Builds the finished derivation (output paths filled in) from a spec. */
export function buildDerivation(
  spec: DerivationSpec,
  hasher: DerivationHasher,
  opts: { warn?: WarnFn } = {},
): Derivation {
  const storeDir = hasher.storeDir;
  const env = new Map<string, string>(
    spec.env instanceof Map ? spec.env : Object.entries(spec.env as Record<string, string>),
  );
  if (spec.structuredAttrsJson !== undefined) {
    if (env.has('__json'))
      throw new StoreError(
        "Cannot have an environment variable named '__json'. This key is reserved for encoding structured attrs",
      );
    env.set('__json', spec.structuredAttrsJson);
  }
  const outputNames = spec.outputs ?? ['out'];
  checkOutputs(outputNames);
  const inputDrvs = new Map<string, Set<string>>();
  const rawInputs: Iterable<[string, Iterable<string>]> =
    spec.inputDrvs === undefined
      ? []
      : spec.inputDrvs instanceof Map
        ? spec.inputDrvs.entries()
        : Object.entries(spec.inputDrvs as Record<string, readonly string[]>);
  for (const [p, outs] of rawInputs) {
    storeDir.parseStorePath(p);
    let s = inputDrvs.get(p);
    if (!s) inputDrvs.set(p, (s = new Set()));
    for (const o of outs) s.add(o);
  }
  const inputSrcs = new Set<string>();
  for (const p of spec.inputSrcs ?? []) {
    storeDir.parseStorePath(p);
    inputSrcs.add(p);
  }

  if (spec.builder === '') throw new StoreError("required attribute 'builder' missing");
  if (spec.system === '') throw new StoreError("required attribute 'system' missing");
  // Feature gating of `text`/`git` is the evaluator's (`parseOutputHashMode`, called
  // at the attribute); here the mode is only interpreted.
  const mode = spec.outputHashMode === undefined ? undefined : parseContentAddressMethod(spec.outputHashMode);
  if (
    spec.name.endsWith(drvExtension) &&
    !(mode === 'text' && outputNames.length === 1 && outputNames[0] === 'out')
  )
    throw new StoreError(
      `derivation names are allowed to end in '${drvExtension}' only if they produce a single derivation file`,
    );

  const drv: Derivation = {
    name: spec.name,
    outputs: new Map(),
    inputDrvs,
    inputSrcs,
    platform: spec.system,
    builder: spec.builder,
    args: [...(spec.args ?? [])],
    env,
  };

  if (spec.outputHash !== undefined) {
    if (outputNames.length !== 1 || outputNames[0] !== 'out')
      throw new StoreError('multiple outputs are not supported in fixed-output derivations');
    const algo = spec.outputHashAlgo === undefined ? undefined : parseHashAlgoOpt(spec.outputHashAlgo);
    const hash = newHashAllowEmpty(spec.outputHash, algo, opts.warn);
    const o: DerivationOutput = { type: 'fixed', method: mode ?? 'flat', hash };
    env.set('out', fixedOutputPath(storeDir, spec.name, 'out', o));
    drv.outputs.set('out', o);
  } else if (spec.contentAddressed || spec.impure) {
    if (spec.contentAddressed && spec.impure)
      throw new StoreError('derivation cannot be both content-addressed and impure');
    const hashAlgo =
      (spec.outputHashAlgo === undefined ? undefined : parseHashAlgoOpt(spec.outputHashAlgo)) ?? 'sha256';
    const method = mode ?? 'nar';
    for (const name of outputNames) {
      env.set(name, hashPlaceholder(name));
      drv.outputs.set(name, { type: spec.impure ? 'impure' : 'floating', method, hashAlgo });
    }
  } else {
    for (const name of outputNames) {
      env.set(name, '');
      drv.outputs.set(name, { type: 'deferred' });
    }
    hasher.fillInOutputPaths(drv);
  }
  return drv;
}

export interface InstantiatedDerivation {
  drv: Derivation;
  drvPath: string;
  /** The ATerm text of the `.drv` file. */
  text: string;
  /** Output name → path (`undefined` for floating/impure/deferred outputs). */
  outputs: Map<string, string | undefined>;
  /** References of the `.drv` file: input sources and input derivations, sorted. */
  references: string[];
}

/**
 * `derivationStrict` minus the evaluation: build the derivation, compute its `.drv`
 * path, and seed the hasher so dependents can use it without reading it back.
 * (Writing it somewhere is the store's business — see `Store.instantiate`.)
 */
export function instantiateDerivation(
  spec: DerivationSpec,
  hasher: DerivationHasher,
  opts: { warn?: WarnFn } = {},
): InstantiatedDerivation {
  const drv = buildDerivation(spec, hasher, opts);
  const { path, text, references } = derivationPath(drv, hasher.storeDir);
  hasher.remember(path, hasher.hashInput(drv));
  // The quoted rows are only worth keeping while this derivation is being printed.
  envMemo.delete(drv.env);
  return { drv, drvPath: path, text, outputs: outputPaths(drv, hasher.storeDir), references };
}

/** Deep copy (derivations are mutable maps; stores hand out copies). */
export function cloneDerivation(drv: Derivation): Derivation {
  return {
    name: drv.name,
    outputs: new Map([...drv.outputs].map(([k, v]) => [k, { ...v }])),
    inputDrvs: new Map([...drv.inputDrvs].map(([k, v]) => [k, new Set(v)])),
    inputSrcs: new Set(drv.inputSrcs),
    platform: drv.platform,
    builder: drv.builder,
    args: [...drv.args],
    env: new Map(drv.env),
  };
}
