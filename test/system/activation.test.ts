/**
 * Activation: accounts as update-users-groups.pl keeps them (uids kept, removed users'
 * ids remembered and revived, homes never removed, declared id changes refused, dry
 * runs write nothing) and /etc as setup-etc.pl lays it out (links into /etc/static,
 * copied files with modes and /etc/.clean, stale links and files removed).
 */

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { activate, updateUsersGroups } from '../../src/system/activation.js';
import { RootFs } from '../../src/system/rootfs.js';
import { readToplevel } from '../../src/system/toplevel.js';
import { buildToplevel, capture, defaultGroups, normalUser, rootUser, TestHost, tmpRoot } from './helpers.js';
import type { UsersGroupsSpec } from '../../src/system/toplevel.js';

function root() {
  const r = tmpRoot();
  const host = new TestHost(r);
  return { host, fs: new RootFs(host, r) };
}

const spec = (users: UsersGroupsSpec['users'], groups = defaultGroups(), mutableUsers = true): UsersGroupsSpec => ({ mutableUsers, users: [rootUser(), ...users], groups });

test('users: allocation, uid preservation, removal without touching homes, revival', () => {
  const { fs } = root();
  const cap = capture();
  const o = { dry: false, out: cap.out };
  updateUsersGroups(fs, spec([normalUser('alice'), normalUser('bob'), { ...normalUser('svc'), isSystemUser: true, createHome: false, home: '/var/empty' }], defaultGroups([{ name: 'svc', members: [] }])), o);
  assert.equal(
    fs.readFile('/etc/passwd'),
    'root:x:0:0:System administrator:/root:/run/current-system/sw/bin/bash\n' +
      'svc:x:999:100::/var/empty:/run/current-system/sw/bin/bash\n' +
      'alice:x:1000:100::/home/alice:/run/current-system/sw/bin/bash\n' +
      'bob:x:1001:100::/home/bob:/run/current-system/sw/bin/bash\n',
  );
  assert.match(fs.readFile('/etc/group'), /^svc:x:999:$/m, 'system groups count down from 999');
  assert.ok(fs.isDir('/home/alice') && fs.isDir('/home/bob'));
  assert.equal(fs.readFile('/etc/shadow'), 'root:!:1::::::\nsvc:!:1::::::\nalice:!:1::::::\nbob:!:1::::::\n');
  fs.write('/home/alice/notes.txt', 'keep me\n');

  // alice goes away: removed from passwd and shadow, her home stays; carol must not get 1000.
  updateUsersGroups(fs, spec([normalUser('bob'), normalUser('carol')]), o);
  assert.ok(!/^alice:/m.test(fs.readFile('/etc/passwd')));
  assert.ok(!/^alice:/m.test(fs.readFile('/etc/shadow')));
  assert.equal(fs.readFile('/home/alice/notes.txt'), 'keep me\n', "nobody's home is removed");
  assert.match(fs.readFile('/etc/passwd'), /^carol:x:1002:/m, 'uids of removed users are not reused');
  assert.match(fs.readFile('/etc/passwd'), /^bob:x:1001:/m, 'existing users keep their uid');

  // alice comes back: her old uid is revived; a declared uid change is refused.
  updateUsersGroups(fs, spec([normalUser('alice'), normalUser('bob', { uid: 1500 }), normalUser('carol')]), o);
  assert.match(fs.readFile('/etc/passwd'), /^alice:x:1000:/m);
  assert.match(fs.readFile('/etc/passwd'), /^bob:x:1001:/m);
  assert.equal(
    cap.text(),
    `removing group ${q('svc')}\nremoving user ${q('svc')}\nremoving user ${q('alice')}\n` +
      "reviving user 'alice' with UID 1000\n" +
      `warning: not applying UID change of user ${q('bob')} (1001 -> 1500) in /etc/passwd\n`,
  );
});

function q(s: string): string {
  return Buffer.from(`‘${s}’`).toString('latin1');
}

test('users: imperative users survive with mutableUsers, not without; dry runs write nothing', () => {
  const { fs } = root();
  const o = { dry: false, out: capture().out };
  updateUsersGroups(fs, spec([normalUser('alice')]), o);
  fs.write('/etc/passwd', fs.readFile('/etc/passwd') + 'guest:x:2000:100::/home/guest:/bin/sh\n');
  updateUsersGroups(fs, spec([normalUser('alice')]), o);
  assert.match(fs.readFile('/etc/passwd'), /^guest:/m, 'mutableUsers keeps users nobody declared');
  const before = fs.readFile('/etc/passwd');
  const dry = capture();
  updateUsersGroups(fs, spec([], defaultGroups(), false), { dry: true, out: dry.out });
  assert.equal(fs.readFile('/etc/passwd'), before);
  assert.equal(dry.text(), `would remove user ${q('alice')}\nwould remove user ${q('guest')}\n`);
  updateUsersGroups(fs, spec([], defaultGroups(), false), o);
  assert.ok(!/^guest:/m.test(fs.readFile('/etc/passwd')));
});

test('/etc: links into /etc/static, copied files, cleanup of what is no longer declared', () => {
  const { host, fs } = root();
  const out = capture().out;
  const a = buildToplevel(host, { label: 'a', etc: { 'motd': 'hello\n', 'sudoers': { text: 'root ALL\n', mode: '0440' }, 'ssh/sshd_config': 'Port 22\n' } });
  activate(fs, readToplevel(fs, a), { dry: false, out });
  assert.equal(fs.readLink('/etc/motd'), '/etc/static/motd');
  assert.equal(fs.readFile('/etc/motd'), 'hello\n');
  assert.equal(fs.lstat('/etc/sudoers')?.type, 'regular');
  assert.equal(fs.readFile('/etc/.clean'), 'sudoers\n');
  assert.equal(fs.readFile('/etc/ssh/sshd_config'), 'Port 22\n');
  assert.equal(fs.readLink('/run/current-system'), a);
  const b = buildToplevel(host, { label: 'b', etc: { 'issue': 'welcome\n' } });
  activate(fs, readToplevel(fs, b), { dry: false, out });
  assert.ok(!fs.lstat('/etc/motd'), 'stale link removed');
  assert.ok(!fs.lstat('/etc/sudoers'), 'copied file no longer declared is removed');
  assert.ok(!fs.lstat('/etc/ssh/sshd_config'));
  assert.equal(fs.readFile('/etc/issue'), 'welcome\n');
  assert.equal(fs.readFile('/etc/.clean'), '');
});
