/**
 * Activation: what `<toplevel>/activate` does in NixOS, driven by activation.json.
 *
 * Order as NixOS's activation script: users and groups first (the `etc` snippet runs
 * after `users`/`groups`), then /etc, and last `/run/current-system`. That last symlink
 * flip is the commit point of an activation: until it happens, the root still says it
 * runs the old configuration, and a retried switch redoes every step (all of them are
 * idempotent).
 *
 * Users and groups follow update-users-groups.pl: existing users and groups keep their
 * ids (and a declared change is refused with NixOS's warning), ids of removed accounts
 * are remembered in /var/lib/nixos/{uid,gid}-map and revived, new normal users get the
 * lowest free uid ≥ 1000, system users and groups the highest free id ≤ 999, users that
 * were declared before and are no longer are removed from passwd/shadow — and nobody's
 * home directory is ever removed. One deliberate change for crash safety: NixOS updates
 * its bookkeeping files (declarative-users/-groups, uid-map, gid-map) *before*
 * rewriting /etc/group and /etc/passwd; a crash in between makes the next run believe
 * that removed users were never declared, so it keeps them forever. Here the account
 * files are written first and the bookkeeping last, so a retried run decides the same.
 *
 * /etc follows setup-etc.pl: `/etc/static` → the toplevel's etc tree; each
 * `environment.etc` entry in symlink mode becomes `/etc/<t>` → `/etc/static/<t>`, the
 * others are copied with their mode and listed in `/etc/.clean`; links into
 * /etc/static that no longer resolve, and copied files no longer declared, are removed.
 */

import { LQ, RQ } from './text.js';
import type { RootFs } from './rootfs.js';
import type { Toplevel, UsersGroupsSpec } from './toplevel.js';
import { reencode, toJsonBytes, utf8Decode } from './toplevel.js';

export type Out = (text: string, fd?: 1 | 2) => void;

export class ActivationError extends Error {}

export interface ActivateOptions {
  dry: boolean;
  out: Out;
}

/** Runs the activation of `toplevel`. Dry runs print only (`would …`). */
export function activate(fs: RootFs, toplevel: Toplevel, o: ActivateOptions): void {
  // Like NixOS's activation script, a failing snippet is reported and the rest still
  // runs (the script exits non-zero at the end, which switch-to-configuration turns
  // into exit code 2).
  const failed: string[] = [];
  const snippet = (name: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof ActivationError)) throw e;
      o.out(e.message + '\n');
      o.out(`Activation script snippet '${name}' failed (1)\n`);
      failed.push(name);
    }
  };
  snippet('users', () => updateUsersGroups(fs, toplevel.activation.users, o));
  if (o.dry) return;
  snippet('etc', () => setupEtc(fs, toplevel, o));
  fs.mkdirp('/run');
  if (fs.readLinkOr('/run/current-system') !== toplevel.path) fs.symlink(toplevel.path, '/run/current-system');
  if (failed.length) throw new ActivationError(`activation failed: ${failed.join(', ')}`);
}

// ---------------------------------------------------------------------------------------
// /etc

const CLEAN_FILE = '/etc/.clean';

