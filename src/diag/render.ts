/**
 * Printing diagnostics as CppNix prints errors (`showErrorInfo`, libutil/error.cc):
 *
 *     error:
 *            … while evaluating the attribute 'body'
 *              at /file.nix:1:1:
 *                 1| let {
 *                  | ^
 *                 2|   x =
 *
 *            error: infinite recursion encountered
 *            at /file.nix:3:7:
 *
 * Without `--show-trace`, only the first few frames are printed (a frame with a
 * position counts twice), then CppNix's truncation notice. Lines and columns are
 * computed here and nowhere else.
 */

import { type PosTable, type Position, lineText, originName, toBinary } from '../lang/source.js';

// Rendered text is a byte string (it embeds user bytes): literals go in as UTF-8.
const ELLIPSIS = toBinary('…');
import type { Diagnostic, TraceFrame } from './diagnostic.js';

export interface RenderOptions {
  showTrace: boolean;
  /** `error`, `warning`, `evaluation warning`, … */
  level?: string;
}

export function formatPos(p: Position): string {
  return `${originName(p.source.origin)}:${p.line}:${p.column}`;
}

function codeLines(p: Position): string {
  let out = '';
  const pad = (n: number) => String(n).padStart(5, ' ');
  const line = (n: number, text: string) => `\n ${pad(n)}| ${text}`.replace(/ +$/, '');
  if (p.line > 1) out += line(p.line - 1, lineText(p.source, p.line - 1));
  out += line(p.line, lineText(p.source, p.line));
  if (p.column > 0) out += `\n      |${' '.repeat(p.column)}^`;
  const total = p.source.lineStarts!.length;
  if (p.line < total) out += line(p.line + 1, lineText(p.source, p.line + 1));
  return out;
}

function posMaybe(table: PosTable, indent: string, pos: number): string | undefined {
  const p = table.resolve(pos);
  if (!p) return undefined;
  let out = `${indent}at ${formatPos(p)}:`;
  out += codeLines(p) + '\n';
  return out;
}

function filterANSIEscapes(s: string): string {
  return s.indexOf('\x1b') < 0 ? s : s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

function chomp(s: string): string {
  return s.replace(/[\s]+$/, '');
}

function indent(first: string, rest: string, s: string): string {
  return s
    .split('\n')
    .map((l, i) => chomp((i === 0 ? first : rest) + l))
    .join('\n');
}

export function renderDiagnostic(table: PosTable, d: Diagnostic, opts: RenderOptions): string {
  const prefix = `${opts.level ?? 'error'}: `;
  let oss = '';
  const frames = [...d.trace].reverse();
  if (frames.length > 0) {
    const seen = new Set<string>();
    let skipped: TraceFrame[] = [];
    let count = 0;
    let truncate = false;
    const printFrame = (t: TraceFrame) => {
      oss += `\n${ELLIPSIS} ${t.message}\n`;
      const p = posMaybe(table, '  ', t.pos);
      if (p) {
        oss += p;
        count++;
      }
    };
    const flushSkipped = () => {
      if (skipped.length === 0) return;
      if (skipped.length <= 5) for (const t of skipped) printFrame(t);
      // (CppNix means to forget the seen frames here, but clears a copy: keep them.)
      else oss += `\n(${skipped.length} duplicate frames omitted)\n`;
      skipped = [];
    };
    for (const t of frames) {
      if (!t.message) continue;
      if (!opts.showTrace && count > 3) truncate = true;
      if (!truncate || t.always) {
        const key = `${t.pos}\u0000${t.message}`;
        if (seen.has(key)) {
          skipped.push(t);
          continue;
        }
        seen.add(key);
        flushSkipped();
        count++;
        printFrame(t);
      }
    }
    flushSkipped();
    if (truncate) oss += "\n(stack trace truncated; use '--show-trace' to show the full, detailed trace)\n";
    oss += '\n' + prefix;
  }
  oss += d.message + '\n';
  const p = posMaybe(table, '', d.pos);
  if (p) oss += p;
  for (const r of d.related) {
    oss += r.message + '\n';
    const rp = posMaybe(table, '', r.pos);
    if (rp) oss += rp;
  }
  for (const n of d.notes) oss += n + '\n';
  // As CppNix's logger when stderr is not a terminal: colour codes are filtered out
  // after indentation (so a line holding only a reset keeps its indentation).
  return filterANSIEscapes(indent(prefix, ' '.repeat(prefix.length), chomp(oss))) + '\n';
}
