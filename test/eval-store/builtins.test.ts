/**
 * Store-aware builtins where the corpus goldens cannot reach: behaviour Nix 2.8 lacks
 * (`convertHash`, `addDrvOutputDependencies`), errors (whose wording is CppNix 2.36's),
 * fetchers (which must never touch the network), and a `--store` directory read back
 * by a second run. Expected values come from CppNix's documentation and test suite, or
 * from Nix 2.8 where it agrees, as noted.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli.js';
import { corpusDir } from './harness.js';

const evalOk = (expr: string, expected: string, extra: string[] = []) => {
  const r = runCli(['eval', '--strict', ...extra, '-E', expr], { cwd: corpusDir });
  assert.equal(r.stderr, '', r.stderr);
  assert.equal(r.stdout, expected + '\n');
};

const evalFails = (expr: string, ...needles: string[]) => {
  const r = runCli(['eval', '--strict', '--show-trace', '-E', expr], { cwd: corpusDir });
  assert.equal(r.status, 1, r.stdout);
  for (const n of needles) assert.ok(r.stderr.includes(n), `stderr lacks ${JSON.stringify(n)}:\n${r.stderr}`);
  return r.stderr;
};

const mk = (attrs: string) => `derivation ({ system = "x86_64-linux"; builder = "/bin/sh"; } // ${attrs})`;

test('path interpolation: an opaque context', () => {
  // The corpus checks the same path against Nix (path-file).
  evalOk('builtins.getContext "${./data/hello.txt}"', '{ "/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt" = { path = true; }; }');
});

test('toFile: the anchors test vector', () => {
  evalOk('builtins.toFile "x" "y"', '"/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x"');
});

test('toFile refuses derivation outputs', () => {
  evalFails(
    `builtins.toFile "f" "\${${mk('{ name = "a"; }')}}"`,
    "files created by builtins.toFile may not reference derivations, but f references !out!/nix/store/",
  );
});

test('missing path in interpolation', () => {
  evalFails('"${./no-such-file}"', "path '" + fs.realpathSync(corpusDir) + "/no-such-file' does not exist");
});

test('derivation attribute errors are traced to the attribute and the derivation', () => {
  evalFails(
    `(${mk('{ name = "x"; foo = {}; }')}).outPath`,
    "while evaluating attribute 'foo' of derivation 'x'",
    "while evaluating derivation 'x'",
    'cannot coerce a set to a string',
  );
});

test('derivation name is checked first', () => {
  evalFails(`(${mk('{ name = "a b"; }')}).outPath`, "invalid derivation name: name 'a b' contains illegal character ' '");
});

test('fixed outputs: one output only', () => {
  evalFails(
    `(${mk('{ name = "f"; outputs = [ "out" "dev" ]; outputHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; }')}).outPath`,
    'multiple outputs are not supported in fixed-output derivations',
  );
});

test('floating CA derivations need the experimental feature', () => {
  evalFails(`(${mk('{ name = "ca"; __contentAddressed = true; }')}).outPath`, "experimental Nix feature 'ca-derivations' is disabled");
});

test('context builtins', () => {
  const d = mk('{ name = "c"; outputs = [ "out" "dev" ]; }');
  evalOk(
    `let d = ${d}; in [ (builtins.hasContext d.drvPath) (builtins.hasContext "x") (builtins.attrNames (builtins.getContext d.dev.outPath)) ]`,
    '[ true false [ "/nix/store/zflmqvmy35zhfyila6p7vkz8kbfj77yg-c.drv" ] ]',
  );
  evalOk(
    `let d = ${d}; in builtins.getContext (builtins.addDrvOutputDependencies (builtins.unsafeDiscardOutputDependency d.drvPath))`,
    '{ "/nix/store/zflmqvmy35zhfyila6p7vkz8kbfj77yg-c.drv" = { allOutputs = true; }; }',
  );
  evalOk(
    `let d = ${d}; in builtins.getContext (builtins.unsafeDiscardOutputDependency d.drvPath)`,
    '{ "/nix/store/zflmqvmy35zhfyila6p7vkz8kbfj77yg-c.drv" = { path = true; }; }',
  );
  evalFails('builtins.addDrvOutputDependencies ""', "context of string '' must have exactly one element, but has 0");
  evalFails('builtins.appendContext "" { "/tmp/x" = { path = true; }; }', "context key '/tmp/x' is not a store path");
  evalFails(
    `builtins.appendContext "" { "\${builtins.unsafeDiscardStringContext (toString ./data/hello.txt)}" = { }; }`,
    'is not a store path',
  );
});

test('placeholder', () => {
  evalOk('builtins.placeholder "out"', '"/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9"');
});

test('convertHash (not in Nix 2.8; values from the CppNix manual)', () => {
  evalOk(
    'builtins.convertHash { hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; toHashFormat = "sri"; hashAlgo = "sha256"; }',
    '"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="',
  );
  evalOk(
    'builtins.convertHash { hash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; toHashFormat = "nix32"; }',
    '"0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"',
  );
});

test('hashString and hashFile agree', () => {
  evalOk('builtins.hashFile "sha256" ./data/hello.txt == builtins.hashString "sha256" "hello\\n"', 'true');
});

test('storePath adds the store path as context', () => {
  evalOk(
    'builtins.getContext (builtins.storePath "/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x/sub")',
    '{ "/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x" = { path = true; }; }',
  );
  evalFails('builtins.storePath "/tmp"', "path '/tmp' is not in the Nix store");
});

test('builtins.path: unknown arguments and hash mismatches', () => {
  evalFails('builtins.path { path = ./data; foo = 1; }', "unsupported argument 'foo' to 'builtins.path'");
  evalFails(
    'builtins.path { path = ./data/hello.txt; sha256 = "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"; }',
    'store path mismatch in (possibly filtered) path added from',
  );
});

test('fetchers never use the network and say so', () => {
  evalFails('builtins.fetchurl "https://example.org/x.tar.gz"', "cannot fetch 'https://example.org/x.tar.gz'", 'network');
  evalFails('builtins.fetchTarball "https://example.org/x.tar.gz"', "cannot fetch 'https://example.org/x.tar.gz'");
  evalFails('builtins.fetchGit "https://example.org/r.git"', "cannot fetch 'https://example.org/r.git'");
  evalFails('builtins.fetchTree { type = "github"; owner = "NixOS"; repo = "nix"; }', "input type 'github' is not supported");
  evalFails('builtins.fetchurl "https://example.com/~wiggle~"', "invalid store path name when fetching URL 'https://example.com/~wiggle~'");
});

test('fetchurl of a file:// URL (path as Nix 2.8 gives it)', () => {
  evalOk(
    'builtins.fetchurl "file://${toString ./data/hello.txt}"',
    '"/nix/store/gy454w1cxaq731grqwylhzf4pp9r5izh-hello.txt"',
  );
  evalFails(
    'builtins.fetchurl { url = "file://${toString ./data/hello.txt}"; sha256 = "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"; }',
    'hash mismatch in file downloaded from',
  );
});

test('fetchTree of a path is a `source` copy with its NAR hash', () => {
  evalOk(
    'let t = builtins.fetchTree { type = "path"; path = toString ./data/tree; }; in [ (t.outPath == "${builtins.path { path = ./data/tree; name = "source"; }}") t.narHash ]',
    '[ true "sha256-zeXMPS6mg26hAjW+HdY7dekfACUyd7thuFZYuDPaeDs=" ]',
  );
});

test('instantiate: a non-derivation is an error', () => {
  const r = runCli(['instantiate', '-E', '1']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes('expression does not evaluate to a derivation (or a set or list of those)'), r.stderr);
});

test('--store DIR: .drv files are written and read back by a later run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsnix-store-'));
  try {
    const a = runCli(['instantiate', '--store', dir, '-E', mk('{ name = "xr-a"; src = builtins.toFile "s" "x"; }')]);
    assert.equal(a.stdout, '/nix/store/ymw039mw9zd5s7b808ynvdviiinwidxk-xr-a.drv\n', a.stderr);
    assert.ok(fs.existsSync(path.join(dir, 'nix/store/ymw039mw9zd5s7b808ynvdviiinwidxk-xr-a.drv')));
    // A second evaluation that only knows the path: the closure (the .drv and the
    // toFile source it refers to) comes from the directory. Nix 2.8 gives the same.
    const b = runCli([
      'instantiate',
      '--store',
      dir,
      '-E',
      mk(
        '{ name = "xr-b"; x = builtins.appendContext "" { "/nix/store/ymw039mw9zd5s7b808ynvdviiinwidxk-xr-a.drv" = { allOutputs = true; }; }; }',
      ),
    ]);
    assert.equal(b.stdout, '/nix/store/glil71rpzqxpyrmyavrwzp0cgc9rx5mi-xr-b.drv\n', b.stderr);
    assert.equal(
      fs.readFileSync(path.join(dir, 'nix/store/glil71rpzqxpyrmyavrwzp0cgc9rx5mi-xr-b.drv'), 'latin1'),
      'Derive([("out","/nix/store/1vjjzc3nqzq3qwk8kd6d7zzipz4s24c9-xr-b","","")],[("/nix/store/ymw039mw9zd5s7b808ynvdviiinwidxk-xr-a.drv",["out"])],["/nix/store/qi890a9493c7dwya6c1v4f88ijm3hz8i-s","/nix/store/ymw039mw9zd5s7b808ynvdviiinwidxk-xr-a.drv"],"x86_64-linux","/bin/sh",[],[("builder","/bin/sh"),("name","xr-b"),("out","/nix/store/1vjjzc3nqzq3qwk8kd6d7zzipz4s24c9-xr-b"),("system","x86_64-linux"),("x","")])',
    );
    // --eval against the directory adds nothing (read-only mode).
    const before = fs.readdirSync(path.join(dir, 'nix/store')).sort();
    const c = runCli(['eval', '--store', dir, '-E', `(${mk('{ name = "xr-c"; }')}).drvPath`]);
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'nix/store')).sort(), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('flake references: parse and print round trip', () => {
  evalOk(
    'builtins.parseFlakeRef "github:NixOS/nixpkgs/23.05?dir=lib"',
    '{ dir = "lib"; owner = "NixOS"; ref = "23.05"; repo = "nixpkgs"; type = "github"; }',
  );
  for (const ref of [
    'github:NixOS/nixpkgs/23.05?dir=lib',
    'flake:nixpkgs/nixos-23.05',
    'git+https://example.org/repo.git?ref=main&shallow=1',
    'path:/tmp/x?narHash=sha256-abc',
    'https://example.org/x.tar.gz',
  ])
    evalOk(`builtins.flakeRefToString (builtins.parseFlakeRef "${ref}")`, `"${ref}"`);
  evalOk('(builtins.parseFlakeRef "nixpkgs/nixos-23.05").type', '"indirect"');
});
