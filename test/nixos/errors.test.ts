/**
 * Configurations NixOS refuses, refused the same way: the conflict example (exactly
 * conflict/expected-error.txt), unknown options with NixOS's suggestions, and NixOS's
 * own assertions for an incomplete configuration, in the "Failed assertions:" format.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conflictDir, nixStr, runCli, tmpDir, withoutWarnings } from './helpers.js';

test('conflict example: `tsnix os build` fails with exactly conflict/expected-error.txt', () => {
  const root = tmpDir();
  const r = runCli(['os', 'build', '--root', root, '-I', `nixos-config=${path.join(conflictDir, 'configuration.nix')}`]);
  assert.equal(r.status, 1);
  const expected = fs.readFileSync(path.join(conflictDir, 'expected-error.txt'), 'latin1').split('<dir>').join(conflictDir);
  // The two definition lines may come in either order (nixos-specialisation.md §5.2).
  const swap = (s: string) => {
    const l = s.split('\n');
    [l[1], l[2]] = [l[2]!, l[1]!];
    return l.join('\n');
  };
  const err = withoutWarnings(r.stderr);
  assert.ok(err === expected || err === swap(expected), `got:\n${r.stderr}`);
  assert.ok(!fs.existsSync(path.join(root, 'nix/var/nix/profiles/system')), 'nothing was installed');
});

test('the parent of the conflict example evaluates on its own; the child is where it fails', () => {
  const cfg = nixStr(path.join(conflictDir, 'configuration.nix'));
  const ok = runCli(['eval', '--strict', '-E', `(import <nixpkgs/nixos> { configuration = ${cfg}; }).config.services.xserver.desktopManager.plasma5.enable`]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, 'false\n');
});

test('an unknown option fails with NixOS message and suggestions, at the deepest missing path', () => {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'configuration.nix'), '{ ... }: { services.xserver.desktopManager.plasma.enable = true; }\n');
  const r = runCli(['os', 'build', '--root', path.join(dir, 'root'), '-I', `nixos-config=${path.join(dir, 'configuration.nix')}`]);
  assert.equal(r.status, 1);
  const err = withoutWarnings(r.stderr);
  assert.ok(err.startsWith("error: The option `services.xserver.desktopManager.plasma' does not exist. Definition values:\n"), err);
  assert.match(err, /Did you mean `services\.xserver\.desktopManager\.plasma5'/);
});

test("an incomplete configuration fails with NixOS's assertions (no root file system, no boot loader device)", () => {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'configuration.nix'), '{ ... }: { system.stateVersion = "25.05"; }\n');
  const r = runCli(['os', 'build', '--root', path.join(dir, 'root'), '-I', `nixos-config=${path.join(dir, 'configuration.nix')}`]);
  assert.equal(r.status, 1);
  assert.equal(
    Buffer.from(r.stderr, 'latin1').toString('utf8'),
    'error:\n' +
      '       Failed assertions:\n' +
      '       - The ‘fileSystems’ option does not specify your root file system.\n' +
      "       - You must set the option ‘boot.loader.grub.devices’ or 'boot.loader.grub.mirroredBoots' to make the system bootable.\n",
  );
});

test('a specialisation with the seed note (no mkDefault) but on Plasma 6 conflicts the same way', () => {
  const dir = tmpDir();
  fs.writeFileSync(
    path.join(dir, 'configuration.nix'),
    `{ ... }: {
  imports = [ ${nixStr(path.join(conflictDir, '../seed/hardware-configuration.nix'))} ];
  services.desktopManager.plasma6.enable = false;
  specialisation.kde.configuration.services.desktopManager.plasma6.enable = true;
}\n`,
  );
  const r = runCli(['os', 'build', '--root', path.join(dir, 'root'), '-I', `nixos-config=${path.join(dir, 'configuration.nix')}`]);
  assert.equal(r.status, 1);
  assert.match(
    withoutWarnings(r.stderr),
    /^error: The option `specialisation\.kde\.configuration\.services\.desktopManager\.plasma6\.enable' has conflicting definition values:\n/,
  );
});
