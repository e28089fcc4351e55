/**
 * Loading the CLI (app.ts and everything it imports) fast.
 *
 * scripts/bundle.mjs bundles it into one classic script, `tsnix.bundle.js`, and stores
 * V8's code cache for it, `tsnix.bundle.cache`, made after a warm-up run so that the
 * functions a typical command needs are already compiled. Node 20 has no compile
 * cache for ES modules, but `vm.Script` takes `cachedData`: with it, start-up skips
 * parsing and compiling the megabyte of code. V8 rejects a cache from another V8
 * version or flag set (`cachedDataRejected`); the code is then compiled as usual.
 * V8 checks only the source's length, so the cache also names the build it belongs to
 * (the bundle's last line) and is not used with another one.
 *
 * Without a bundle (tsc output only) the ES module graph is imported instead.
 *
 * `node:` modules come from `process.getBuiltinModule` where Node has it (20.16+):
 * importing `node:fs` as an ES module loads its promises API and streams, a good
 * share of a small command's start-up.
 */

import { createRequire } from 'node:module';
import * as vm from 'node:vm';

export type App = typeof import('./app.js');

const fs: typeof import('node:fs') = process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'));

const here = new URL('.', import.meta.url).pathname;
export const BUNDLE = decodeURIComponent(here) + 'tsnix.bundle.js';
/**
 * The code cache's file. V8 takes a cache only under the flags it was made with, and
 * bin/tsnix starts Node with flags of its own (stack, heap sizes): each flag set
 * has its own file (scripts/bundle.mjs makes the plain one and bin/tsnix's).
 */
export function cachePath(execArgv: readonly string[] = process.execArgv): string {
  // A worker of a process started from the start-up snapshot (bin/tsnix) inherits
  // `--snapshot-blob`, which is no V8 flag: the cache for the remaining flags fits.
  const flags = execArgv.filter((a, i) => !a.startsWith('--snapshot-blob') && execArgv[i - 1] !== '--snapshot-blob');
  const key = flags.join(' ').replace(/[^A-Za-z0-9]+/g, '_');
  return decodeURIComponent(here) + (key ? `tsnix.bundle.${key}.cache` : 'tsnix.bundle.cache');
}
/** The bundle's last line: this marker and the build's id. */
export const BUILD_MARK = '\n//tsnix-build:';
/** The cache file: this, the build's id, a newline, then V8's data. */
export const CACHE_MAGIC = 'tsnix-code-cache:';

export function buildId(source: string): string {
  const i = source.lastIndexOf(BUILD_MARK);
  return i < 0 ? '' : source.slice(i + BUILD_MARK.length).trim();
}

/** The cache's V8 data when it was made for the build `id`. */
function cacheFor(id: string): Buffer | undefined {
  if (!id) return undefined;
  let data: Buffer;
  try {
    data = fs.readFileSync(cachePath());
  } catch {
    return undefined;
  }
  const head = `${CACHE_MAGIC}${id}\n`;
  return data.length > head.length && data.toString('latin1', 0, head.length) === head ? data.subarray(head.length) : undefined;
}

/** The bundle compiled (with the code cache when it fits) and run: app.ts's exports. */
export function compileBundle(source: string, cachedData?: Buffer): { app: App; script: vm.Script } {
  // The bundle is `(function (exports, require, module) { … })` (scripts/bundle.mjs).
  const script = new vm.Script(source, { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as App };
  (script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown) => void)(module.exports, createRequire(BUNDLE), module);
  return { app: module.exports, script };
}

export async function loadApp(): Promise<App> {
  let source: string;
  try {
    // ASCII (esbuild's charset: 'ascii'), so latin1 is exact and the fastest decoding.
    source = fs.readFileSync(BUNDLE, 'latin1');
  } catch {
    return import('./app.js');
  }
  return compileBundle(source, cacheFor(buildId(source))).app;
}
