/**
 * Sources parsed once per process instead of once per evaluation: the embedded lib.
 *
 * Every evaluation that uses the embedded `<nixpkgs/lib>` parses the same 130 KB of
 * Nix, and at start-up, before the parser's code is optimised, that is 15–20 ms of a
 * small command. bin/tsnix starts from a heap snapshot (scripts/snapshot-entry.cjs),
 * so the files are parsed while the snapshot is made and every later start finds the
 * trees ready. A parsed file is shared by all evaluations in the process: its
 * positions lie in a range of their own (SHARED_BASE) that each evaluation's position
 * table adopts, and the trees are never changed after parsing (the compiler keeps what
 * it derives from a node in maps of its own). A shared tree is used only where it is
 * exactly what parsing would give: the same text, the same global names to resolve
 * against, and no parse-time lint settings (their warnings depend on the evaluation).
 */

import { parseAndResolve, type ParseOptions } from '../lang/parser.js';
import { PosTable, SHARED_BASE, type Source } from '../lang/source.js';
import type { Expr } from '../lang/ast.js';

interface Shared {
  readonly text: string;
  readonly source: Source;
  readonly expr: Expr;
  readonly globals: readonly string[];
}

const shared = new Map<string, Shared>();
let nextBase = SHARED_BASE;

/** Parses `text` as the file `path` for every later evaluation in this process. */
export function parseShared(path: string, text: string, baseDir: string, globals: readonly string[]): void {
  if (shared.has(path)) return;
  const table = new PosTable();
  const source: Source = { origin: { kind: 'file', path }, text, base: nextBase };
  nextBase += text.length + 1;
  table.adopt(source);
  const opts: ParseOptions = { baseDir, home: undefined, lint: {}, warn: () => {}, warnDiag: () => {} };
  const expr = parseAndResolve(table, source, opts, globals);
  shared.set(path, { text, source, expr, globals: globals.slice() });
}

/** The shared tree of `path`, if it was parsed from this very text against these globals. */
export function sharedParse(path: string, text: string, globals: readonly string[]): { source: Source; expr: Expr } | undefined {
  const s = shared.get(path);
  if (s === undefined || s.text !== text || s.globals.length !== globals.length) return undefined;
  for (let i = 0; i < globals.length; i++) if (s.globals[i] !== globals[i]) return undefined;
  return s;
}
