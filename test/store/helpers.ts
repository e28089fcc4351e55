/**
 * Test support for the store: an in-memory Host, the golden files, and a small
 * stand-in for the evaluator's `derivationStrict` front half.
 *
 * The golden specs (golden/drv/*.spec.json, golden/paths.json) are evaluated by the
 * real Nix through golden/driver.nix; `SpecEvaluator` here gives the same JSON the
 * same meaning in TypeScript — coercing attributes to strings, collecting string
 * contexts, expanding `drvPath` contexts to closures — and then calls only the public
 * store API, exactly as the evaluator will. So each golden checks the store layer end
 * to end, while the Nix-language parts stay trivially small.
 */

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FileType, Host, Stat } from '../../src/host.js';
import { toBinary } from '../../src/lang/source.js';
import type { DerivationSpec, InstantiatedDerivation } from '../../src/store/derivation.js';
import { hashPlaceholder } from '../../src/store/path.js';
import type { PathFilter } from '../../src/store/nar.js';
import type { Store } from '../../src/store/store.js';

/** test/store/golden, found from dist/test/store/*.js or test/store/*.ts alike. */
export const goldenDir = fileURLToPath(new URL('../../../test/store/golden/', import.meta.url));

/** A golden file as a byte string (one char per byte). */
export function readGolden(rel: string): string {
  return fs.readFileSync(goldenDir + rel, 'latin1');
}

export function readGoldenBytes(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(goldenDir + rel));
}

export function readGoldenJSON<T = unknown>(rel: string): T {
  return JSON.parse(fs.readFileSync(goldenDir + rel, 'utf8')) as T;
}

/* ------------------------------------------------------------------------------------
 * In-memory host
 * ---------------------------------------------------------------------------------- */

export type MemNode =
  | { type: 'regular'; contents: string; executable: boolean; mode?: number }
  | { type: 'symlink'; target: string }
  | { type: 'directory'; entries: Map<string, MemNode> };

export interface FixtureNode {
  type: 'regular' | 'symlink' | 'directory';
  contents?: string;
  executable?: boolean;
  target?: string;
  entries?: Record<string, FixtureNode>;
}

/** Fixture JSON (Unicode strings) to nodes holding byte strings, as a real fs would. */
export function fixtureToNode(f: FixtureNode): MemNode {
  switch (f.type) {
    case 'regular':
      return { type: 'regular', contents: toBinary(f.contents ?? ''), executable: f.executable ?? false };
    case 'symlink':
      return { type: 'symlink', target: toBinary(f.target ?? '') };
    case 'directory':
      return {
        type: 'directory',
        entries: new Map(Object.entries(f.entries ?? {}).map(([k, v]) => [toBinary(k), fixtureToNode(v)])),
      };
  }
}

export class MemHost implements Host {
  root: MemNode = { type: 'directory', entries: new Map() };
  clock = 1700000000;
  /** Every write operation, for tests that check how objects were put in place. */
  log: string[] = [];

  private split(path: string): string[] {
    return path.split('/').filter((p) => p !== '' && p !== '.');
  }

