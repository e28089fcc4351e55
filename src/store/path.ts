/**
 * Store paths: how a name and a content hash become `/nix/store/<hash>-<name>`.
 *
 * Every store path is `storeDir/` + nix32(xorfold20(sha256(fingerprint))) + `-` + name,
 * where the fingerprint is `<type>:sha256:<hex inner hash>:<storeDir>:<name>`
 * (CppNix `StoreDirConfig::makeStorePath`). Only `type` and the inner hash differ
 * between kinds of objects:
 *
 *   - `text[:<ref>…]`, inner = sha256(contents): `builtins.toFile` and `.drv` files,
 *     the references (full store paths, sorted) spelled into the type;
 *   - `source[:<ref>…][:self]`, inner = sha256(NAR): sources copied "recursively" with
 *     SHA-256 — path interpolation, `builtins.path`, `filterSource`;
 *   - `output:out`, inner = sha256("fixed:out:" + ("r:" | "git:" | "") + "<algo>:<hex>:"):
 *     every other fixed-output / content-addressed path (flat files, non-SHA-256);
 *   - `output:<id>`, inner = the derivation's hash modulo: input-addressed outputs,
 *     named `<drv>-<id>` unless the output is `out`.
 *
 * Store paths are plain strings here (the evaluator passes them around as strings with
 * context anyway). `StoreDir` carries the configurable store directory; the free
 * functions at the bottom use the default `/nix/store`. The fingerprint includes the
 * store directory, so a different `storeDir` changes every hash, exactly as in Nix.
 *
 * Name validation and its messages are CppNix 2.36's (`checkName`, `StorePath`).
 */

import { BadStorePath, BadStorePathName, StoreError } from './errors.js';
import { compressHash, Hash, hashString, nix32Chars, type HashAlgo } from './hash.js';

export const defaultStoreDir = '/nix/store';

/** Length of the hash part of a store path (160 bits in nix32). */
export const storePathHashLen = 32;
/** Longest allowed name part (CppNix `StorePath::MaxPathLen`). */
export const maxStorePathNameLen = 211;

export const drvExtension = '.drv';

/** How the contents of a content-addressed object were hashed. */
export type FileIngestionMethod = 'flat' | 'nar' | 'git';
export type ContentAddressMethod = FileIngestionMethod | 'text';

export interface ContentAddress {
  method: ContentAddressMethod;
  hash: Hash;
}

/** Throws `BadStorePathName` with CppNix's message if `name` can't be a store path name. */
export function checkName(name: string): void {
  if (name.length === 0) throw new BadStorePathName('name must not be empty');
  if (name.length > maxStorePathNameLen)
    throw new BadStorePathName(`name '${name}' must be no longer than ${maxStorePathNameLen} characters`);
  if (name[0] === '.') {
    if (name.length === 1) throw new BadStorePathName(`name '${name}' is not valid`);
    if (name[1] === '-')
      throw new BadStorePathName(`name '${name}' is not valid: first dash-separated component must not be '.'`);
    if (name[1] === '.') {
      if (name.length === 2) throw new BadStorePathName(`name '${name}' is not valid`);
      if (name[2] === '-')
        throw new BadStorePathName(`name '${name}' is not valid: first dash-separated component must not be '..'`);
    }
  }
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) ||
      (c >= 97 && c <= 122) ||
      (c >= 65 && c <= 90) ||
      c === 43 /* + */ ||
      c === 45 /* - */ ||
      c === 46 /* . */ ||
      c === 95 /* _ */ ||
      c === 63 /* ? */ ||
      c === 61; /* = */
    if (!ok) throw new BadStorePathName(`name '${name}' contains illegal character '${name[i]}'`);
  }
}

function checkPathName(baseName: string, name: string): void {
  try {
    checkName(name);
  } catch (e) {
    if (e instanceof BadStorePathName)
      throw new BadStorePath(`path '${baseName}' is not a valid store path: ${e.message}`);
    throw e;
  }
}

/** Validates a store path base name (`<hash>-<name>`) like CppNix's `StorePath(string)`. */
export function checkBaseName(baseName: string): void {
  if (baseName.length < storePathHashLen + 1)
    throw new BadStorePath(`'${baseName}' is too short to be a valid store path`);
  if (baseName[storePathHashLen] !== '-')
    throw new BadStorePath(`'${baseName}' can't name a store path because the hash part is not followed by a '-'`);
  for (let i = 0; i < storePathHashLen; i++) {
    const c = baseName[i]!;
    if (!nix32Chars.includes(c))
      throw new BadStorePath(`store path '${baseName}' contains illegal base-32 character '${c}'`);
  }
  checkPathName(baseName, baseName.slice(storePathHashLen + 1));
}

/** CppNix `outputPathName`: the `out` output is named like the derivation. */
export function outputPathName(drvName: string, outputName: string): string {
  return outputName === 'out' ? drvName : `${drvName}-${outputName}`;
}

