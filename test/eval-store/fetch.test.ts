/**
 * Local fetchers against real archives and repositories made with the `tar` and `git`
 * binaries (tests skip where those are missing). Two kinds of checks:
 *   - consistency: an unpacked tarball or a fetched repository must have the store path
 *     of the same files copied with `builtins.path` (same NAR, same name);
 *   - differential: where nix-instantiate is installed, the attributes `fetchGit` and
 *     `fetchTarball` return must equal Nix's (minus `dirtyRev`/`dirtyShortRev`, which
 *     Nix 2.8 predates).
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withTmp as withTmpIn } from '../support/tmp.js';
import { hasNixInstantiate, runCli } from '../support/cli.js';
import { nix } from './harness.js';

function have(bin: string): boolean {
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const evalStr = (expr: string): string => {
  const r = runCli(['eval', '--strict', '-E', expr]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

const withTmp = (f: (dir: string) => void): void => withTmpIn('tsnix-fetch-test-', f);

function makeTree(root: string): void {
  fs.mkdirSync(path.join(root, 'sub/deep'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a.txt'), 'one\n');
  fs.writeFileSync(path.join(root, 'sub/b.txt'), 'two\n');
  fs.writeFileSync(path.join(root, 'sub/deep/c'), 'deep\n');
  fs.writeFileSync(path.join(root, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  fs.symlinkSync('a.txt', path.join(root, 'link'));
}

test('fetchTarball of a local .tar.gz equals the same tree copied', { skip: !have('tar') }, () => {
  withTmp((dir) => {
    makeTree(path.join(dir, 'pkg-1.0'));
    fs.linkSync(path.join(dir, 'pkg-1.0/a.txt'), path.join(dir, 'pkg-1.0/hard'));
    execFileSync('tar', ['czf', 'plain.tar.gz', 'pkg-1.0'], { cwd: dir });
    // An empty directory vanishes, as in CppNix's Git-backed tarball cache (Nix 2.8,
    // which unpacked to disk, kept it).
    fs.mkdirSync(path.join(dir, 'pkg-1.0/empty'));
    execFileSync('tar', ['czf', 'p.tar.gz', 'pkg-1.0'], { cwd: dir });
    execFileSync('tar', ['cf', 'p.tar', 'pkg-1.0'], { cwd: dir });
    fs.rmdirSync(path.join(dir, 'pkg-1.0/empty'));
    const copied = evalStr(`"\${builtins.path { path = ${dir}/pkg-1.0; name = "source"; }}"`);
    assert.equal(evalStr(`builtins.fetchTarball "file://${dir}/p.tar.gz"`), copied);
    assert.equal(evalStr(`builtins.fetchTarball "file://${dir}/p.tar"`), copied);
    assert.equal(evalStr(`(builtins.fetchTree { type = "tarball"; url = "file://${dir}/p.tar.gz"; }).outPath`), copied);
    if (hasNixInstantiate()) {
      const theirs = nix(['--eval', '--strict', '-E', `builtins.fetchTarball "file://${dir}/plain.tar.gz"`], dir);
      if (theirs.status === 0) assert.equal(theirs.stdout, copied);
    }
  });
});

test('fetchTarball refuses compressions it cannot read, naming the URL', { skip: !have('xz') }, () => {
  withTmp((dir) => {
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    execFileSync('tar', ['cJf', 'p.tar.xz', 'f'], { cwd: dir });
    const r = runCli(['eval', '-E', `builtins.fetchTarball "file://${dir}/p.tar.xz"`]);
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes(`cannot unpack 'file://${dir}/p.tar.xz'`), r.stderr);
  });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], {
    cwd,
    env: { ...process.env, GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z' },
    encoding: 'latin1',
  }).trim();

const attrsExpr = (arg: string) =>
  `let r = builtins.fetchGit ${arg}; in builtins.removeAttrs r [ "dirtyRev" "dirtyShortRev" ]`;

test('fetchGit of a local repository: clean, packed, by ref, dirty', { skip: !have('git') }, () => {
  withTmp((dir) => {
    const repo = path.join(dir, 'repo');
    makeTree(repo);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'one');
    fs.appendFileSync(path.join(repo, 'a.txt'), 'more\n');
    git(repo, 'commit', '-qam', 'two');
    git(repo, 'tag', 'v1', 'HEAD~1');
    fs.writeFileSync(path.join(repo, 'untracked'), 'not copied\n');
    const head = git(repo, 'rev-parse', 'HEAD');

    const clean = evalStr(`let r = builtins.fetchGit ${repo}; in [ r.rev r.revCount r.lastModified r.lastModifiedDate (r ? dirtyRev) ]`);
    assert.equal(clean, `[ "${head}" 2 1577836800 "20200101000000" false ]\n`);
    // The tracked files only: the same as copying the tree without the untracked file.
    fs.renameSync(path.join(repo, 'untracked'), path.join(dir, 'untracked'));
    const copied = evalStr(`"\${builtins.path { path = ${repo}; name = "source"; filter = p: t: baseNameOf p != ".git"; }}"`);
    fs.renameSync(path.join(dir, 'untracked'), path.join(repo, 'untracked'));
    assert.equal(evalStr(`(builtins.fetchGit ${repo}).outPath`), copied);

    git(repo, 'gc', '-q');
    assert.equal(evalStr(`(builtins.fetchGit ${repo}).outPath`), copied);
    assert.equal(evalStr(`(builtins.fetchGit { url = "file://${repo}"; ref = "v1"; }).revCount`), '1\n');

    const compare = (arg: string) => {
      if (!hasNixInstantiate()) return;
      const theirs = nix(['--eval', '--strict', '-E', attrsExpr(arg)], dir);
      assert.equal(theirs.status, 0, theirs.stderr);
      assert.equal(evalStr(attrsExpr(arg)), theirs.stdout);
    };
    compare(repo);
    compare(`{ url = ${repo}; ref = "v1"; }`);

    fs.writeFileSync(path.join(repo, 'sub/b.txt'), 'changed\n');
    assert.equal(
      evalStr(`let r = builtins.fetchGit ${repo}; in [ r.rev r.revCount r.dirtyRev ]`),
      `[ "0000000000000000000000000000000000000000" 0 "${head}-dirty" ]\n`,
    );
    compare(repo);
  });
});

test('fetchGit leaves out export-ignore files', { skip: !have('git') }, () => {
  withTmp((dir) => {
    const repo = path.join(dir, 'repo');
    makeTree(repo);
    fs.writeFileSync(path.join(repo, '.gitattributes'), 'sub export-ignore\n*.sh export-ignore\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'one');
    // Expected: the tree without sub/ and run.sh (and without .git).
    const expected = path.join(dir, 'expected');
    fs.mkdirSync(expected);
    fs.writeFileSync(path.join(expected, 'a.txt'), 'one\n');
    fs.symlinkSync('a.txt', path.join(expected, 'link'));
    fs.writeFileSync(path.join(expected, '.gitattributes'), 'sub export-ignore\n*.sh export-ignore\n');
    const want = evalStr(`"\${builtins.path { path = ${expected}; name = "source"; }}"`);
    assert.equal(evalStr(`(builtins.fetchGit ${repo}).outPath`), want);
    assert.equal(evalStr(`(builtins.fetchGit { url = ${repo}; ref = "main"; }).outPath`), want);
    // fetchTree does not apply export-ignore unless asked.
    assert.notEqual(evalStr(`(builtins.fetchTree { type = "git"; url = "file://${repo}"; }).outPath`), want);
  });
});