export function setupEtc(fs: RootFs, toplevel: Toplevel, o: ActivateOptions): void {
  o.out('setting up /etc...\n');
  const staticTarget = fs.resolve(`${toplevel.path}/etc`);
  if (fs.readLinkOr('/etc/static') !== staticTarget) fs.symlink(staticTarget, '/etc/static');

  const oldClean = (fs.readFileOr(CLEAN_FILE, '') ?? '').split('\n').filter((x) => x);
  const copied: string[] = [];
  const bad: string[] = [];
  for (const e of [...toplevel.activation.etc].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))) {
    const target = e.target.replace(/^\/+/, '');
    if (target === '' || target.split('/').some((c) => c === '..' || c === '.')) {
      bad.push(target);
      continue;
    }
    const dest = `/etc/${target}`;
    if (!fs.exists(`/etc/static/${target}`)) continue;
    if (e.mode === 'symlink' || !e.mode) {
      const want = `/etc/static/${target}`;
      if (fs.readLinkOr(dest) !== want) fs.symlink(want, dest);
    } else {
      const data = fs.readFile(`/etc/static/${target}`);
      const mode = parseInt(e.mode, 8);
      const cur = fs.lstat(dest);
      if (!(cur?.type === 'regular' && fs.readFile(dest) === data)) fs.write(dest, data, Number.isNaN(mode) ? 0o644 : mode);
      copied.push(target);
    }
  }
  // Copied files that are no longer declared go; then the new list is recorded.
  const keep = new Set(copied);
  for (const c of oldClean) if (!keep.has(c) && fs.lstat(`/etc/${c}`)?.type === 'regular') fs.remove(`/etc/${c}`);
  const clean = copied.sort().join('\n') + (copied.length ? '\n' : '');
  if ((fs.readFileOr(CLEAN_FILE, undefined) ?? '') !== clean) fs.write(CLEAN_FILE, clean);
  cleanDanglingStatic(fs, '/etc');
  if (bad.length) throw new ActivationError(bad.map((t) => `error: environment.etc entry ${LQ}${t}${RQ} lies outside /etc`).join('\n'));
}

/** Removes links into /etc/static whose target vanished (setup-etc.pl's `cleanup`). */
function cleanDanglingStatic(fs: RootFs, dir: string): void {
  for (const e of fs.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (p === '/etc/static') continue;
    const st = fs.lstat(p);
    if (st?.type === 'symlink') {
      const t = fs.readLink(p);
      if (t.startsWith('/etc/static/') && !fs.exists(t)) fs.remove(p);
    } else if (st?.type === 'directory') cleanDanglingStatic(fs, p);
  }
}

// ---------------------------------------------------------------------------------------
// users and groups

interface GroupLine {
  name: string;
  password: string;
  gid: number;
  members: string;
}
interface UserLine {
  name: string;
  fakePassword: string;
  uid: number;
  gid: number | string;
  description: string;
  home: string;
  shell: string;
}

function parseGroupFile(text: string | undefined): Map<string, GroupLine> {
  const m = new Map<string, GroupLine>();
  for (const l of (text ?? '').split('\n')) {
    if (l === '') continue;
    const f = l.split(':');
    m.set(f[0]!, { name: f[0]!, password: f[1] ?? '', gid: Number(f[2]), members: f.slice(3).join(':') });
  }
  return m;
}
function parsePasswdFile(text: string | undefined): Map<string, UserLine> {
  const m = new Map<string, UserLine>();
  for (const l of (text ?? '').split('\n')) {
    if (l === '') continue;
    const f = l.split(':');
    m.set(f[0]!, { name: f[0]!, fakePassword: f[1] ?? 'x', uid: Number(f[2]), gid: f[3] ?? '', description: f[4] ?? '', home: f[5] ?? '', shell: f.slice(6).join(':') });
  }
  return m;
}

function readJsonMap(fs: RootFs, p: string): Record<string, number> {
  const t = fs.readFileOr(p, undefined);
  if (t === undefined) return {};
  try {
    return reencode(JSON.parse(utf8Decode(t))) as Record<string, number>;
  } catch {
    return {};
  }
}

/** Perl's `to_json(…, {canonical => 1})`: sorted keys, no spaces. */
function canonicalJson(m: Record<string, number>): string {
  const o: Record<string, number> = {};
  for (const k of Object.keys(m).sort()) o[k] = m[k]!;
  return toJsonBytes(o);
}

function dateToDays(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86400000);
}

