/**
 * systemd-boot: a port of nixpkgs' `systemd-boot-builder.py` onto a target root.
 *
 * Everything the builder decides is reproduced: which generations get entries
 * (`configurations[-limit:]`, so a null/0 limit keeps all), one entry per generation
 * followed by one per specialisation *of that generation's bootspec*, the file names
 * (`nixos[-profile]-generation-N[-specialisation-NAME].conf`, NAME verbatim), titles
 * (`NixOS`, `NixOS (NAME)`, `NixOS [profile] (NAME)`), the sort key from the child's own
 * bootspec extension, the `version` line with the ctime date of the (child) system
 * directory, kernel/initrd copied to `EFI/nixos/<storeDir>-<file>.efi` only when absent,
 * and `loader.conf` rewritten only when some generation's bootspec `init` lies in the
 * toplevel being installed. That last rule is why `switch -c NAME` leaves the old
 * default in place (nixpkgs#325233): the default config is the child, and no
 * generation's *parent* init matches it.
 *
 * One deliberate difference, for crash safety: NixOS deletes stale entries and kernel
 * files *before* writing the new ones; here they are deleted *after* the new entries and
 * loader.conf are in place, and an entry that loader.conf still names is never deleted.
 * So at every instant each entry names files that exist and loader.conf names an entry
 * that exists. The final state is identical to NixOS's.
 */

import { readBootJson, type BootJson, type SystemdBootSettings, ToplevelError } from './toplevel.js';
import { basename, type RootFs } from './rootfs.js';
import { generationLink, listGenerations, PROFILES_DIR, SYSTEM_PROFILE } from './profiles.js';
import { formatDate, type TimeZone } from './text.js';

export const BOOT = '/boot';
export const ENTRIES_DIR = `${BOOT}/loader/entries`;
export const LOADER_CONF = `${BOOT}/loader/loader.conf`;
export const NIXOS_EFI_DIR = 'EFI/nixos';
const STORE_DIR = '/nix/store';

export class BootLoaderError extends Error {}

export const defaultSystemdBootSettings: SystemdBootSettings = {
  enable: true,
  configurationLimit: null,
  timeout: 5,
  editor: true,
  consoleMode: 'keep',
  rebootForBitlocker: false,
};

interface SystemId {
  profile: string | undefined;
  generation: number;
}

export function generationConfFilename(profile: string | undefined, generation: number, specialisation: string | undefined): string {
  const pieces = ['nixos', profile || undefined, 'generation', String(generation), specialisation ? `specialisation-${specialisation}` : undefined];
  return pieces.filter((p) => p).join('-') + '.conf';
}

export function entryTitle(distro: string, profile: string | undefined, specialisation: string | undefined): string {
  return `${distro}${profile ? ` [${profile}]` : ''}${specialisation ? ` (${specialisation})` : ''}`;
}

function profileOf(id: SystemId): string {
  return id.profile ? `${PROFILES_DIR}/system-profiles/${id.profile}` : SYSTEM_PROFILE;
}

function systemDir(id: SystemId, specialisation?: string): string {
  const d = generationLink(profileOf(id), id.generation);
  return specialisation ? `${d}/specialisation/${specialisation}` : d;
}

function getGenerations(fs: RootFs, profile: string | undefined, limit: number | null): SystemId[] {
  const all = listGenerations(fs, profile ? `${PROFILES_DIR}/system-profiles/${profile}` : SYSTEM_PROFILE).map((g) => ({ profile, generation: g.id }));
  const n = limit ?? 0;
  // Python's configurations[-n:] with n == 0 keeps everything.
  return n <= 0 ? all : all.slice(-n);
}

function getProfiles(fs: RootFs): string[] {
  return fs
    .readDir(`${PROFILES_DIR}/system-profiles`)
    .map((e) => e.name)
    .filter((n) => !n.endsWith('-link'));
}

/** Path of a copied kernel/initrd relative to /boot: `EFI/nixos/<storeDir>-<file>.efi`. */
export function efiName(fs: RootFs, file: string): string {
  const p = fs.resolve(file);
  if (!p.startsWith(STORE_DIR + '/')) throw new BootLoaderError(`${p} is not in ${STORE_DIR}`);
  const suffix = basename(p);
  const subdir = p.slice(STORE_DIR.length + 1).split('/')[0]!;
  return `${NIXOS_EFI_DIR}/${suffix === subdir ? `${suffix}.efi` : `${subdir}-${suffix}.efi`}`;
}

