/**
 * Store paths an evaluation made are readable during it (src/eval/store-view.ts), as
 * with a real store, although tsnix's computing store writes nothing: `toFile` texts,
 * copies of host paths (filtered copies showing only what the filter let in) and
 * fetched trees. Where nix-instantiate is installed the same expressions are compared
 * with Nix 2.8 in read-write mode (it writes them to the host's /nix/store).
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withTmp as withTmpIn } from '../support/tmp.js';
import { hasNixInstantiate, runCli, runNix } from '../support/cli.js';

const withTmp = (f: (dir: string) => void): void => withTmpIn('tsnix-store-view-', f);

function makeTree(root: string): void {
  fs.mkdirSync(path.join(root, 'dd/deep'), { recursive: true });
  fs.writeFileSync(path.join(root, 'foo.txt'), 'hello\n');
  fs.writeFileSync(path.join(root, 'dd/default.nix'), '{ x = 1; y = import ./deep/v.nix; }\n');
  fs.writeFileSync(path.join(root, 'dd/deep/v.nix'), '41 + 1\n');
  fs.symlinkSync('foo.txt', path.join(root, 'link'));
}

const expr = (dir: string) => `
  let
    file = "\${${dir}/foo.txt}";
    d = "\${${dir}/dd}";
    top = "\${${dir}}";
    f = builtins.path { path = ${dir}; name = "filtered"; filter = p: t: baseNameOf p == "dd" || baseNameOf p == "default.nix"; };
  in [
    (builtins.readFile file)
    (import d)
    (builtins.pathExists "\${d}/default.nix")
    (builtins.pathExists "\${d}/nope")
    (builtins.readDir d)
    (builtins.readFile "\${top}/link")
    (builtins.readDir top)
    (builtins.readFile (builtins.toFile "t" "abc"))
    (import "\${builtins.toFile "m.nix" "{ y = 2; }"}").y
    (builtins.readDir f)
    (builtins.readDir "\${f}/dd")
    (builtins.pathExists "\${f}/foo.txt")
  ]`;

const expected =
  '[ "hello\\n" { x = 1; y = 42; } true false { deep = "directory"; "default.nix" = "regular"; } "hello\\n" ' +
  '{ dd = "directory"; "foo.txt" = "regular"; link = "symlink"; } "abc" 2 { dd = "directory"; } ' +
  '{ "default.nix" = "regular"; } false ]\n';

test('objects added during evaluation are readable at their store paths', () => {
  withTmp((dir) => {
    makeTree(dir);
    const r = runCli(['eval', '--strict', '-E', expr(dir)]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, expected);
  });
});

test('store-path reads agree with nix-instantiate (read-write mode)', { skip: !hasNixInstantiate() }, () => {
  withTmp((dir) => {
    makeTree(dir);
    const theirs = runNix(['--read-write-mode', '--eval', '--strict', '-E', expr(dir)], { env: { NIX_REMOTE: '' } });
    // Without a writable store (not root) Nix cannot make the paths: nothing to compare.
    if (theirs.status !== 0) return;
    assert.equal(theirs.stdout, expected);
  });
});

test('a fetched tarball is readable at its store path after its temporary copy is gone', () => {
  let tar = true;
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
  } catch {
    tar = false;
  }
  if (!tar) return;
  withTmp((dir) => {
    makeTree(path.join(dir, 'pkg'));
    execFileSync('tar', ['czf', 'p.tar.gz', 'pkg'], { cwd: dir });
    const r = runCli(['eval', '--strict', '-E', `let t = builtins.fetchTarball "file://${dir}/p.tar.gz"; in [ (import "\${t}/dd").y (builtins.readFile "\${t}/link") ]`]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '[ 42 "hello\\n" ]\n');
  });
});

test('a store path nothing added stays missing', () => {
  const r = runCli(['eval', '-E', 'builtins.readFile "/nix/store/00000000000000000000000000000000-nothing"']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /No such file or directory/);
});
