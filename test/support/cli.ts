/**
 * Test support: run the built CLI as a subprocess (as a user would), and compare
 * against golden files, regenerated with UPDATE_GOLDEN=1.
 */

import { spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (tests run from dist/test/…). */
export const repoRoot = path.resolve(here, '../../..');
export const cliPath = path.join(repoRoot, 'dist/src/cli/main.js');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, NIX_PATH: '', ...opts.env },
    input: opts.input,
    encoding: 'latin1',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const updateGolden = process.env.UPDATE_GOLDEN === '1';

/** Compare `actual` with the golden file (or write it when regenerating). */
export function golden(file: string, actual: string): { ok: boolean; expected: string } {
  if (updateGolden) {
    fs.writeFileSync(file, actual, 'latin1');
    return { ok: true, expected: actual };
  }
  const expected = fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '';
  return { ok: expected === actual, expected };
}

let nixChecked: boolean | undefined;
export function hasNixInstantiate(): boolean {
  if (nixChecked === undefined) {
    try {
      execFileSync('nix-instantiate', ['--version'], { stdio: 'ignore' });
      nixChecked = true;
    } catch {
      nixChecked = false;
    }
  }
  return nixChecked;
}

export function runNix(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync('nix-instantiate', args, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, NIX_PATH: '', NIX_REMOTE: 'dummy://', ...opts.env },
    encoding: 'latin1',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
