/**
 * Errors raised by the store layer.
 *
 * The store is used from the evaluator (`derivationStrict`, `toFile`, `hashString`,
 * path interpolation …), so its errors must travel the same way evaluation errors do:
 * as `NixError`s carrying a diagnostic. The subclasses exist so that callers can tell
 * them apart with `instanceof` where CppNix catches a specific class — e.g.
 * `derivationStrict` catches `BadStorePathName` to rephrase it as "invalid derivation
 * name: … Please pass a different 'name'." — and so that the diagnostic code names the
 * CppNix class for anyone matching on it.
 *
 * Messages are CppNix 2.36's, byte for byte where the test suite looks at them.
 * CppNix throws `UsageError` for an unknown hash algorithm or hash format; that is not
 * an evaluation error (it is not caught by `tryEval`, and the CLI appends "Try
 * '… --help' for more information."), so it maps to kind `usage` here.
 */

import { NixError, type ErrorKind } from '../diag/diagnostic.js';
import { noPos } from '../lang/source.js';

export class StoreError extends NixError {
  constructor(message: string, code = 'store/error', kind: ErrorKind = 'eval') {
    super(kind, message, noPos, code);
  }
}

/** CppNix `BadHash`. */
export class BadHash extends StoreError {
  constructor(message: string) {
    super(message, 'store/bad-hash');
  }
}

/** CppNix `BadStorePathName`: the name part alone is invalid. */
export class BadStorePathName extends StoreError {
  constructor(message: string) {
    super(message, 'store/bad-store-path-name');
  }
}

/** CppNix `BadStorePath`: a whole path (or base name) is not a store path. */
export class BadStorePath extends StoreError {
  constructor(message: string) {
    super(message, 'store/bad-store-path');
  }
}

/** CppNix `FormatError`: malformed serialised data (ATerm, NAR, encodings). */
export class FormatError extends StoreError {
  constructor(message: string) {
    super(message, 'store/format-error');
  }
}

/** CppNix `UsageError` raised from library code (unknown algorithm or format names). */
export class StoreUsageError extends StoreError {
  constructor(message: string) {
    super(message, 'store/usage', 'usage');
  }
}

/** CppNix `MissingExperimentalFeature` (an ordinary evaluation error). */
export function missingExperimentalFeature(feature: string, reason?: string): StoreError {
  return new StoreError(
    `experimental Nix feature '${feature}' is disabled${reason ? ` (${reason})` : ''}; ` +
      `add '--extra-experimental-features ${feature}' to enable it`,
    'eval/experimental-feature',
  );
}

/** Where CppNix calls `warn(...)`: the caller decides how warnings are shown. */
export type WarnFn = (message: string) => void;
