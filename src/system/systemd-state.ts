/**
 * A model of the running systemd of a target root, persisted in
 * `/var/lib/tsnix/systemd-state.json`.
 *
 * It records what switch-to-configuration asks systemd for — which units are active,
 * failed, or gone — and, per unit, a fingerprint of the unit definition it was
 * started (or last reloaded) with. The fingerprint is what a real manager keeps in
 * memory: after `/etc` changes, a running unit still runs its *old* definition until it
 * is restarted or reloaded. That makes "did the switch really bring every changed unit
 * up to date?" a checkable property rather than a hope, which the crash tests use.
 *
 * Jobs are simulated synchronously. Starting a unit starts its `Wants=`/`Requires=`
 * and `<unit>.wants/`/`.requires/` closure, like systemd's transaction; a service whose
 * `ExecStart` program is `false` (e.g. `${coreutils}/bin/false`) fails, which is how
 * tests exercise exit code 4. A missing unit file makes the job submission itself fail
 * (`Unit X not found.`). Every job that changes state persists the file (one atomic
 * write), so a crash between jobs leaves the state of the jobs done so far.
 */

import type { RootFs } from './rootfs.js';
import { getUnitValues, parseFstab, parseSystemdIni, parseUnit, parseSystemdBool, pathToMountUnit, TEMPLATE_UNIT_RE, type UnitInfo } from './units.js';
import { toJsonBytes, reencode, utf8Decode } from './toplevel.js';

export const STATE_FILE = '/var/lib/tsnix/systemd-state.json';
export const UNIT_DIR = '/etc/systemd/system';

export interface UnitRuntime {
  /** ActiveState */
  state: 'active' | 'activating' | 'failed' | 'deactivating' | 'reloading';
  /** SubState */
  sub: string;
  /** Fingerprint of the definition the unit runs with. */
  loaded: string;
}

export interface SystemdStateFile {
  version: 1;
  /** Canonical path of the systemd package pid 1 runs (re-exec when it changes). */
  pid1: string;
  /** Canonical path of /etc/systemd/system.conf when pid 1 last (re-)executed. */
  systemConf: string;
  units: Record<string, UnitRuntime>;
}

export type JobResult = 'done' | 'failed';

export class UnitNotFound extends Error {}

export class SystemdModel {
  state: SystemdStateFile;

  constructor(
    readonly fs: RootFs,
    readonly unitDir: string = UNIT_DIR,
  ) {
    this.state = SystemdModel.load(fs);
  }

  static load(fs: RootFs): SystemdStateFile {
    const t = fs.readFileOr(STATE_FILE, undefined);
    if (t === undefined) return { version: 1, pid1: '', systemConf: '', units: {} };
    return reencode(JSON.parse(utf8Decode(t))) as SystemdStateFile;
  }

  save(): void {
    const units: Record<string, UnitRuntime> = {};
    for (const k of Object.keys(this.state.units).sort()) units[k] = this.state.units[k]!;
    this.fs.write(STATE_FILE, toJsonBytes({ ...this.state, units }, 2) + '\n');
  }

  /** ListUnits filtered as get_active_units: ActiveState != inactive. */
  activeUnits(): Map<string, { state: string; substate: string }> {
    const m = new Map<string, { state: string; substate: string }>();
    for (const [k, v] of Object.entries(this.state.units)) m.set(k, { state: v.state, substate: v.sub });
    return m;
  }

  isActive(unit: string): boolean {
    const s = this.state.units[unit]?.state;
    return s === 'active' || s === 'activating';
  }

  /** The unit file systemd would load for `unit` (template instances fall back to `x@.y`). */
  unitFile(unit: string): { file: string; base: string } | undefined {
    const file = `${this.unitDir}/${unit}`;
    if (this.fs.exists(file) && this.fs.resolve(file) !== '/dev/null') return { file, base: file };
    const m = TEMPLATE_UNIT_RE.exec(unit);
    if (m) {
      const base = `${this.unitDir}/${m[1]}@.${m[2]}`;
      if (this.fs.exists(base)) return { file, base };
    }
    return undefined;
  }

  /**
   * Mount units systemd-fstab-generator makes from /etc/fstab (they have no file under
   * /etc/systemd/system, yet systemctl knows them).
   */
  generatedMounts(): Map<string, string> {
    const m = new Map<string, string>();
    for (const [where, f] of parseFstab(this.fs.readFileOr('/etc/fstab', undefined)).filesystems) {
      m.set(pathToMountUnit(where), `[Unit]\nSourcePath=/etc/fstab\n[Mount]\nWhat=${f.device}\nWhere=${where}\nType=${f.fsType}\nOptions=${f.options}\n`);
    }
    return m;
  }

  info(unit: string): UnitInfo | undefined {
    const f = this.unitFile(unit);
    if (f) return parseUnit(this.fs, f.file, f.base);
    const g = this.generatedMounts().get(unit);
    if (g === undefined) return undefined;
    const info: UnitInfo = new Map();
    parseSystemdIni(info, g);
    return info;
  }

