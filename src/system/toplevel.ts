/**
 * The contract between the NixOS layer (which *produces* system toplevels) and the
 * system layer (which installs them on a target root). Nothing here evaluates Nix.
 *
 * A toplevel is a store directory `/nix/store/<hash>-nixos-system-<host>-<label>`
 * inside the target root. Its layout follows NixOS (`top-level.nix`, `bootable.nix`,
 * `bootspec.nix`, `specialisation.nix`) file for file, so that the boot-loader builders
 * and the switch planner read exactly what the NixOS scripts read:
 *
 * | entry                    | kind            | content                                                              |
 * |--------------------------|-----------------|----------------------------------------------------------------------|
 * | `nixos-version`          | file, no `\n`   | `system.nixos.label`, e.g. `25.11.20250101.abcdef0` or `paul-25.11…`  |
 * | `kernel`                 | symlink         | → `/nix/store/…-linux-<ver>/bzImage`                                  |
 * | `kernel-modules`         | symlink/dir     | `lib/modules/<modDirVersion>/` (first dir name = kernel version)      |
 * | `initrd`                 | symlink         | → `/nix/store/…-initrd-…/initrd`                                      |
 * | `kernel-params`          | file, no `\n`   | `boot.kernelParams` joined by single spaces                           |
 * | `init`                   | file or symlink | stage-2 init (its path, not content, is what boot entries name)       |
 * | `init-interface-version` | file, no `\n`   | `systemd <n>`; a change means "reboot required" (exit 100)           |
 * | `system`                 | file, no `\n`   | platform, e.g. `x86_64-linux`                                         |
 * | `configuration-name`     | file, optional  | `boot.loader.grub.configurationName` (GRUB entry name of a child)     |
 * | `etc/`                   | dir or symlink  | the `/etc/static` tree: every `environment.etc` file at its target,   |
 * |                          |                 | incl. `systemd/system/<unit>` (+ `<unit>.d/*.conf`, `<t>.wants/`)     |
 * | `sw/`                    | dir or symlink  | `system.path` (bin/, share/, …); never read except for existence      |
 * | `boot.json`              | file            | bootspec v1, `jq --sort-keys`, see {@link BootJson}                   |
 * | `specialisation/`        | dir, always     | `<name>` → symlink to the child toplevel (empty in a child)           |
 * | `activation.json`        | file            | what `activate` does, machine-readable: {@link ActivationDescription} |
 *
 * `bin/switch-to-configuration`, `activate` and `dry-activate` may exist (NixOS has
 * them) but are never executed: their behaviour is implemented here and driven by
 * `activation.json`. That file replaces the shell snippets of NixOS's activation script
 * with data, which is what makes the planner testable and the apply crash-safe.
 *
 * A child (specialisation) toplevel has the same layout, its own `boot.json` (embedded
 * whole in the parent's under `org.nixos.specialisation.v1`), its own
 * `activation.json` (its own boot-loader settings included: a child's
 * switch-to-configuration installs the boot loader with *its* settings, which is the
 * root of nixpkgs#325233) and an empty `specialisation/`.
 *
 * Names of specialisations are arbitrary byte strings without `/` (NixOS's only
 * restriction); nothing in this layer may assume more.
 */

import { LQ, RQ } from './text.js';
import { basename, dirname, type RootFs } from './rootfs.js';

// ---------------------------------------------------------------------------------------
// boot.json (RFC-0125 bootspec v1, NixOS flavour)

export interface BootspecV1 {
  system: string;
  /** Store path of the kernel image. */
  kernel: string;
  kernelParams: string[];
  /** `NixOS <codeName> <label> (Linux <modDirVersion>)` */
  label: string;
  initrd?: string;
  initrdSecrets?: string;
  toplevel: string;
  /** `<toplevel>/init` */
  init: string;
}

export interface BootJson {
  'org.nixos.bootspec.v1': BootspecV1;
  'org.nixos.specialisation.v1': Record<string, BootJson>;
  /** Extension set by systemd-boot.nix: sortKey (default "nixos"), devicetree. */
  'org.nixos.systemd-boot'?: { sortKey?: string; devicetree?: string };
  [extension: string]: unknown;
}

// ---------------------------------------------------------------------------------------
// activation.json

/** One `environment.etc.<name>` entry. The content is `<toplevel>/etc/<target>`. */
export interface EtcEntry {
  target: string;
  /** `symlink` (default): /etc/<target> → /etc/static/<target>. Otherwise an octal mode
   * like `0440`: the file is copied (NixOS "direct" files, recorded in /etc/.clean). */
  mode: string;
  user?: string;
  group?: string;
}