/** CppNix `hashPlaceholder` (`builtins.placeholder`, CA derivation env vars). */
export function hashPlaceholder(outputName: string): string {
  return '/' + hashString('sha256', 'nix-output:' + outputName).toString('nix32');
}

/** CppNix `makeFileIngestionPrefix` / `ContentAddressMethod::renderPrefix`. */
export function methodPrefix(method: ContentAddressMethod): string {
  switch (method) {
    case 'flat':
      return '';
    case 'nar':
      return 'r:';
    case 'git':
      return 'git:';
    case 'text':
      return 'text:';
  }
}

/** `r:sha256`, `sha1`, … as written in a fixed output of an ATerm (`printMethodAlgo`). */
export function printMethodAlgo(method: ContentAddressMethod, algo: HashAlgo): string {
  return methodPrefix(method) + algo;
}

/** Parses what `printMethodAlgo` prints (CppNix `ContentAddressMethod::parsePrefix`). */
export function parseMethodAlgo(s: string): { method: ContentAddressMethod; algo: string } {
  for (const [prefix, method] of [
    ['r:', 'nar'],
    ['git:', 'git'],
    ['text:', 'text'],
  ] as const)
    if (s.startsWith(prefix)) return { method, algo: s.slice(prefix.length) };
  return { method: 'flat', algo: s };
}

export interface ParsedStorePath {
  /** `<hash>-<name>` */
  baseName: string;
  hashPart: string;
  name: string;
}

export class StoreDir {
  constructor(readonly storeDir: string = defaultStoreDir) {}

  /** `storeDir/<baseName>` */
  printStorePath(baseName: string): string {
    return this.storeDir + '/' + baseName;
  }

  /**
   * The core construction. `hash` is the inner hash; a string is taken to be the hex
   * SHA-256 digest (what the brief of most callers has at hand).
   */
  makeStorePath(type: string, hash: Hash | string, name: string): string {
    const h = typeof hash === 'string' ? 'sha256:' + hash : hash.toString('base16', true);
    const fingerprint = `${type}:${h}:${this.storeDir}:${name}`;
    const base = compressHash(hashString('sha256', fingerprint), 20).toString('nix32') + '-' + name;
    checkPathName(base, name);
    return this.printStorePath(base);
  }

  /** Input-addressed output path from the derivation's hash modulo. */
  makeOutputPath(outputName: string, drvHash: Hash | string, drvName: string): string {
    return this.makeStorePath('output:' + outputName, drvHash, outputPathName(drvName, outputName));
  }

  /** Appends the references to the type, the way CppNix's `makeType` does. */
  private makeType(type: string, references: Iterable<string> | undefined, self: boolean): string {
    if (references) for (const r of this.sortedPaths(references)) type += ':' + r;
    if (self) type += ':self';
    return type;
  }

  /** Store paths in `StorePathSet` order. All share the `storeDir/` prefix, so this is
   * the order of the base names, which is byte order. */
  sortedPaths(paths: Iterable<string>): string[] {
    const seen = new Set<string>();
    for (const p of paths) {
      this.parseStorePath(p);
      seen.add(p);
    }
    return [...seen].sort();
  }

  /** `builtins.toFile`, `.drv` files: a `text:` path over the SHA-256 of `contents`. */
  makeTextPath(name: string, contents: string | Uint8Array, references: Iterable<string> = []): string {
    return this.makeTextPathFromHash(name, hashString('sha256', contents), references);
  }

  makeTextPathFromHash(name: string, hash: Hash, references: Iterable<string> = []): string {
    if (hash.algo !== 'sha256') throw new StoreError(`text-hashed paths must use SHA-256, not ${hash.algo}`);
    return this.makeStorePath(this.makeType('text', references, false), hash, name);
  }

  /** A source path: NAR hashed with SHA-256 (`"${./x}"`, `builtins.path`, `filterSource`). */
  makeSourcePath(name: string, narHash: Hash, references: Iterable<string> = [], self = false): string {
    return this.makeFixedOutputPath(name, { method: 'nar', hash: narHash, references, self });
  }

  /**
   * CppNix `makeFixedOutputPath`: SHA-256 over a NAR is a `source` path (references
   * allowed); everything else hashes the `fixed:out:` description and may not refer to
   * other paths.
   */
  makeFixedOutputPath(
    name: string,
    info: { method: FileIngestionMethod; hash: Hash; references?: Iterable<string>; self?: boolean },
  ): string {
    const { method, hash } = info;
    if (method === 'git' && hash.algo !== 'sha1' && hash.algo !== 'sha256')
      throw new StoreError(`Git file ingestion must use SHA-1 or SHA-256 hash, but instead using: ${hash.algo}`);
    if (hash.algo === 'sha256' && method === 'nar')
      return this.makeStorePath(this.makeType('source', info.references, info.self ?? false), hash, name);
    const hasRefs = (info.references && [...info.references].length > 0) || info.self;
    if (hasRefs)
      throw new StoreError(
        `fixed output derivation '${name}' is not allowed to refer to other store paths.\n` +
          `You may need to use the 'unsafeDiscardReferences' derivation attribute, see the manual for more details.`,
      );
    const inner = hashString('sha256', `fixed:out:${methodPrefix(method)}${hash.toString('base16', true)}:`);
    return this.makeStorePath('output:out', inner, name);
  }