  /** Walks `path`; symlinks in intermediate components are followed, the last one
   * only if `follow`. Returns the node and its parent directory. */
  private lookup(path: string, follow: boolean, depth = 0): MemNode | undefined {
    if (depth > 40) throw new Error(`too many levels of symbolic links: ${path}`);
    const parts = this.split(path);
    let node: MemNode = this.root;
    const seen: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p === '..') {
        seen.pop();
        node = this.lookup('/' + seen.join('/'), true, depth + 1)!;
        continue;
      }
      if (node.type !== 'directory') return undefined;
      const next = node.entries.get(p);
      if (!next) return undefined;
      const last = i === parts.length - 1;
      if (next.type === 'symlink' && (!last || follow)) {
        const target = next.target.startsWith('/') ? next.target : '/' + [...seen, next.target].join('/');
        const rest = parts.slice(i + 1).join('/');
        return this.lookup(target + (rest ? '/' + rest : ''), follow, depth + 1);
      }
      seen.push(p);
      node = next;
    }
    return node;
  }

  private parentOf(path: string): { dir: Extract<MemNode, { type: 'directory' }>; name: string } {
    const parts = this.split(path);
    const name = parts.pop();
    if (name === undefined) throw new Error(`no parent: ${path}`);
    const dir = this.lookup('/' + parts.join('/'), true);
    if (!dir || dir.type !== 'directory') throw new Error(`ENOENT: no such directory for ${path}`);
    return { dir, name };
  }

  private statOf(n: MemNode | undefined): Stat | undefined {
    if (!n) return undefined;
    const size = n.type === 'regular' ? n.contents.length : n.type === 'symlink' ? n.target.length : 0;
    return { type: n.type, executable: n.type === 'regular' && n.executable, size, mtimeMs: 0 };
  }

  /** Install a fixture tree at `path`. */
  put(path: string, node: MemNode): void {
    this.mkdirp(path.slice(0, path.lastIndexOf('/')) || '/');
    const { dir, name } = this.parentOf(path);
    dir.entries.set(name, node);
  }

  node(path: string): MemNode | undefined {
    return this.lookup(path, false);
  }

  readFile(path: string): string {
    const n = this.lookup(path, true);
    if (!n || n.type !== 'regular') throw new Error(`ENOENT or not a file: ${path}`);
    return n.contents;
  }
  lstat(path: string): Stat | undefined {
    return this.statOf(this.lookup(path, false));
  }
  stat(path: string): Stat | undefined {
    return this.statOf(this.lookup(path, true));
  }
  readDir(path: string): { name: string; type: FileType }[] {
    const n = this.lookup(path, true);
    if (!n || n.type !== 'directory') throw new Error(`ENOTDIR: ${path}`);
    // Deliberately unsorted (reverse insertion order): sorting is the store's job.
    return [...n.entries].reverse().map(([name, c]) => ({ name, type: c.type }));
  }
  readLink(path: string): string {
    const n = this.lookup(path, false);
    if (!n || n.type !== 'symlink') throw new Error(`EINVAL: not a symlink: ${path}`);
    return n.target;
  }
  realPath(path: string): string {
    return path;
  }
  writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): void {
    const contents = typeof data === 'string' ? data : String.fromCharCode(...data);
    const { dir, name } = this.parentOf(path);
    this.log.push(`write ${path}${mode !== undefined ? ' ' + mode.toString(8) : ''}`);
    dir.entries.set(name, { type: 'regular', contents, executable: ((mode ?? 0o644) & 0o100) !== 0, mode });
  }
  mkdirp(path: string): void {
    let node: MemNode = this.root;
    for (const p of this.split(path)) {
      if (node.type !== 'directory') throw new Error(`ENOTDIR: ${path}`);
      let next = node.entries.get(p);
      if (!next) node.entries.set(p, (next = { type: 'directory', entries: new Map() }));
      node = next;
    }
  }
  symlinkAtomic(target: string, path: string): void {
    const { dir, name } = this.parentOf(path);
    this.log.push(`symlink ${path} -> ${target}`);
    dir.entries.set(name, { type: 'symlink', target });
  }
  remove(path: string): void {
    const { dir, name } = this.parentOf(path);
    this.log.push(`remove ${path}`);
    dir.entries.delete(name);
  }
  rename(from: string, to: string): void {
    const a = this.parentOf(from);
    const n = a.dir.entries.get(a.name);
    if (!n) throw new Error(`ENOENT: ${from}`);
    const b = this.parentOf(to);
    this.log.push(`rename ${from} -> ${to}`);
    a.dir.entries.delete(a.name);
    b.dir.entries.set(b.name, n);
  }
  getEnv(): string | undefined {
    return undefined;
  }
  cwd(): string {
    return '/';
  }
  now(): number {
    return this.clock;
  }
  stderr(): void {}
}

/** A MemHost with the golden fixtures under `dir`. */
export function fixtureHost(dir = '/fixtures'): MemHost {
  const host = new MemHost();
  const fixtures = readGoldenJSON<Record<string, FixtureNode>>('fixtures.json');
  host.mkdirp(dir);
  for (const [name, f] of Object.entries(fixtures)) host.put(dir + '/' + toBinary(name), fixtureToNode(f));
  return host;
}

/* ------------------------------------------------------------------------------------
 * The evaluator stand-in
 * ---------------------------------------------------------------------------------- */

/** A string with context; elements spelled as in eval/value.ts. */
export interface CStr {
  s: string;
  ctx: Set<string>;
}

export type SVal = CStr | number | boolean | null | SVal[] | { attrs: Map<string, SVal> };

export interface DrvCaseSpec {
  comment: string;
  experimental?: string[];
  attrs: Record<string, unknown>;
}

export interface DrvExpected {
  drvPath: string;
  outputs: Record<string, string>;
  printedDrvPath: string;
}

