/**
 * Test scaffolding for the system layer: temporary roots, a host with a controllable
 * clock and file times, a fault-injecting host, synthetic toplevels, and golden files.
 *
 * File times matter because NixOS dates boot entries by the ctime of the store path
 * and GRUB submenus by the mtime of the generation link. Real ctimes cannot be set, so
 * `TestHost` reports times it recorded itself: every path it creates gets the fake
 * clock's time, store paths get the build time the builder registered as ctime and
 * Nix's normalised mtime (1 s after the epoch). Outputs are then reproducible to the
 * byte and golden files can hold them.
 *
 * `FaultHost` counts mutating calls (atomic writes, symlinks, renames, removals) and
 * throws `FaultInjected` at the N-th and every later one: a process killed at that
 * point, with every earlier write durable (they are atomic and fsynced) and nothing
 * after it.
 */

import * as fsn from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { NodeHost } from '../../src/cli/node-host.js';
import type { Host, Stat } from '../../src/host.js';
import type { ActivationDescription, BootJson, BootLoaderSettings, EtcEntry, GroupSpec, UserSpec } from '../../src/system/toplevel.js';
import { toJsonBytes } from '../../src/system/toplevel.js';
import { fnv1a } from '../../src/system/systemd-state.js';

export function tmpRoot(): string {
  return fsn.mkdtempSync(path.join(os.tmpdir(), 'tsnix-root-'));
}

export class TestHost extends NodeHost {
  clock = 1_767_225_600; // 2026-01-01T00:00:00Z
  // Keyed by path relative to the root, so a copied root keeps its file times.
  private times = new Map<string, number>();
  private storeCtimes = new Map<string, number>();
  constructor(readonly root: string) {
    super({});
  }
  /** The same fake clock and file times over a copy of the root at `root`. */
  withRoot(root: string): TestHost {
    const h = new TestHost(root);
    h.clock = this.clock;
    h.times = new Map(this.times);
    h.storeCtimes = new Map(this.storeCtimes);
    return h;
  }
  override now(): number {
    return this.clock;
  }
  /** Advance the fake clock by whole days (dates in outputs move visibly). */
  tick(days = 1): void {
    this.clock += days * 86400;
  }
  private rel(p: string): string | undefined {
    return p === this.root ? '/' : p.startsWith(this.root + '/') ? p.slice(this.root.length) : undefined;
  }
  registerStorePath(hostPath: string, ctime: number): void {
    this.storeCtimes.set(this.rel(hostPath) ?? hostPath, ctime);
  }
  private fake(p: string, st: Stat | undefined): Stat | undefined {
    if (!st) return st;
    const r = this.rel(p);
    if (r === undefined) return st;
    if (r.startsWith('/nix/store/')) {
      const top = '/nix/store/' + r.slice('/nix/store/'.length).split('/')[0];
      return { ...st, mtimeMs: 1000, ctimeMs: (this.storeCtimes.get(top) ?? 1) * 1000 };
    }
    const t = this.times.get(r);
    return t === undefined ? st : { ...st, mtimeMs: t * 1000, ctimeMs: t * 1000 };
  }
  override lstat(p: string): Stat | undefined {
    return this.fake(p, super.lstat(p));
  }
  override stat(p: string): Stat | undefined {
    const st = super.stat(p);
    if (!st) return st;
    let real = p;
    try {
      real = super.realPath(p);
    } catch {
      /* keep p */
    }
    return this.fake(real, st);
  }
  private mark(p: string): void {
    const r = this.rel(p);
    if (r !== undefined) this.times.set(r, this.clock);
  }
  override writeFileAtomic(p: string, data: string | Uint8Array, mode?: number): void {
    super.writeFileAtomic(p, data, mode);
    this.mark(p);
  }
  override symlinkAtomic(target: string, p: string): void {
    super.symlinkAtomic(target, p);
    this.mark(p);
  }
}

/** Deletes a temporary root. */
export function removeRoot(host: TestHost): void {
  fsn.rmSync(host.root, { recursive: true, force: true });
}

/** Copies a root (symlinks verbatim) for another run from the same starting state. */
export function copyRoot(host: TestHost): TestHost {
  const dst = tmpRoot();
  fsn.cpSync(host.root, dst, { recursive: true, verbatimSymlinks: true });
  return host.withRoot(dst);
}

export class FaultInjected extends Error {}

