/**
 * The switch planner against NixOS's rules, through golden outputs of dry-activate and
 * switch for one configuration change that exercises every rule at once, plus the
 * exit codes 0, 1, 2, 4 and 100.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { osAction } from '../../src/system/os.js';
import { RootFs } from '../../src/system/rootfs.js';
import { SystemdModel } from '../../src/system/systemd-state.js';
import { switchToConfiguration } from '../../src/system/switch.js';
import { tryLock } from '../../src/system/lock.js';
import { buildToplevel, capture, golden, service, TestHost, tmpRoot, UNITS_BASE, WANTS_BASE, type ToplevelSpec } from './helpers.js';

const FSTAB_OLD = '/dev/sda1 / ext4 defaults 0 1\n/dev/sda2 /home ext4 defaults 0 2\n/dev/sdb1 /data xfs noatime 0 2\n/dev/sdc1 /old btrfs defaults 0 2\n/dev/sda3 none swap defaults\n';
const FSTAB_NEW = '/dev/sda1 / ext4 defaults,noatime 0 1\n/dev/sda2 /home ext4 defaults 0 2\n/dev/sdb2 /data xfs noatime 0 2\n';

function oldUnits(): Record<string, string> {
  return {
    ...UNITS_BASE,
    'changed.service': service('Changed', '/nix/store/a/bin/changed'),
    'restart-only.service': service('Restart only', '/nix/store/a/bin/r', 'X-StopIfChanged=false\n'),
    'reloadable.service': service('Reloadable', '/nix/store/a/bin/rl', 'X-ReloadIfChanged=true\n'),
    'sticky.service': service('Sticky', '/nix/store/a/bin/s', 'X-RestartIfChanged=false\n'),
    'triggered.service': service('Triggered', '/nix/store/a/bin/t') + '[Unit]\nX-Reload-Triggers=/nix/store/conf-1\n',
    'described.service': service('Old description', '/nix/store/a/bin/d'),
    'removed.service': service('Removed', '/nix/store/a/bin/gone'),
    'kept-on-removal.service': service('Kept on removal', '/nix/store/a/bin/k') + '[Unit]\nX-StopOnRemoval=false\n',
    'socketd.service': service('Socket activated', '/nix/store/a/bin/sd'),
    'socketd.socket': '[Unit]\nDescription=socketd socket\n[Socket]\nListenStream=1234\n',
    'cleanup.timer': '[Unit]\nDescription=Cleanup timer\n[Timer]\nOnCalendar=daily\n',
    'getty@.service': service('Getty on %I', '/nix/store/a/bin/agetty %I'),
    'reconf.target': '[Unit]\nDescription=Reconfigured target\nX-StopOnReconfiguration=true\n',
    'Zeta.service': service('Upper case name', '/nix/store/a/bin/z'),
    'home.mount': '[Unit]\nDescription=/home\n[Mount]\nWhat=/dev/sda2\nWhere=/home\nOptions=defaults\n',
  };
}

function newUnits(): Record<string, string> {
  const u = oldUnits();
  delete u['removed.service'];
  delete u['kept-on-removal.service'];
  return {
    ...u,
    'changed.service': service('Changed', '/nix/store/b/bin/changed'),
    'restart-only.service': service('Restart only', '/nix/store/b/bin/r', 'X-StopIfChanged=false\n'),
    'reloadable.service': service('Reloadable', '/nix/store/b/bin/rl', 'X-ReloadIfChanged=true\n'),
    'sticky.service': service('Sticky', '/nix/store/b/bin/s', 'X-RestartIfChanged=false\n'),
    'triggered.service': service('Triggered', '/nix/store/a/bin/t') + '[Unit]\nX-Reload-Triggers=/nix/store/conf-2\n',
    'described.service': service('New description', '/nix/store/a/bin/d'),
    'socketd.service': service('Socket activated', '/nix/store/b/bin/sd'),
    'cleanup.timer': '[Unit]\nDescription=Cleanup timer\n[Timer]\nOnCalendar=hourly\n',
    'getty@.service': service('Getty on %I', '/nix/store/b/bin/agetty %I'),
    'Zeta.service': service('Upper case name', '/nix/store/b/bin/z'),
    'home.mount': '[Unit]\nDescription=/home\n[Mount]\nWhat=/dev/sda2\nWhere=/home\nOptions=defaults,noatime\n',
    'fresh.service': service('Added', '/nix/store/b/bin/fresh'),
  };
}

const WANTED = ['changed.service', 'restart-only.service', 'reloadable.service', 'sticky.service', 'triggered.service', 'described.service', 'removed.service', 'kept-on-removal.service', 'socketd.socket', 'cleanup.timer', 'Zeta.service', 'home.mount', 'reconf.target'];

function booted(spec: ToplevelSpec, manual: string[] = []) {
  const root = tmpRoot();
  const host = new TestHost(root);
  const fs = new RootFs(host, root);
  const top = buildToplevel(host, spec);
  const quiet = capture().out;
  assert.equal(osAction(host, { root, action: 'boot', toplevel: top, out: quiet }), 0);
  assert.equal(osAction(host, { root, action: 'reboot', out: quiet }), 0);
  const m = new SystemdModel(fs);
  for (const u of manual) m.start(u);
  host.tick();
  return { root, host, fs, top };
}

const oldSpec = (): ToplevelSpec => ({ label: 'old', units: oldUnits(), wants: { 'multi-user.target': [...WANTS_BASE['multi-user.target'], ...WANTED] }, fstab: FSTAB_OLD });
const newSpec = (): ToplevelSpec => ({
  label: 'new',
  units: newUnits(),
  wants: { 'multi-user.target': [...WANTS_BASE['multi-user.target'], ...WANTED.filter((u) => u !== 'removed.service' && u !== 'kept-on-removal.service'), 'fresh.service'] },
  fstab: FSTAB_NEW,
});

test('planner: every rule of switch-to-configuration, dry-activate and switch', () => {
  const { root, host, fs } = booted(oldSpec(), ['socketd.service', 'getty@tty1.service']);
  const next = buildToplevel(host, newSpec());
  const cap = capture();
  cap.out('$ dry-activate\n');
  assert.equal(osAction(host, { root, action: 'dry-activate', toplevel: next, out: cap.out }), 0);
  cap.out('$ dry-activate (STC_DISPLAY_ALL_UNITS=1)\n');
  assert.equal(osAction(host, { root, action: 'dry-activate', toplevel: next, out: cap.out, displayAllUnits: true }), 0);
  cap.out('$ switch\n');
  const code = osAction(host, { root, action: 'switch', toplevel: next, out: cap.out });
  assert.equal(code, 0);
  golden('planner-all-rules', cap.text());

  const m = new SystemdModel(fs);
  const active = (u: string) => m.isActive(u);
  assert.ok(!active('removed.service'), 'removed units are stopped');
  assert.ok(active('kept-on-removal.service'), 'X-StopOnRemoval=false keeps it running');
  assert.ok(active('fresh.service'), 'new units come up with their target');
  assert.ok(active('socketd.socket'), 'the socket is restarted instead of its service');
  // Every unit that NixOS restarts or reloads now runs the new definition; sticky does not.
  for (const u of ['changed.service', 'restart-only.service', 'reloadable.service', 'triggered.service', 'Zeta.service', 'cleanup.timer', 'getty@tty1.service']) {
    assert.equal(m.state.units[u]?.loaded, m.fingerprint(u), `${u} runs its new definition`);
  }
  assert.notEqual(m.state.units['sticky.service']!.loaded, m.fingerprint('sticky.service'), 'X-RestartIfChanged=false: still the old one');
  assert.ok(!fs.exists('/run/nixos/start-list') && !fs.exists('/run/nixos/restart-list') && !fs.exists('/run/nixos/reload-list'), 'lists are gone after a complete run');
});

test('planner: units the activation asks to restart or reload', () => {
  const spec = oldSpec();
  const { root, host } = booted(spec);
  const next = buildToplevel(host, { ...spec, label: 'again', restartUnits: ['described.service', 'stopped.service'], reloadUnits: ['changed.service'], units: { ...spec.units, 'stopped.service': service('Stopped', '/bin/x') } });
  const cap = capture();
  assert.equal(osAction(host, { root, action: 'dry-activate', toplevel: next, out: cap.out }), 0);
  assert.equal(osAction(host, { root, action: 'switch', toplevel: next, out: cap.out }), 0);
  golden('planner-activation-requests', cap.text());
});

test('exit 4: a unit fails to start', () => {
  const spec = oldSpec();
  const { root, host, fs } = booted(spec);
  const next = buildToplevel(host, { ...spec, label: 'failing', units: { ...spec.units, 'changed.service': service('Changed', '/nix/store/coreutils/bin/false') } });
  const cap = capture();
  assert.equal(osAction(host, { root, action: 'test', toplevel: next, out: cap.out }), 4);
  golden('planner-exit-4', cap.text());
  assert.equal(new SystemdModel(fs).state.units['changed.service']?.state, 'failed');
  assert.equal(fs.readLink('/run/current-system'), next, 'the rest of the configuration is active');
});

test('exit 100: a new init interface needs a reboot; the boot entry is already installed', () => {
  const spec = oldSpec();
  const { root, host, fs, top } = booted(spec);
  const next = buildToplevel(host, { ...spec, label: 'newinit', initInterface: 'systemd 3' });
  const cap = capture();
  assert.equal(osAction(host, { root, action: 'switch', toplevel: next, out: cap.out }), 100);
  golden('planner-exit-100', cap.text());
  assert.equal(fs.readLink('/run/current-system'), top, 'nothing was activated');
  assert.match(fs.readFile('/boot/loader/loader.conf'), /default nixos-generation-2\.conf/);
});

test('exit 1: lock held; boot loader failure (malformed boot.json)', () => {
  const spec = oldSpec();
  const { root, host, fs, top } = booted(spec);
  const cap = capture();
  const lock = tryLock(fs)!;
  // Another live process holds it: a second tryLock from this process sees our own nonce.
  assert.equal(osAction(host, { root, action: 'switch', toplevel: top, out: cap.out }), 1);
  lock.release();
  const bad = buildToplevel(host, { ...spec, label: 'badjson', rawBootJson: '{"org.nixos.bootspec.v1": ' });
  assert.equal(osAction(host, { root, action: 'switch', toplevel: bad, out: cap.out }), 1);
  golden('planner-exit-1', cap.text().replace(/Unexpected end of JSON input|Expected .*JSON[^,]*/g, '<json error>'));
  assert.equal(fs.readLink('/run/current-system'), top);
});

test('exit 2: the activation fails, units are still handled', () => {
  const spec = oldSpec();
  const { root, host, fs } = booted(spec);
  const next = buildToplevel(host, { ...spec, label: 'badetc', etc: { 'ok.conf': 'x\n' }, units: { ...spec.units, 'changed.service': service('Changed', '/nix/store/c/bin/changed') } });
  // Corrupt the activation description: an etc entry that escapes /etc.
  const act = JSON.parse(fs.readFile(`${next}/activation.json`));
  act.etc.push({ target: '../escape', mode: 'symlink' });
  host.writeFileAtomic(root + `${next}/activation.json`, JSON.stringify(act));
  const cap = capture();
  assert.equal(switchToConfiguration(fs, next, 'test', { out: cap.out }), 2);
  golden('planner-exit-2', cap.text());
  const m = new SystemdModel(fs);
  assert.equal(m.state.units['changed.service']!.loaded, m.fingerprint('changed.service'));
});
