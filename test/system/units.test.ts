/**
 * Unit-file parsing and compare_units: the cases of switch-to-configuration-ng's own
 * unit tests, plus drop-ins, `Key=` clearing, [Install] being ignored, and
 * systemd-escape for mount units.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareUnits, parseFstab, parseSystemdBool, parseSystemdIni, parseUnit, pathToMountUnit, type UnitInfo } from '../../src/system/units.js';
import { RootFs } from '../../src/system/rootfs.js';
import { TestHost, tmpRoot } from './helpers.js';

const U = (o: Record<string, Record<string, string[]>>): UnitInfo => new Map(Object.entries(o).map(([k, v]) => [k, new Map(Object.entries(v))]));
const P = (text: string): UnitInfo => {
  const d: UnitInfo = new Map();
  parseSystemdIni(d, text);
  return d;
};

test('compare_units: the upstream cases', () => {
  assert.equal(compareUnits(U({}), U({})), 'equal');
  assert.equal(compareUnits(U({ Unit: {} }), U({})), 'equal');
  assert.equal(compareUnits(U({ Unit: { 'X-Reload-Triggers': ['foobar'] } }), U({})), 'equal');
  assert.equal(compareUnits(U({ foobar: {} }), U({})), 'restart');
  assert.equal(compareUnits(U({ Mount: { Options: [] } }), U({ Mount: { Options: ['ro'] } })), 'reload');
  assert.equal(compareUnits(U({}), U({ Unit: { 'X-Reload-Triggers': ['foobar'] } })), 'reload');
  assert.equal(compareUnits(U({ Unit: { 'X-Reload-Triggers': ['foobar'] } }), U({ Unit: { 'X-Reload-Triggers': ['barfoo'] } })), 'reload');
  assert.equal(compareUnits(U({ Mount: { Type: ['ext4'] } }), U({ Mount: { Type: ['btrfs'] } })), 'restart');
});

test('compare_units: ignored [Unit] keys, restart beats reload, new sections', () => {
  const base = '[Unit]\nDescription=A\n[Service]\nExecStart=/bin/a\n';
  assert.equal(compareUnits(P(base), P(base.replace('Description=A', 'Description=B'))), 'equal');
  assert.equal(compareUnits(P(base), P(base + '[Unit]\nDocumentation=man:a\nOnFailure=x.service\n')), 'equal');
  assert.equal(compareUnits(P(base), P(base.replace('/bin/a', '/bin/b'))), 'restart');
  assert.equal(compareUnits(P(base), P(base + '[Unit]\nX-Reload-Triggers=/nix/store/t\n')), 'reload');
  assert.equal(compareUnits(P(base + '[Unit]\nX-Reload-Triggers=/nix/store/t\n'), P(base.replace('/bin/a', '/bin/b') + '[Unit]\nX-Reload-Triggers=/nix/store/u\n')), 'restart');
  assert.equal(compareUnits(P(base), P(base + '[Unit]\nX-Restart-Triggers=/nix/store/t\n')), 'restart');
  assert.equal(compareUnits(P(base), P(base + '[Timer]\nOnCalendar=daily\n')), 'restart');
  assert.equal(compareUnits(P(base), P(base + '[Install]\nWantedBy=multi-user.target\n')), 'equal', '[Install] is ignored');
});

test('INI parsing: repeated keys accumulate, an empty value clears, quotes stripped, comments skipped', () => {
  const d = P('# comment\n[Service]\nExecStartPre=/a\nExecStartPre=/b\nEnvironment="X=1"\n; also a comment\n');
  assert.deepEqual(d.get('Service')!.get('ExecStartPre'), ['/a', '/b']);
  assert.deepEqual(d.get('Service')!.get('Environment'), ['X=1']);
  parseSystemdIni(d, '[Service]\nExecStartPre=\nExecStartPre=/c\n');
  assert.deepEqual(d.get('Service')!.get('ExecStartPre'), ['/c']);
  parseSystemdIni(d, '[Service]\nExecStartPre=/d\n');
  assert.deepEqual(d.get('Service')!.get('ExecStartPre'), ['/c', '/d']);
  assert.equal(parseSystemdBool(P('[Service]\nX-RestartIfChanged=false\n'), 'Service', 'X-RestartIfChanged', true), false);
  assert.equal(parseSystemdBool(P('[Service]\nX-RestartIfChanged=yes\n'), 'Service', 'X-RestartIfChanged', false), true);
  assert.equal(parseSystemdBool(P('[Service]\n'), 'Service', 'X-RestartIfChanged', true), true);
  assert.equal(P('[Unit]\nAfter=dev-disk-by\\x2dlabel-root.device\n').get('Unit')!.get('After')![0], 'dev-disk-by\\x2dlabel-root.device', 'no unescaping (nixpkgs#315602)');
});

test('parse_unit: base file, its drop-ins, then the instance drop-ins', () => {
  const root = tmpRoot();
  const host = new TestHost(root);
  const fs = new RootFs(host, root);
  fs.write('/u/getty@.service', '[Service]\nExecStart=/bin/agetty\nRestart=always\n');
  fs.write('/u/getty@.service.d/10.conf', '[Service]\nRestart=\nRestart=no\n');
  fs.write('/u/getty@tty1.service.d/20.conf', '[Service]\nTTYPath=/dev/tty1\n');
  const info = parseUnit(fs, '/u/getty@tty1.service', '/u/getty@.service');
  assert.deepEqual(info.get('Service')!.get('Restart'), ['no']);
  assert.deepEqual(info.get('Service')!.get('TTYPath'), ['/dev/tty1']);
});

test('systemd-escape --suffix=mount -p, and fstab parsing', () => {
  assert.equal(pathToMountUnit('/'), '-.mount');
  assert.equal(pathToMountUnit('/nix'), 'nix.mount');
  assert.equal(pathToMountUnit('/home/alice'), 'home-alice.mount');
  assert.equal(pathToMountUnit('/mnt/my-disk'), 'mnt-my\\x2ddisk.mount');
  assert.equal(pathToMountUnit('/srv/.hidden'), 'srv-.hidden.mount');
  assert.equal(pathToMountUnit('/.x'), '\\x2ex.mount');
  const f = parseFstab('# comment\n/dev/sda1 / ext4 defaults 0 1\n/dev/sda2 none swap defaults\nbad line\n');
  assert.deepEqual(f.filesystems.get('/'), { device: '/dev/sda1', fsType: 'ext4', options: 'defaults' });
  assert.ok(f.swaps.has('/dev/sda2'));
});
