/**
 * Installing the embedded lib into an evaluator.
 *
 * `<nixpkgs/lib>` must work on a fresh machine and in the browser, where there is no
 * nixpkgs checkout and no file system. The embedded lib therefore lives in
 * `EvalState.virtualFiles` under `/__tsnix__/nixpkgs/lib/…` (Nix sources compiled
 * into `lib-nix/generated.ts`), plus one native file, `native.nix`, whose value is
 * built in TypeScript (`nativeLib`). The search-path lookup falls back to
 * `/__tsnix__/<name>` for `nixpkgs` and `nixpkgs/…` only when no real nixpkgs is on
 * NIX_PATH / -I, so a real checkout always wins and is evaluated unchanged.
 *
 * Installation only registers strings and a factory, so doing it for every
 * EvalState costs nothing until the lib is actually imported.
 */

import type { EvalState } from '../eval/state.js';
import { libBinarySources } from './lib-nix/generated.js';
import { nativeLib } from './native.js';

export const EMBEDDED_ROOT = '/__tsnix__/nixpkgs';
export const EMBEDDED_LIB = `${EMBEDDED_ROOT}/lib`;

export function installEmbeddedLib(st: EvalState): void {
  // Read on first use (see EvalState.virtualFiles): the names alone are registered.
  for (const name of Object.keys(libBinarySources)) st.virtualFiles.set(`${EMBEDDED_LIB}/${name}`, () => libBinarySources[name]!);
  st.virtualFiles.set(`${EMBEDDED_LIB}/native.nix`, '# built natively by src/modules/native.ts\n');
  st.nativeFiles.set(`${EMBEDDED_LIB}/native.nix`, () => nativeLib(st));
  st.virtualFiles.set(
    `${EMBEDDED_ROOT}/default.nix`,
    'throw "tsnix: <nixpkgs> is not on the search path; only the embedded <nixpkgs/lib> is available (add a nixpkgs checkout with -I nixpkgs=PATH or NIX_PATH)"\n',
  );
}