  fingerprint(unit: string): string {
    const f = this.unitFile(unit);
    if (!f) return fnv1a(this.generatedMounts().get(unit) ?? '');
    let text = this.fs.readFile(f.base);
    for (const d of [f.base, f.file]) for (const e of this.fs.readDir(`${d}.d`)) if (e.name.endsWith('.conf')) text += `\0${e.name}\0` + this.fs.readFile(`${d}.d/${e.name}`);
    return fnv1a(text);
  }

  private set(unit: string, r: UnitRuntime | undefined): void {
    if (r) this.state.units[unit] = r;
    else delete this.state.units[unit];
    this.save();
  }

  private runningState(unit: string, info: UnitInfo): UnitRuntime {
    const fp = this.fingerprint(unit);
    if (unit.endsWith('.service')) {
      const exec = getUnitValues(info, 'Service', 'ExecStart');
      const prog = (exec[exec.length - 1] ?? '').trim().replace(/^[-@:+!]+/, '').split(/\s+/)[0] ?? '';
      if (/(^|\/)false$/.test(prog)) return { state: 'failed', sub: 'failed', loaded: fp };
      const oneshot = getUnitValues(info, 'Service', 'Type').at(-1) === 'oneshot';
      return { state: 'active', sub: oneshot ? 'exited' : 'running', loaded: fp };
    }
    const sub = unit.endsWith('.socket') ? 'listening' : unit.endsWith('.mount') ? 'mounted' : unit.endsWith('.timer') ? 'waiting' : 'active';
    return { state: 'active', sub, loaded: fp };
  }

  /** Dependencies a start pulls in. */
  private pulls(unit: string, info: UnitInfo): string[] {
    const deps: string[] = [];
    for (const k of ['Wants', 'Requires', 'BindsTo']) for (const v of getUnitValues(info, 'Unit', k)) deps.push(...v.split(/\s+/).filter((x) => x));
    for (const suffix of ['wants', 'requires']) for (const e of this.fs.readDir(`${this.unitDir}/${unit}.${suffix}`)) deps.push(e.name);
    return deps;
  }

  /** Start job. Throws UnitNotFound when the job cannot even be submitted. */
  start(unit: string, seen: Set<string> = new Set()): JobResult {
    const info = this.info(unit);
    if (!info) throw new UnitNotFound(`Unit ${unit} not found.`);
    return this.startWith(unit, info, seen);
  }

  private startWith(unit: string, info: UnitInfo, seen: Set<string>): JobResult {
    seen.add(unit);
    for (const dep of this.pulls(unit, info)) {
      if (seen.has(dep) || this.isActive(dep)) continue;
      const di = this.info(dep);
      if (di && !parseSystemdBool(di, 'Unit', 'RefuseManualStart', false)) this.startWith(dep, di, seen);
      else seen.add(dep);
    }
    if (this.isActive(unit)) return 'done';
    const r = this.runningState(unit, info);
    this.set(unit, r);
    return r.state === 'failed' ? 'failed' : 'done';
  }

  stop(unit: string): JobResult {
    if (this.state.units[unit]) this.set(unit, undefined);
    return 'done';
  }

  restart(unit: string): JobResult {
    const info = this.info(unit);
    if (!info) throw new UnitNotFound(`Unit ${unit} not found.`);
    if (this.state.units[unit]) delete this.state.units[unit];
    return this.startWith(unit, info, new Set());
  }

  reload(unit: string): JobResult {
    const info = this.info(unit);
    if (!info) throw new UnitNotFound(`Unit ${unit} not found.`);
    const cur = this.state.units[unit];
    if (!cur || (cur.state !== 'active' && cur.state !== 'reloading')) return 'failed';
    this.set(unit, { ...cur, loaded: this.fingerprint(unit) });
    return 'done';
  }

  resetFailed(): void {
    let changed = false;
    for (const [k, v] of Object.entries(this.state.units)) {
      if (v.state === 'failed') {
        delete this.state.units[k];
        changed = true;
      }
    }
    if (changed) this.save();
  }

  setManager(pid1: string, systemConf: string): void {
    if (this.state.pid1 === pid1 && this.state.systemConf === systemConf) return;
    this.state.pid1 = pid1;
    this.state.systemConf = systemConf;
    this.save();
  }

  /** A fresh boot: nothing runs; then the default target's closure is started. */
  boot(defaultTarget: string, pid1: string, systemConf: string): void {
    this.state = { version: 1, pid1, systemConf, units: {} };
    this.save();
    // local-fs.target: the fstab mounts; then the default target's closure.
    for (const u of this.generatedMounts().keys()) if (!this.unitFile(u)) this.start(u);
    try {
      this.start(defaultTarget);
    } catch (e) {
      if (!(e instanceof UnitNotFound)) throw e;
    }
  }
}

/** 32-bit FNV-1a, hex: enough to tell unit definitions apart. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
