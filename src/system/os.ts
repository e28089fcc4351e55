/**
 * `tsnix os ACTION` on a target root: nixos-rebuild's activation half, plus a
 * simulated reboot. Building is the caller's business — it evaluates and builds the
 * configuration into DIR/nix/store and hands over the toplevel's store path — so this
 * module never evaluates anything and can be tested with synthetic toplevels.
 *
 * nixos-rebuild's rules, with its exact error texts:
 *   - `-c/--specialisation` only with switch and test; the child must exist;
 *   - switch and boot set the profile to the *parent* toplevel, always (even with -c),
 *     then run the (child's) switch-to-configuration; test leaves the profile alone;
 *   - a plain switch/test activates the parent, i.e. returns to the base system;
 *   - `--rollback`: switch/boot roll the profile back (nix-env --rollback) and
 *     activate the profile path; test/build pick the last non-current generation.
 * Both -c checks are made *before* anything is written (nixos-rebuild-ng sets the profile
 * first and only then notices a bad -c for boot or a missing child).
 *
 * The kernel notice, better than NixOS: switch-to-configuration activates a
 * configuration whose kernel, initrd or kernel parameters differ from the running
 * (booted) ones without a word, and the new kernel silently waits for a reboot into
 * the right menu entry. Here every switch/test that leaves such a difference says
 * which differs and names the boot entry that boots this configuration (or says that
 * none does yet).
 *
 * Reboot simulation: the chosen entry (default or `--entry`) is read from the boot
 * files on the root; /run is a tmpfs, so it is emptied; `/run/booted-system` and the
 * running kernel record (`/run/tsnix/booted.json`) become the entry's; stage 2 runs the
 * entry's activation (so `/run/current-system` follows); systemd starts the default
 * target of that configuration from scratch.
 */

import { ARROW, LQ, RQ } from './text.js';
import { activate, type Out } from './activation.js';
import { entriesFor, findEntry, NoSuchEntry, readBootMenu, type BootEntry } from './bootentries.js';
import { tryLock, LOCK_FILE } from './lock.js';
import {
  currentGeneration,
  formatGenerationJson,
  formatGenerationTable,
  generationInfo,
  previousGenerationForTest,
  ProfileError,
  profilePath,
  rollbackProfile,
  setProfile,
} from './profiles.js';
import { RootFs } from './rootfs.js';
import { switchToConfiguration, type StcAction } from './switch.js';
import { SystemdModel } from './systemd-state.js';
import type { TimeZone } from './text.js';
import { readToplevel, reencode, toJsonBytes, ToplevelError, utf8Decode, type Toplevel } from './toplevel.js';
import type { Host } from '../host.js';

export type OsActionName = 'build' | 'dry-build' | 'boot' | 'switch' | 'test' | 'dry-activate' | 'list-generations' | 'reboot';

export interface OsOptions {
  /** Host path of the target root directory. */
  root: string;
  action: OsActionName;
  /** The built toplevel as a system path inside the root (`/nix/store/…`). Not needed
   * for list-generations, reboot, or --rollback. */
  toplevel?: string;
  /** `-c NAME` / `--specialisation NAME` */
  specialisation?: string;
  rollback?: boolean;
  /** list-generations --json */
  json?: boolean;
  /** reboot --entry ENTRY */
  entry?: string;
  /** `--profile-name`; default `system`. */
  profileName?: string;
  tz?: TimeZone;
  /** STC_DISPLAY_ALL_UNITS=1 */
  displayAllUnits?: boolean;
  /** Output: fd 2 (default) for messages, fd 1 for results (the path after `Done.`, tables). */
  out: Out;
}

export const BOOTED_FILE = '/run/tsnix/booted.json';

export interface BootedRecord {
  entry: string;
  title: string;
  toplevel: string;
  kernel: string;
  initrd: string;
  params: string;
}

