/**
 * switch-to-configuration on a target root: a port of switch-to-configuration-ng's
 * `do_system_switch` with systemd replaced by the state model of systemd-state.ts.
 *
 * The planner is NixOS's, decision for decision: every unit that is active (or
 * activating) and has a current unit file is classified — removed from the new
 * configuration (stop, if X-StopOnRemoval, default true), a target (start, hidden from
 * the output; stop first if X-StopOnReconfiguration), or compared with compare_units,
 * where a restart-worthy change goes through handle_modified_unit (reload with
 * X-ReloadIfChanged, skip with X-RestartIfChanged=false/RefuseManualStop/
 * X-OnlyManualStart, restart for non-services and X-StopIfChanged=false, otherwise stop
 * now and start later — through its sockets when socket-activated) and a reload-worthy
 * one (X-Reload-Triggers, [Mount] Options) is reloaded. fstab mounts and swaps are
 * compared as NixOS does. Output lines, their order, the case-insensitive sorting and
 * the exit codes (0, 1 lock/boot loader, 2 activation, 4 unit failures, 100 init
 * interface change) are NixOS's.
 *
 * Crash safety. The start/restart/reload lists are written to /run/nixos/*-list (one
 * atomic write each) after planning and *before* the first unit is stopped, and
 * re-read on the next run, exactly the mechanism NixOS uses: a run killed after it
 * stopped a unit but before it started it again leaves the unit in the start list,
 * and the next run — which sees no difference in the unit files any more, because
 * /etc was already switched — still starts it. Each list file is deleted only after its
 * jobs ran. Boot loader installation happens before anything is activated, and the
 * profile was set before that (by the caller), so the boot menu never lags behind a
 * running configuration.
 */

import { CROSS, LQ, RQ } from './text.js';
import { activate, ActivationError, type Out } from './activation.js';
import { installGrub, defaultGrubSettings } from './grub.js';
import { tryLock, type LockHandle } from './lock.js';
import { RootFsError, sortCaseInsensitive, type RootFs } from './rootfs.js';
import { BootLoaderError, installSystemdBoot, defaultSystemdBootSettings } from './systemd-boot.js';
import { SystemdModel, UnitNotFound, UNIT_DIR, type JobResult } from './systemd-state.js';
import type { TimeZone } from './text.js';
import { readToplevel, ToplevelError, type Toplevel } from './toplevel.js';
import { compareUnits, getUnitValues, parseFstab, parseSystemdBool, parseUnit, pathToMountUnit, TEMPLATE_UNIT_RE, UNIT_NAME_RE, type UnitInfo } from './units.js';

export type StcAction = 'switch' | 'boot' | 'test' | 'dry-activate' | 'check';

export const START_LIST_FILE = '/run/nixos/start-list';
export const RESTART_LIST_FILE = '/run/nixos/restart-list';
export const RELOAD_LIST_FILE = '/run/nixos/reload-list';

export interface StcOptions {
  out: Out;
  tz?: TimeZone;
  /** STC_DISPLAY_ALL_UNITS=1 */
  displayAllUnits?: boolean;
  /** The caller (osAction) already holds the switch lock. */
  lockHeld?: boolean;
}

export const INIT_INCOMPATIBLE_WARNING =
  `Warning: the new NixOS configuration has an ${LQ}init${RQ} that is\n` +
  'incompatible with the current configuration.  The new configuration\n' +
  "won't take effect until you reboot the system.\n\n";

export function isNixosRoot(fs: RootFs): boolean {
  if (fs.isFile('/etc/NIXOS')) return true;
  const osr = fs.readFileOr('/etc/os-release', '') ?? '';
  return osr.split('\n').some((l) => /^ID="?nixos"?$/.test(l));
}

/** Installs the boot loader(s) `top` enables, with `top`'s settings and `top` as default. */
export function installBootLoader(fs: RootFs, top: Toplevel, tz: TimeZone | undefined, out: Out): void {
  const bl = top.activation.bootLoader;
  if (bl.systemdBoot?.enable) installSystemdBoot(fs, top.path, { ...defaultSystemdBootSettings, ...bl.systemdBoot }, tz);
  if (bl.grub?.enable) {
    out('updating GRUB 2 menu...\n');
    installGrub(fs, top.path, { ...defaultGrubSettings, ...bl.grub }, tz, (w) => out(w + '\n'));
  }
}

