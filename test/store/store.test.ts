/**
 * Stores: ComputeStore writes nothing; LocalDirStore lays objects out under a root
 * directory through the Host (an in-memory host here, plus one run on the real file
 * system), atomically, and can read derivations and references back.
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { after, describe, it } from 'node:test';
import type { FileType, Host, Stat } from '../../src/host.js';
import { bytesToBinary } from '../../src/lang/source.js';
import { parseDerivation } from '../../src/store/derivation.js';
import { narHash } from '../../src/store/nar.js';
import { ComputeStore, LocalDirStore } from '../../src/store/store.js';
import {
  fixtureHost,
  filters,
  readGolden,
  readGoldenJSON,
  SpecEvaluator,
  type DrvExpected,
  type FixtureNode,
} from './helpers.js';

const cases = fs
  .readdirSync(new URL('../../../test/store/golden/drv/', import.meta.url))
  .filter((f) => f.endsWith('.spec.json'))
  .map((f) => f.slice(0, -'.spec.json'.length));

describe('ComputeStore', () => {
  it('computes without writing', () => {
    const host = fixtureHost();
    const ev = new SpecEvaluator(new ComputeStore(host));
    for (const c of cases) ev.drv(c);
    assert.deepEqual(host.log, []);
  });

  it('knows what it produced, and nothing else', () => {
    const store = new ComputeStore(fixtureHost());
    const ev = new SpecEvaluator(store);
    const r = ev.drv('dep-chain-2');
    assert.ok(store.isValidPath(r.drvPath));
    assert.equal(store.isValidPath(r.outputs.get('out')!), false); // outputs are not built
    assert.throws(() => store.readDerivation('/nix/store/00000000000000000000000000000000-x.drv'), {
      message: "path '/nix/store/00000000000000000000000000000000-x.drv' is not valid",
    });
    // readDerivation hands out copies.
    store.readDerivation(r.drvPath).env.set('x', 'y');
    assert.equal(store.readDerivation(r.drvPath).env.has('x'), false);
  });

  it('follows references for closures (drvs, toFile refs)', () => {
    const store = new ComputeStore(fixtureHost());
    const ev = new SpecEvaluator(store);
    const r = ev.drv('src-tofile-refs');
    const closure = [...store.computeFSClosure([r.drvPath])].sort();
    const script = [...r.drv.inputSrcs][0]!;
    assert.equal(store.queryReferences(script).length, 2); // lib.sh and f.txt
    assert.deepEqual(closure, [r.drvPath, script, ...store.queryReferences(script)].sort());
  });

  it('calls a filter once per entry', () => {
    const store = new ComputeStore(fixtureHost());
    const seen = new Map<string, number>();
    store.addToStore('t', '/fixtures/tree', {
      filter: (p, t) => {
        seen.set(p, (seen.get(p) ?? 0) + 1);
        return t !== 'symlink';
      },
    });
    assert.ok(seen.size > 5);
    assert.ok([...seen.values()].every((n) => n === 1));
  });
});

describe('LocalDirStore (in-memory host)', () => {
  const host = fixtureHost();
  const store = new LocalDirStore(host, '/root');
  const ev = new SpecEvaluator(store);
  for (const c of cases) ev.drv(c);
  const real = (p: string): string => '/root' + p;

  it('writes every .drv exactly as Nix did', () => {
    for (const c of cases) {
      const { drvPath } = readGoldenJSON<DrvExpected>(`drv/${c}.expected.json`);
      assert.equal(host.readFile(real(drvPath)), readGolden(`drv/${c}.drv`), c);
      assert.equal(host.lstat(real(drvPath))!.executable, false);
    }
  });

  it('copies sources faithfully (same NAR hash as the source, filters applied)', () => {
    const paths = readGoldenJSON<Record<string, string>>('paths.expected.json');
    const specs = readGoldenJSON<Record<string, { path?: string; builtinsPath?: { path: string; filter?: string; recursive?: boolean } }>>('paths.json');
    for (const [id, spec] of Object.entries(specs)) {
      const p = ev.str(spec).s; // adds it
      assert.equal(p, paths[id]);
      const src = spec.path ?? spec.builtinsPath?.path;
      if (src === undefined || spec.builtinsPath?.recursive === false) continue;
      const filter = spec.builtinsPath?.filter ? filters[spec.builtinsPath.filter] : undefined;
      const fixturePath = '/fixtures/' + src;
      const want = narHash(host, fixturePath, filter).hash.hex;
      assert.equal(narHash(host, real(p)).hash.hex, want, id);
    }
  });

  it('writes flat objects as plain read-only files', () => {
    const p = store.addToStore('tool', '/fixtures/tool.sh', { method: 'flat' });
    assert.equal(p, readGoldenJSON<Record<string, string>>('paths.expected.json')['bp-flat-exec']);
    const st = host.lstat(real(p))!;
    assert.equal(st.type, 'regular');
    assert.equal(st.executable, false);
  });

  it('keeps executable bits and symlinks, builds trees under a temporary name', () => {
    const p = store.addToStore('tree', '/fixtures/tree');
    assert.equal(host.lstat(real(p) + '/run.sh')!.executable, true);
    assert.equal(host.readLink(real(p) + '/dangling'), '../does/not/exist');
    const base = p.slice('/nix/store/'.length);
    const renames = host.log.filter((l) => l.startsWith('rename ') && l.endsWith(`-> /root/nix/store/${base}`));
    assert.equal(renames.length, 1);
    assert.match(renames[0]!, /^rename \/root\/nix\/store\/\.tmp-/);
    const leftovers = [...(host.node('/root/nix/store') as { entries: Map<string, unknown> }).entries.keys()].filter((n) =>
      n.startsWith('.tmp-'),
    );
    assert.deepEqual(leftovers, []);
  });

  it('never rewrites an existing object', () => {
    const before = host.log.length;
    ev.str({ path: 'tree' });
    store.addTextToStore('x', 'y'); // written by the paths test already
    assert.equal(host.log.length, before);
    store.addTextToStore('fresh', 'new');
    store.addTextToStore('fresh', 'new');
    assert.equal(host.log.slice(before).filter((l) => l.includes('-fresh ')).length, 1);
    // A fresh instance sees what is on disk and does not write either.
    new LocalDirStore(host, '/root').addTextToStore('fresh', 'new');
    assert.equal(host.log.slice(before).length, 1);
  });

  it('reads derivations and references back in a fresh instance', () => {
    const fresh = new LocalDirStore(host, '/root');
    const top = ev.drv('dep-chain-3');
    assert.ok(fresh.isValidPath(top.drvPath));
    const drv = fresh.readDerivation(top.drvPath);
    // Hash modulo recomputed from disk alone (inputs read and parsed on demand).
    const h = fresh.hasher.hashModulo(drv)!;
    assert.equal(fresh.storeDir.makeOutputPath('out', h, 'dep-chain-3'), top.outputs.get('out'));
    const withRefs = ev.drv('src-tofile-refs');
    const script = [...withRefs.drv.inputSrcs][0]!;
    assert.deepEqual(fresh.queryReferences(script), store.queryReferences(script));
    assert.deepEqual([...fresh.computeFSClosure([withRefs.drvPath])].sort(), [...store.computeFSClosure([withRefs.drvPath])].sort());
    const fod = ev.drv('dep-drvpath-fod');
    assert.equal(parseDerivation(host.readFile(real(fod.drvPath)), 'dep-drvpath-fod', fresh.storeDir).env.get('D'), fod.drv.env.get('D'));
  });
});

/** Just enough of a Node host for LocalDirStore on a real file system. */
class DiskHost implements Host {
  private st(s: fs.Stats | undefined): Stat | undefined {
    if (!s) return undefined;
    const type: FileType = s.isFile() ? 'regular' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'unknown';
    return { type, executable: s.isFile() && (s.mode & 0o100) !== 0, size: s.size, mtimeMs: s.mtimeMs };
  }
  readFile(p: string): string {
    return bytesToBinary(fs.readFileSync(Buffer.from(p, 'latin1')));
  }
  lstat(p: string): Stat | undefined {
    return this.st(fs.lstatSync(Buffer.from(p, 'latin1'), { throwIfNoEntry: false }));
  }
  stat(p: string): Stat | undefined {
    return this.st(fs.statSync(Buffer.from(p, 'latin1'), { throwIfNoEntry: false }));
  }
  readDir(p: string): { name: string; type: FileType }[] {
    return fs.readdirSync(Buffer.from(p, 'latin1'), { encoding: 'buffer' }).map((n) => ({ name: n.toString('latin1'), type: 'unknown' as FileType }));
  }
  readLink(p: string): string {
    return fs.readlinkSync(Buffer.from(p, 'latin1'), { encoding: 'buffer' }).toString('latin1');
  }
  realPath(p: string): string {
    return p;
  }
  writeFileAtomic(p: string, data: string | Uint8Array, mode?: number): void {
    const tmp = p + '.tmp-w';
    fs.writeFileSync(Buffer.from(tmp, 'latin1'), typeof data === 'string' ? Buffer.from(data, 'latin1') : data, { mode: mode ?? 0o644 });
    fs.renameSync(Buffer.from(tmp, 'latin1'), Buffer.from(p, 'latin1'));
  }
  mkdirp(p: string): void {
    fs.mkdirSync(Buffer.from(p, 'latin1'), { recursive: true });
  }
  symlinkAtomic(target: string, p: string): void {
    fs.symlinkSync(Buffer.from(target, 'latin1'), Buffer.from(p, 'latin1'));
  }
  remove(p: string): void {
    fs.rmSync(Buffer.from(p, 'latin1'), { recursive: true, force: true });
  }
  rename(a: string, b: string): void {
    fs.renameSync(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
  }
  getEnv(): string | undefined {
    return undefined;
  }
  cwd(): string {
    return process.cwd();
  }
  now(): number {
    return Math.floor(Date.now() / 1000);
  }
  stderr(): void {}
}

describe('LocalDirStore (real file system)', () => {
  const tmp = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'tsnix-store-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const make = (p: string, n: FixtureNode): void => {
    if (n.type === 'regular') fs.writeFileSync(p, n.contents ?? '', { mode: n.executable ? 0o755 : 0o644 });
    else if (n.type === 'symlink') fs.symlinkSync(n.target!, p);
    else {
      fs.mkdirSync(p);
      for (const [k, v] of Object.entries(n.entries ?? {})) make(p + '/' + k, v);
    }
  };
  const fixtures = readGoldenJSON<Record<string, FixtureNode>>('fixtures.json');
  fs.mkdirSync(tmp + '/src');
  for (const [k, v] of Object.entries(fixtures)) make(tmp + '/src/' + k, v);

  it('stores trees whose NAR hash matches nix-hash of the fixture', () => {
    const host = new DiskHost();
    const store = new LocalDirStore(host, tmp + '/root');
    const want = readGoldenJSON<Record<string, { sha256: string }>>('nar/expected.json');
    const paths = readGoldenJSON<Record<string, string>>('paths.expected.json');
    const p = store.addToStore('tree', tmp + '/src/tree');
    assert.equal(p, paths['src-tree']);
    assert.equal(narHash(host, store.toRealPath(p)).hash.hex, want['tree']!.sha256);
    assert.equal(fs.statSync(store.toRealPath(p) + '/run.sh').mode & 0o777, 0o555);
    assert.equal(fs.statSync(store.toRealPath(p) + '/a.txt').mode & 0o777, 0o444);
    assert.deepEqual(fs.readdirSync(tmp + '/root/nix/store').filter((n) => n.startsWith('.tmp')), []);
    const t = store.addTextToStore('x', 'y');
    assert.equal(t, '/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x');
    assert.equal(fs.readFileSync(store.toRealPath(t), 'utf8'), 'y');
  });
});