/** Runs one `tsnix os` action. Returns the process exit code. */
export function osAction(host: Host, o: OsOptions): number {
  const fs = new RootFs(host, o.root);
  const err = (s: string) => o.out(s + '\n', 2);
  const action = o.action;

  if (o.specialisation !== undefined && action !== 'switch' && action !== 'test') {
    err(`error: '--specialisation' can only be used with 'switch' and 'test'`);
    return 1;
  }
  const profile = profilePath(o.profileName);

  if (action === 'list-generations') {
    if (!fs.lstat(profile)) {
      err(`error: no profile '${o.profileName ?? 'system'}' found`);
      return 1;
    }
    const gens = generationInfo(fs, profile, o.tz);
    const text = o.json ? formatGenerationJson(gens) : formatGenerationTable(gens);
    o.out(text + '\n', 1);
    return 0;
  }
  if (action === 'reboot') return reboot(fs, o);
  if (o.rollback && action === 'dry-activate') {
    err(`error: '--rollback' can only be used with 'switch', 'boot', 'test' and 'build'`);
    return 1;
  }

  const activating = action === 'switch' || action === 'boot' || action === 'test' || action === 'dry-activate';
  // Everything that writes happens under the switch lock; a crashed holder's lock is stale.
  let lock: ReturnType<typeof tryLock>;
  if (activating || (o.rollback && action !== 'build')) {
    fs.mkdirp('/run/nixos');
    lock = tryLock(fs, LOCK_FILE);
    if (!lock) {
      err('Could not acquire lock');
      return 1;
    }
  }
  try {
    return withLock(fs, o, profile, err);
  } catch (e) {
    if (e instanceof ProfileError || e instanceof ToplevelError || e instanceof NoSuchEntry) {
      err(e.message);
      return 1;
    }
    throw e;
  } finally {
    lock?.release();
  }
}

function withLock(fs: RootFs, o: OsOptions, profile: string, err: (s: string) => void): number {
  const action = o.action;
  let pathToConfig: string;
  let rolledBack: [number, number] | undefined;
  if (o.rollback) {
    if (action === 'switch' || action === 'boot') {
      pathToConfig = profile;
      // nix-env --rollback happens below, after the checks that need no writes.
    } else {
      const prev = previousGenerationForTest(fs, profile);
      if (!prev) {
        err('error: could not find previous generation');
        return 1;
      }
      pathToConfig = prev.link;
    }
  } else {
    if (o.toplevel === undefined) {
      err('error: no system configuration was given');
      return 1;
    }
    pathToConfig = o.toplevel;
  }

  if (action === 'dry-build') return 0;
  if (action === 'build') {
    done(o, pathToConfig);
    return 0;
  }

  if (!o.rollback && !fs.isDir(pathToConfig)) {
    err(`error: system configuration ${LQ}${pathToConfig}${RQ} does not exist in ${o.root}`);
    return 1;
  }
  if (o.specialisation !== undefined && !o.rollback && !fs.isDir(`${pathToConfig}/specialisation/${o.specialisation}`)) {
    err(`error: specialisation not found: ${o.specialisation}`);
    return 1;
  }

  if ((action === 'switch' || action === 'boot') && !o.rollback) {
    if (!fs.isFile(`${pathToConfig}/nixos-version`)) {
      err(`error: your NixOS configuration path seems to be missing essential files.`);
      err(`This is the evaluated NixOS configuration path: ${pathToConfig}.`);
      return 1;
    }
    // nixos-install's `touch /mnt/etc/NIXOS`: a root without generations is being installed.
    if (!fs.lstat(profile) && !fs.exists('/etc/NIXOS')) fs.write('/etc/NIXOS', '');
    setProfile(fs, profile, pathToConfig);
  } else if ((action === 'switch' || action === 'boot') && o.rollback) {
    rolledBack = rollbackProfile(fs, profile);
    err(`switching profile from version ${rolledBack[0]} to ${rolledBack[1]}`);
  }

  let target = pathToConfig;
  if (o.specialisation !== undefined) {
    target = `${pathToConfig}/specialisation/${o.specialisation}`;
    if (!fs.isDir(target)) {
      err(`error: specialisation not found: ${o.specialisation}`);
      return 1;
    }
  }

  const code = switchToConfiguration(fs, fs.resolve(target), action as StcAction, {
    out: o.out,
    tz: o.tz,
    displayAllUnits: o.displayAllUnits,
    lockHeld: true,
  });
  if ((action === 'switch' || action === 'test' || action === 'dry-activate') && (code === 0 || code === 4)) {
    kernelNotice(fs, readToplevel(fs, target), action === 'dry-activate', err);
  }
  if (code === 0) done(o, pathToConfig);
  return code;
}

function done(o: OsOptions, path: string): void {
  o.out('Done. The new configuration is ', 2);
  o.out(path + '\n', 1);
}

// ---------------------------------------------------------------------------------------
// The kernel notice

export function readBooted(fs: RootFs): BootedRecord | undefined {
  const t = fs.readFileOr(BOOTED_FILE, undefined);
  if (t !== undefined) {
    try {
      return reencode(JSON.parse(utf8Decode(t))) as BootedRecord;
    } catch {
      /* fall through to /run/booted-system */
    }
  }
  if (!fs.exists('/run/booted-system')) return undefined;
  const b = readToplevel(fs, '/run/booted-system');
  return { entry: '', title: '', toplevel: b.path, kernel: b.kernel ?? '', initrd: b.initrd ?? '', params: b.kernelParams };
}

