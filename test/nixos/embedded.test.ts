/**
 * The embedded nixpkgs: its sources are current (generated.ts matches the .nix files),
 * `<nixpkgs/…>` falls back to it only when the search path has no nixpkgs providing
 * the file (a real one wins, file by file), `import <nixpkgs> {}` is the package
 * catalogue (names, versions, kernels, unfree refusal as nixpkgs words it), and the
 * embedded NixOS gives the same system with the real nixpkgs lib as with tsnix's.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nixpkgsSources } from '../../src/nixos/nix/generated.js';
import { evalJson, nixStr, repoRoot, runCli, seedConfig, tmpDir } from './helpers.js';

test('generated.ts holds exactly the .nix sources (run node src/nixos/nix/generate.mjs after editing)', () => {
  const dir = path.join(repoRoot, 'src/nixos/nix');
  const found: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${e}` : e;
      if (fs.statSync(path.join(dir, r)).isDirectory()) walk(r);
      else if (e.endsWith('.nix')) found[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  assert.deepEqual(Object.keys(nixpkgsSources).sort(), Object.keys(found).sort());
  for (const [k, v] of Object.entries(found)) assert.equal(nixpkgsSources[k], v, k);
});

test('<nixpkgs/…> resolves to the embedded files only when no nixpkgs on the path provides them', () => {
  assert.deepEqual(evalJson('[ (toString <nixpkgs/nixos>) (toString <nixpkgs/lib>) (toString <nixpkgs>) ]'), [
    '/__tsnix__/nixpkgs/nixos',
    '/__tsnix__/nixpkgs/lib',
    '/__tsnix__/nixpkgs',
  ]);
  const real = tmpDir();
  fs.mkdirSync(path.join(real, 'nixos'));
  fs.writeFileSync(path.join(real, 'nixos/default.nix'), '{ ... }: "the real nixos"\n');
  // A checkout with nixos/ but no lib/: nixos is the real one, lib still falls back.
  assert.deepEqual(evalJson('[ (import <nixpkgs/nixos> { }) (toString <nixpkgs/lib>) ]', ['-I', `nixpkgs=${real}`]), [
    'the real nixos',
    '/__tsnix__/nixpkgs/lib',
  ]);
});

test('import <nixpkgs> {} is the catalogue: real names and versions, kernels, computed store paths', () => {
  const r = evalJson(`
    let pkgs = import <nixpkgs> { }; in {
      names = map (p: p.name) [ pkgs.git pkgs.firefox pkgs.vim pkgs.zsh pkgs.openssh pkgs.nginx pkgs.postgresql pkgs.kdePackages.plasma-workspace pkgs.gnome-shell pkgs.xfce.xfce4-session pkgs.hello ];
      kernels = map (k: k.kernel.version) [ pkgs.linuxPackages pkgs.linuxPackages_latest pkgs.linuxPackages_6_6 pkgs.linuxPackages_zen ];
      modDir = pkgs.linuxPackages_zen.kernel.modDirVersion;
      helloPath = pkgs.hello.outPath;
      catalogue = pkgs.hello.drvAttrs.tsnixCatalogue;
      script = (pkgs.writeShellScriptBin "hi" "echo hi").drvAttrs.tsnixBuilder;
      aliases = [ (pkgs.vaapiIntel.name) (pkgs.vaapiVdpau.name) ];
    }`) as Record<string, unknown>;
  assert.deepEqual(r.names, [
    'git-2.49.0', 'firefox-139.0.1', 'vim-9.1.1336', 'zsh-5.9', 'openssh-10.0p2', 'nginx-1.28.0', 'postgresql-16.9',
    'plasma-workspace-6.3.5', 'gnome-shell-48.1', 'xfce4-session-4.20.2', 'hello-2.12.2',
  ]);
  assert.deepEqual(r.kernels, ['6.12.31', '6.14.9', '6.6.92', '6.14.8']);
  assert.equal(r.modDir, '6.14.8-zen1');
  assert.match(r.helloPath as string, /^\/nix\/store\/[0-9a-z]{32}-hello-2\.12\.2$/);
  assert.equal(r.catalogue, 'hello-2.12.2');
  assert.equal(r.script, 'text-file');
  assert.deepEqual(r.aliases, ['intel-vaapi-driver-2.4.1', 'libva-vdpau-driver-0.7.4-unstable-2023-11-20']);
});

test('unfree packages are refused as nixpkgs refuses them, unless allowed', () => {
  const r = runCli(['eval', '-E', '(import <nixpkgs> { }).steam.outPath']);
  assert.notEqual(r.status, 0);
  assert.match(Buffer.from(r.stderr, 'latin1').toString('utf8'), /Package ‘steam-1\.0\.0\.83’ in the tsnix package catalogue has an unfree license \(‘steam’\), refusing to evaluate\./);
  assert.equal(evalJson('(import <nixpkgs> { config.allowUnfree = true; }).steam.name'), 'steam-1.0.0.83');
  assert.equal(evalJson('(import <nixpkgs> { }).steam.name'), 'steam-1.0.0.83', 'names stay readable, as in nixpkgs');
});

test('the embedded NixOS gives the same system with the real nixpkgs lib as with the embedded lib', { skip: !fs.existsSync('/work/ext/nixpkgs-lib/lib') }, () => {
  const args = ['instantiate', '<nixpkgs/nixos>', '-A', 'system', '-I', `nixos-config=${seedConfig}`];
  const embedded = runCli(args);
  const real = runCli([...args, '-I', 'nixpkgs=/work/ext/nixpkgs-lib']);
  assert.equal(embedded.status, 0, embedded.stderr);
  assert.equal(real.status, 0, real.stderr);
  assert.equal(real.stdout, embedded.stdout);
  void nixStr;
});
