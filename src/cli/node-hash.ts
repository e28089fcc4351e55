/**
 * Node's native digests for the store layer.
 *
 * src/store hashes with @noble/hashes so that the core runs anywhere (browser, no
 * `node:` imports); under Node the CLI swaps in `node:crypto`, which is several times
 * faster on large inputs (NAR serialisations of source trees) and cheaper per call on
 * the many small ones (every ATerm, every store path fingerprint). Same digests, so
 * nothing else changes.
 */

import { createHash } from 'node:crypto';
import { setHashBackend, type HashAlgo } from '../store/hash.js';

export function installNodeHashes(): void {
  setHashBackend((algo: HashAlgo) => {
    const h = createHash(algo);
    return {
      update(bytes) {
        h.update(bytes);
      },
      digest() {
        return new Uint8Array(h.digest());
      },
    };
  });
}
