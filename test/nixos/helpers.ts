/**
 * Test support for the embedded NixOS: the repository's examples/ (the seed's examples,
 * kept in the repository so the tests depend on nothing outside it), evaluation through
 * the CLI as a user runs it (NixOS evaluation recurses deeply, and the CLI gives it the
 * large stack it needs), golden files, and directory dumps of realised toplevels.
 *
 * Everything a golden file holds is independent of where the checkout lives: store
 * paths are computed from the configuration alone, host paths are replaced by
 * placeholders before comparing.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { golden as goldenFile, repoRoot, runCli, type RunResult } from '../support/cli.js';

export { repoRoot, runCli };

export const examplesDir = path.join(repoRoot, 'examples');
export const seedConfig = path.join(examplesDir, 'seed/configuration.nix');
export const conflictDir = path.join(examplesDir, 'conflict');

export function tmpDir(prefix = 'tsnix-nixos-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Compares with test/nixos/golden/<name>.exp (UPDATE_GOLDEN=1 rewrites it). */
export function golden(name: string, actual: string): void {
  const dir = path.join(repoRoot, 'test/nixos/golden');
  fs.mkdirSync(dir, { recursive: true });
  const r = goldenFile(path.join(dir, `${name}.exp`), actual);
  assert.equal(actual, r.expected, `golden ${name} (regenerate with UPDATE_GOLDEN=1)`);
}

/** Lines that are evaluation warnings (printed before results and errors, as Nix does). */
export function withoutWarnings(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.startsWith('evaluation warning: ') && !l.startsWith('trace: '))
    .join('\n');
}

/** `tsnix eval --strict --json -E EXPR`, parsed; fails the test with stderr otherwise. */
export function evalJson(expr: string, extraArgs: string[] = []): unknown {
  const r = runCli(['eval', '--strict', '--json', '-E', expr, ...extraArgs]);
  assert.equal(r.status, 0, `tsnix eval failed:\n${r.stderr}`);
  return JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8'));
}

export function evalFails(expr: string, extraArgs: string[] = []): RunResult {
  const r = runCli(['eval', '--strict', '-E', expr, ...extraArgs]);
  assert.notEqual(r.status, 0, `expected evaluation to fail, got:\n${r.stdout}`);
  return r;
}

/** A Nix string literal for a host path. */
export function nixStr(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '\\${');
}

/**
 * A directory tree as text: one line per entry, symlinks with their targets, small
 * text files with their content (`withContent` decides which).
 */
export function dumpTree(root: string, rel: string, withContent: (rel: string) => boolean = () => false): string {
  const lines: string[] = [];
  const walk = (r: string) => {
    const entries = fs.readdirSync(path.join(root, r)).sort();
    for (const e of entries) {
      const p = `${r}/${e}`;
      const st = fs.lstatSync(path.join(root, p));
      if (st.isSymbolicLink()) lines.push(`${p} -> ${fs.readlinkSync(path.join(root, p))}`);
      else if (st.isDirectory()) {
        lines.push(`${p}/`);
        walk(p);
      } else {
        const mode = (st.mode & 0o111) !== 0 ? ' (executable)' : '';
        if (withContent(p)) lines.push(`${p}${mode}:\n${indent(fs.readFileSync(path.join(root, p), 'latin1'))}`);
        else lines.push(`${p}${mode}`);
      }
    }
  };
  walk(rel);
  return lines.join('\n') + '\n';
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => (l === '' ? '' : `    ${l}`))
    .join('\n')
    .replace(/\n*$/, '');
}