function copyFromFile(fs: RootFs, file: string): string {
  const rel = efiName(fs, file);
  const dest = `${BOOT}/${rel}`;
  if (!fs.exists(dest)) fs.write(dest, fs.readFile(fs.resolve(file)));
  return rel;
}

export function renderEntry(o: {
  title: string;
  sortKey: string;
  generation: number;
  label: string;
  date: string;
  kernel: string;
  initrd: string;
  init: string;
  kernelParams: string[];
  machineId?: string | null;
  devicetree?: string;
}): string {
  let s =
    `title ${o.title}\n` +
    `sort-key ${o.sortKey}\n` +
    `version Generation ${o.generation} ${o.label}, built on ${o.date}\n` +
    `linux /${o.kernel}\n` +
    `initrd /${o.initrd}\n` +
    `options init=${o.init} ${o.kernelParams.join(' ')}\n`;
  if (o.machineId != null) s += `machine-id ${o.machineId}\n`;
  if (o.devicetree !== undefined) s += `devicetree /${o.devicetree}\n`;
  return s;
}

export function renderLoaderConf(settings: SystemdBootSettings, defaultEntry: string): string {
  let s = `timeout ${settings.timeout === null ? 'menu-force' : settings.timeout}\n`;
  s += `default ${defaultEntry}\n`;
  if (!settings.editor) s += 'editor 0\n';
  if (settings.rebootForBitlocker) s += 'reboot-for-bitlocker yes\n';
  s += `console-mode ${settings.consoleMode}\n`;
  return s;
}

function bootspecParts(b: BootJson) {
  const main = b['org.nixos.bootspec.v1'];
  if (!main || typeof main !== 'object') throw new ToplevelError(`error: Malformed Json: missing org.nixos.bootspec.v1`);
  const ext = b['org.nixos.systemd-boot'] ?? {};
  return { main, sortKey: ext.sortKey ?? 'nixos', devicetree: ext.devicetree, specs: b['org.nixos.specialisation.v1'] ?? {} };
}

export interface InstallResult {
  /** Entry file name loader.conf now names as default, if it was (re)written. */
  defaultEntry: string | undefined;
  entries: string[];
}

/**
 * `install-systemd-boot.sh <defaultConfig>` on the root. `settings` come from the
 * configuration being installed (its activation.json), as NixOS bakes them into the
 * builder script of that configuration.
 */
