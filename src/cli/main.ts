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
 * nears the main thread's heap limit moves to the worker the same way (below). `os`
 * (long anyway, and it changes a system) always runs in the worker.
 */

import { createRequire } from 'node:module';
import { loadApp } from './load.js';
import type { WorkerData } from './worker.js';

const argv = process.argv.slice(2);

async function inWorker(data: WorkerData): Promise<never> {
  // Loaded only when needed: importing worker_threads costs a few milliseconds.
  const wt: typeof import('node:worker_threads') =
    process.getBuiltinModule?.('node:worker_threads') ?? (await import('node:worker_threads'));
  const worker = new wt.Worker(new URL('./worker.js', import.meta.url), {
    workerData: data,
    env: wt.SHARE_ENV,
    stdout: false,
    stderr: false,
    resourceLimits: { stackSizeMb: 512, maxOldGenerationSizeMb: 16384 },
  });
  worker.on('error', (e) => {
    process.stderr.write(`error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
  return new Promise<never>(() => worker.on('exit', (code) => process.exit(code)));
}

if (argv[0] === 'os') await inWorker({ argv });

const app = await loadApp();
const { writeOut } = app;

// The main thread's heap limit is Node's default (a quarter of the memory, at most
// ~4 GiB), the worker's 16 GiB; running out of heap kills the process. So an attempt
// that has used three quarters of it moves to the worker. Checked at file reads (every
// 32nd: process.memoryUsage() is not free), which big evaluations do plenty of.
let reads = 0;
let heapLimit: number | undefined;
function watchHeap(): void {
  if (!app.hostStack.retry || (++reads & 31) !== 0) return;
  const used = process.memoryUsage().heapUsed;
  if (used < 2 ** 30) return;
  heapLimit ??= (
    (process.getBuiltinModule?.('node:v8') as typeof import('node:v8') | undefined) ??
    (createRequire(import.meta.url)('node:v8') as typeof import('node:v8'))
  ).getHeapStatistics().heap_size_limit;
  if (used > 0.75 * heapLimit) app.abandonAttempt();
}

const now = Date.now() / 1000;
const written: [number, number] = [0, 0];
let stdin: string | undefined;
app.hostStack.retry = argv[0] === 'eval' || argv[0] === 'instantiate' || argv[0] === 'parse';
let code = 1;
try {
  code = app.main(argv, {
    write(fd, text) {
      if (app.hostStack.exhausted) return;
      written[fd - 1] += text.length;
      writeOut(fd, text);
    },
    readStdin: () => (stdin ??= app.readStdin()),
    now,
    onRead: watchHeap,
  });
} catch (e) {
  // Only the host-stack signal gets here: app.main reports everything else.
  if (!app.hostStack.exhausted) writeOut(2, `error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
}
if (!app.hostStack.exhausted) process.exit(code);
app.hostStack.retry = false;
await inWorker({ argv, skip: written, ...(stdin !== undefined ? { stdin } : {}), now });
