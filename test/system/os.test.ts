/**
 * End to end on a target root: install (boot) → reboot → switch → specialisations →
 * kernel notice → reboot into a specialisation → rollback, with nixos-rebuild's errors.
 * Outputs are compared with golden files; the assertions spell out the NixOS rules.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { osAction, type OsOptions } from '../../src/system/os.js';
import { RootFs } from '../../src/system/rootfs.js';
import { SystemdModel } from '../../src/system/systemd-state.js';
import { buildToplevel, capture, dumpTree, golden, TestHost, tmpRoot } from './helpers.js';
import { seedSpec } from './seed.js';

function setup() {
  const root = tmpRoot();
  const host = new TestHost(root);
  const fs = new RootFs(host, root);
  const cap = capture();
  const run = (o: Partial<OsOptions> & { action: OsOptions['action'] }) => {
    cap.out(`$ tsnix os ${o.action}${o.specialisation !== undefined ? ` -c ${o.specialisation}` : ''}${o.rollback ? ' --rollback' : ''}${o.entry ? ` --entry ${o.entry}` : ''}\n`);
    const code = osAction(host, { root, out: cap.out, ...o });
    cap.out(`[exit ${code}]\n`);
    return code;
  };
  return { root, host, fs, cap, run };
}

test('seed: install, reboot, switch, specialisations, kernel notice, rollback', () => {
  const { host, fs, cap, run, root } = setup();
  const gen1 = buildToplevel(host, seedSpec({ generation: 1 }));
  assert.equal(run({ action: 'boot', toplevel: gen1 }), 0);
  assert.equal(run({ action: 'reboot' }), 0);
  assert.equal(fs.readLink('/run/booted-system'), gen1);
  assert.equal(fs.readLink('/run/current-system'), gen1);
  host.tick();
  const gen2 = buildToplevel(host, seedSpec({ generation: 2, backupExec: '/nix/store/coreutils-9.6/bin/true' }));
  assert.equal(run({ action: 'dry-activate', toplevel: gen2 }), 0);
  assert.equal(run({ action: 'switch', toplevel: gen2 }), 0);
  assert.equal(run({ action: 'switch', toplevel: gen2, specialisation: 'chani' }), 0);
  assert.equal(fs.readLink('/nix/var/nix/profiles/system'), 'system-2-link');
  assert.equal(fs.resolve('/run/current-system'), fs.resolve(`${gen2}/specialisation/chani`));
  assert.equal(run({ action: 'switch', toplevel: gen2 }), 0);
  assert.equal(fs.readLink('/run/current-system'), gen2, 'a plain switch returns to the base system');
  assert.equal(run({ action: 'test', toplevel: gen2, specialisation: 'paul' }), 0);
  assert.equal(run({ action: 'list-generations' }), 0);
  assert.equal(run({ action: 'list-generations', json: true }), 0);
  assert.equal(run({ action: 'reboot', entry: 'NixOS (paul)' }), 0);
  assert.equal(fs.resolve('/run/booted-system'), fs.resolve(`${gen2}/specialisation/paul`));
  assert.equal(run({ action: 'switch', toplevel: gen2 }), 0);
  assert.equal(run({ action: 'switch', rollback: true }), 0);
  assert.equal(fs.readLink('/nix/var/nix/profiles/system'), 'system-1-link');
  golden('os-seed-session', cap.text());
  golden('os-seed-boot-tree', dumpTree(host, root, '/boot', true));
  golden('os-seed-etc', dumpTree(host, root, '/etc', false) + '--- passwd\n' + fs.readFile('/etc/passwd') + '--- group\n' + fs.readFile('/etc/group') + '--- shadow\n' + fs.readFile('/etc/shadow'));
  const model = new SystemdModel(fs);
  golden('os-seed-systemd-state', JSON.stringify(model.state.units, null, 2) + '\n');
});

test("nixos-rebuild's errors and rules: -c only with switch/test, missing child, rollbacks, list-generations", () => {
  const { host, fs, cap, run } = setup();
  const gen1 = buildToplevel(host, seedSpec({ generation: 1 }));
  assert.equal(run({ action: 'list-generations' }), 1);
  assert.equal(run({ action: 'boot', toplevel: gen1, specialisation: 'chani' }), 1);
  assert.equal(run({ action: 'dry-activate', toplevel: gen1, specialisation: 'chani' }), 1);
  assert.ok(!fs.lstat('/nix/var/nix/profiles/system'), 'nothing was written before the -c checks');
  assert.equal(run({ action: 'switch', toplevel: gen1, specialisation: 'nope' }), 1);
  assert.ok(!fs.lstat('/nix/var/nix/profiles/system'));
  assert.equal(run({ action: 'boot', toplevel: gen1 }), 0);
  assert.equal(run({ action: 'switch', rollback: true }), 1);
  assert.equal(run({ action: 'test', rollback: true }), 1);
  assert.equal(run({ action: 'reboot', entry: 'no-such-entry' }), 1);
  assert.equal(run({ action: 'reboot' }), 0);
  host.tick();
  const gen2 = buildToplevel(host, seedSpec({ generation: 2 }));
  assert.equal(run({ action: 'build', toplevel: gen2 }), 0);
  assert.equal(run({ action: 'dry-build', toplevel: gen2 }), 0);
  assert.equal(run({ action: 'switch', toplevel: gen2 }), 0);
  // test --rollback activates the last non-current generation and leaves the profile alone.
  assert.equal(run({ action: 'test', rollback: true, specialisation: 'chani' }), 0);
  assert.equal(fs.resolve('/run/current-system'), fs.resolve(`${gen1}/specialisation/chani`));
  assert.equal(fs.readLink('/nix/var/nix/profiles/system'), 'system-2-link');
  // Setting the same toplevel again reuses the generation (nix-env --set).
  assert.equal(run({ action: 'boot', toplevel: gen2 }), 0);
  assert.equal(fs.readDir('/nix/var/nix/profiles').filter((e) => e.name.endsWith('-link')).length, 2);
  golden('os-errors', cap.text());
});

test('lock: a live holder blocks, a crashed holder does not', () => {
  const { host, fs, run } = setup();
  const gen1 = buildToplevel(host, seedSpec({ generation: 1 }));
  // A lock left by a process that no longer exists is stale.
  fs.write('/run/nixos/switch-to-configuration.lock', '999999999 1.1\n');
  assert.equal(run({ action: 'boot', toplevel: gen1 }), 0);
  // A lock of a live process (our parent, say) blocks.
  fs.write('/run/nixos/switch-to-configuration.lock', `${process.ppid} 2.2\n`);
  assert.equal(run({ action: 'boot', toplevel: gen1 }), 1);
  fs.remove('/run/nixos/switch-to-configuration.lock');
  assert.equal(run({ action: 'boot', toplevel: gen1 }), 0);
  assert.ok(!fs.lstat('/run/nixos/switch-to-configuration.lock'), 'released after use');
});

test('a never-booted root: switch installs the boot entry and asks for a reboot (exit 100); dry-activate names the kernel change', () => {
  const { host, fs, cap, run } = setup();
  const gen1 = buildToplevel(host, seedSpec({ generation: 1 }));
  assert.equal(run({ action: 'switch', toplevel: gen1 }), 100);
  assert.ok(fs.isFile('/boot/loader/entries/nixos-generation-1.conf'));
  assert.ok(!fs.lstat('/run/current-system'), 'nothing activated');
  assert.equal(run({ action: 'reboot' }), 0);
  assert.equal(run({ action: 'dry-activate', toplevel: gen1, specialisation: undefined }), 0);
  const paul = `${gen1}/specialisation/paul`;
  // dry-activate of the child itself (as `…/specialisation/paul/bin/switch-to-configuration dry-activate`).
  assert.equal(run({ action: 'dry-activate', toplevel: paul }), 0);
  golden('os-fresh-root', cap.text());
  assert.equal(fs.readLink('/run/current-system'), gen1, 'dry-activate changes nothing');
});
