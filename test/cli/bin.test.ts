/**
 * bin/tsnix, the installed command: it gives Node's main thread the stack the OS allows
 * (and no more), and whatever it decides, deep evaluations work, the ones past
 * max-call-depth fail as CppNix's `stack overflow` error, and the output is the same as
 * through `node dist/src/cli/main.js`.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, runCli } from '../support/cli.js';

const bin = path.join(repoRoot, 'bin/tsnix');
const deep = (n: number) => `let f = n: if n == 0 then 0 else 1 + f (n - 1); in f ${n}`;

/** bin/tsnix under a given `ulimit -s` (KiB, or 'unlimited'). */
function runBin(stack: string, args: string[]) {
  const r = spawnSync('/bin/sh', ['-c', `ulimit -s ${stack} && exec "$0" "$@"`, bin, ...args], {
    encoding: 'latin1',
    env: { ...process.env, NIX_PATH: '' },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

for (const stack of ['8192', '4096', 'unlimited']) {
  test(`bin/tsnix with ulimit -s ${stack}: 10 000 calls deep evaluate, 10 001 are a Nix stack overflow`, (t) => {
    const probe = spawnSync('/bin/sh', ['-c', `ulimit -s ${stack}`]);
    if (probe.status !== 0) return t.skip(`cannot set ulimit -s ${stack} here`);
    const ok = runBin(stack, ['eval', '-E', deep(10000)]);
    assert.equal(ok.signal, null);
    assert.equal(ok.stdout, '10000\n');
    assert.equal(ok.status, 0, ok.stderr);
    const over = runBin(stack, ['eval', '-E', deep(10001)]);
    assert.equal(over.signal, null);
    assert.equal(over.status, 1);
    assert.match(over.stderr, /error: stack overflow; max-call-depth exceeded/);
    assert.equal(over.stderr, runCli(['eval', '-E', deep(10001)]).stderr);
  });
}

test('bin/tsnix prints what main.js prints, traces included and in order', () => {
  const expr = 'builtins.trace "one" (builtins.trace "two" [ 1 (builtins.trace "three" 2) ])';
  const viaBin = runBin('8192', ['eval', '--strict', '-E', expr]);
  const viaMain = runCli(['eval', '--strict', '-E', expr]);
  assert.equal(viaBin.stdout, '[ 1 2 ]\n');
  assert.deepEqual([viaBin.status, viaBin.stdout, viaBin.stderr], [viaMain.status, viaMain.stdout, viaMain.stderr]);
});

test('main.js: an evaluation that outgrows the main thread reruns in the worker, output written once', () => {
  // 5 000 calls overflow the main thread's default stack, after "before" was printed.
  const expr = `builtins.trace "before" (builtins.trace (${deep(5000)}) "after")`;
  const r = runCli(['eval', '-E', expr]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '"after"\n');
  assert.equal(r.stderr, 'trace: before\ntrace: 5000\n');
});

test('main.js: stdin read by the first attempt is given to the rerun', () => {
  const r = runCli(['eval', '-'], { input: deep(5000) });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '5000\n');
});

// bin/tsnix starts Node from the start-up snapshot (scripts/snapshot-entry.cjs) when the
// build made one for this node binary: what runs there must behave as main.js does.
const blob = path.join(repoRoot, 'dist/src/cli/tsnix.snapshot.blob');

test('bin/tsnix: arguments that look like Node options, lazily loaded files and os go through unchanged', () => {
  for (const args of [
    ['--version'],
    ['--help'],
    ['eval', '--strict', '-E', 'builtins.match "a(b)" "ab"'],
    ['eval', '--strict', '-E', 'builtins.fromTOML "x = 1"'],
    ['eval', '-E', '(import <nixpkgs/lib>).strings.concatStrings [ "é" "b" ]'],
    ['os', 'list-generations', '--root', '/nonexistent-tsnix-root', '--json'],
  ]) {
    const viaBin = runBin('8192', args);
    const viaMain = runCli(args);
    assert.deepEqual([viaBin.status, viaBin.stdout, viaBin.stderr], [viaMain.status, viaMain.stdout, viaMain.stderr], args.join(' '));
  }
});

test('bin/tsnix: a snapshot made by another node binary, or before it changed, is not used', (t) => {
  if (!fs.existsSync(blob)) return t.skip('the build made no start-up snapshot');
  const node = fs.realpathSync(fs.readlinkSync(path.join(repoRoot, 'dist/src/cli/tsnix.snapshot.node')));
  // Copies of bin/ and dist/src/cli/ whose snapshot is junk (Node aborts on it): once
  // linked to another binary, once stamped with another mtime.
  for (const [link, stamp] of [
    ['/bin/sh', node],
    [node, '/bin/sh'],
  ] as const) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsnix-bin-'));
    try {
      fs.mkdirSync(path.join(root, 'bin'));
      fs.copyFileSync(bin, path.join(root, 'bin/tsnix'));
      fs.chmodSync(path.join(root, 'bin/tsnix'), 0o755);
      const cli = path.join(root, 'dist/src/cli');
      fs.mkdirSync(cli, { recursive: true });
      const real = path.join(repoRoot, 'dist/src/cli');
      for (const f of fs.readdirSync(real)) {
        if (f === 'tsnix.snapshot.node') fs.symlinkSync(link, path.join(cli, f));
        else if (f === 'tsnix.snapshot.blob') {
          fs.writeFileSync(path.join(cli, f), 'not a snapshot');
          assert.equal(spawnSync('touch', ['-r', stamp, path.join(cli, f)]).status, 0);
        } else fs.symlinkSync(path.join(real, f), path.join(cli, f));
      }
      const r = spawnSync('/bin/sh', ['-c', 'ulimit -s 8192 && exec "$0" "$@"', path.join(root, 'bin/tsnix'), 'eval', '-E', '1 + 2'], {
        encoding: 'latin1',
      });
      assert.deepEqual([r.status, r.stdout, r.stderr], [0, '3\n', ''], `${link} ${stamp}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
});

test('bin/tsnix starts Node with exactly the flags the build made its code cache and snapshot for', () => {
  // Node aborts on a start-up snapshot made under other V8 flags, so the two lists
  // (bin/tsnix's exec lines and scripts/bundle.mjs's BIN_FLAGS) must never drift.
  const script = fs.readFileSync(bin, 'utf8');
  const bundle = fs.readFileSync(path.join(repoRoot, 'scripts/bundle.mjs'), 'utf8');
  const m = /const BIN_FLAGS = \[([^\]]*)\]/.exec(bundle);
  assert.ok(m, 'BIN_FLAGS not found in scripts/bundle.mjs');
  const want = [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]).join(' ');
  const execs = script.split('\n').filter((l) => /^\s*exec node --/.test(l));
  assert.equal(execs.length, 2);
  for (const l of execs) {
    const flags = l.trim().slice('exec node '.length).split(' ').filter((f) => f.startsWith('--') && f !== '--snapshot-blob' && f !== '--');
    assert.equal(flags.join(' '), want, l);
  }
});
