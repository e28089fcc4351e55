/**
 * Realising NixOS toplevels into a local store, without running any builder.
 *
 * tsnix evaluates a configuration into ordinary derivations (their `.drv` files and
 * output paths computed by src/store exactly as Nix computes them), but it cannot run
 * builders. It does not need to for the parts of a system NixOS assembles from data:
 * every derivation the embedded NixOS creates for those carries a `tsnixBuilder`
 * attribute saying how to produce its output from its own environment, and this module
 * implements those few builders natively:
 *
 *   - `text-file` — pkgs.writeTextFile and everything on top of it (scripts, etc
 *     files, unit scripts, trigger files): `text`, `executable`, `destination`;
 *   - `tree` — a directory described by JSON (text files, symlinks, empty dirs): the
 *     etc tree, unit directories, the system profile, the kernel module tree, the
 *     initrd placeholder;
 *   - `nixos-toplevel` — the system itself, from the JSON description top-level.nix
 *     writes: the layout of src/system/toplevel.ts (version files, links, `init`,
 *     `boot.json` with every child's document embedded, `specialisation/<name>` links,
 *     `activation.json`).
 *
 * Package-catalogue entries are never built. The only exception is a catalogue entry
 * that declares a `tsnixStub` (kernels): the toplevel links to its image and reads its
 * module directory, so a clearly marked placeholder is written there — a file that
 * says what it stands for, never anything that pretends to be a kernel. Everything
 * else a system refers to (program binaries, libraries) stays unbuilt, and the links
 * to it dangle, honestly.
 *
 * Order and atomicity: a derivation's inputs are realised before it (so children
 * before their parent, and a parent's boot.json can embed the children's), and each
 * output is assembled under a temporary name in the store directory and renamed into
 * place — a crash leaves at most an unused temporary, never a half-written valid path.
 * An output that exists is never touched again (its path names its content). All
 * writes go through the Host.
 */

import type { Host } from '../host.js';
import type { Derivation } from '../store/derivation.js';
import type { LocalDirStore } from '../store/store.js';
import { reencode, toJsonBytes, utf8Decode, type ActivationDescription, type BootJson } from '../system/toplevel.js';

export class RealiseError extends Error {}

/** The description top-level.nix puts into `tsnixToplevel` (byte strings). */
export interface ToplevelDescription {
  version: 1;
  name: string;
  nixosVersion: string;
  system: string;
  initInterfaceVersion: string;
  kernelParams: string[];
  kernel: string;
  kernelModules: string;
  initrd: string | null;
  init: string;
  etc: string;
  sw: string;
  systemd: string;
  firmware: string | null;
  configurationName: string | null;
  extraDependencies: string[];
  configurationNix: string | null;
  bootspec: { extensions: Record<string, unknown>; v1: Record<string, unknown> } | null;
  specialisations: Record<string, string>;
  activation: ActivationDescription;
}

interface TreeSpec {
  files?: Record<string, { text: string; mode?: string }>;
  links?: Record<string, string>;
  dirs?: string[];
}

interface StubSpec {
  kind: 'kernel';
  target: string;
  modDirVersion: string;
  version: string;
}

export interface RealiseResult {
  /** Output path of the derivation asked for. */
  outPath: string;
  /** Store paths written by this call (those that existed are not listed). */
  built: string[];
}

let tmpCounter = 0;

export class Realiser {
  private readonly done = new Map<string, string | undefined>();
  readonly built: string[] = [];

  constructor(
    private readonly host: Host,
    private readonly store: LocalDirStore,
  ) {}

  /** Realises `drvPath` (and every natively buildable derivation it depends on). */
  realise(drvPath: string): RealiseResult {
    const out = this.realiseDrv(drvPath);
    if (out === undefined) {
      throw new RealiseError(`cannot realise ${drvPath}: tsnix has no builder for it (only NixOS system pieces are assembled natively)`);
    }
    return { outPath: out, built: [...this.built] };
  }

