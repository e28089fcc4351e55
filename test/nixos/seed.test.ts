/**
 * The seed example through `<nixpkgs/nixos>` with no nixpkgs on NIX_PATH (the embedded
 * NixOS): every fact of /work/shared/examples/README.md, the default-only idiom and its
 * caveat, and the specialisation rules of NixOS (no-clone, nested specialisations
 * ignored, names with `/` rejected, inheriting children's lists concatenated).
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evalJson, examplesDir, nixStr, runCli, seedConfig, tmpDir, withoutWarnings } from './helpers.js';

const facts = (configExpr: string) => `
  let
    sys = import <nixpkgs/nixos> { configuration = ${configExpr}; };
    c = sys.config;
    names = map (p: p.name);
    f = cfg: {
      plasma5 = cfg.services.xserver.desktopManager.plasma5.enable;
      gnome = cfg.services.xserver.desktopManager.gnome.enable;
      glExtra = names cfg.hardware.opengl.extraPackages;
      users = builtins.attrNames (builtins.removeAttrs cfg.users.users
        (builtins.filter (n: n != "root" && !cfg.users.users.\${n}.isNormalUser) (builtins.attrNames cfg.users.users)));
      uids = builtins.mapAttrs (_: u: u.uid) (cfg.users.users);
      hostName = cfg.networking.hostName;
      label = cfg.system.nixos.label;
      tags = cfg.system.nixos.tags;
      isSpecialisation = cfg.isSpecialisation;
      specialisations = builtins.attrNames cfg.specialisation;
      backup = cfg.systemd.services ? backup;
      kernel = cfg.boot.kernelPackages.kernel.version;
      autoLogin = cfg.services.displayManager.autoLogin;
      grubDevice = cfg.boot.loader.grub.device;
      packages = names cfg.environment.systemPackages;
    };
  in { parent = f c; chani = f c.specialisation.chani.configuration; paul = f c.specialisation.paul.configuration; }
`;

interface Facts {
  plasma5: boolean;
  gnome: boolean;
  glExtra: string[];
  users: string[];
  uids: Record<string, number | null>;
  hostName: string;
  label: string;
  tags: string[];
  isSpecialisation: boolean;
  specialisations: string[];
  backup: boolean;
  kernel: string;
  autoLogin: { enable: boolean; user: string | null };
  grubDevice: string;
  packages: string[];
}

let seedFacts: { parent: Facts; chani: Facts; paul: Facts } | undefined;
const seed = () => (seedFacts ??= evalJson(facts(nixStr(seedConfig))) as { parent: Facts; chani: Facts; paul: Facts });

test('seed, parent: plasma5 off, VA-API drivers from the default-only module, alice and root, git and vim', () => {
  const p = seed().parent;
  assert.equal(p.plasma5, false);
  assert.deepEqual(p.glExtra, ['intel-vaapi-driver-2.4.1', 'libva-vdpau-driver-0.7.4-unstable-2023-11-20']);
  assert.deepEqual(p.users, ['alice', 'root']);
  assert.ok(p.packages.includes('git-2.49.0') && p.packages.includes('vim-9.1.1336'));
  assert.equal(p.hostName, 'dune');
  assert.equal(p.backup, true);
  assert.equal(p.isSpecialisation, false);
  assert.deepEqual(p.specialisations, ['chani', 'paul']);
  assert.equal(p.label, '25.05.tsnix');
  assert.equal(p.grubDevice, '');
});

test('seed, chani: inherits everything, plasma5 on, the default-only module does not apply', () => {
  const c = seed().chani;
  assert.equal(c.plasma5, true);
  assert.deepEqual(c.glExtra, [], "chani's `specialisation` is {} (no-clone.nix), so the mkIf is false");
  assert.deepEqual(c.specialisations, []);
  assert.equal(c.isSpecialisation, true);
  assert.deepEqual(c.users, ['alice', 'root']);
  assert.equal(c.backup, true);
  assert.equal(c.hostName, 'dune');
  assert.ok(c.packages.includes('git-2.49.0') && c.packages.includes('vim-9.1.1336'));
  assert.equal(c.grubDevice, 'nodev', 'no-clone.nix forces the GRUB device of every child');
  assert.equal(c.kernel, seed().parent.kernel);
});

test('seed, paul: inherits nothing from the user modules, GNOME, autologin as paul (uid 1002), firefox, a newer kernel', () => {
  const p = seed().paul;
  const parent = seed().parent;
  assert.deepEqual(p.users, ['paul', 'root'], 'no alice');
  assert.equal(p.uids.paul, 1002);
  assert.equal(p.backup, false, 'no backup service');
  assert.equal(p.hostName, 'nixos', 'host name back to the default');
  assert.deepEqual(p.tags, ['paul']);
  assert.equal(p.label, 'paul-25.05.tsnix');
  assert.equal(p.gnome, true);
  assert.equal(p.plasma5, false);
  assert.deepEqual(p.autoLogin, { enable: true, user: 'paul' });
  assert.ok(p.packages.includes('firefox-139.0.1'));
  assert.ok(!p.packages.includes('git-2.49.0') && !p.packages.includes('vim-9.1.1336'), 'only firefox of the user packages');
  // What remains comes from the base modules (and GNOME), exactly as for a config without user packages.
  assert.notEqual(p.kernel, parent.kernel);
  assert.equal(p.kernel, '6.14.9');
  assert.deepEqual(p.glExtra, []);
  assert.equal(p.isSpecialisation, true);
});

test('the default-only idiom: with no specialisations at all, `config.specialisation != {}` is false too', () => {
  const dir = tmpDir();
  fs.writeFileSync(
    path.join(dir, 'configuration.nix'),
    `{ lib, ... }: { imports = [ ${nixStr(path.join(examplesDir, 'seed/configuration.nix'))} ]; specialisation = lib.mkForce { }; }\n`,
  );
  const r = evalJson(`(import <nixpkgs/nixos> { configuration = ${nixStr(path.join(dir, 'configuration.nix'))}; }).config.hardware.graphics.extraPackages`);
  assert.deepEqual(r, []);
});

test('the embedded <nixpkgs/nixos> answers the usual invocations', () => {
  const dir = path.join(examplesDir, 'seed');
  const r = runCli(['instantiate', '--eval', '<nixpkgs/nixos>', '-A', 'config.networking.hostName', '-I', 'nixos-config=./configuration.nix'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '"dune"\n');
  const names = evalJson(`builtins.attrNames (import <nixpkgs/nixos> { configuration = ${nixStr(seedConfig)}; })`);
  assert.deepEqual(names, ['config', 'options', 'pkgs', 'system', 'vm', 'vmWithBootLoader']);
  const sys = evalJson(`let s = import <nixpkgs/nixos> { configuration = ${nixStr(seedConfig)}; }; in [ s.system.name s.pkgs.hello.name (s.options.networking.hostName.default) ]`);
  assert.deepEqual(sys, ['nixos-system-dune-25.05.tsnix', 'hello-2.12.2', 'nixos']);
  const drv = runCli(['instantiate', '<nixpkgs/nixos>', '-A', 'system', '-I', `nixos-config=${seedConfig}`]);
  assert.equal(drv.status, 0, drv.stderr);
  assert.match(drv.stdout, /^\/nix\/store\/[0-9a-z]{32}-nixos-system-dune-25\.05\.tsnix\.drv\n$/);
});

test('specialisation rules: nested ones are ignored, inheriting lists concatenate, `/` is rejected', () => {
  const cfg = (body: string) => `({ lib, pkgs, ... }: { imports = [ ${nixStr(path.join(examplesDir, 'seed/hardware-configuration.nix'))} ]; ${body} })`;
  const nested = evalJson(`
    let c = (import <nixpkgs/nixos> { configuration = ${cfg(`
      environment.systemPackages = [ pkgs.cowsay ];
      specialisation.inheritconf.configuration = { environment.systemPackages = [ pkgs.hello ]; specialisation.deeper.configuration = { }; };
      specialisation.noinheritconf = { inheritParentConfig = false; configuration = { imports = [ ${nixStr(path.join(examplesDir, 'seed/hardware-configuration.nix'))} ]; environment.systemPackages = [ pkgs.hello ]; }; };
    `)}; }).config;
        has = cfg: n: builtins.elem n (map (p: p.pname or "") cfg.environment.systemPackages);
    in {
      inherit_ = [ (has c.specialisation.inheritconf.configuration "cowsay") (has c.specialisation.inheritconf.configuration "hello") ];
      noinherit = [ (has c.specialisation.noinheritconf.configuration "cowsay") (has c.specialisation.noinheritconf.configuration "hello") ];
      base = [ (has c "cowsay") (has c "hello") ];
      nested = builtins.attrNames c.specialisation.inheritconf.configuration.specialisation;
    }`);
  // nixos/tests/specialisation.nix, as data.
  assert.deepEqual(nested, { inherit_: [true, true], noinherit: [false, true], base: [true, false], nested: [] });

  const bad = runCli(['instantiate', '-E', `(import <nixpkgs/nixos> { configuration = ${cfg(`specialisation."a/b".configuration = { };`)}; }).system`]);
  assert.notEqual(bad.status, 0);
  assert.ok(
    withoutWarnings(bad.stderr).includes('Failed assertions:\n       - Specialisation names must not contain forward slashes.\n       Invalid specialisation name: a/b'),
    bad.stderr,
  );
});
