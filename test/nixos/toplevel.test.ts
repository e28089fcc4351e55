/**
 * The realised toplevel of the seed example: the layout of nixos-specialisation.md §6
 * (and the contract of src/system/toplevel.ts), boot.json with both children's
 * documents embedded, activation.json, placeholders only where the layout needs a link
 * target — as golden files — and determinism: a second build in another root gives the
 * same paths and bytes.
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../src/cli/node-host.js';
import { RootFs } from '../../src/system/rootfs.js';
import { readBootJson, readToplevel } from '../../src/system/toplevel.js';
import { dumpTree, golden, runCli, seedConfig, tmpDir } from './helpers.js';

function build(root: string): string {
  const r = runCli(['os', 'build', '--root', root, '-I', `nixos-config=${seedConfig}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stderr.endsWith('Done. The new configuration is '), r.stderr);
  return r.stdout.trim();
}

let built: { root: string; toplevel: string } | undefined;
const seedBuild = () => {
  if (!built) {
    const root = tmpDir();
    built = { root, toplevel: build(root) };
  }
  return built;
};

const smallTextFile = (rel: string) =>
  /\/(nixos-version|kernel-params|system|init-interface-version|extra-dependencies|configuration-name|init)$/.test(rel);

test('seed toplevel: layout of the parent and both children (golden)', () => {
  const { root, toplevel } = seedBuild();
  assert.match(toplevel, /^\/nix\/store\/[0-9a-z]{32}-nixos-system-dune-25\.05\.tsnix$/);
  const fs_ = new RootFs(new NodeHost(), root);
  const top = readToplevel(fs_, toplevel);
  const children = [...top.specialisations.entries()];
  assert.deepEqual(children.map(([n]) => n), ['chani', 'paul']);
  let text = `# parent\n${dumpTree(root, toplevel, smallTextFile)}`;
  for (const [name, p] of children) text += `# specialisation ${name}\n${dumpTree(root, p, smallTextFile)}`;
  golden('seed-toplevel-layout', text);
});

test('seed toplevel: boot.json is bootspec v1 with each child embedded (golden)', () => {
  const { root, toplevel } = seedBuild();
  const text = fs.readFileSync(path.join(root, toplevel, 'boot.json'), 'latin1');
  golden('seed-boot-json', text);
  const doc = readBootJson(new RootFs(new NodeHost(), root), toplevel);
  const v1 = doc['org.nixos.bootspec.v1'];
  assert.equal(v1.toplevel, toplevel);
  assert.equal(v1.init, `${toplevel}/init`);
  assert.equal(v1.label, 'NixOS Warbler 25.05.tsnix (Linux 6.12.31)');
  const paul = doc['org.nixos.specialisation.v1'].paul!;
  assert.equal(paul['org.nixos.bootspec.v1'].label, 'NixOS Warbler paul-25.05.tsnix (Linux 6.14.9)');
  assert.deepEqual(paul['org.nixos.specialisation.v1'], {});
  const chaniOnDisk = new RootFs(new NodeHost(), root).readFile(`${toplevel}/specialisation/chani/boot.json`);
  assert.deepEqual(doc['org.nixos.specialisation.v1'].chani, JSON.parse(chaniOnDisk), "the child's whole document is embedded");
});

test('seed toplevel: the activation description the system layer reads (golden)', () => {
  const { root, toplevel } = seedBuild();
  const top = readToplevel(new RootFs(new NodeHost(), root), toplevel);
  assert.equal(top.activation.systemd.defaultTarget, 'graphical.target');
  assert.ok(top.activation.bootLoader.systemdBoot?.enable);
  assert.equal(top.activation.bootLoader.grub, undefined);
  assert.deepEqual(
    top.activation.users.users.filter((u) => u.createHome || u.name === 'root').map((u) => [u.name, u.group, u.home, u.shell]),
    [
      ['alice', 'users', '/home/alice', '/run/current-system/sw/bin/bash'],
      ['root', 'root', '/root', '/run/current-system/sw/bin/bash'],
    ],
  );
  assert.deepEqual(top.activation.users.groups.find((g) => g.name === 'wheel'), { name: 'wheel', gid: 1, members: ['alice'] });
  assert.equal(top.kernelVersion, '6.12.31');
  const paul = readToplevel(new RootFs(new NodeHost(), root), top.specialisations.get('paul')!);
  assert.equal(paul.kernelVersion, '6.14.9');
  assert.notEqual(paul.kernel, top.kernel);
  assert.equal(paul.specialisations.size, 0);
  golden('seed-activation-json', fs.readFileSync(path.join(root, toplevel, 'activation.json'), 'latin1'));
  // Unit files, as the switch planner reads them.
  golden(
    'seed-units',
    ['backup.service', 'display-manager.service', 'dbus.service', 'nix-daemon.service', 'systemd-journald.service.d/overrides.conf']
      .map((u) => `--- ${u}\n${new RootFs(new NodeHost(), root).readFile(`${toplevel}/etc/systemd/system/${u}`)}`)
      .join(''),
  );
});

test('seed toplevel: only the kernel gets a placeholder, clearly marked; nothing half-written is left', () => {
  const { root, toplevel } = seedBuild();
  const kernelDir = path.dirname(fs.readlinkSync(path.join(root, toplevel, 'kernel')));
  const readme = fs.readFileSync(path.join(root, kernelDir, 'README.tsnix'), 'latin1');
  assert.match(readme, /entry of tsnix's package catalogue, not a built package/);
  assert.match(fs.readFileSync(path.join(root, kernelDir, 'bzImage'), 'latin1'), /^tsnix placeholder: .*It is not a kernel image\./s);
  assert.match(new RootFs(new NodeHost(), root).readFile(`${toplevel}/initrd`), /^tsnix placeholder:/);
  // Programs stay unbuilt: the profile links to where they would be.
  const git = new RootFs(new NodeHost(), root).readLink(`${toplevel}/sw/bin/git`);
  assert.match(git, /^\/nix\/store\/[0-9a-z]{32}-git-2\.49\.0\/bin\/git$/);
  assert.ok(!fs.existsSync(path.join(root, git)));
  const store = fs.readdirSync(path.join(root, 'nix/store'));
  assert.deepEqual(store.filter((e) => e.startsWith('.tmp')), []);
});

test('determinism: the same configuration gives the same paths and bytes in another root', () => {
  const { root, toplevel } = seedBuild();
  const root2 = tmpDir();
  assert.equal(build(root2), toplevel);
  const a = new RootFs(new NodeHost(), root);
  const b = new RootFs(new NodeHost(), root2);
  for (const f of ['boot.json', 'activation.json', 'init', 'specialisation/paul/boot.json', 'etc/systemd/system/backup.service']) {
    assert.equal(b.readFile(`${toplevel}/${f}`), a.readFile(`${toplevel}/${f}`), f);
  }
});
