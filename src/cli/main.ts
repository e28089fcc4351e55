#!/usr/bin/env node
/**
 * The `tsnix` executable.
 *
 * The main thread only starts a worker thread with a large stack (512 MiB) and waits
 * for its exit code. Evaluating Nix is deeply recursive — lazy structures, nested
 * calls up to CppNix's max-call-depth of 10 000 — and Node's default 1 MiB stack is
 * not enough for that; a worker's stack size can be set safely, unlike the main
 * thread's. Everything else happens in run.ts, in the worker.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';

// The bundled worker (scripts/bundle.mjs) starts much faster than the module graph.
const bundle = new URL('./run.bundle.mjs', import.meta.url);
const entry = existsSync(fileURLToPath(bundle)) ? bundle : new URL('./run.js', import.meta.url);

const worker = new Worker(entry, {
  argv: process.argv.slice(2),
  env: SHARE_ENV,
  stdout: false,
  stderr: false,
  resourceLimits: { stackSizeMb: 512, maxOldGenerationSizeMb: 16384 },
});
worker.on('error', (e) => {
  process.stderr.write(`error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
worker.on('exit', (code) => process.exit(code));
