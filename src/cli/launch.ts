/**
 * Running one command on the main thread, with the move to the big-stack worker (see
 * main.ts for why). Shared by main.ts (which loads the bundle first) and the start-up
 * snapshot (scripts/snapshot-entry.cjs, where the bundle is already in the heap), so it
 * is part of the bundle: app.ts re-exports it.
 */

import { createRequire } from 'node:module';
import type { WorkerData } from './worker.js';

type App = typeof import('./app.js');

// Loaded only when needed (importing worker_threads costs a few milliseconds); Node
// before 20.16 has no getBuiltinModule, and built-ins resolve from any base.
const nodeModule = <T>(name: string): T => (process.getBuiltinModule?.(name) ?? createRequire('/')(name)) as T;

/** Runs the command in a 512 MiB-stack worker (`workerFile`, worker.js) and exits with its status. */
export function inWorker(workerFile: URL | string, data: WorkerData): Promise<never> {
  const wt = nodeModule<typeof import('node:worker_threads')>('node:worker_threads');
  const worker = new wt.Worker(workerFile, {
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

/** Runs `argv`: exits the process, here or (after a stack exhaustion) in the worker. */
export function launch(app: App, argv: string[], workerFile: URL | string): void {
  if (argv[0] === 'os') {
    void inWorker(workerFile, { argv });
    return;
  }
  const { writeOut } = app;
  // The main thread's heap limit is Node's default (a quarter of the memory, at most
  // ~4 GiB), the worker's 16 GiB; running out of heap kills the process. So an attempt
  // that has used three quarters of it moves to the worker. Checked at file reads (every
  // 32nd: process.memoryUsage() is not free), which big evaluations do plenty of.
  let reads = 0;
  let heapLimit: number | undefined;
  const watchHeap = (): void => {
    if (!app.hostStack.retry || (++reads & 31) !== 0) return;
    const used = process.memoryUsage().heapUsed;
    if (used < 2 ** 30) return;
    heapLimit ??= nodeModule<typeof import('node:v8')>('node:v8').getHeapStatistics().heap_size_limit;
    if (used > 0.75 * heapLimit) app.abandonAttempt();
  };

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
  void inWorker(workerFile, { argv, skip: written, ...(stdin !== undefined ? { stdin } : {}), now });
}