/** The named filters of golden/driver.nix. */
export const filters: Record<string, PathFilter> = {
  noSymlinks: (_p, type) => type !== 'symlink',
  noExecutables: (p) => !/^.*\.sh$/s.test(p),
  noSubdirs: (_p, type) => type !== 'directory',
};

function isCStr(v: SVal): v is CStr {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 's' in v;
}

function cstr(s: string, ctx: Iterable<string> = []): CStr {
  return { s, ctx: new Set(ctx) };
}

export class SpecEvaluator {
  readonly results = new Map<string, InstantiatedDerivation>();

  constructor(
    readonly store: Store,
    readonly fixturesDir = '/fixtures',
    readonly warnings: string[] = [],
  ) {}

  loadSpec(caseId: string): DrvCaseSpec {
    return readGoldenJSON<DrvCaseSpec>(`drv/${caseId}.spec.json`);
  }

  /** `derivation (mapAttrs (_: value) spec.attrs)`, memoised like a let-bound value. */
  drv(caseId: string): InstantiatedDerivation {
    let r = this.results.get(caseId);
    if (!r) {
      r = this.derivationStrict(this.loadSpec(caseId).attrs);
      this.results.set(caseId, r);
    }
    return r;
  }

  /** The string `value v` would interpolate to. */
  str(v: unknown): CStr {
    const x = this.value(v);
    if (isCStr(x)) return x;
    return this.coerce(x);
  }

  value(v: unknown): SVal {
    if (typeof v === 'string') return cstr(toBinary(v));
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
    if (Array.isArray(v)) return v.map((e) => this.value(e));
    const o = v as Record<string, unknown>;
    if ('concat' in o) {
      const parts = (o.concat as unknown[]).map((p) => this.str(p));
      return cstr(parts.map((p) => p.s).join(''), parts.flatMap((p) => [...p.ctx]));
    }
    if ('out' in o) {
      const r = this.drv(o.out as string);
      const outName = (o.output as string | undefined) ?? [...this.outputOrder(o.out as string)][0]!;
      return cstr(this.outPath(r, outName), [`!${outName}!${r.drvPath}`]);
    }
    if ('drvPath' in o) {
      const r = this.drv(o.drvPath as string);
      return cstr(r.drvPath, ['=' + r.drvPath]);
    }
    if ('toFile' in o) {
      const text = this.str(o.text);
      for (const c of text.ctx)
        if (c.startsWith('=') || c.startsWith('!')) throw new Error(`toFile may not reference ${c}`);
      const p = this.store.addTextToStore(toBinary(o.toFile as string), text.s, text.ctx);
      return cstr(p, [p]);
    }
    if ('path' in o) {
      const rel = toBinary(o.path as string);
      const p = this.store.addToStore(rel.slice(rel.lastIndexOf('/') + 1), this.fixturesDir + '/' + rel);
      return cstr(p, [p]);
    }
    if ('builtinsPath' in o) {
      const bp = o.builtinsPath as { path: string; name?: string; recursive?: boolean; filter?: string };
      const rel = toBinary(bp.path);
      const p = this.store.addToStore(
        bp.name !== undefined ? toBinary(bp.name) : rel.slice(rel.lastIndexOf('/') + 1),
        this.fixturesDir + '/' + rel,
        { method: bp.recursive === false ? 'flat' : 'nar', filter: bp.filter ? filters[bp.filter] : undefined },
      );
      return cstr(p, [p]);
    }
    if ('placeholder' in o) return cstr(hashPlaceholder(toBinary(o.placeholder as string)));
    if ('attrs' in o)
      return {
        attrs: new Map(
          Object.entries(o.attrs as Record<string, unknown>).map(([k, x]) => [toBinary(k), this.value(x)]),
        ),
      };
    throw new Error(`unknown spec value ${JSON.stringify(v)}`);
  }

  private outputOrder(caseId: string): string[] {
    const outs = this.loadSpec(caseId).attrs.outputs as string[] | undefined;
    return outs ?? ['out'];
  }

  /** `drv.<output>.outPath`: the output path, or the downstream placeholder of a
   * floating content-addressed output. */
  outPath(r: InstantiatedDerivation, output: string): string {
    return r.outputs.get(output) ?? this.store.storeDir.downstreamPlaceholder(r.drvPath, output);
  }