  /** CppNix `makeFixedOutputPathFromCA`: also covers `text` (no self references). */
  makeFixedOutputPathFromCA(name: string, ca: ContentAddress, references: Iterable<string> = []): string {
    if (ca.method === 'text') return this.makeTextPathFromHash(name, ca.hash, references);
    return this.makeFixedOutputPath(name, { method: ca.method, hash: ca.hash, references });
  }

  /** CppNix `parseStorePath`: canonicalises, then requires `storeDir/<valid base name>`. */
  parseStorePath(path: string): ParsedStorePath {
    if (path === '') throw new BadStorePath('empty path is not a valid store path');
    // Nearly every path reaching here is already canonical; skip the split/join then.
    const p =
      path.startsWith(this.storeDir + '/') && !path.includes('/.') && !path.includes('//') && !path.endsWith('/')
        ? path
        : canon(path);
    const slash = p.lastIndexOf('/');
    const parent = slash <= 0 ? '/' : p.slice(0, slash);
    if (parent !== this.storeDir) throw new BadStorePath(`path "${p}" is not in the Nix store`);
    const baseName = p.slice(slash + 1);
    checkBaseName(baseName);
    return { baseName, hashPart: baseName.slice(0, storePathHashLen), name: baseName.slice(storePathHashLen + 1) };
  }

  isStorePath(path: string): boolean {
    try {
      this.parseStorePath(path);
      return true;
    } catch (e) {
      if (e instanceof StoreError) return false;
      throw e;
    }
  }

  /** Is `path` the store directory itself or anything below it? */
  isInStore(path: string): boolean {
    return path.startsWith(this.storeDir + '/');
  }

  /** Splits `storeDir/<base>/rest` into the store path and `/rest` (CppNix `toStorePath`). */
  toStorePath(path: string): { storePath: string; rest: string } {
    if (!this.isInStore(path)) throw new BadStorePath(`path '${path}' is not in the Nix store`);
    const start = this.storeDir.length + 1;
    const slash = path.indexOf('/', start);
    const storePath = slash < 0 ? path : path.slice(0, slash);
    this.parseStorePath(storePath);
    return { storePath, rest: slash < 0 ? '' : path.slice(slash) };
  }

  /**
   * CppNix `DownstreamPlaceholder::unknownCaOutput`: what stands for an output of a
   * floating content-addressed derivation until it is built (its `outPath`).
   */
  downstreamPlaceholder(drvPath: string, outputName: string): string {
    const { hashPart, name } = this.parseStorePath(drvPath);
    const drvName = name.endsWith(drvExtension) ? name.slice(0, -drvExtension.length) : name;
    const clear = `nix-upstream-output:${hashPart}:${outputPathName(drvName, outputName)}`;
    return '/' + hashString('sha256', clear).toString('nix32');
  }

  /** The name part of a store path (after `<hash>-`). */
  nameOf(storePath: string): string {
    return this.parseStorePath(storePath).name;
  }
}

/** Lexical canonicalisation (the store layer must not resolve symlinks). */
function canon(path: string): string {
  const out: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

export function isDerivationPath(path: string): boolean {
  return path.endsWith(drvExtension);
}

/* Free functions over a given store directory (default `/nix/store`). */

const stores = new Map<string, StoreDir>();
function sd(storeDir: string): StoreDir {
  let s = stores.get(storeDir);
  if (!s) stores.set(storeDir, (s = new StoreDir(storeDir)));
  return s;
}

export function makeStorePath(type: string, hash: Hash | string, name: string, storeDir = defaultStoreDir): string {
  return sd(storeDir).makeStorePath(type, hash, name);
}

export function makeTextPath(
  name: string,
  contents: string | Uint8Array,
  references: Iterable<string> = [],
  storeDir = defaultStoreDir,
): string {
  return sd(storeDir).makeTextPath(name, contents, references);
}

export function makeSourcePath(
  name: string,
  narHash: Hash,
  references: Iterable<string> = [],
  storeDir = defaultStoreDir,
): string {
  return sd(storeDir).makeSourcePath(name, narHash, references);
}

export function makeFixedOutputPath(
  name: string,
  info: { method: FileIngestionMethod; hash: Hash; references?: Iterable<string>; self?: boolean },
  storeDir = defaultStoreDir,
): string {
  return sd(storeDir).makeFixedOutputPath(name, info);
}

export function makeOutputPath(
  outputName: string,
  drvHash: Hash | string,
  drvName: string,
  storeDir = defaultStoreDir,
): string {
  return sd(storeDir).makeOutputPath(outputName, drvHash, drvName);
}