export function installSystemdBoot(fs: RootFs, defaultConfig: string, settings: SystemdBootSettings, tz?: TimeZone): InstallResult {
  const distro = settings.distroName ?? 'NixOS';
  // The builder reads the *running* system's /etc/machine-id, as NixOS's does.
  const machineId = fs.readFileOr('/etc/machine-id', undefined)?.split('\n')[0]?.trim() ?? settings.machineId ?? null;
  fs.mkdirp(`${BOOT}/${NIXOS_EFI_DIR}`);
  fs.mkdirp(ENTRIES_DIR);

  let gens = getGenerations(fs, undefined, settings.configurationLimit);
  for (const p of getProfiles(fs)) gens = gens.concat(getGenerations(fs, p, settings.configurationLimit));

  const written: string[] = [];
  const known = new Set<string>();
  let defaultEntry: string | undefined;
  for (const gen of gens) {
    let bootspec: BootJson;
    try {
      bootspec = readBootJson(fs, systemDir(gen));
    } catch (e) {
      throw new BootLoaderError((e as Error).message);
    }
    const { main, specs } = bootspecParts(bootspec);
    const isDefault = stripSlash(dirnameOf(main.init)) === stripSlash(defaultConfig);
    const writeEntry = (spec: string | undefined) => {
      const b = spec === undefined ? bootspec : specs[spec]!;
      const { main: m, sortKey, devicetree } = bootspecParts(b);
      if (m.initrd === undefined) throw new BootLoaderError(`error: bootspec of ${m.toplevel} has no initrd`);
      const kernel = copyFromFile(fs, m.kernel);
      const initrd = copyFromFile(fs, m.initrd);
      const dt = devicetree !== undefined ? copyFromFile(fs, devicetree) : undefined;
      known.add(basename(kernel)).add(basename(initrd));
      if (dt) known.add(basename(dt));
      const name = generationConfFilename(gen.profile, gen.generation, spec);
      fs.write(
        `${ENTRIES_DIR}/${name}`,
        renderEntry({
          title: entryTitle(distro, gen.profile, spec),
          sortKey,
          generation: gen.generation,
          label: m.label,
          date: formatDate(fs.ctime(systemDir(gen, spec)), tz),
          kernel,
          initrd,
          init: m.init,
          kernelParams: m.kernelParams,
          machineId,
          devicetree: dt,
        }),
      );
      written.push(name);
    };
    writeEntry(undefined);
    for (const spec of Object.keys(specs)) writeEntry(spec);
    if (isDefault) {
      defaultEntry = generationConfFilename(gen.profile, gen.generation, undefined);
      fs.write(LOADER_CONF, renderLoaderConf(settings, defaultEntry));
    }
  }

  // Cleanup last (see the essay above): stale entries, then unreferenced EFI files.
  const keep = new Set(gens.map((g) => `${g.profile ?? ''}\0${g.generation}`));
  const stillDefault = readLoaderConf(fs)?.default;
  // NixOS matches `^nixos.*-generation-([0-9]+)(-specialisation-.*)?\.conf$`, whose greedy
  // `.*` reads a specialisation named e.g. `x-generation-7` as generation 7 and deletes
  // its entry; the lazy parse of parseEntryFilename keeps odd names intact.
  for (const e of fs.readDir(ENTRIES_DIR)) {
    if (!/^nixos.*-generation-[1-9].*\.conf$/is.test(e.name)) continue;
    const id = parseEntryFilename(e.name);
    if (!id) continue;
    if (!keep.has(`${id.profile ?? ''}\0${id.generation}`) && e.name !== stillDefault) fs.remove(`${ENTRIES_DIR}/${e.name}`);
  }
  // Files named by surviving entries (e.g. loader.conf's protected default) stay too.
  for (const e of fs.readDir(ENTRIES_DIR)) {
    const parsed = parseEntry(fs.readFile(`${ENTRIES_DIR}/${e.name}`));
    for (const f of [parsed.linux, parsed.initrd]) if (f) known.add(basename(f));
  }
  for (const e of fs.readDir(`${BOOT}/${NIXOS_EFI_DIR}`)) {
    if (!known.has(e.name) && e.type !== 'directory') fs.remove(`${BOOT}/${NIXOS_EFI_DIR}/${e.name}`);
  }
  return { defaultEntry, entries: written };
}

function dirnameOf(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
function stripSlash(p: string): string {
  return p.replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------
// Reading back (for reboot and for the kernel notice)

export interface ParsedEntry {
  title?: string;
  sortKey?: string;
  version?: string;
  linux?: string;
  initrd?: string;
  options?: string;
}

/**
 * Parses an entry file. A key's *last* occurrence wins: the builder writes the title
 * first, so a specialisation name containing a newline cannot shadow the real
 * `linux`/`initrd`/`options` lines that follow it.
 */
export function parseEntry(text: string): ParsedEntry {
  const out: ParsedEntry = {};
  const keys: Record<string, keyof ParsedEntry> = { title: 'title', 'sort-key': 'sortKey', version: 'version', linux: 'linux', initrd: 'initrd', options: 'options' };
  const lines = text.split('\n');
  // The title is the first line and may span lines of its own; take it up to `sort-key`.
  const sk = lines.findIndex((l) => l.startsWith('sort-key '));
  if (lines[0]?.startsWith('title ') && sk > 0) out.title = lines.slice(0, sk).join('\n').slice('title '.length);
  for (const l of lines.slice(Math.max(sk, 0))) {
    const m = /^([a-z-]+) (.*)$/s.exec(l);
    if (m && keys[m[1]!]) out[keys[m[1]!]!] = m[2];
  }
  return out;
}

export function readLoaderConf(fs: RootFs): { default?: string; timeout?: string } | undefined {
  const t = fs.readFileOr(LOADER_CONF, undefined);
  if (t === undefined) return undefined;
  const out: { default?: string; timeout?: string } = {};
  for (const l of t.split('\n')) {
    const m = /^(default|timeout) (.*)$/s.exec(l);
    if (m) out[m[1] as 'default' | 'timeout'] = m[2];
  }
  return out;
}

/** Entry file name → (profile, generation, specialisation). Inverse of generationConfFilename. */
export function parseEntryFilename(name: string): { profile?: string; generation: number; specialisation?: string } | undefined {
  const m = /^nixos-(?:(.*?)-)??generation-([0-9]+)(?:-specialisation-(.*))?\.conf$/s.exec(name);
  if (!m) return undefined;
  return { profile: m[1], generation: Number(m[2]), specialisation: m[3] };
}
