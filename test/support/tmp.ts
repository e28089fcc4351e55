/** A fresh temporary directory for one test, removed afterwards whatever happens. */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function withTmp<T>(prefix: string, f: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return f(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