/** The spec that NixOS's `users-groups.nix` hands to update-users-groups.pl, verbatim. */
export interface UserSpec {
  name: string;
  uid?: number | null;
  group: string;
  description: string;
  home: string;
  homeMode?: string;
  createHome: boolean;
  isSystemUser: boolean;
  shell?: string | null;
  hashedPassword?: string | null;
  initialHashedPassword?: string | null;
  /** Kept for completeness; hashing is not simulated (treated as initialHashedPassword). */
  initialPassword?: string | null;
  expires?: string | null;
}
export interface GroupSpec {
  name: string;
  gid?: number | null;
  members: string[];
}
export interface UsersGroupsSpec {
  mutableUsers: boolean;
  users: UserSpec[];
  groups: GroupSpec[];
}

export interface SystemdBootSettings {
  enable: boolean;
  /** `boot.loader.systemd-boot.configurationLimit`; null keeps all. */
  configurationLimit: number | null;
  /** `boot.loader.timeout`; null means `menu-force`. */
  timeout: number | null;
  editor: boolean;
  consoleMode: string;
  rebootForBitlocker: boolean;
  distroName?: string;
  machineId?: string | null;
}
export interface GrubSettings {
  enable: boolean;
  /** default 100 */
  configurationLimit: number;
  timeout: number | null;
  /** `boot.loader.grub.default`, default "0" */
  default: string;
  entryOptions: string;
  subEntryOptions: string;
  extraEntries: string;
  extraEntriesBeforeNixOS: boolean;
  extraConfig: string;
  distroName?: string;
}
export interface BootLoaderSettings {
  systemdBoot?: SystemdBootSettings;
  grub?: GrubSettings;
}

export interface ActivationDescription {
  version: 1;
  /** environment.etc, by target; files live under `<toplevel>/etc/<target>`. */
  etc: EtcEntry[];
  users: UsersGroupsSpec;
  systemd: {
    /** Unit started on boot (default `multi-user.target` or `graphical.target`). */
    defaultTarget: string;
    /** Store path of the systemd package (a change means "would restart systemd"). */
    package?: string;
  };
  bootLoader: BootLoaderSettings;
  /** `system.configurationRevision`; absent → list-generations says `Unknown`. */
  configurationRevision?: string | null;
  /** Units the activation script asks to restart / reload (activation-restart-list). */
  restartUnits?: string[];
  reloadUnits?: string[];
}

// ---------------------------------------------------------------------------------------
// Reading

export class ToplevelError extends Error {}

export interface Toplevel {
  /** Canonical store path (system path, links resolved). */
  path: string;
  nixosVersion: string | undefined;
  initInterfaceVersion: string;
  system: string;
  /** Canonical store paths the links point to (undefined when missing). */
  kernel: string | undefined;
  initrd: string | undefined;
  kernelParams: string;
  init: string;
  kernelVersion: string | undefined;
  configurationName: string | undefined;
  /** Children: name → canonical child toplevel path. Sorted by name. */
  specialisations: Map<string, string>;
  activation: ActivationDescription;
}

export function readToplevel(fs: RootFs, p: string): Toplevel {
  const path = fs.resolve(p);
  if (!fs.isDir(path)) throw new ToplevelError(`system configuration ${LQ}${p}${RQ} does not exist`);
  const file = (n: string) => fs.readFileOr(`${path}/${n}`, undefined);
  const link = (n: string) => (fs.exists(`${path}/${n}`) ? fs.resolve(`${path}/${n}`) : undefined);
  const specialisations = new Map<string, string>();
  for (const e of fs.readDir(`${path}/specialisation`)) {
    const child = `${path}/specialisation/${e.name}`;
    if (fs.isDir(child)) specialisations.set(e.name, fs.resolve(child));
  }
  return {
    path,
    nixosVersion: file('nixos-version'),
    initInterfaceVersion: file('init-interface-version') ?? '',
    system: file('system') ?? '',
    kernel: link('kernel'),
    initrd: link('initrd'),
    kernelParams: file('kernel-params') ?? '',
    init: `${path}/init`,
    kernelVersion: fs.readDir(`${path}/kernel-modules/lib/modules`).find((e) => fs.isDir(`${path}/kernel-modules/lib/modules/${e.name}`))?.name,
    configurationName: file('configuration-name'),
    specialisations,
    activation: readActivation(fs, path),
  };
}