/** Delegates to `inner`; the `budget`+1-th mutating call (and all later ones) throw. */
export class FaultHost implements Host {
  writes = 0;
  constructor(
    readonly inner: Host,
    public budget: number = Infinity,
  ) {}
  private tick(): void {
    if (this.writes >= this.budget) throw new FaultInjected(`fault injected after ${this.budget} writes`);
    this.writes++;
  }
  readFile(p: string) {
    return this.inner.readFile(p);
  }
  lstat(p: string) {
    return this.inner.lstat(p);
  }
  stat(p: string) {
    return this.inner.stat(p);
  }
  readDir(p: string) {
    return this.inner.readDir(p);
  }
  readLink(p: string) {
    return this.inner.readLink(p);
  }
  realPath(p: string) {
    return this.inner.realPath(p);
  }
  writeFileAtomic(p: string, d: string | Uint8Array, m?: number) {
    this.tick();
    this.inner.writeFileAtomic(p, d, m);
  }
  mkdirp(p: string) {
    if (this.writes >= this.budget) throw new FaultInjected('fault injected (mkdir)');
    this.inner.mkdirp(p);
  }
  symlinkAtomic(t: string, p: string) {
    this.tick();
    this.inner.symlinkAtomic(t, p);
  }
  remove(p: string) {
    this.tick();
    this.inner.remove(p);
  }
  rename(a: string, b: string) {
    this.tick();
    this.inner.rename(a, b);
  }
  getEnv(n: string) {
    return this.inner.getEnv(n);
  }
  cwd() {
    return this.inner.cwd();
  }
  now() {
    return this.inner.now();
  }
  stderr(t: string) {
    this.inner.stderr(t);
  }
  pid() {
    return (this.inner as NodeHost).pid();
  }
  processAlive(pid: number) {
    return (this.inner as NodeHost).processAlive(pid);
  }
}

// ---------------------------------------------------------------------------------------
// Synthetic toplevels

export interface ToplevelSpec {
  hostName?: string;
  /** nixos-version (system.nixos.label) */
  label: string;
  kernelVersion?: string;
  kernelParams?: string[];
  initInterface?: string;
  etc?: Record<string, string | { text: string; mode: string }>;
  /** etc/systemd/system/<name> → content; `name.d/x.conf` keys make drop-ins. */
  units?: Record<string, string>;
  /** target → units it wants (etc/systemd/system/<target>.wants/<unit> links). */
  wants?: Record<string, string[]>;
  users?: UserSpec[];
  groups?: GroupSpec[];
  mutableUsers?: boolean;
  bootLoader?: BootLoaderSettings;
  specialisations?: Record<string, ToplevelSpec>;
  configurationName?: string;
  sortKey?: string;
  systemdPackage?: string;
  defaultTarget?: string;
  restartUnits?: string[];
  reloadUnits?: string[];
  configurationRevision?: string | null;
  /** ctime of the store path (seconds); default: the host's clock. */
  builtAt?: number;
  /** etc/fstab content */
  fstab?: string;
  /** Write boot.json with this text instead (malformed-JSON tests). */
  rawBootJson?: string;
}

function hash32(s: string): string {
  const alphabet = '0123456789abcdfghijklmnpqrsvwxyz';
  let out = '';
  let h = s;
  while (out.length < 32) {
    h = fnv1a(h + out);
    let n = parseInt(h, 16);
    for (let i = 0; i < 6 && out.length < 32; i++) {
      out += alphabet[n & 31];
      n >>>= 5;
    }
  }
  return out;
}

export interface Built {
  path: string;
  bootJson: BootJson;
}

/** Builds a toplevel (children first) into `root/nix/store` and returns its store path. */
export function buildToplevel(host: TestHost, spec: ToplevelSpec): string {
  return build(host, spec).path;
}