  /** The `out` path, or undefined when the derivation is not something tsnix builds. */
  private realiseDrv(drvPath: string): string | undefined {
    if (this.done.has(drvPath)) return this.done.get(drvPath);
    const drv = this.store.readDerivation(drvPath);
    const kind = drv.env.get('tsnixBuilder') ?? (drv.env.has('tsnixStub') ? 'stub' : undefined);
    const o = drv.outputs.get('out');
    const out = o && o.type === 'inputAddressed' ? o.path : undefined;
    if (kind === undefined || out === undefined) {
      this.done.set(drvPath, undefined);
      return undefined;
    }
    // Memoised before recursing: derivation graphs are acyclic, and the mark only
    // saves revisiting shared inputs (most of a child's inputs are its parent's).
    this.done.set(drvPath, out);
    for (const input of [...drv.inputDrvs.keys()].sort()) this.realiseDrv(input);
    if (this.host.lstat(this.store.toRealPath(out))) return out;
    switch (kind) {
      case 'text-file':
        this.buildTextFile(drv, out);
        break;
      case 'tree':
        this.atomicDir(out, (dir) => this.writeTree(dir, parseJson(drv, 'tsnixTree') as TreeSpec));
        break;
      case 'stub':
        this.atomicDir(out, (dir) => this.writeStub(dir, drv, parseJson(drv, 'tsnixStub') as StubSpec));
        break;
      case 'nixos-toplevel':
        this.atomicDir(out, (dir) => this.writeToplevel(dir, out, parseJson(drv, 'tsnixToplevel') as ToplevelDescription));
        break;
      default:
        throw new RealiseError(`${drvPath}: unknown tsnixBuilder '${kind}'`);
    }
    this.built.push(out);
    return out;
  }

  // -------------------------------------------------------------------------------------
  // builders

  private buildTextFile(drv: Derivation, out: string): void {
    const text = drv.env.get('text') ?? '';
    const mode = drv.env.get('executable') === '1' ? 0o555 : 0o444;
    const destination = drv.env.get('destination') ?? '';
    if (destination === '') {
      this.host.writeFileAtomic(this.store.toRealPath(out), text, mode, false);
      return;
    }
    this.atomicDir(out, (dir) => this.writeFile(dir, destination.replace(/^\/+/, ''), text, mode));
  }

  private writeTree(dir: string, spec: TreeSpec): void {
    for (const d of spec.dirs ?? []) this.host.mkdirp(`${dir}/${safeRel(d)}`);
    for (const [rel, f] of sortedEntries(spec.files ?? {})) {
      const mode = f.mode !== undefined ? parseInt(f.mode, 8) : 0o444;
      this.writeFile(dir, safeRel(rel), f.text, mode);
    }
    for (const [rel, target] of sortedEntries(spec.links ?? {})) this.link(dir, safeRel(rel), target);
  }

  private writeStub(dir: string, drv: Derivation, stub: StubSpec): void {
    const name = drv.name;
    this.writeFile(
      dir,
      'README.tsnix',
      `${name} is an entry of tsnix's package catalogue, not a built package.\n` +
        `tsnix computed this store path but has no build recipe for it. The system layout\n` +
        `links to files of this package, so only these placeholders were written here:\n` +
        `  ${stub.target}: a text file standing for the kernel image (it boots nothing)\n` +
        `  lib/modules/${stub.modDirVersion}/: empty (the module directory names the kernel version)\n`,
      0o444,
    );
    this.writeFile(
      dir,
      stub.target,
      `tsnix placeholder: this file stands for the ${stub.target} of ${name} (Linux ${stub.modDirVersion}).\nIt is not a kernel image.\n`,
      0o444,
    );
    this.host.mkdirp(`${dir}/lib/modules/${stub.modDirVersion}`);
  }