type Lists = { start: Set<string>; restart: Set<string>; reload: Set<string> };

function readList(fs: RootFs, p: string): Set<string> {
  return new Set((fs.readFileOr(p, '') ?? '').split('\n').filter((l) => l !== ''));
}

export function switchToConfiguration(fs: RootFs, toplevelPath: string, action: StcAction, o: StcOptions): number {
  const say = (s: string) => o.out(s + '\n');
  if (!isNixosRoot(fs)) {
    say('This is not a NixOS installation!');
    return 1;
  }
  let lock: LockHandle | undefined;
  if (!o.lockHeld) {
    fs.mkdirp('/run/nixos');
    lock = tryLock(fs);
    if (!lock) {
      say('Could not acquire lock');
      return 1;
    }
  }
  try {
    return run(fs, toplevelPath, action, o, say);
  } finally {
    lock?.release();
  }
}

function run(fs: RootFs, toplevelPath: string, action: StcAction, o: StcOptions, say: (s: string) => void): number {
  const dry = action === 'dry-activate';
  const top = readToplevel(fs, toplevelPath);
  if (action === 'check') return 0;
  if (action === 'switch' || action === 'boot') {
    try {
      installBootLoader(fs, top, o.tz, o.out);
    } catch (e) {
      if (!(e instanceof BootLoaderError || e instanceof ToplevelError || e instanceof RootFsError)) throw e;
      say(e.message);
      say('Failed to install bootloader');
      return 1;
    }
  }
  if (action === 'boot') return 0;

  const curIiv = fs.readFileOr('/run/current-system/init-interface-version', '') ?? '';
  if (curIiv !== top.initInterfaceVersion) {
    o.out(INIT_INCOMPATIBLE_WARNING);
    return 100;
  }

  const model = new SystemdModel(fs);
  const newUnitDir = `${top.path}/etc/systemd/system`;
  const toStop = new Set<string>();
  const toSkip = new Set<string>();
  const toFilter = new Set<string>();
  const toStart = readList(fs, START_LIST_FILE);
  const toRestart = readList(fs, RESTART_LIST_FILE);
  const toReload = readList(fs, RELOAD_LIST_FILE);
  // What the list files will hold: NixOS's record_unit/unrecord_unit, batched.
  const rec: Lists = { start: new Set(toStart), restart: new Set(toRestart), reload: new Set(toReload) };
  const record = (l: keyof Lists, u: string) => {
    if (!dry) rec[l].add(u);
  };
  const unrecord = (l: keyof Lists, u: string) => {
    if (!dry) rec[l].delete(u);
  };

  const activeCur = model.activeUnits();

  const handleModifiedUnit = (unit: string, baseName: string, newUnitFile: string, newBaseUnitFile: string, newUnitInfo: UnitInfo | undefined) => {
    const useRestart = newUnitInfo === undefined;
    if (['sysinit.target', 'basic.target', 'multi-user.target', 'graphical.target'].includes(unit) || unit.endsWith('.unit') || unit.endsWith('.slice')) {
      // These cannot be restarted directly.
    } else if (unit.endsWith('.mount')) {
      if (unit === '-.mount' || unit === 'nix.mount') {
        toReload.add(unit);
        record('reload', unit);
      } else {
        toRestart.add(unit);
        record('restart', unit);
      }
    } else if (unit.endsWith('.socket')) {
      // NixOS: FIXME, nothing (nixpkgs#74899).
    } else {
      if (unit.startsWith('systemd-nspawn@')) return;
      const info = newUnitInfo ?? (fs.exists(newBaseUnitFile) ? parseUnit(fs, newUnitFile, newBaseUnitFile) : new Map());
      if (parseSystemdBool(info, 'Service', 'X-ReloadIfChanged', false) && !toRestart.has(unit) && !(useRestart ? toRestart.has(unit) : toStop.has(unit))) {
        toReload.add(unit);
        record('reload', unit);
      } else if (!parseSystemdBool(info, 'Service', 'X-RestartIfChanged', true) || parseSystemdBool(info, 'Unit', 'RefuseManualStop', false) || parseSystemdBool(info, 'Unit', 'X-OnlyManualStart', false)) {
        toSkip.add(unit);
      } else if (!parseSystemdBool(info, 'Service', 'X-StopIfChanged', true) || !unit.endsWith('.service')) {
        toRestart.add(unit);
        record('restart', unit);
        if (toReload.delete(unit)) unrecord('reload', unit);
      } else {
        let socketActivated = false;
        if (unit.endsWith('.service')) {
          let sockets = getUnitValues(info, 'Service', 'Sockets')
            .join(' ')
            .split(/\s+/)
            .filter((x) => x);
          if (sockets.length === 0) sockets = [`${baseName}.socket`];
          for (const socket of sockets) {
            if (!activeCur.has(socket)) continue;
            if (useRestart) toRestart.add(socket);
            else toStop.add(socket);
            if (fs.exists(`${newUnitDir}/${socket}`)) {
              if (useRestart) {
                toRestart.add(socket);
                record('restart', socket);
              } else {
                toStart.add(socket);
                record('start', socket);
              }
              socketActivated = true;
            }
            if (toReload.delete(unit)) unrecord('reload', unit);
          }
        }
        if (parseSystemdBool(info, 'Service', 'X-NotSocketActivated', false)) socketActivated = false;
        if (!socketActivated) {
          if (useRestart) {
            toRestart.add(unit);
            record('restart', unit);
          } else {
            toStart.add(unit);
            record('start', unit);
          }
        }
        if (useRestart) toRestart.add(unit);
        else toStop.add(unit);
        if (toReload.delete(unit)) unrecord('reload', unit);
      }
    }
  };

  const baseOf = (unit: string, bothMissing: boolean) => {
    let baseUnit = unit;
    const m = TEMPLATE_UNIT_RE.exec(unit);
    if (m && bothMissing) baseUnit = `${m[1]}@.${m[2]}`;
    const baseName = UNIT_NAME_RE.exec(baseUnit)?.[1] ?? baseUnit;
    return { baseUnit, baseName };
  };

  for (const unit of [...activeCur.keys()].sort()) {
    const st = activeCur.get(unit)!;
    const curFile = `${UNIT_DIR}/${unit}`;
    const newFile = `${newUnitDir}/${unit}`;
    const { baseUnit, baseName } = baseOf(unit, !fs.exists(curFile) && !fs.exists(newFile));
    const curBase = `${UNIT_DIR}/${baseUnit}`;
    const newBase = `${newUnitDir}/${baseUnit}`;
    if (!fs.exists(curBase) || !(st.state === 'active' || st.state === 'activating')) continue;
    if (!fs.exists(newBase) || fs.resolve(newBase) === '/dev/null') {
      const curInfo = parseUnit(fs, curFile, curBase);
      if (parseSystemdBool(curInfo, 'Unit', 'X-StopOnRemoval', true)) toStop.add(unit);
    } else if (unit.endsWith('.target')) {
      const newInfo = parseUnit(fs, newFile, newBase);
      if (
        !(
          ['suspend.target', 'hibernate.target', 'hybrid-sleep.target'].includes(unit) ||
          parseSystemdBool(newInfo, 'Unit', 'RefuseManualStart', false) ||
          parseSystemdBool(newInfo, 'Unit', 'X-OnlyManualStart', false)
        )
      ) {
        toStart.add(unit);
        record('start', unit);
        if (!o.displayAllUnits) toFilter.add(unit);
      }
      if (parseSystemdBool(newInfo, 'Unit', 'X-StopOnReconfiguration', false)) toStop.add(unit);
    } else {
      const curInfo = parseUnit(fs, curFile, curBase);
      const newInfo = parseUnit(fs, newFile, newBase);
      const cmp = compareUnits(curInfo, newInfo);
      if (cmp === 'restart') handleModifiedUnit(unit, baseName, newFile, newBase, newInfo);
      else if (cmp === 'reload' && !toRestart.has(unit)) {
        toReload.add(unit);
        record('reload', unit);
      }
    }
  }

  // fstab: remount or unmount what changed; new mounts come with local-fs.target.
  const curFstab = parseFstab(fs.readFileOr('/etc/fstab', undefined));
  const newFstab = parseFstab(fs.readFileOr(`${top.path}/etc/fstab`, undefined));
  for (const [mountpoint, cur] of curFstab.filesystems) {
    const unit = pathToMountUnit(mountpoint);
    const nf = newFstab.filesystems.get(mountpoint);
    if (nf) {
      if (cur.fsType !== nf.fsType || cur.device !== nf.device) {
        if (mountpoint === '/' || mountpoint === '/nix') {
          if (cur.options !== nf.options) {
            toReload.add(unit);
            record('reload', unit);
          } else toSkip.add(unit);
        } else {
          toRestart.add(unit);
          record('restart', unit);
        }
      } else if (cur.options !== nf.options) {
        toReload.add(unit);
        record('reload', unit);
      }
    } else toStop.add(unit);
  }
  for (const device of curFstab.swaps.keys()) {
    if (!newFstab.swaps.has(device)) say(dry ? `would stop swap device: ${device}` : `stopping swap device: ${device}`);
  }

  const canon = (p: string | undefined) => (p && fs.exists(p) ? fs.resolve(p) : '/unknown');
  const newPid1 = top.activation.systemd.package ? fs.resolve(top.activation.systemd.package) : model.state.pid1;
  const restartSystemd = model.state.pid1 !== newPid1 || canon('/etc/systemd/system.conf') !== canon(`${top.path}/etc/systemd/system.conf`);

  const filtered = (s: Set<string>) => [...s].filter((u) => !toFilter.has(u));
  const list = (xs: Iterable<string>) => sortCaseInsensitive(xs).join(', ');

  // Units the activation script asks for (activation-restart-list / -reload-list).
  const foldActivationRequests = () => {
    for (const unit of top.activation.restartUnits ?? []) {
      const newUnitFile = `${newUnitDir}/${unit}`;
      const { baseUnit, baseName } = baseOf(unit, !fs.exists(newUnitFile) && (!dry || !fs.exists(`${UNIT_DIR}/${unit}`)));
      if (!activeCur.has(unit)) {
        toStart.add(unit);
        record('start', unit);
        continue;
      }
      handleModifiedUnit(unit, baseName, newUnitFile, `${newUnitDir}/${baseUnit}`, undefined);
    }
    for (const unit of top.activation.reloadUnits ?? []) {
      if (activeCur.has(unit) && !toRestart.has(unit) && !toStop.has(unit)) {
        toReload.add(unit);
        record('reload', unit);
      }
    }
  };

  if (dry) {
    if (filtered(toStop).length) say(`would stop the following units: ${list(filtered(toStop))}`);
    if (toSkip.size) say(`would NOT stop the following changed units: ${list(toSkip)}`);
    say('would activate the configuration...');
    activate(fs, top, { dry: true, out: o.out });
    foldActivationRequests();
    if (restartSystemd) say('would restart systemd');
    if (toReload.size) say(`would reload the following units: ${list(toReload)}`);
    if (toRestart.size) say(`would restart the following units: ${list(toRestart)}`);
    if (filtered(toStart).length) say(`would start the following units: ${list(filtered(toStart))}`);
    return 0;
  }

  // Commit the plan to disk before touching a single unit.
  const writeLists = () => {
    for (const [l, file] of [
      ['start', START_LIST_FILE],
      ['restart', RESTART_LIST_FILE],
      ['reload', RELOAD_LIST_FILE],
    ] as const) {
      const text = [...rec[l]].sort().map((u) => u + '\n').join('');
      const cur = fs.readFileOr(file, undefined);
      if (text === '' && cur === undefined) continue;
      if (cur !== text) fs.write(file, text);
    }
  };
  writeLists();

  let exitCode = 0;
  const failedJobs: [string, string][] = [];
  const job = (kind: 'start' | 'restart' | 'reload' | 'stop', unit: string) => {
    let r: JobResult;
    try {
      r = kind === 'start' ? model.start(unit) : kind === 'restart' ? model.restart(unit) : kind === 'reload' ? model.reload(unit) : model.stop(unit);
    } catch (e) {
      if (!(e instanceof UnitNotFound)) throw e;
      say(`Failed to ${kind} ${unit}: ${e.message}`);
      exitCode = 4;
      return;
    }
    if (r === 'failed') failedJobs.push([kind, unit]);
  };

  if (toStop.size) {
    if (filtered(toStop).length) say(`stopping the following units: ${list(filtered(toStop))}`);
    for (const u of sortCaseInsensitive(toStop)) job('stop', u);
  }
  if (toSkip.size) say(`NOT restarting the following changed units: ${list(toSkip)}`);

  say('activating the configuration...');
  try {
    activate(fs, top, { dry: false, out: o.out });
  } catch (e) {
    if (!(e instanceof ActivationError || e instanceof ToplevelError)) throw e;
    // The failing snippets already said what failed.
    if (!(e instanceof ActivationError)) say(e.message);
    say('Failed to run activate script');
    exitCode = 2;
  }
  foldActivationRequests();
  writeLists();

  if (restartSystemd) {
    say('restarting systemd...');
    model.setManager(newPid1, canon('/etc/systemd/system.conf'));
  }
  model.resetFailed();

  say('restarting sysinit-reactivation.target');
  if (model.unitFile('sysinit-reactivation.target')) job('restart', 'sysinit-reactivation.target');

  for (const unit of sortCaseInsensitive(toReload)) {
    if (model.isActive(unit)) continue;
    const f = `${newUnitDir}/${unit}`;
    const info = fs.exists(f) ? parseUnit(fs, f, f) : undefined;
    if ((!parseSystemdBool(info, 'Unit', 'RefuseManualStart', false) || parseSystemdBool(info, 'Unit', 'X-OnlyManualStart', false)) && !unit.startsWith('systemd-nspawn@')) {
      toStart.add(unit);
      record('start', unit);
    }
    toReload.delete(unit);
    unrecord('reload', unit);
  }
  writeLists();

  if (toReload.size) {
    say(`reloading the following units: ${list(toReload)}`);
    for (const u of sortCaseInsensitive(toReload)) job('reload', u);
    fs.remove(RELOAD_LIST_FILE);
  }
  if (toRestart.size) {
    say(`restarting the following units: ${list(toRestart)}`);
    for (const u of sortCaseInsensitive(toRestart)) job('restart', u);
    fs.remove(RESTART_LIST_FILE);
  }
  if (filtered(toStart).length) say(`starting the following units: ${list(filtered(toStart))}`);
  for (const u of sortCaseInsensitive(toStart)) job('start', u);
  if (fs.lstat(START_LIST_FILE)) fs.remove(START_LIST_FILE);

  for (const [kind, unit] of failedJobs.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) {
    say(`Failed to ${kind} ${unit}`);
    exitCode = 4;
  }

  const after = model.activeUnits();
  const failed: string[] = [];
  const fresh: string[] = [];
  for (const [unit, st] of after) {
    if (st.state === 'failed') {
      failed.push(unit);
      continue;
    }
    if (!activeCur.has(unit) && !unit.endsWith('.scope')) fresh.push(unit);
  }
  if (fresh.length) say(`the following new units were started: ${list(fresh)}`);
  if (failed.length) {
    say(`warning: the following units failed: ${list(failed)}`);
    for (const u of sortCaseInsensitive(failed)) o.out(systemctlStatus(model, u));
    exitCode = 4;
  }
  return exitCode;
}

/** A short `systemctl status --no-pager --full` of a failed unit. */
function systemctlStatus(model: SystemdModel, unit: string): string {
  const info = model.info(unit);
  const desc = info?.get('Unit')?.get('Description')?.at(-1);
  const f = model.unitFile(unit);
  return `${CROSS} ${unit}${desc ? ` - ${desc}` : ''}\n     Loaded: loaded (${f ? f.file : '/dev/null'})\n     Active: failed (Result: exit-code)\n`;
}

export { readToplevel };
