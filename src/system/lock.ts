/**
 * The switch lock: `/run/nixos/switch-to-configuration.lock`.
 *
 * NixOS holds an flock on that file; the kernel drops it when the process dies, so a
 * crashed switch never blocks the next one. Hosts here have no flock, so the file's
 * *content* names its owner (`<pid> <nonce>`) and a lock is stale when its owner is
 * gone: another pid that the host reports dead, or our own pid with a nonce this
 * process does not hold (the owner was an earlier, crashed incarnation in the same
 * process — which is exactly what the fault-injection tests produce). A host that
 * cannot tell pids apart (a browser) is single-process, so any lock it did not take
 * itself is stale. Acquisition writes then reads back, so of two racing takers only
 * one sees its own nonce (best effort without O_EXCL; documented gap).
 */

import type { Host } from '../host.js';
import type { RootFs } from './rootfs.js';

export const LOCK_FILE = '/run/nixos/switch-to-configuration.lock';

/** Optional host capabilities (NodeHost has them). */
export interface ProcessHost {
  pid?(): number;
  processAlive?(pid: number): boolean;
}

const held = new Set<string>();
let counter = 0;

export interface LockHandle {
  release(): void;
}

export function tryLock(fs: RootFs, path: string = LOCK_FILE): LockHandle | undefined {
  const host = fs.host as Host & ProcessHost;
  const myPid = host.pid?.() ?? 0;
  const cur = fs.readFileOr(path, undefined);
  if (cur !== undefined && cur.trim() !== '') {
    const [pidStr, nonce = ''] = cur.trim().split(' ');
    const pid = Number(pidStr);
    const stale = !held.has(nonce) && (host.pid === undefined || pid === myPid || (host.processAlive !== undefined && !host.processAlive(pid)));
    if (!stale) return undefined;
  }
  const nonce = `${Math.floor(host.now() * 1000)}.${++counter}`;
  const content = `${myPid} ${nonce}\n`;
  fs.write(path, content);
  if (fs.readFileOr(path, undefined) !== content) return undefined;
  held.add(nonce);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      held.delete(nonce);
      if (fs.readFileOr(path, undefined) === content) fs.remove(path);
    },
  };
}
