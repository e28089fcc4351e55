/**
 * The store layer's public surface, for `import … from '../store/index.js'`.
 *
 * hash.ts       digests, encodings (base16, nix32, base64, SRI), parsing, convertHash
 * nar.ts        NAR serialisation of host paths, streamed into hashes
 * path.ts       store path arithmetic (text / source / fixed / output paths), names
 * derivation.ts the Derivation type, ATerm, hash modulo, derivationStrict's back half
 * store.ts      ComputeStore (computes only) and LocalDirStore (writes under a root)
 * errors.ts     the error classes, all NixErrors
 *
 * Everything here is pure apart from what goes through the Host: no `node:` imports,
 * byte strings throughout.
 */

export * from './errors.js';
export * from './hash.js';
export * from './nar.js';
export * from './path.js';
export * from './derivation.js';
export * from './store.js';
