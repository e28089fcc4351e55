/**
 * Installing the embedded NixOS and package catalogue into an evaluator.
 *
 * `<nixpkgs/nixos>` and `import <nixpkgs> {}` must work with no nixpkgs checkout at
 * all, in the CLI and in the browser. The Nix sources (src/nixos/nix/**) are compiled
 * into string constants and registered as virtual files under the same root as the
 * embedded lib (`/__tsnix__/nixpkgs`, see src/modules/embedded.ts): `nixos/…`,
 * `pkgs/…` and `default.nix`. The search-path fallback in
 * src/eval/builtins/io.ts (`findFile`) resolves `<nixpkgs/…>` there only when no
 * `nixpkgs` entry of the search path provides the file, so a real nixpkgs on
 * NIX_PATH or `-I` always wins, file by file.
 *
 * `default.nix` replaces the embedded lib's placeholder that said only the lib was
 * available. Installation registers names only; nothing is read or parsed until imported.
 */

import type { EvalState } from '../eval/state.js';
import { EMBEDDED_ROOT } from '../modules/embedded.js';
import { nixpkgsBinarySources } from './nix/generated.js';

export { EMBEDDED_ROOT };
export const EMBEDDED_NIXOS = `${EMBEDDED_ROOT}/nixos`;

export function installEmbeddedNixpkgs(st: EvalState): void {
  // Read on first use (see EvalState.virtualFiles): the names alone are registered.
  for (const rel of Object.keys(nixpkgsBinarySources)) st.virtualFiles.set(`${EMBEDDED_ROOT}/${rel}`, () => nixpkgsBinarySources[rel]!);
}
