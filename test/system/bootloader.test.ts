/**
 * Boot loaders: systemd-boot entries (golden), loader.conf rules, configurationLimit and
 * cleanup, the `switch -c` default-entry quirk (nixpkgs#325233), GRUB's grub.cfg
 * (golden) and its `-c` behaviour, and names that round-trip however odd they are —
 * through symlinks, entry file names, titles, grub.cfg quoting, `-c`, `reboot --entry`
 * and list-generations.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { osAction, type OsOptions } from '../../src/system/os.js';
import { RootFs } from '../../src/system/rootfs.js';
import { readGrubMenu, readSystemdBootMenu } from '../../src/system/bootentries.js';
import { generationConfFilename, parseEntryFilename } from '../../src/system/systemd-boot.js';
import { grubQuote, parseGrubCfg } from '../../src/system/grub.js';
import { buildToplevel, capture, dumpTree, golden, TestHost, tmpRoot, type ToplevelSpec } from './helpers.js';
import { GRUB, seedSpec } from './seed.js';
import type { SystemdBootSettings } from '../../src/system/toplevel.js';

function fresh() {
  const root = tmpRoot();
  const host = new TestHost(root);
  const fs = new RootFs(host, root);
  const cap = capture();
  const run = (o: Partial<OsOptions> & { action: OsOptions['action'] }) => osAction(host, { root, out: cap.out, ...o });
  return { root, host, fs, cap, run };
}

const sd = (o: Partial<SystemdBootSettings> = {}) => ({ systemdBoot: { enable: true, configurationLimit: null, timeout: 5, editor: false, consoleMode: 'keep', rebootForBitlocker: false, ...o } });

test('systemd-boot: entries, loader.conf, sort keys, configurationLimit and cleanup', () => {
  const { host, fs, run, root } = fresh();
  const tops: string[] = [];
  for (let g = 1; g <= 4; g++) {
    const spec = seedSpec({ generation: g, bootLoader: sd({ configurationLimit: 2, timeout: null, consoleMode: 'max' }) });
    // Generation 3's paul decouples its sort key from the parent.
    if (g === 3) spec.specialisations!['paul']!.sortKey = 'paul';
    if (g >= 3) for (const c of Object.values(spec.specialisations!)) c.kernelVersion = `6.6.${70 + g}`;
    if (g >= 3) spec.kernelVersion = `6.6.${70 + g}`;
    tops.push(buildToplevel(host, spec));
    assert.equal(run({ action: 'boot', toplevel: tops[g - 1] }), 0);
    host.tick();
  }
  golden('systemd-boot-limit', dumpTree(host, root, '/boot', true));
  const names = fs.readDir('/boot/loader/entries').map((e) => e.name);
  assert.deepEqual(names, [
    'nixos-generation-3-specialisation-chani.conf',
    'nixos-generation-3-specialisation-paul.conf',
    'nixos-generation-3.conf',
    'nixos-generation-4-specialisation-chani.conf',
    'nixos-generation-4-specialisation-paul.conf',
    'nixos-generation-4.conf',
  ]);
  assert.equal(fs.readFile('/boot/loader/loader.conf'), 'timeout menu-force\ndefault nixos-generation-4.conf\neditor 0\nconsole-mode max\n');
  assert.ok(!fs.readDir('/boot/EFI/nixos').some((e) => e.name.includes('6.6.63')), 'kernels of dropped generations are removed');
  assert.equal(fs.readDir('/nix/var/nix/profiles').filter((e) => e.name.endsWith('-link')).length, 4, 'generations themselves are kept');
});

test('systemd-boot: switch -c keeps the old default entry (nixpkgs#325233); the profile gets the parent', () => {
  const { host, fs, run } = fresh();
  const g1 = buildToplevel(host, seedSpec({ generation: 1 }));
  assert.equal(run({ action: 'boot', toplevel: g1 }), 0);
  assert.equal(run({ action: 'reboot' }), 0);
  host.tick();
  const g2 = buildToplevel(host, seedSpec({ generation: 2 }));
  assert.equal(run({ action: 'switch', toplevel: g2, specialisation: 'chani' }), 0);
  assert.equal(fs.readLink('/nix/var/nix/profiles/system'), 'system-2-link');
  assert.ok(fs.isFile('/boot/loader/entries/nixos-generation-2-specialisation-chani.conf'));
  assert.match(fs.readFile('/boot/loader/loader.conf'), /^default nixos-generation-1\.conf$/m, 'the default entry was not updated');
  assert.equal(run({ action: 'switch', toplevel: g2 }), 0);
  assert.match(fs.readFile('/boot/loader/loader.conf'), /^default nixos-generation-2\.conf$/m, 'a plain switch updates it');
  for (const e of readSystemdBootMenu(fs).entries.filter((x) => x.isDefault)) assert.equal(e.specialisation, undefined, 'default is never a specialisation');
});

test('GRUB: grub.cfg structure (golden), submenus, configuration-name, and switch -c', () => {
  const { host, fs, run, root, cap } = fresh();
  const s1 = seedSpec({ generation: 1, bootLoader: GRUB });
  const g1 = buildToplevel(host, s1);
  assert.equal(run({ action: 'boot', toplevel: g1 }), 0);
  assert.equal(run({ action: 'reboot' }), 0);
  host.tick();
  const s2 = seedSpec({ generation: 2, bootLoader: GRUB });
  s2.specialisations!['chani']!.configurationName = 'Plasma desktop';
  const g2 = buildToplevel(host, s2);
  assert.equal(run({ action: 'switch', toplevel: g2 }), 0);
  const plain = buildToplevel(host, { label: 'plain', bootLoader: GRUB });
  assert.equal(run({ action: 'boot', toplevel: plain }), 0);
  assert.equal(run({ action: 'switch', toplevel: g2 }), 0);
  golden('grub-cfg', fs.readFile('/boot/grub/grub.cfg'));
  const menu = readGrubMenu(fs);
  assert.deepEqual(
    menu.entries.map((e) => e.id),
    [
      'NixOS - Default',
      'NixOS - Plasma desktop',
      'NixOS - (paul - 1970-01-01 - paul-25.11.20260101.abcdef0)',
      'NixOS - All configurations>> NixOS - Configuration 4 (2026-01-02 - 25.11.20260101.abcdef0)>NixOS - Configuration 4 - Default (2026-01-02 - 25.11.20260101.abcdef0)',
      'NixOS - All configurations>> NixOS - Configuration 4 (2026-01-02 - 25.11.20260101.abcdef0)>NixOS - Configuration 4 - Plasma desktop',
      'NixOS - All configurations>> NixOS - Configuration 4 (2026-01-02 - 25.11.20260101.abcdef0)>NixOS - Configuration 4 - (paul - 1970-01-01 - paul-25.11.20260101.abcdef0)',
      'NixOS - All configurations>NixOS - Configuration 3 (2026-01-02 - plain)',
      'NixOS - All configurations>> NixOS - Configuration 2 (2026-01-02 - 25.11.20260101.abcdef0)>NixOS - Configuration 2 - Default (2026-01-02 - 25.11.20260101.abcdef0)',
      'NixOS - All configurations>> NixOS - Configuration 2 (2026-01-02 - 25.11.20260101.abcdef0)>NixOS - Configuration 2 - Plasma desktop',
      'NixOS - All configurations>> NixOS - Configuration 2 (2026-01-02 - 25.11.20260101.abcdef0)>NixOS - Configuration 2 - (paul - 1970-01-01 - paul-25.11.20260101.abcdef0)',
      'NixOS - All configurations>> NixOS - Configuration 1 (2026-01-01 - 25.11.20260101.abcdef0)>NixOS - Configuration 1 - Default (2026-01-01 - 25.11.20260101.abcdef0)',
      'NixOS - All configurations>> NixOS - Configuration 1 (2026-01-01 - 25.11.20260101.abcdef0)>NixOS - Configuration 1 - (chani - 1970-01-01 - 25.11.20260101.abcdef0)',
      'NixOS - All configurations>> NixOS - Configuration 1 (2026-01-01 - 25.11.20260101.abcdef0)>NixOS - Configuration 1 - (paul - 1970-01-01 - paul-25.11.20260101.abcdef0)',
    ],
  );
  assert.equal(menu.defaultEntry?.title, 'NixOS - Default', 'GRUB default 0 is the base configuration');
  // switch -c: GRUB puts the child itself at the top as `NixOS` (derived from install-grub.pl).
  assert.equal(run({ action: 'switch', toplevel: g2, specialisation: 'paul' }), 0);
  const after = readGrubMenu(fs);
  assert.equal(after.entries[0]!.title, 'NixOS');
  assert.equal(fs.resolve(after.entries[0]!.toplevel), fs.resolve(`${g2}/specialisation/paul`));
  assert.ok(!cap.text().includes('error'));
});

const ODD = ['with space', `quote"and'apos`, 'dollar$ign', 'back\\slash', 'ünïcødé', 'new\nline', '-dash', 'x-generation-7', 'semi;colon', '{brace}', '#hash'];

function oddSpec(bootLoader: ToplevelSpec["bootLoader"] = sd()): ToplevelSpec {
  const children: Record<string, ToplevelSpec> = {};
  for (const n of ODD) children[Buffer.from(n, 'utf8').toString('latin1')] = { label: `child-${ODD.indexOf(n)}`, bootLoader, etc: { marker: n } };
  return { label: 'odd', specialisations: children, bootLoader };
}

test('odd specialisation names round-trip: systemd-boot entries, -c, reboot --entry, list-generations', () => {
  const { host, fs, run, cap } = fresh();
  const top = buildToplevel(host, oddSpec());
  assert.equal(run({ action: 'boot', toplevel: top }), 0);
  assert.equal(run({ action: 'reboot' }), 0);
  const menu = readSystemdBootMenu(fs);
  for (const raw of ODD) {
    const n = Buffer.from(raw, 'utf8').toString('latin1');
    const file = generationConfFilename(undefined, 1, n);
    assert.deepEqual(parseEntryFilename(file), { profile: undefined, generation: 1, specialisation: n });
    const e = menu.entries.find((x) => x.id === file);
    assert.ok(e, `entry for ${JSON.stringify(raw)}`);
    assert.equal(e.title, `NixOS (${n})`);
    assert.equal(e.specialisation, n);
    assert.equal(fs.resolve(e.toplevel), fs.resolve(`${top}/specialisation/${n}`));
    cap.clear();
    assert.equal(run({ action: 'switch', toplevel: top, specialisation: n }), 0, cap.text());
    assert.equal(fs.resolve('/run/current-system'), fs.resolve(`${top}/specialisation/${n}`));
    assert.equal(run({ action: 'reboot', entry: file }), 0, cap.text());
    assert.equal(fs.resolve('/run/booted-system'), fs.resolve(`${top}/specialisation/${n}`));
    if (!raw.includes('\n')) {
      assert.equal(run({ action: 'reboot', entry: `NixOS (${n})` }), 0);
      assert.equal(fs.resolve('/run/booted-system'), fs.resolve(`${top}/specialisation/${n}`));
    }
  }
  cap.clear();
  assert.equal(run({ action: 'list-generations' }), 0);
  assert.equal(run({ action: 'list-generations', json: true }), 0);
  golden('odd-names-list-generations', cap.stdout());
  assert.equal(run({ action: 'switch', toplevel: top, specialisation: 'missing' }), 1);
});

test('odd specialisation names round-trip through grub.cfg quoting', () => {
  const { host, fs, run } = fresh();
  const top = buildToplevel(host, oddSpec(GRUB));
  assert.equal(run({ action: 'boot', toplevel: top }), 0);
  const cfg = fs.readFile('/boot/grub/grub.cfg');
  const menu = readGrubMenu(fs);
  for (const raw of ODD) {
    const n = Buffer.from(raw, 'utf8').toString('latin1');
    const title = `NixOS - (${n} - 1970-01-01 - child-${ODD.indexOf(raw)})`;
    assert.ok(cfg.includes(`menuentry ${grubQuote(title)}`), `quoted ${JSON.stringify(raw)}`);
    const e = menu.entries.find((x) => x.id === title);
    assert.ok(e, `parsed back ${JSON.stringify(raw)}`);
    assert.equal(fs.resolve(e.toplevel), fs.resolve(`${top}/specialisation/${n}`));
    assert.equal(run({ action: 'reboot', entry: title }), 0);
    assert.equal(fs.resolve('/run/booted-system'), fs.resolve(`${top}/specialisation/${n}`));
  }
  assert.equal(parseGrubCfg('menuentry "a \\"b\\" \\$c \\\\d" {\n  linux /k init=/x/init\n  initrd /i\n}\n').entries[0]!.path[0], 'a "b" $c \\d');
});
