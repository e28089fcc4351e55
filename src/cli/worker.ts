/**
 * The 512 MiB-stack worker (see main.ts): runs one command and exits with its status.
 * A rerun after the main thread ran out of stack skips the output the first attempt
 * already wrote (evaluation is deterministic) and reads the stdin that attempt read.
 */

import { workerData } from 'node:worker_threads';
import { loadApp } from './load.js';

export interface WorkerData {
  argv: string[];
  /** Bytes of fd 1 and fd 2 already written. */
  skip?: [number, number];
  /** What the first attempt read from stdin. */
  stdin?: string;
  now?: number;
}

const data = workerData as WorkerData;
const skip = data.skip ?? [0, 0];
const app = await loadApp();
const code = app.main(data.argv, {
  write(fd, text) {
    const s = skip[fd - 1]!;
    if (s > 0) {
      skip[fd - 1] = Math.max(0, s - text.length);
      if (s >= text.length) return;
      text = text.slice(s);
    }
    app.writeOut(fd, text);
  },
  readStdin: () => data.stdin ?? app.readStdin(),
  ...(data.now !== undefined ? { now: data.now } : {}),
});
process.exit(code);