/** Shell single quotes, so the suggested command works for any entry name. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_.,:/=+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function kernelNotice(fs: RootFs, top: Toplevel, dry: boolean, err: (s: string) => void): void {
  const booted = readBooted(fs);
  if (!booted) return;
  // The kernel and initrd the entry booted are copies on /boot (systemd-boot); compare
  // the store files they came from when the record has them, else the copies' names.
  const bootedTop = booted.toplevel && fs.exists(booted.toplevel) ? readToplevel(fs, booted.toplevel) : undefined;
  const runningKernel = bootedTop?.kernel ?? booted.kernel;
  const runningInitrd = bootedTop?.initrd ?? booted.initrd;
  const diffs: string[] = [];
  if ((top.kernel ?? '') !== runningKernel) diffs.push(`  kernel:            ${runningKernel} (running) ${ARROW} ${top.kernel ?? '(none)'}`);
  if ((top.initrd ?? '') !== runningInitrd) diffs.push(`  initrd:            ${runningInitrd} (running) ${ARROW} ${top.initrd ?? '(none)'}`);
  if (top.kernelParams !== booted.params) diffs.push(`  kernel parameters: '${booted.params}' (running) ${ARROW} '${top.kernelParams}'`);
  if (diffs.length === 0) return;
  const names = diffs.map((d) => d.trim().split(':')[0]!);
  const what = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  err(`warning: the running kernel was booted with a different ${what} than this configuration has;`);
  err(`${dry ? 'activating it would change everything else' : 'everything else is active now'}, but these take effect only after a reboot:`);
  for (const d of diffs) err(d);
  const menu = readBootMenu(fs, top.activation.bootLoader.grub?.enable ? 'grub' : 'systemd-boot');
  const e: BootEntry | undefined = menu ? entriesFor(fs, menu, top.path)[0] : undefined;
  if (e) {
    err(`reboot into boot entry '${e.title}'${e.id !== e.title ? ` (${e.id})` : ''}: tsnix os reboot --entry ${shellQuote(e.id)}`);
  } else {
    err(`no boot entry boots this configuration yet: make it one with 'tsnix os boot' (or 'switch'), then reboot into it`);
  }
}

// ---------------------------------------------------------------------------------------
// reboot

export function reboot(fs: RootFs, o: OsOptions): number {
  const err = (s: string) => o.out(s + '\n', 2);
  const prof = profilePath(o.profileName);
  let prefer: 'grub' | 'systemd-boot' | undefined;
  if (currentGeneration(fs, prof) !== undefined) {
    try {
      prefer = readToplevel(fs, prof).activation.bootLoader.grub?.enable ? 'grub' : 'systemd-boot';
    } catch {
      prefer = undefined;
    }
  }
  const menu = readBootMenu(fs, prefer);
  if (!menu) {
    err('error: no boot loader is installed on this root (run `tsnix os boot` or `switch` first)');
    return 1;
  }
  let entry: BootEntry;
  try {
    entry = findEntry(menu, o.entry);
  } catch (e) {
    if (!(e instanceof NoSuchEntry)) throw e;
    err(e.message);
    err(`available entries: ${menu.entries.map((x) => `${LQ}${x.id}${RQ}`).join(', ')}`);
    return 1;
  }
  if (!entry.toplevel || !fs.isDir(entry.toplevel)) {
    err(`error: boot entry ${LQ}${entry.id}${RQ} names a system that does not exist: ${entry.init}`);
    return 1;
  }
  const top = readToplevel(fs, entry.toplevel);
  err(`rebooting into ${LQ}${entry.title}${RQ} (${entry.id})`);

  // Power cycle: /run is a tmpfs.
  fs.remove('/run');
  fs.mkdirp('/run/nixos');
  fs.symlink(top.path, '/run/booted-system');
  const rec: BootedRecord = { entry: entry.id, title: entry.title, toplevel: top.path, kernel: top.kernel ?? '', initrd: top.initrd ?? '', params: entry.params };
  fs.write(BOOTED_FILE, toJsonBytes(rec, 2) + '\n');
  if (!fs.exists('/etc/NIXOS')) fs.write('/etc/NIXOS', '');
  activate(fs, top, { dry: false, out: o.out });
  const model = new SystemdModel(fs);
  const conf = fs.exists('/etc/systemd/system.conf') ? fs.resolve('/etc/systemd/system.conf') : '/unknown';
  model.boot(top.activation.systemd.defaultTarget, top.activation.systemd.package ? fs.resolve(top.activation.systemd.package) : '', conf);
  const units = Object.keys(model.state.units).sort();
  err(`booted ${top.path}`);
  if (units.length) err(`running units: ${units.join(', ')}`);
  return 0;
}