function build(host: TestHost, spec: ToplevelSpec): Built {
  const root = host.root;
  const H = (what: string) => hash32(JSON.stringify(spec) + '\0' + what);
  const store = (name: string) => `/nix/store/${H(name)}-${name}`;
  const w = (p: string, data: string, mode?: number) => host.writeFileAtomic(root + p, data, mode);
  const ln = (target: string, p: string) => host.symlinkAtomic(target, root + p);
  const built = spec.builtAt ?? host.clock;

  const kv = spec.kernelVersion ?? '6.6.63';
  const kernelPkg = `/nix/store/${hash32('linux-' + kv)}-linux-${kv}`;
  if (!fsn.existsSync(root + kernelPkg)) {
    w(`${kernelPkg}/bzImage`, `kernel ${kv}\n`);
    host.mkdirp(root + `${kernelPkg}/lib/modules/${kv}`);
  }
  const initrdPkg = `/nix/store/${hash32('initrd-' + kv + JSON.stringify(spec.kernelParams ?? []))}-initrd-linux-${kv}`;
  if (!fsn.existsSync(root + initrdPkg)) w(`${initrdPkg}/initrd`, `initrd for ${kv}\n`);

  // etc tree
  const etc = store('etc');
  const etcEntries: EtcEntry[] = [];
  const etcFiles: Record<string, string | { text: string; mode: string }> = { ...(spec.etc ?? {}) };
  etcFiles['hostname'] ??= (spec.hostName ?? 'nixos') + '\n';
  if (spec.fstab !== undefined) etcFiles['fstab'] = spec.fstab;
  for (const [t, v] of Object.entries(etcFiles)) {
    const text = typeof v === 'string' ? v : v.text;
    w(`${etc}/etc/${t}`, text);
    etcEntries.push({ target: t, mode: typeof v === 'string' ? 'symlink' : v.mode });
  }
  const units = spec.units ?? {};
  host.mkdirp(root + `${etc}/etc/systemd/system`);
  for (const [u, text] of Object.entries(units)) w(`${etc}/etc/systemd/system/${u}`, text);
  for (const [t, us] of Object.entries(spec.wants ?? {})) for (const u of us) ln(`../${u}`, `${etc}/etc/systemd/system/${t}.wants/${u}`);
  etcEntries.push({ target: 'systemd/system', mode: 'symlink' });
  if (spec.systemdPackage) w(`${spec.systemdPackage}/lib/systemd/systemd`, 'systemd\n');

  const sw = store('system-path');
  w(`${sw}/bin/nixos-version`, '#!/bin/sh\n', 0o755);

  const children: Record<string, Built> = {};
  for (const [n, c] of Object.entries(spec.specialisations ?? {})) children[n] = build(host, { ...c, builtAt: c.builtAt ?? built });

  const out = store(`nixos-system-${spec.hostName ?? 'nixos'}-${spec.label}`);
  w(`${out}/nixos-version`, spec.label);
  w(`${out}/init`, `#! stage-2 init for ${out}\n`, 0o755);
  w(`${out}/init-interface-version`, spec.initInterface ?? 'systemd 2');
  w(`${out}/system`, 'x86_64-linux');
  w(`${out}/kernel-params`, (spec.kernelParams ?? ['loglevel=4']).join(' '));
  if (spec.configurationName !== undefined) w(`${out}/configuration-name`, spec.configurationName);
  ln(`${kernelPkg}/bzImage`, `${out}/kernel`);
  ln(kernelPkg, `${out}/kernel-modules`);
  ln(`${initrdPkg}/initrd`, `${out}/initrd`);
  ln(`${etc}/etc`, `${out}/etc`);
  ln(sw, `${out}/sw`);
  host.mkdirp(root + `${out}/specialisation`);
  for (const [n, c] of Object.entries(children)) ln(c.path, `${out}/specialisation/${n}`);

  const bootJson: BootJson = {
    'org.nixos.bootspec.v1': {
      init: `${out}/init`,
      initrd: `${initrdPkg}/initrd`,
      kernel: `${kernelPkg}/bzImage`,
      kernelParams: spec.kernelParams ?? ['loglevel=4'],
      label: `NixOS Xantusia ${spec.label} (Linux ${kv})`,
      system: 'x86_64-linux',
      toplevel: out,
    },
    'org.nixos.specialisation.v1': Object.fromEntries(Object.entries(children).map(([n, c]) => [n, c.bootJson])),
    'org.nixos.systemd-boot': { sortKey: spec.sortKey ?? 'nixos' },
  };
  w(`${out}/boot.json`, spec.rawBootJson ?? toJsonBytes(sortKeys(bootJson), 2) + '\n');

  const activation: ActivationDescription = {
    version: 1,
    etc: etcEntries,
    users: {
      mutableUsers: spec.mutableUsers ?? true,
      users: spec.users ?? [rootUser()],
      groups: spec.groups ?? defaultGroups(),
    },
    systemd: { defaultTarget: spec.defaultTarget ?? 'multi-user.target', ...(spec.systemdPackage ? { package: spec.systemdPackage } : {}) },
    bootLoader: spec.bootLoader ?? { systemdBoot: { enable: true, configurationLimit: null, timeout: 5, editor: false, consoleMode: 'keep', rebootForBitlocker: false } },
    ...(spec.configurationRevision !== undefined ? { configurationRevision: spec.configurationRevision } : {}),
    ...(spec.restartUnits ? { restartUnits: spec.restartUnits } : {}),
    ...(spec.reloadUnits ? { reloadUnits: spec.reloadUnits } : {}),
  };
  w(`${out}/activation.json`, toJsonBytes(activation, 2) + '\n');
  for (const p of [out, etc, sw, kernelPkg, initrdPkg]) host.registerStorePath(root + p, p === out || p === etc || p === sw ? built : 1);
  return { path: out, bootJson };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) o[k] = sortKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