export function readActivation(fs: RootFs, toplevel: string): ActivationDescription {
  const text = fs.readFileOr(`${toplevel}/activation.json`, undefined);
  if (text === undefined) return emptyActivation();
  let j: Partial<ActivationDescription>;
  try {
    j = JSON.parse(utf8Decode(text));
  } catch (e) {
    throw new ToplevelError(`malformed activation.json in ${toplevel}: ${(e as Error).message}`);
  }
  // JSON.parse gives Unicode strings; the layer works on byte strings (latin1), so re-encode.
  j = reencode(j) as Partial<ActivationDescription>;
  const base = emptyActivation();
  return {
    ...base,
    ...j,
    users: { ...base.users, ...(j.users ?? {}) },
    systemd: { ...base.systemd, ...(j.systemd ?? {}) },
    bootLoader: j.bootLoader ?? {},
  };
}

export function emptyActivation(): ActivationDescription {
  return {
    version: 1,
    etc: [],
    users: { mutableUsers: true, users: [], groups: [] },
    systemd: { defaultTarget: 'multi-user.target' },
    bootLoader: {},
  };
}

/** Reads `<toplevel>/boot.json`; `Malformed Json` error text as systemd-boot-builder.py. */
export function readBootJson(fs: RootFs, toplevel: string): BootJson {
  const p = fs.resolve(`${toplevel}/boot.json`);
  if (!fs.isFile(p)) return synthesizeBootJson(fs, toplevel);
  const text = fs.readFile(p);
  try {
    return reencode(JSON.parse(utf8Decode(text))) as BootJson;
  } catch (e) {
    throw new ToplevelError(`error: Malformed Json: ${(e as Error).message}, in ${p}`);
  }
}

/** What `bootspec/bin/synthesize --version 1` derives from a toplevel without boot.json. */
export function synthesizeBootJson(fs: RootFs, toplevel: string): BootJson {
  const t = fs.resolve(toplevel);
  const read = (n: string) => fs.readFileOr(`${t}/${n}`, '') ?? '';
  const specs: Record<string, BootJson> = {};
  for (const e of fs.readDir(`${t}/specialisation`)) specs[e.name] = readBootJson(fs, `${t}/specialisation/${e.name}`);
  const kv = fs.readDir(`${t}/kernel-modules/lib/modules`)[0]?.name ?? 'unknown';
  return {
    'org.nixos.bootspec.v1': {
      system: read('system'),
      kernel: fs.resolve(`${t}/kernel`),
      kernelParams: read('kernel-params').split(' ').filter((x) => x !== ''),
      label: `NixOS ${read('nixos-version')} (Linux ${kv})`,
      initrd: fs.exists(`${t}/initrd`) ? fs.resolve(`${t}/initrd`) : undefined,
      toplevel: t,
      init: `${t}/init`,
    },
    'org.nixos.specialisation.v1': specs,
  };
}

/** `Path(bootspec.init).parent` */
export function toplevelOfInit(init: string): string {
  return dirname(init);
}

export function storeName(storePath: string): string {
  return basename(storePath);
}

// ---------------------------------------------------------------------------------------
// Byte strings ⇄ Unicode. Host strings are bytes (latin1 code units); JSON is Unicode.

export function utf8Decode(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes.charCodeAt(i);
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    let cp = need === 0 ? b : need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need >= 0 && i + need < bytes.length + 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes.charCodeAt(i + k);
      if (Number.isNaN(c) || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && need > 0 && ((need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (!ok) {
      // Python's surrogateescape: an undecodable byte b becomes U+DC00+b.
      out += String.fromCharCode(0xdc00 + b);
      i += 1;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

export function utf8Encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) out += String.fromCharCode(cp - 0xdc00);
    else if (cp < 0x80) out += ch;
    else if (cp < 0x800) out += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out += String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return out;
}

/** Unicode JSON value → same value with byte strings (keys included). */
export function reencode(v: unknown): unknown {
  if (typeof v === 'string') return utf8Encode(v);
  if (Array.isArray(v)) return v.map(reencode);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[utf8Encode(k)] = reencode(x);
    return o;
  }
  return v;
}

/** Byte-string value → Unicode value, for JSON.stringify. */
export function decodeDeep(v: unknown): unknown {
  if (typeof v === 'string') return utf8Decode(v);
  if (Array.isArray(v)) return v.map(decodeDeep);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[utf8Decode(k)] = decodeDeep(x);
    return o;
  }
  return v;
}

/** JSON text (UTF-8 bytes) of a byte-string value. */
export function toJsonBytes(v: unknown, indent?: number): string {
  return utf8Encode(JSON.stringify(decodeDeep(v), null, indent));
}

/** Python's `json.dumps(v, indent=…)` (ensure_ascii) of a byte-string value. */
export function pythonJsonDumps(v: unknown, indent: number): string {
  return JSON.stringify(decodeDeep(v), null, indent).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
