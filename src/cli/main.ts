#!/usr/bin/env node
/**
 * The `tsnix` executable.
 *
 * Evaluating Nix is deeply recursive (lazy structures, nested calls up to CppNix's
 * max-call-depth of 10 000), far beyond the main thread's ~1 MiB stack, which cannot
 * be enlarged once Node runs. A worker thread's can: 512 MiB. But a worker costs about
 * as much to start as the rest of a small command, so `eval`, `instantiate` and `parse`
 * run on the main thread first, and only when that exhausts its stack (the evaluator
 * reports it as `hostStack.exhausted` instead of a Nix error; src/diag/diagnostic.ts)
 * is the command run again in the worker, with the same clock and stdin. Output is
 * streamed as it comes; after an exhaustion the first attempt writes nothing more, and
 * the rerun skips exactly what it wrote, so the output is as if run once. Store writes
 * are content-addressed and atomic, so doing them twice is harmless. An attempt that
 * nears the main thread's heap limit moves to the worker the same way (launch.ts). `os`
 * (long anyway, and it changes a system) always runs in the worker.
 *
 * bin/tsnix usually bypasses this file: it starts Node from the start-up snapshot
 * (scripts/snapshot-entry.cjs), whose heap already holds the loaded bundle.
 */

import { inWorker, launch } from './launch.js';
import { loadApp } from './load.js';

const argv = process.argv.slice(2);
const workerFile = new URL('./worker.js', import.meta.url);
if (argv[0] === 'os') await inWorker(workerFile, { argv });
launch(await loadApp(), argv, workerFile);
