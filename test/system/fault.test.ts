/**
 * Fault injection: every operation is killed after each possible number of writes
 * (0, 1, …, W-1 where W is the number of writes of an undisturbed run), on a fresh copy
 * of the same starting root. After each kill the root must satisfy the invariants —
 *   - no generation is lost: every generation link that existed still exists and points
 *     where it pointed; the profile points at an existing generation, the old or the new;
 *   - /run/current-system is the old or the new configuration;
 *   - the boot menu is consistent: every entry's kernel, initrd and init exist,
 *     loader.conf names an existing entry, and that default boots the old or the new
 *     configuration; entries of generations that stay are never missing;
 *   - the lock of the killed run does not block the next one;
 * — and re-running the same command must succeed and leave exactly the state an
 * undisturbed run leaves (boot files, /etc, accounts, profile, running units and the
 * definitions they run with).
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { osAction, type OsOptions } from '../../src/system/os.js';
import { RootFs } from '../../src/system/rootfs.js';
import { listGenerations, SYSTEM_PROFILE } from '../../src/system/profiles.js';
import { readSystemdBootMenu } from '../../src/system/bootentries.js';
import { switchToConfiguration } from '../../src/system/switch.js';
import { SystemdModel } from '../../src/system/systemd-state.js';
import { buildToplevel, capture, copyRoot, dumpTree, FaultHost, FaultInjected, removeRoot, TestHost, tmpRoot } from './helpers.js';
import { seedSpec } from './seed.js';
import type { Host } from '../../src/host.js';

function snapshot(host: Host, root: string): string {
  const fs = new RootFs(host, root);
  let s = dumpTree(host, root, '/boot', true);
  s += dumpTree(host, root, '/nix/var/nix/profiles');
  s += dumpTree(host, root, '/etc').replace(/^\/etc\/\.tmp.*\n/gm, '');
  for (const f of ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/.clean']) s += `--- ${f}\n${fs.readFileOr(f, '(none)')}\n`;
  s += dumpTree(host, root, '/var/lib', true);
  s += dumpTree(host, root, '/home');
  s += dumpTree(host, root, '/run').replace(/^\/run\/nixos\/switch-to-configuration\.lock\n/m, '');
  return s;
}

interface Case {
  name: string;
  prepare: (host: TestHost) => { before: Partial<OsOptions> & { action: OsOptions['action'] } };
}

function seeded(): { host: TestHost; gen1: string; gen2: string } {
  const host = new TestHost(tmpRoot());
  const gen1 = buildToplevel(host, seedSpec({ generation: 1, bootLoader: { systemdBoot: { enable: true, configurationLimit: 2, timeout: 5, editor: false, consoleMode: 'keep', rebootForBitlocker: false } } }));
  const quiet = capture().out;
  assert.equal(osAction(host, { root: host.root, action: 'boot', toplevel: gen1, out: quiet }), 0);
  assert.equal(osAction(host, { root: host.root, action: 'reboot', out: quiet }), 0);
  new SystemdModel(new RootFs(host, host.root)).start('manual.service');
  host.tick();
  const gen2 = buildToplevel(
    host,
    seedSpec({ generation: 2, backupExec: '/nix/store/coreutils-9.6/bin/true', bootLoader: { systemdBoot: { enable: true, configurationLimit: 2, timeout: 5, editor: false, consoleMode: 'keep', rebootForBitlocker: false } } }),
  );
  return { host, gen1, gen2 };
}

function checkInvariants(host: Host, root: string, before: { gens: Map<number, string>; tops: Set<string> }, label: string): void {
  const fs = new RootFs(host, root);
  const gens = listGenerations(fs, SYSTEM_PROFILE);
  for (const [id, target] of before.gens) {
    const g = gens.find((x) => x.id === id);
    assert.ok(g, `${label}: generation ${id} lost`);
    assert.equal(g.target, target, `${label}: generation ${id} retargeted`);
  }
  const cur = fs.resolve(SYSTEM_PROFILE);
  assert.ok(gens.some((g) => g.target === cur), `${label}: profile points nowhere`);
  assert.ok(before.tops.has(cur), `${label}: profile is neither old nor new`);
  const running = fs.resolve('/run/current-system');
  assert.ok(before.tops.has(running), `${label}: current-system ${running} is neither old nor new`);
  const menu = readSystemdBootMenu(fs);
  for (const e of menu.entries) {
    assert.ok(fs.isFile(e.kernel), `${label}: entry ${e.id} kernel ${e.kernel} missing`);
    assert.ok(fs.isFile(e.initrd), `${label}: entry ${e.id} initrd missing`);
    assert.ok(fs.exists(e.init), `${label}: entry ${e.id} init missing`);
  }
  const lc = fs.readFileOr('/boot/loader/loader.conf', undefined);
  assert.ok(lc !== undefined, `${label}: loader.conf missing`);
  assert.ok(menu.entries.some((e) => e.isDefault), `${label}: loader.conf names a missing entry`);
  assert.ok(before.tops.has(fs.resolve(menu.defaultEntry!.toplevel)), `${label}: default entry boots neither old nor new`);
}

type Recover = (h: TestHost, opts: Partial<OsOptions> & { action: OsOptions['action'] }) => number;

function faultSweep(name: string, op: (fixture: ReturnType<typeof seeded>) => { opts: Partial<OsOptions> & { action: OsOptions['action'] }; newTops: string[]; recover?: Recover }) {
  test(`fault injection: ${name}`, () => {
    const fixture = seeded();
    const { opts, newTops, recover } = op(fixture);
    const base = fixture.host;
    const bfs = new RootFs(base, base.root);
    const before = {
      gens: new Map(listGenerations(bfs, SYSTEM_PROFILE).map((g) => [g.id, g.target])),
      tops: new Set([bfs.resolve(SYSTEM_PROFILE), bfs.resolve('/run/current-system'), ...newTops.map((t) => bfs.resolve(t))]),
    };
    // Undisturbed run: count writes and record the final state.
    const clean = copyRoot(base);
    const counter = new FaultHost(clean);
    const cleanCode = osAction(counter, { root: clean.root, out: capture().out, ...opts });
    const total = counter.writes;
    const want = snapshot(clean, clean.root);
    assert.ok(total > 5, `${name}: expected a few writes, got ${total}`);
    for (let n = 0; n < total; n++) {
      const h = copyRoot(base);
      const faulty = new FaultHost(h, n);
      assert.throws(() => osAction(faulty, { root: h.root, out: capture().out, ...opts }), FaultInjected, `${name}: run with budget ${n} did not crash`);
      checkInvariants(h, h.root, before, `${name} killed after ${n} writes`);
      const code = recover ? recover(h, opts) : osAction(h, { root: h.root, out: capture().out, ...opts });
      assert.equal(code, cleanCode, `${name}: retry after ${n} writes exit code`);
      assert.equal(snapshot(h, h.root), want, `${name}: state after retry (killed after ${n} writes) differs from an undisturbed run`);
      removeRoot(h);
    }
    removeRoot(clean);
    removeRoot(base);
    console.log(`# ${name}: ${total} crash points checked`);
  });
}

faultSweep('switch to a new generation', (f) => ({ opts: { action: 'switch', toplevel: f.gen2 }, newTops: [f.gen2] }));
faultSweep('switch -c paul (other users, other kernel)', (f) => ({ opts: { action: 'switch', toplevel: f.gen2, specialisation: 'paul' }, newTops: [f.gen2, `${f.gen2}/specialisation/paul`] }));
faultSweep('boot with configurationLimit 2 after two more generations', (f) => {
  const quiet = capture().out;
  assert.equal(osAction(f.host, { root: f.host.root, action: 'boot', toplevel: f.gen2, out: quiet }), 0);
  f.host.tick();
  const gen3 = buildToplevel(f.host, seedSpec({ generation: 3, bootLoader: { systemdBoot: { enable: true, configurationLimit: 2, timeout: 5, editor: false, consoleMode: 'keep', rebootForBitlocker: false } } }));
  return { opts: { action: 'boot', toplevel: gen3 }, newTops: [gen3] };
});
faultSweep('switch --rollback', (f) => {
  const quiet = capture().out;
  assert.equal(osAction(f.host, { root: f.host.root, action: 'switch', toplevel: f.gen2, out: quiet }), 0);
  // A rollback is not idempotent (a retry would roll back once more), so recovery is what
  // an administrator does: retry it if the profile has not moved yet, else activate the
  // profile's configuration (its switch-to-configuration).
  const recover: Recover = (h, opts) => {
    const fs = new RootFs(h, h.root);
    if (fs.readLink(SYSTEM_PROFILE) === 'system-2-link') return osAction(h, { root: h.root, out: capture().out, ...opts });
    return switchToConfiguration(fs, fs.resolve(SYSTEM_PROFILE), 'switch', { out: capture().out });
  };
  return { opts: { action: 'switch', rollback: true }, newTops: [f.gen1], recover };
});