export function updateUsersGroups(fs: RootFs, spec: UsersGroupsSpec, o: ActivateOptions): void {
  const dry = o.dry;
  const print = (real: string, would: string, what: string) => o.out(`${dry ? would : real} ${what}\n`);
  const uidMap = readJsonMap(fs, '/var/lib/nixos/uid-map');
  const gidMap = readJsonMap(fs, '/var/lib/nixos/gid-map');
  const gidsUsed = new Set<number>();
  const uidsUsed = new Set<number>();
  const gidsPrev = new Set(Object.values(gidMap));
  const uidsPrev = new Set(Object.values(uidMap));
  for (const g of spec.groups) if (g.gid != null) gidsUsed.add(g.gid);
  for (const u of spec.users) if (u.uid != null) uidsUsed.add(u.uid);

  const groupsCur = parseGroupFile(fs.readFileOr('/etc/group', undefined));
  for (const g of groupsCur.values()) if (!Number.isNaN(g.gid)) gidsUsed.add(g.gid);
  const usersCur = parsePasswdFile(fs.readFileOr('/etc/passwd', undefined));
  for (const u of usersCur.values()) if (!Number.isNaN(u.uid)) uidsUsed.add(u.uid);
  const words = (p: string) => new Set((fs.readFileOr(p, '') ?? '').split(' ').filter((x) => x));
  const declGroups = words('/var/lib/nixos/declarative-groups');
  const declUsers = words('/var/lib/nixos/declarative-users');

  const allocId = (used: Set<number>, prev: Set<number>, min: number, max: number, up: boolean): number => {
    for (let id = up ? min : max; id >= min && id <= max; id += up ? 1 : -1) {
      if (!used.has(id) && !prev.has(id)) {
        used.add(id);
        return id;
      }
      used.add(id);
    }
    throw new ActivationError('update-users-groups.pl: out of free UIDs or GIDs');
  };

  // groups
  const groupsOut = new Map<string, GroupLine>();
  for (const g of spec.groups) {
    const existing = groupsCur.get(g.name);
    const members = new Set(g.members);
    let gid = g.gid ?? undefined;
    let password: string;
    if (existing) {
      if (gid === undefined) gid = existing.gid;
      if (gid !== existing.gid) {
        print('warning: not applying', 'warning: would not apply', `GID change of group ${LQ}${g.name}${RQ} (${existing.gid} -> ${gid}) in /etc/group`);
        gid = existing.gid;
      }
      password = existing.password;
      if (spec.mutableUsers) for (const u of existing.members.split(',').filter((x) => x)) if (!declUsers.has(u)) members.add(u);
    } else {
      if (gid === undefined) {
        const prevGid = gidMap[g.name];
        if (prevGid !== undefined && !gidsUsed.has(prevGid)) {
          print('reviving', 'would revive', `group '${g.name}' with GID ${prevGid}`);
          gidsUsed.add(prevGid);
          gid = prevGid;
        } else gid = allocId(gidsUsed, gidsPrev, 400, 999, false);
      }
      password = 'x';
    }
    groupsOut.set(g.name, { name: g.name, password, gid, members: [...members].sort().join(',') });
    gidMap[g.name] = gid;
  }
  for (const [name, g] of groupsCur) {
    if (groupsOut.has(name)) continue;
    if (!spec.mutableUsers || declGroups.has(name)) print('removing group', 'would remove group', `${LQ}${name}${RQ}`);
    else groupsOut.set(name, g);
  }

  // users
  const usersOut = new Map<string, UserLine & { hashedPassword?: string; expires?: string }>();
  for (const u of spec.users) {
    let gid: number | string;
    if (/^[0-9]$/.test(u.group)) gid = u.group;
    else if (groupsOut.has(u.group)) gid = groupsOut.get(u.group)!.gid;
    else {
      o.out(`warning: user ${LQ}${u.name}${RQ} has unknown group ${LQ}${u.group}${RQ}\n`);
      gid = 65534;
    }
    const existing = usersCur.get(u.name);
    let uid = u.uid ?? undefined;
    let hashed = u.hashedPassword ?? undefined;
    if (existing) {
      if (uid === undefined) uid = existing.uid;
      if (uid !== existing.uid) {
        print('warning: not applying', 'warning: would not apply', `UID change of user ${LQ}${u.name}${RQ} (${existing.uid} -> ${uid}) in /etc/passwd`);
        uid = existing.uid;
      }
    } else {
      if (uid === undefined) {
        const [min, max, up] = u.isSystemUser ? [400, 999, false] : [1000, 29999, true];
        const prevUid = uidMap[u.name];
        if (prevUid !== undefined && prevUid >= min && prevUid <= max && !uidsUsed.has(prevUid)) {
          print('reviving', 'would revive', `user '${u.name}' with UID ${prevUid}`);
          uidsUsed.add(prevUid);
          uid = prevUid;
        } else uid = allocId(uidsUsed, uidsPrev, min, max, up);
      }
      if (hashed === undefined && u.initialHashedPassword != null) hashed = u.initialHashedPassword;
    }
    if (u.createHome && !dry && !fs.exists(u.home)) fs.mkdirp(u.home);
    let shell = u.shell ?? undefined;
    if (shell === undefined) {
      if (existing) shell = existing.shell;
      else {
        o.out(`warning: no declarative or previous shell for ${LQ}${u.name}${RQ}, setting shell to nologin\n`);
        shell = '/run/current-system/sw/bin/nologin';
      }
    }
    usersOut.set(u.name, {
      name: u.name,
      fakePassword: existing?.fakePassword ?? 'x',
      uid,
      gid,
      description: u.description,
      home: u.home,
      shell,
      hashedPassword: hashed,
      expires: u.expires ?? undefined,
    });
    uidMap[u.name] = uid;
  }
  for (const [name, u] of usersCur) {
    if (usersOut.has(name)) continue;
    if (!spec.mutableUsers || declUsers.has(name)) print('removing user', 'would remove user', `${LQ}${name}${RQ}`);
    else usersOut.set(name, u);
  }
  if (dry) return;

  const byNum = <T>(key: (x: T) => number, name: (x: T) => string) => (a: T, b: T) => key(a) - key(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  const groupText = [...groupsOut.values()]
    .sort(byNum((g) => g.gid, (g) => g.name))
    .map((g) => `${g.name}:${g.password}:${g.gid}:${g.members}\n`)
    .join('');
  const passwdText = [...usersOut.values()]
    .sort(byNum((u) => u.uid, (u) => u.name))
    .map((u) => `${u.name}:${u.fakePassword}:${u.uid}:${u.gid}:${u.description}:${u.home}:${u.shell}\n`)
    .join('');
  const shadowNew: string[] = [];
  const seen = new Set<string>();
  for (const line of (fs.readFileOr('/etc/shadow', '') ?? '').split('\n')) {
    if (line === '') continue;
    const f = line.split(':');
    while (f.length < 9) f.push('');
    const u = usersOut.get(f[0]!);
    if (!u) continue;
    if (!spec.mutableUsers) f[1] = '!';
    if (u.hashedPassword !== undefined && !spec.mutableUsers) f[1] = u.hashedPassword;
    if (u.expires !== undefined) f[7] = String(dateToDays(u.expires));
    shadowNew.push(f.slice(0, 9).join(':') + '\n');
    seen.add(f[0]!);
  }
  for (const u of [...usersOut.values()].sort(byNum((x) => x.uid, (x) => x.name))) {
    if (seen.has(u.name)) continue;
    const expires = u.expires !== undefined ? String(dateToDays(u.expires)) : '';
    shadowNew.push(`${u.name}:${u.hashedPassword ?? '!'}:1:::::${expires}:\n`);
  }
  const writeIfChanged = (p: string, text: string, mode?: number) => {
    if (fs.readFileOr(p, undefined) !== text) fs.write(p, text, mode);
  };
  writeIfChanged('/etc/group', groupText);
  writeIfChanged('/etc/passwd', passwdText);
  writeIfChanged('/etc/shadow', shadowNew.join(''), 0o640);
  writeIfChanged('/var/lib/nixos/gid-map', canonicalJson(gidMap));
  writeIfChanged('/var/lib/nixos/uid-map', canonicalJson(uidMap));
  writeIfChanged('/var/lib/nixos/declarative-groups', [...groupsOut.keys()].filter((n) => spec.groups.some((g) => g.name === n)).sort().join(' '));
  writeIfChanged('/var/lib/nixos/declarative-users', spec.users.map((u) => u.name).sort().join(' '));
}