  /** `toString`-style coercion as `derivationStrict` applies it (coerceMore). */
  coerce(v: SVal): CStr {
    if (isCStr(v)) return v;
    if (typeof v === 'number') return cstr(String(v));
    if (v === true) return cstr('1');
    if (v === false || v === null) return cstr('');
    if (Array.isArray(v)) {
      let s = '';
      const ctx = new Set<string>();
      v.forEach((e, n) => {
        const c = this.coerce(e);
        s += c.s;
        for (const x of c.ctx) ctx.add(x);
        if (n < v.length - 1 && !(Array.isArray(e) && e.length === 0)) s += ' ';
      });
      return cstr(s, ctx);
    }
    throw new Error('cannot coerce a set');
  }

  /** `printValueAsJSON` with context collection. */
  toJSON(v: SVal, ctx: Set<string>): string {
    if (isCStr(v)) {
      for (const c of v.ctx) ctx.add(c);
      return JSON.stringify(v.s);
    }
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
    if (Array.isArray(v)) return '[' + v.map((e) => this.toJSON(e, ctx)).join(',') + ']';
    const keys = [...v.attrs.keys()].sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + this.toJSON(v.attrs.get(k)!, ctx)).join(',') + '}';
  }

  /** The attribute loop of CppNix's `derivationStrictInternal`, then the store. */
  derivationStrict(rawAttrs: Record<string, unknown>): InstantiatedDerivation {
    const attrs = new Map<string, SVal>(Object.entries(rawAttrs).map(([k, v]) => [toBinary(k), this.value(v)]));
    const structured = attrs.get('__structuredAttrs') === true;
    const ignoreNulls = attrs.get('__ignoreNulls') === true;
    const ctx = new Set<string>();
    const env = new Map<string, string>();
    const json: [string, string][] = [];
    const spec: Partial<DerivationSpec> & { args: string[] } = { args: [] };
    const take = (c: CStr): string => {
      for (const x of c.ctx) ctx.add(x);
      return c.s;
    };
    for (const key of [...attrs.keys()].sort()) {
      const v = attrs.get(key)!;
      if (key === '__ignoreNulls') continue;
      if (ignoreNulls && v === null) continue;
      if (key === '__contentAddressed') {
        spec.contentAddressed = v === true;
        continue;
      }
      if (key === '__impure') {
        spec.impure = v === true;
        continue;
      }
      if (key === 'args') {
        spec.args = (v as SVal[]).map((e) => take(this.coerce(e)));
        continue;
      }
      let s: string;
      if (structured) {
        if (key === '__structuredAttrs') continue;
        json.push([key, this.toJSON(v, ctx)]);
        s = key === 'outputs' ? '' : isCStr(v) ? v.s : '';
        if (key === 'outputs') spec.outputs = (v as CStr[]).map((e) => e.s);
      } else {
        s = take(this.coerce(v));
        env.set(key, s);
        if (key === 'outputs') spec.outputs = s.split(/[ \t\n\r]+/).filter((x) => x !== '');
      }
      if (key === 'builder') spec.builder = s;
      else if (key === 'system') spec.system = s;
      else if (key === 'name') spec.name = s;
      else if (key === 'outputHash') spec.outputHash = s;
      else if (key === 'outputHashAlgo') spec.outputHashAlgo = s;
      else if (key === 'outputHashMode') spec.outputHashMode = s;
    }
    const inputDrvs = new Map<string, Set<string>>();
    const inputSrcs = new Set<string>();
    const addDrv = (drv: string, out: string): void => {
      let set = inputDrvs.get(drv);
      if (!set) inputDrvs.set(drv, (set = new Set()));
      set.add(out);
    };
    for (const c of ctx) {
      if (c.startsWith('=')) {
        for (const p of this.store.computeFSClosure([c.slice(1)])) {
          inputSrcs.add(p);
          if (p.endsWith('.drv')) for (const o of this.store.readDerivation(p).outputs.keys()) addDrv(p, o);
        }
      } else if (c.startsWith('!')) {
        const i = c.indexOf('!', 1);
        addDrv(c.slice(i + 1), c.slice(1, i));
      } else inputSrcs.add(c);
    }
    return this.store.instantiate(
      {
        ...spec,
        name: spec.name ?? '',
        system: spec.system ?? '',
        builder: spec.builder ?? '',
        env,
        inputDrvs,
        inputSrcs,
        structuredAttrsJson: structured ? '{' + json.map(([k, v]) => JSON.stringify(k) + ':' + v).join(',') + '}' : undefined,
      },
      { warn: (m) => this.warnings.push(m) },
    );
  }
}
