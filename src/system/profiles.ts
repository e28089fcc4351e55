/**
 * The system profile: `/nix/var/nix/profiles/system-N-link` → toplevel and
 * `system` → `system-N-link`, with nix-env's rules.
 *
 * Crash safety comes from the order of two atomic symlink writes: the new
 * generation link is created first, then `system` is flipped. A crash in between
 * leaves an extra generation that nothing points at yet; the next `--set` of the same
 * toplevel reuses it (nix-env reuses the last generation when it already points at
 * the same path), so retrying converges and no generation is ever lost or renumbered.
 * Generations are never deleted here (that is garbage collection's business).
 *
 * Profiles other than `system` live in `system-profiles/<name>` (nixos-rebuild
 * `--profile-name`); the functions take the profile's system path so both work.
 */

import { pythonJsonDumps, reencode, utf8Decode } from './toplevel.js';
import { basename, dirname, type RootFs } from './rootfs.js';
import { formatDate, formatDateTime, pythonRepr, type TimeZone } from './text.js';

export const PROFILES_DIR = '/nix/var/nix/profiles';
export const SYSTEM_PROFILE = `${PROFILES_DIR}/system`;

export function profilePath(name: string | undefined): string {
  return !name || name === 'system' ? SYSTEM_PROFILE : `${PROFILES_DIR}/system-profiles/${name}`;
}

export class ProfileError extends Error {}

export interface Generation {
  id: number;
  /** System path of `<profile>-N-link`. */
  link: string;
  /** Canonical toplevel it points at. */
  target: string;
}

export function generationLink(profile: string, id: number): string {
  return `${profile}-${id}-link`;
}

/** All generations of a profile, ascending by number. */
export function listGenerations(fs: RootFs, profile: string): Generation[] {
  const dir = dirname(profile);
  const name = basename(profile);
  const out: Generation[] = [];
  for (const e of fs.readDir(dir)) {
    if (!e.name.startsWith(name + '-') || !e.name.endsWith('-link')) continue;
    const mid = e.name.slice(name.length + 1, -'-link'.length);
    if (!/^[0-9]+$/.test(mid)) continue;
    const link = `${dir}/${e.name}`;
    if (fs.lstat(link)?.type !== 'symlink') continue;
    out.push({ id: Number(mid), link, target: fs.resolve(link) });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Number of the generation `profile` points at, or undefined. */
export function currentGeneration(fs: RootFs, profile: string): number | undefined {
  const t = fs.readLinkOr(profile);
  if (t === undefined) return undefined;
  const m = /-([0-9]+)-link$/.exec(basename(t));
  return m ? Number(m[1]) : undefined;
}

/** `nix-env -p PROFILE --set PATH`. Returns the generation number now current. */
export function setProfile(fs: RootFs, profile: string, toplevel: string): number {
  const target = fs.resolve(toplevel);
  const gens = listGenerations(fs, profile);
  const last = gens[gens.length - 1];
  let id: number;
  if (last && last.target === target) {
    id = last.id;
  } else {
    id = (last?.id ?? 0) + 1;
    fs.symlink(target, generationLink(profile, id));
  }
  if (currentGeneration(fs, profile) !== id) fs.symlink(basename(generationLink(profile, id)), profile);
  return id;
}

/** `nix-env -p PROFILE --rollback`. Returns [from, to]. */
export function rollbackProfile(fs: RootFs, profile: string): [number, number] {
  const cur = currentGeneration(fs, profile);
  const gens = listGenerations(fs, profile);
  if (cur === undefined) throw new ProfileError(`error: no generation older than the current (0) exists`);
  const prev = gens.filter((g) => g.id < cur).pop();
  if (!prev) throw new ProfileError(`error: no generation older than the current (${cur}) exists`);
  fs.symlink(basename(prev.link), profile);
  return [cur, prev.id];
}

/** nixos-rebuild's `rollback_temporary_profile`: the last non-current generation. */
export function previousGenerationForTest(fs: RootFs, profile: string): Generation | undefined {
  const cur = currentGeneration(fs, profile);
  let prev: Generation | undefined;
  for (const g of listGenerations(fs, profile)) if (g.id !== cur) prev = g;
  return prev;
}

// ---------------------------------------------------------------------------------------
// list-generations

export interface GenerationJson {
  generation: number;
  date: string;
  nixosVersion: string;
  kernelVersion: string;
  configurationRevision: string;
  specialisations: string[];
  current: boolean;
}

export function generationInfo(fs: RootFs, profile: string, tz?: TimeZone): GenerationJson[] {
  const cur = currentGeneration(fs, profile);
  return listGenerations(fs, profile)
    .reverse()
    .map((g) => {
      const p = g.link;
      const version = fs.readFileOr(`${p}/nixos-version`, undefined);
      const kv = fs.readDir(`${p}/kernel-modules/lib/modules`)[0]?.name;
      const specs = fs.readDir(`${p}/specialisation`).filter((e) => fs.isDir(`${p}/specialisation/${e.name}`)).map((e) => e.name);
      let rev = 'Unknown';
      const act = fs.readFileOr(`${p}/activation.json`, undefined);
      if (act !== undefined) {
        try {
          const j = reencode(JSON.parse(utf8Decode(act))) as { configurationRevision?: string | null };
          if ('configurationRevision' in j) rev = j.configurationRevision ?? '';
        } catch {
          /* Unknown, as when nixos-version cannot run */
        }
      }
      return {
        generation: g.id,
        date: formatDateTime(fs.ctime(p), tz),
        nixosVersion: version === undefined ? 'Unknown' : version.trim(),
        kernelVersion: kv ?? 'Unknown',
        configurationRevision: rev,
        specialisations: specs,
        current: g.id === cur,
      };
    });
}

const HEADERS: [keyof GenerationJson, string][] = [
  ['generation', 'Generation'],
  ['date', 'Build-date'],
  ['nixosVersion', 'NixOS version'],
  ['kernelVersion', 'Kernel'],
  ['configurationRevision', 'Configuration Revision'],
  ['specialisations', 'Specialisation'],
  ['current', 'Current'],
];

/** nixos-rebuild-ng's `tabulate`: columns padded, two spaces apart, each row stripped. */
export function formatGenerationTable(gens: GenerationJson[]): string {
  if (gens.length === 0) return '';
  const cell = (g: GenerationJson, k: keyof GenerationJson) => pythonStr(g[k]);
  const widths = HEADERS.map(([k, h]) => Math.max(displayWidth(h), ...gens.map((g) => displayWidth(cell(g, k)))));
  const row = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - displayWidth(c))).join('  ').trim();
  return [row(HEADERS.map(([, h]) => h)), ...gens.map((g) => row(HEADERS.map(([k]) => cell(g, k))))].join('\n');
}

export function formatGenerationJson(gens: GenerationJson[]): string {
  return pythonJsonDumps(gens, 2);
}

/** Python `str()` of the values list-generations prints. */
function pythonStr(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return '[' + v.map((x) => pythonRepr(String(x))).join(', ') + ']';
  return String(v);
}

/** Python's len() counts code points; our strings are UTF-8 bytes. */
function displayWidth(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xc0) !== 0x80) n++;
  return n;
}

export { formatDate };