export function rootUser(): UserSpec {
  return { name: 'root', uid: 0, group: 'root', description: 'System administrator', home: '/root', createHome: true, isSystemUser: false, shell: '/run/current-system/sw/bin/bash' };
}
export function normalUser(name: string, extra: Partial<UserSpec> = {}): UserSpec {
  return { name, group: 'users', description: '', home: `/home/${name}`, createHome: true, isSystemUser: false, shell: '/run/current-system/sw/bin/bash', ...extra };
}
export function defaultGroups(extra: GroupSpec[] = []): GroupSpec[] {
  return [{ name: 'root', gid: 0, members: [] }, { name: 'wheel', gid: 1, members: [] }, { name: 'users', gid: 100, members: [] }, { name: 'nogroup', gid: 65534, members: [] }, ...extra];
}

// ---------------------------------------------------------------------------------------
// Unit files

export const UNITS_BASE: Record<string, string> = {
  'multi-user.target': '[Unit]\nDescription=Multi-User System\nRequires=basic.target\n',
  'basic.target': '[Unit]\nDescription=Basic System\nWants=sysinit-reactivation.target\n',
  'sysinit-reactivation.target': '[Unit]\nDescription=Reactivate sysinit units\n',
  'dbus.service': '[Unit]\nDescription=D-Bus System Message Bus\n[Service]\nExecStart=/nix/store/dbus/bin/dbus-daemon --system\nX-RestartIfChanged=false\n',
  'sshd.service': '[Unit]\nDescription=SSH Daemon\n[Service]\nExecStart=/nix/store/openssh-9.9/bin/sshd -D\nX-ReloadIfChanged=true\n',
};
export const WANTS_BASE = { 'multi-user.target': ['dbus.service', 'sshd.service'] };

export function service(desc: string, exec: string, extra = ''): string {
  return `[Unit]\nDescription=${desc}\n[Service]\nExecStart=${exec}\n${extra}`;
}

// ---------------------------------------------------------------------------------------
// Output capture and golden files

export function capture(): { out: (t: string, fd?: 1 | 2) => void; text: () => string; stdout: () => string; clear: () => void } {
  let all = '';
  let so = '';
  return {
    out: (t, fd) => {
      all += t;
      if (fd === 1) so += t;
    },
    text: () => all,
    stdout: () => so,
    clear: () => {
      all = '';
      so = '';
    },
  };
}

const GOLDEN_DIR = path.join(process.env.TSNIX_ROOT ?? process.cwd(), 'test/system/golden');

/** Compares with test/system/golden/<name>.exp; UPDATE_GOLDEN=1 rewrites it. */
export function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name + '.exp');
  if (process.env.UPDATE_GOLDEN === '1') {
    fsn.mkdirSync(GOLDEN_DIR, { recursive: true });
    fsn.writeFileSync(file, Buffer.from(actual, 'latin1'));
    return;
  }
  if (!fsn.existsSync(file)) assert.fail(`missing golden file ${file} (run with UPDATE_GOLDEN=1)`);
  assert.equal(actual, fsn.readFileSync(file).toString('latin1'), `golden ${name}`);
}

/** A readable dump of a directory tree inside the root (links shown with targets). */
export function dumpTree(host: Host, root: string, dir: string, withContent = false): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    if (!host.lstat(root + d)) return;
    for (const e of host.readDir(root + d).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = `${d}/${e.name}`;
      const st = host.lstat(root + p)!;
      if (st.type === 'symlink') lines.push(`${p} -> ${host.readLink(root + p)}`);
      else if (st.type === 'directory') {
        lines.push(`${p}/`);
        walk(p);
      } else lines.push(withContent ? `${p}:\n${host.readFile(root + p)}` : p);
    }
  };
  walk(dir);
  return lines.join('\n') + '\n';
}
