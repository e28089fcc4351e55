/**
 * Unit files as switch-to-configuration sees them: INI parsed into
 * section → key → values, drop-ins merged, `Key=` clearing earlier values, `[Install]`
 * dropped; and `compare_units`, the rule that decides between "equal", "reload" and
 * "restart". Both follow switch-to-configuration-ng (`parse_systemd_ini`,
 * `parse_unit`, `compare_units`) so that the planner's decisions match NixOS unit for
 * unit. Everything reads through a RootFs, so "current" units are
 * `/etc/systemd/system/<u>` of the root and "new" ones `<toplevel>/etc/systemd/system/<u>`.
 */

import type { RootFs } from './rootfs.js';

export type UnitInfo = Map<string, Map<string, string[]>>;

export function parseSystemdIni(data: UnitInfo, text: string): void {
  let section: string | undefined;
  const perSection = new Map<string, Map<string, string[]>>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sm = /^\[(.*)\]$/.exec(line);
    if (sm) {
      section = sm[1]!;
      if (!perSection.has(section)) perSection.set(section, new Map());
      continue;
    }
    if (section === undefined) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    let val = line.slice(eq + 1).trim();
    if (val.length >= 2 && val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1);
    const m = perSection.get(section)!;
    if (!m.has(key)) m.set(key, []);
    m.get(key)!.push(val);
  }
  for (const [section, props] of perSection) {
    if (section === 'Install') continue;
    if (!data.has(section)) data.set(section, new Map());
    const sectionMap = data.get(section)!;
    for (const [key, values] of props) {
      let newVals: string[] = [];
      let clear = false;
      for (const v of values) {
        if (v === '') {
          newVals = [];
          clear = true;
        } else newVals.push(v);
      }
      const existing = sectionMap.get(key);
      if (existing && !clear) existing.push(...newVals);
      else sectionMap.set(key, newVals);
    }
  }
}

/** `parse_unit(unit_file, base_unit_file)`: the base file, its drop-ins, then the instance's drop-ins. */
export function parseUnit(fs: RootFs, unitFile: string, baseUnitFile: string): UnitInfo {
  const data: UnitInfo = new Map();
  parseSystemdIni(data, fs.readFile(baseUnitFile));
  const dropins = (f: string) => {
    for (const e of fs.readDir(`${f}.d`)) if (e.name.endsWith('.conf') && fs.isFile(`${f}.d/${e.name}`)) parseSystemdIni(data, fs.readFile(`${f}.d/${e.name}`));
  };
  dropins(baseUnitFile);
  if (unitFile !== baseUnitFile) dropins(unitFile);
  return data;
}

export function parseSystemdBool(info: UnitInfo | undefined, section: string, key: string, dflt: boolean): boolean {
  const vals = info?.get(section)?.get(key);
  if (!vals) return dflt;
  const last = vals[vals.length - 1];
  if (last === undefined) return dflt;
  return ['1', 'yes', 'true', 'on'].includes(last);
}

export function getUnitValues(info: UnitInfo, section: string, key: string): string[] {
  return info.get(section)?.get(key) ?? [];
}

export type UnitComparison = 'equal' | 'restart' | 'reload';

const UNIT_SECTION_IGNORES = new Set([
  'X-Reload-Triggers',
  'Description',
  'Documentation',
  'OnFailure',
  'OnSuccess',
  'OnFailureJobMode',
  'IgnoreOnIsolate',
  'StopWhenUnneeded',
  'RefuseManualStart',
  'RefuseManualStop',
  'AllowIsolate',
  'CollectMode',
  'SourcePath',
]);

function eqList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** switch-to-configuration-ng's compare_units, rule for rule. */
export function compareUnits(cur: UnitInfo, next: UnitInfo): UnitComparison {
  let ret: UnitComparison = 'equal';
  const sectionCmp = new Set(next.keys());
  for (const [sectionName, sectionVal] of cur) {
    if (!sectionCmp.has(sectionName)) {
      if (sectionName === 'Unit') {
        for (const k of sectionVal.keys()) if (!UNIT_SECTION_IGNORES.has(k)) return 'restart';
        continue;
      }
      return 'restart';
    }
    sectionCmp.delete(sectionName);
    const newSection = next.get(sectionName)!;
    const iniCmp = new Set(newSection.keys());
    for (const [key, curValue] of sectionVal) {
      iniCmp.delete(key);
      const newValue = newSection.get(key);
      if (newValue === undefined) {
        if (sectionName === 'Unit' && UNIT_SECTION_IGNORES.has(key)) continue;
        return 'restart';
      }
      if (!eqList(curValue, newValue)) {
        if (sectionName === 'Unit') {
          if (key === 'X-Reload-Triggers') {
            ret = 'reload';
            continue;
          } else if (UNIT_SECTION_IGNORES.has(key)) continue;
        }
        if (sectionName === 'Mount' && key === 'Options') {
          ret = 'reload';
          continue;
        }
        return 'restart';
      }
    }
    if (iniCmp.size > 0) {
      if (sectionName === 'Unit') {
        for (const key of iniCmp) {
          if (key === 'X-Reload-Triggers') ret = 'reload';
          else if (UNIT_SECTION_IGNORES.has(key)) continue;
          else return 'restart';
        }
      } else return 'restart';
    }
  }
  if (sectionCmp.size > 0) {
    if (sectionCmp.size === 1 && sectionCmp.has('Unit')) {
      for (const key of next.get('Unit')!.keys()) {
        if (!UNIT_SECTION_IGNORES.has(key)) return 'restart';
        else if (key === 'X-Reload-Triggers') ret = 'reload';
      }
    } else return 'restart';
  }
  return ret;
}

/** `systemd-escape --suffix=mount -p PATH` */
export function pathToMountUnit(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '').replace(/\/+/g, '/');
  if (trimmed === '') return '-.mount';
  let out = '';
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i]!;
    if (ch === '/') out += '-';
    else if (/[A-Za-z0-9:_]/.test(ch) || (ch === '.' && i > 0)) out += ch;
    else out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
  }
  return out + '.mount';
}

export const TEMPLATE_UNIT_RE = /^(.*)@[^.]*\.(.*)$/s;
export const UNIT_NAME_RE = /^(.*)\.[a-z]*$/s;

export interface FstabEntries {
  filesystems: Map<string, { device: string; fsType: string; options: string }>;
  swaps: Map<string, string>;
}

export function parseFstab(text: string | undefined): FstabEntries {
  const filesystems = new Map<string, { device: string; fsType: string; options: string }>();
  const swaps = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    if (line.includes('#')) continue;
    const f = line.split(/\s+/).filter((x) => x !== '');
    if (f.length < 3) continue;
    const [device, mountpoint, fsType] = f as [string, string, string];
    const options = f[3] ?? '';
    if (fsType === 'swap') swaps.set(device, options);
    else filesystems.set(mountpoint, { device, fsType, options });
  }
  return { filesystems, swaps };
}
