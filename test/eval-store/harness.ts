/**
 * The corpus snapshot: what test/eval-store/gen-golden.sh records with Nix, built the
 * same way from any nix-instantiate-compatible command (tsnix, or Nix itself for the
 * live differential test).
 *
 * One snapshot per corpus case, in a fresh chroot store:
 *   # instantiate   the printed .drv paths
 *   # eval          `--eval --strict --json` on the same store afterwards
 *   # store         names of everything written to the store directory
 *   # /nix/store/…  the text of each .drv written
 * Keep this and gen-golden.sh in step: the goldens are compared byte for byte.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliPath, repoRoot } from '../support/cli.js';

export const corpusDir = path.join(repoRoot, 'test/eval-store/corpus');

export function corpusCases(): string[] {
  return fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.nix') && f !== 'lib.nix')
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Extra flags from a first line `# flags: …`. */
export function caseFlags(name: string): string[] {
  const first = fs.readFileSync(path.join(corpusDir, name + '.nix'), 'latin1').split('\n')[0]!;
  return first.startsWith('# flags: ') ? first.slice('# flags: '.length).trim().split(/\s+/) : [];
}

export type Runner = (args: string[], cwd: string) => { status: number; stdout: string; stderr: string };

export const tsnix: Runner = (args, cwd) => {
  const r = spawnSync(process.execPath, [cliPath, 'instantiate', ...args], {
    cwd,
    env: { ...process.env, NIX_PATH: '' },
    encoding: 'latin1',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

export const nix: Runner = (args, cwd) => {
  const r = spawnSync('nix-instantiate', args, { cwd, env: { ...process.env, NIX_PATH: '' }, encoding: 'latin1' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

/** Bash's `echo "$(cmd)"`: trailing newlines replaced by exactly one. */
const line = (s: string) => s.replace(/\n+$/, '') + '\n';

export function snapshot(run: Runner, name: string): { text: string; stderr: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsnix-eval-store-'));
  const store = path.join(tmp, 'store');
  const file = name + '.nix';
  const flags = caseFlags(name);
  try {
    let text = '# instantiate\n';
    const inst = run([...flags, '--store', store, file], corpusDir);
    text += inst.stdout;
    text += '# eval\n';
    const ev = run([...flags, '--store', store, '--eval', '--strict', '--json', file], corpusDir);
    text += line(ev.stdout);
    text += '# store\n';
    const dir = path.join(store, 'nix/store');
    const names = fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { encoding: 'latin1' })
          .filter((n) => n !== '.links')
          .sort()
      : [];
    for (const n of names) text += n + '\n';
    for (const n of names.filter((x) => x.endsWith('.drv')))
      text += `# /nix/store/${n}\n` + fs.readFileSync(path.join(dir, n), 'latin1') + '\n';
    return { text, stderr: inst.stderr + ev.stderr };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
