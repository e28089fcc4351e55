/**
 * Node's native digests for the store layer.
 *
 * src/store hashes with @noble/hashes so that the core runs anywhere (browser, no
 * `node:` imports); under Node the CLI swaps in `node:crypto`, which is several times
 * faster on large inputs (NAR serialisations of source trees) and cheaper per call on
 * the many small ones (every ATerm, every store path fingerprint). Same digests, so
 * nothing else changes.
 */

import { createRequire } from 'node:module';
import { setHashBackend, type HashAlgo } from '../store/hash.js';

type CreateHash = typeof import('node:crypto').createHash;
let createHash: CreateHash | undefined;

// Loaded on first use: many commands hash nothing, and loading `crypto` is a good part
// of a small command's start-up.
function nodeCreateHash(): CreateHash {
  return (createHash ??= (
    (process.getBuiltinModule?.('node:crypto') as typeof import('node:crypto') | undefined) ??
    (createRequire('/')('node:crypto') as typeof import('node:crypto'))
  ).createHash);
}

export function installNodeHashes(): void {
  setHashBackend((algo: HashAlgo) => {
    const h = nodeCreateHash()(algo);
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
