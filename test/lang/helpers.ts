/**
 * Shared helpers for the front-end tests: a parse entry point configured like
 * `nix-instantiate --parse` reading stdin (which is how CppNix's parse tests run), and
 * the base environment's names, so that undefined-variable errors match CppNix.
 */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { NixError } from '../../src/diag/diagnostic.js';
import { renderDiagnostic } from '../../src/diag/render.js';
import { parse, parseAndResolve, type ParseOptions } from '../../src/lang/parser.js';
import { StaticEnv, baseStaticEnv, resolve } from '../../src/lang/scope.js';
import { showExpr } from '../../src/lang/printer.js';
import { PosTable, type Origin } from '../../src/lang/source.js';

// Compiled to dist/test/lang/, so the repository root is three levels up.
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const BUILTINS =
  'abort add addErrorContext all any appendContext attrNames attrValues baseNameOf bitAnd bitOr bitXor ' +
  'builtins catAttrs ceil compareVersions concatLists concatMap concatStringsSep currentSystem currentTime ' +
  'deepSeq derivation derivationStrict dirOf div elem elemAt false fetchGit fetchMercurial fetchTarball ' +
  "fetchTree fetchurl filter filterSource findFile floor foldl' fromJSON fromTOML functionArgs genList " +
  'genericClosure getAttr getContext getEnv groupBy hasAttr hasContext hashFile hashString head import ' +
  'intersectAttrs isAttrs isBool isFloat isFunction isInt isList isNull isPath isString langVersion length ' +
  'lessThan listToAttrs map mapAttrs match mul nixPath nixVersion null parseDrvName partition path ' +
  'pathExists placeholder readDir readFile removeAttrs replaceStrings scopedImport seq sort split ' +
  'splitVersion storeDir storePath stringLength sub substring tail throw toFile toJSON toPath toString ' +
  'toXML trace true tryEval typeOf unsafeDiscardOutputDependency unsafeDiscardStringContext ' +
  'unsafeGetAttrPos zipAttrsWith';

const UNPREFIXED = [
  'abort', 'baseNameOf', 'builtins', 'derivation', 'derivationStrict', 'dirOf', 'false', 'fetchGit',
  'fetchMercurial', 'fetchTarball', 'fetchTree', 'fromTOML', 'import', 'isNull', 'map', 'null',
  'placeholder', 'removeAttrs', 'scopedImport', 'throw', 'toString', 'true',
];

/** The names of CppNix's base environment (close enough for parse tests). */
export const GLOBALS: readonly string[] = [...UNPREFIXED, ...BUILTINS.split(' ').map((n) => '__' + n)];

export const PARSE_OPTS: ParseOptions = { baseDir: '/pwd/lang', home: '/fake-home' };

/** A file's bytes as a byte string. */
export function latin1(buf: Buffer): string {
  return buf.toString('latin1');
}

export type ParseResult = { ok: true; text: string } | { ok: false; text: string; error: NixError };

/**
 * What `nix-instantiate --parse` would print: the shown expression plus a newline, or
 * the rendered error (both as byte strings). With `lenient`, free variables are
 * allowed (resolved as if an outer `with` surrounded the text).
 */
export function parseShow(
  text: string,
  opts: Partial<ParseOptions> = {},
  origin: Origin = { kind: 'stdin' },
  lenient = false,
): ParseResult {
  const table = new PosTable();
  const src = table.add(origin, text);
  try {
    let e;
    if (lenient) {
      e = parse(table, src, { ...PARSE_OPTS, ...opts });
      resolve(e, new StaticEnv(baseStaticEnv(GLOBALS), new Map(), true));
    } else e = parseAndResolve(table, src, { ...PARSE_OPTS, ...opts }, GLOBALS);
    return { ok: true, text: showExpr(e) + '\n' };
  } catch (e) {
    if (!(e instanceof NixError)) throw e;
    return { ok: false, text: renderDiagnostic(table, e.diag, { showTrace: false }), error: e };
  }
}