  private writeToplevel(dir: string, out: string, d: ToplevelDescription): void {
    const text = (rel: string, s: string, mode = 0o444) => this.writeFile(dir, rel, s, mode);
    text('nixos-version', d.nixosVersion);
    text('system', d.system);
    text('init-interface-version', d.initInterfaceVersion);
    text('kernel-params', d.kernelParams.join(' '));
    text('extra-dependencies', d.extraDependencies.join(' '));
    if (d.configurationName !== null) text('configuration-name', d.configurationName);
    text('init', d.init.split('@out@').join(out), 0o555);
    this.link(dir, 'kernel', d.kernel);
    this.link(dir, 'kernel-modules', d.kernelModules);
    if (d.initrd !== null) this.link(dir, 'initrd', d.initrd);
    if (d.firmware !== null) this.link(dir, 'firmware', d.firmware);
    this.link(dir, 'etc', d.etc);
    this.link(dir, 'sw', d.sw);
    this.link(dir, 'systemd', d.systemd);
    if (d.configurationNix !== null) this.link(dir, 'configuration.nix', d.configurationNix);

    // Every toplevel has the directory, children's empty (NixOS's `mkdir` always runs).
    this.host.mkdirp(`${dir}/specialisation`);
    const children = sortedEntries(d.specialisations);
    for (const [name, child] of children) {
      if (name.includes('/') || name === '' || name === '.' || name === '..') {
        throw new RealiseError(`invalid specialisation name '${name}'`);
      }
      this.link(dir, `specialisation/${name}`, child);
    }

    if (d.bootspec !== null) {
      const specs: Record<string, BootJson> = {};
      for (const [name, child] of children) specs[name] = this.readChildBootJson(child);
      const doc: Record<string, unknown> = {
        ...d.bootspec.extensions,
        'org.nixos.bootspec.v1': { ...d.bootspec.v1, toplevel: out, init: `${out}/init` },
        'org.nixos.specialisation.v1': specs,
      };
      text('boot.json', toJsonBytes(sortKeysDeep(doc), 2) + '\n');
    }
    text('activation.json', toJsonBytes(d.activation, 2) + '\n');
  }

  private readChildBootJson(child: string): BootJson {
    const p = `${this.store.toRealPath(child)}/boot.json`;
    if (!this.host.lstat(p)) throw new RealiseError(`specialisation ${child} has no boot.json`);
    return reencode(JSON.parse(utf8Decode(this.host.readFile(p)))) as BootJson;
  }

  // -------------------------------------------------------------------------------------
  // writing

  /** Assemble a directory output under a temporary name, then rename it into place. */
  private atomicDir(out: string, fill: (dir: string) => void): void {
    const real = this.store.toRealPath(out);
    const base = out.slice(out.lastIndexOf('/') + 1);
    const tmp = `${this.store.realStoreDir}/.tmp-${base}-${this.host.now()}-${++tmpCounter}-${Math.random().toString(36).slice(2, 10)}`;
    this.host.mkdirp(tmp);
    try {
      fill(tmp);
      this.host.rename(tmp, real);
    } catch (e) {
      try {
        this.host.remove(tmp);
      } catch {
        // Best effort: a temporary name is never mistaken for a valid path.
      }
      if (this.host.lstat(real)) return; // another process finished it
      throw e;
    }
  }

  private writeFile(dir: string, rel: string, text: string, mode: number): void {
    const p = `${dir}/${rel}`;
    this.host.mkdirp(p.slice(0, p.lastIndexOf('/')));
    this.host.writeFileAtomic(p, text, mode, false);
  }

  private link(dir: string, rel: string, target: string): void {
    const p = `${dir}/${rel}`;
    this.host.mkdirp(p.slice(0, p.lastIndexOf('/')));
    this.host.symlinkAtomic(target, p);
  }
}

/** Realises a toplevel derivation; returns its output path. */
export function realiseToplevel(host: Host, store: LocalDirStore, drvPath: string): RealiseResult {
  return new Realiser(host, store).realise(drvPath);
}

function parseJson(drv: Derivation, attr: string): unknown {
  const text = drv.env.get(attr);
  if (text === undefined) throw new RealiseError(`derivation ${drv.name} lacks ${attr}`);
  return reencode(JSON.parse(utf8Decode(text)));
}

/** Relative paths from derivation data must stay inside the output. */
function safeRel(rel: string): string {
  const parts = rel.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new RealiseError(`invalid path '${rel}' in a tsnix tree`);
  return parts.join('/');
}

function sortedEntries<T>(o: Record<string, T>): [string, T][] {
  return Object.keys(o)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => [k, o[k]!]);
}

/** `jq --sort-keys`: every object's keys in order, at every depth. */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of sortedEntries(v as Record<string, unknown>)) if (x !== undefined) o[k] = sortKeysDeep(x);
    return o;
  }
  return v;
}
