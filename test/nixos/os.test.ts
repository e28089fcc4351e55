/**
 * `tsnix os` end to end on a fresh root with the seed example, as a user runs it:
 * install (boot) and reboot, switch, switch into each specialisation (paul's kernel
 * cannot change at runtime: the notice names its boot entry), nixos-rebuild's refusals
 * (`boot -c`, a missing specialisation), list-generations --json, a changed
 * configuration becoming generation 2, and --rollback. The transcript is a golden file
 * (dates and the temporary root replaced by placeholders).
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../src/cli/node-host.js';
import { RootFs } from '../../src/system/rootfs.js';
import { examplesDir, golden, runCli, seedConfig, tmpDir, withoutWarnings } from './helpers.js';

test('seed on a fresh root: boot, reboot, switch, specialisations, refusals, generations, rollback', () => {
  const root = tmpDir();
  const fs_ = new RootFs(new NodeHost(), root);
  let transcript = '';
  const os = (args: string[], config = seedConfig) => {
    const r = runCli(['os', ...args, '--root', root, '-I', `nixos-config=${config}`]);
    const shown = args.join(' ');
    // stderr, then stdout: `Done. The new configuration is ` (stderr) + the path (stdout).
    const text = withoutWarnings(r.stderr) + r.stdout;
    transcript += `$ tsnix os ${shown}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}[exit ${r.status}]\n`;
    return r;
  };

  assert.equal(os(['boot']).status, 0);
  const gen1 = fs_.resolve('/nix/var/nix/profiles/system');
  assert.equal(os(['reboot']).status, 0);
  assert.equal(fs_.resolve('/run/booted-system'), gen1);
  assert.equal(os(['switch']).status, 0);
  assert.equal(fs_.resolve('/run/current-system'), gen1);
  assert.match(fs_.readFile('/etc/passwd'), /^alice:x:1000:100::\/home\/alice:\/run\/current-system\/sw\/bin\/bash$/m);

  assert.equal(os(['switch', '-c', 'chani']).status, 0);
  assert.equal(fs_.resolve('/run/current-system'), fs_.resolve(`${gen1}/specialisation/chani`));
  assert.equal(fs_.resolve('/nix/var/nix/profiles/system'), gen1, 'the profile always gets the parent');

  const paul = os(['switch', '-c', 'paul']);
  assert.equal(paul.status, 0);
  assert.match(paul.stderr, /warning: the running kernel was booted with a different kernel and initrd than this configuration has;/);
  assert.match(paul.stderr, /reboot into boot entry 'NixOS \(paul\)' \(nixos-generation-1-specialisation-paul\.conf\)/);
  assert.doesNotMatch(fs_.readFile('/etc/passwd'), /^alice:/m, 'paul inherits no user modules');

  const bootC = os(['boot', '-c', 'chani']);
  assert.equal(bootC.status, 1);
  assert.equal(bootC.stderr, "error: '--specialisation' can only be used with 'switch' and 'test'\n");
  const nosuch = os(['switch', '-c', 'nosuch']);
  assert.equal(nosuch.status, 1);
  assert.equal(withoutWarnings(nosuch.stderr), 'error: specialisation not found: nosuch\n');

  const gens = os(['list-generations', '--json']);
  assert.equal(gens.status, 0);
  const list = JSON.parse(gens.stdout) as { generation: number; specialisations: string[]; current: boolean; kernelVersion: string }[];
  assert.deepEqual(list.map((g) => [g.generation, g.specialisations, g.current, g.kernelVersion]), [[1, ['chani', 'paul'], true, '6.12.31']]);

  // A change: one more package in the parent; the switch returns to the base system.
  const changed = tmpDir();
  for (const f of ['configuration.nix', 'hardware-configuration.nix', 'default-only.nix']) {
    fs.copyFileSync(path.join(examplesDir, 'seed', f), path.join(changed, f));
  }
  const cfg = path.join(changed, 'configuration.nix');
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'latin1').replace('[ git vim ]', '[ git vim htop ]'), 'latin1');
  assert.equal(os(['switch'], cfg).status, 0);
  const gen2 = fs_.resolve('/nix/var/nix/profiles/system');
  assert.notEqual(gen2, gen1);
  assert.equal(fs_.readLink('/nix/var/nix/profiles/system'), 'system-2-link');
  assert.equal(fs_.resolve('/run/current-system'), gen2);
  assert.match(fs_.readFile('/etc/passwd'), /^alice:x:1000:/m, 'alice comes back with her uid');

  assert.equal(os(['switch', '--rollback']).status, 0);
  assert.equal(fs_.readLink('/nix/var/nix/profiles/system'), 'system-1-link');
  assert.equal(fs_.resolve('/run/current-system'), gen1);
  assert.equal(os(['list-generations']).status, 0);

  golden(
    'os-seed-session',
    transcript
      .split(root)
      .join('<root>')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'YYYY-MM-DD hh:mm:ss'),
  );
});
