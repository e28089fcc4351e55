/**
 * The boot menu as firmware would see it: entries read back from the files the
 * builders wrote (loader.conf + loader/entries/*.conf, or grub.cfg), not from the
 * profile. Reboot simulation and the kernel notice both need "which entry boots this
 * configuration", and answering from the written files is what makes a broken or stale
 * menu visible instead of papered over.
 *
 * Entry ids: systemd-boot entries are named by their file name (`.conf` optional) or
 * their title; GRUB entries by their title, their `>`-joined submenu path (GRUB's own
 * saved_entry syntax), or the top-level index. A title that several generations share
 * (`NixOS (paul)` exists once per generation) means the one in the default generation,
 * else the newest.
 */

import { LQ, RQ } from './text.js';
import { parseGrubCfg, GRUB_CFG } from './grub.js';
import type { RootFs } from './rootfs.js';
import { ENTRIES_DIR, LOADER_CONF, parseEntry, parseEntryFilename, readLoaderConf } from './systemd-boot.js';

export interface BootEntry {
  loader: 'systemd-boot' | 'grub';
  /** File name (systemd-boot) or `>`-joined title path (GRUB). */
  id: string;
  title: string;
  generation?: number;
  specialisation?: string;
  /** Toplevel named by `init=` (its directory). */
  toplevel: string;
  init: string;
  /** Kernel and initrd as system paths (systemd-boot: the copies on /boot). */
  kernel: string;
  initrd: string;
  /** Kernel parameters without `init=…`. */
  params: string;
  isDefault: boolean;
}

export interface BootMenu {
  loader: 'systemd-boot' | 'grub';
  entries: BootEntry[];
  defaultEntry: BootEntry | undefined;
}

function splitOptions(options: string): { init: string; params: string } {
  const m = /^init=(\S*) ?(.*)$/s.exec(options);
  if (m) return { init: m[1]!, params: m[2]! };
  return { init: '', params: options };
}

export function hasSystemdBoot(fs: RootFs): boolean {
  return fs.isFile(LOADER_CONF) || fs.readDir(ENTRIES_DIR).length > 0;
}
export function hasGrub(fs: RootFs): boolean {
  return fs.isFile(GRUB_CFG);
}

export function readSystemdBootMenu(fs: RootFs): BootMenu {
  const lc = readLoaderConf(fs);
  const entries: BootEntry[] = [];
  for (const e of fs.readDir(ENTRIES_DIR)) {
    if (!e.name.endsWith('.conf')) continue;
    const p = parseEntry(fs.readFile(`${ENTRIES_DIR}/${e.name}`));
    const { init, params } = splitOptions(p.options ?? '');
    const fn = parseEntryFilename(e.name);
    entries.push({
      loader: 'systemd-boot',
      id: e.name,
      title: p.title ?? e.name,
      generation: fn?.generation,
      specialisation: fn?.specialisation,
      toplevel: init.replace(/\/[^/]*$/, ''),
      init,
      kernel: `/boot${p.linux ?? ''}`,
      initrd: `/boot${p.initrd ?? ''}`,
      params,
      isDefault: e.name === lc?.default,
    });
  }
  // Menu order: newest generation first, each generation before its specialisations.
  entries.sort((a, b) => (b.generation ?? 0) - (a.generation ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // systemd-boot falls back to the first entry when the configured default is missing.
  const defaultEntry = entries.find((e) => e.isDefault) ?? entries[0];
  return { loader: 'systemd-boot', entries, defaultEntry };
}

export function readGrubMenu(fs: RootFs): BootMenu {
  const { entries: raw, default: dflt } = parseGrubCfg(fs.readFile(GRUB_CFG));
  const entries: BootEntry[] = raw.map((r) => {
    const { init, params } = splitOptions(r.params);
    const title = r.path[r.path.length - 1]!;
    return {
      loader: 'grub',
      id: r.path.join('>'),
      title,
      toplevel: init.replace(/\/[^/]*$/, ''),
      init,
      kernel: r.kernel,
      initrd: r.initrd,
      params,
      isDefault: false,
    };
  });
  // `set default=N`: the N-th top-level item (a submenu counts as one item).
  const topLevel: BootEntry[] = [];
  const seenSub = new Set<string>();
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    if (r.path.length === 1) topLevel.push(entries[i]!);
    else if (!seenSub.has(r.path[0]!)) {
      seenSub.add(r.path[0]!);
      topLevel.push(entries[i]!);
    }
  }
  const n = /^[0-9]+$/.test(dflt) ? Number(dflt) : -1;
  const defaultEntry = n >= 0 ? topLevel[n] : entries.find((e) => e.id === dflt || e.title === dflt);
  if (defaultEntry) defaultEntry.isDefault = true;
  return { loader: 'grub', entries, defaultEntry };
}

/** Which menu the machine boots from: the one the current profile's loader settings name, else whichever exists. */
export function readBootMenu(fs: RootFs, prefer?: 'systemd-boot' | 'grub'): BootMenu | undefined {
  const sd = hasSystemdBoot(fs);
  const gr = hasGrub(fs);
  if (sd && (!gr || prefer !== 'grub')) return readSystemdBootMenu(fs);
  if (gr) return readGrubMenu(fs);
  return undefined;
}

export class NoSuchEntry extends Error {}

export function findEntry(menu: BootMenu, id: string | undefined): BootEntry {
  if (id === undefined) {
    if (!menu.defaultEntry) throw new NoSuchEntry('error: the boot menu has no entries');
    return menu.defaultEntry;
  }
  const exact = menu.entries.find((e) => e.id === id || (menu.loader === 'systemd-boot' && e.id === `${id}.conf`));
  if (exact) return exact;
  if (menu.loader === 'grub' && /^[0-9]+$/.test(id)) {
    const top = menu.entries.filter((e) => !e.id.includes('>'));
    const e = top[Number(id)];
    if (e) return e;
  }
  const byTitle = menu.entries.filter((e) => e.title === id);
  if (byTitle.length > 0) {
    const dgen = menu.defaultEntry?.generation;
    return byTitle.find((e) => e.generation !== undefined && e.generation === dgen) ?? byTitle[0]!;
  }
  throw new NoSuchEntry(`error: no boot entry ${LQ}${id}${RQ}`);
}

/** Entries that boot `toplevel` (canonical path), best first: default generation, then newest. */
export function entriesFor(fs: RootFs, menu: BootMenu, toplevel: string): BootEntry[] {
  const dgen = menu.defaultEntry?.generation;
  return menu.entries
    .filter((e) => e.toplevel && fs.exists(e.toplevel) && fs.resolve(e.toplevel) === toplevel)
    .sort((a, b) => Number(b.generation === dgen && dgen !== undefined) - Number(a.generation === dgen && dgen !== undefined) || (b.generation ?? 0) - (a.generation ?? 0));
}
