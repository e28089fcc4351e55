/**
 * `npm run bench`: language micro-benchmarks, tsnix against nix-instantiate in the
 * same run, whole process included (startup is part of what a user waits for).
 *
 * Each workload is sized so that CppNix spends most of its time evaluating (a few
 * hundred milliseconds to a second or so), not starting: with 50 ms workloads the
 * ratio would only compare Node's start-up with a C++ binary's. Start-up itself is
 * measured on its own row (`-E 1`) and printed, but kept out of the mean.
 *
 * Each case is a Nix expression evaluated with `--eval --strict`; both evaluators must
 * print the same result (checked), and the best of several runs is kept, the two
 * evaluators taking turns run by run. The closing
 * line is the geometric mean of the tsnix/CppNix time ratios (lower is better).
 * Without nix-instantiate on PATH, only tsnix times are printed.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { benchParse } from './parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// The `tsnix` command as installed (bin/tsnix: Node with the stack the OS allows).
const tsnix = path.resolve(here, '../../bin/tsnix');

interface Case {
  name: string;
  expr: string;
}

const cases: Case[] = [
  {
    name: 'calls (fib 27)',
    expr: 'let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 27',
  },
  {
    name: 'attrsets (build + select)',
    expr: `let s = builtins.listToAttrs (builtins.genList (i: { name = "a" + toString i; value = i; }) 100000);
           in builtins.foldl' (acc: i: acc + s.\${"a" + toString i}) 0 (builtins.genList (i: i) 100000)`,
  },
  {
    name: 'lists (genList, map, filter, foldl)',
    expr: `let l = builtins.genList (i: i * 3) 1000000;
           in builtins.foldl' (a: b: a + b) 0 (builtins.filter (x: x / 2 * 2 == x) (map (x: x + 1) l))`,
  },
  {
    name: 'strings (concat, replace, substring)',
    expr: `let s = builtins.concatStringsSep "," (builtins.genList toString 200000);
           in builtins.stringLength (builtins.replaceStrings [ "1" ] [ "one" ] s) + builtins.stringLength (builtins.substring 10 1000 s)`,
  },
  {
    name: 'fixpoint (lib.fix-style overlays)',
    expr: `let fix = f: let x = f x; in x;
               extends = o: f: self: let super = f self; in super // o self super;
               base = self: { a = 1; b = self.a + 1; };
               ovs = builtins.genList (i: self: super: { "x\${toString i}" = super.b + i; b = super.b + 1; }) 3000;
               final = fix (builtins.foldl' (f: o: extends o f) base ovs);
           in final.b + final.x2999`,
  },
  {
    name: '// chains',
    expr: `builtins.length (builtins.attrNames (builtins.foldl' (acc: i: acc // { "k\${toString (i - i / 500 * 500)}" = i; }) {} (builtins.genList (i: i) 50000)))`,
  },
  {
    name: 'JSON (toJSON/fromJSON)',
    expr: `let v = builtins.genList (i: { a = i; b = "s\${toString i}"; c = [ i true null ]; }) 100000;
           in builtins.length (builtins.fromJSON (builtins.toJSON v))`,
  },
];

interface Timed {
  ms: number;
  out: string;
}

function once(cmd: string, args: string[]): { ms: number; out: string; ok: boolean } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, NIX_REMOTE: 'dummy://' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) return { ms: NaN, out: (r.stderr || '').trim().split('\n')[0] ?? 'failed', ok: false };
  return { ms, out: r.stdout.trim(), ok: true };
}

/**
 * The best of `runs` runs of each command, the commands taking turns (and changing
 * who goes first every round): on a shared machine whose speed drifts over seconds,
 * all the runs of one command after all of the other's would compare two different
 * machines.
 */
function timeRuns(cmds: { cmd: string; args: string[] }[], runs: number): Timed[] {
  const res: Timed[] = cmds.map(() => ({ ms: Infinity, out: '' }));
  const failed = cmds.map(() => false);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < cmds.length; k++) {
      const j = i % 2 === 0 ? k : cmds.length - 1 - k;
      if (failed[j]) continue;
      const r = once(cmds[j]!.cmd, cmds[j]!.args);
      if (!r.ok) {
        failed[j] = true;
        res[j] = { ms: NaN, out: r.out };
        continue;
      }
      res[j]!.out = r.out;
      res[j]!.ms = Math.min(res[j]!.ms, r.ms);
    }
  }
  return res;
}

function hasNix(): boolean {
  try {
    execFileSync('nix-instantiate', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const runs = Number(process.env.BENCH_RUNS ?? 3);
const nix = hasNix();
const ratios: number[] = [];
console.log(`${'case'.padEnd(38)} ${'tsnix ms'.padStart(9)} ${nix ? 'nix ms'.padStart(9) + '   ratio' : ''}`);
for (const c of cases) {
  const [t, n] = timeRuns(
    [
      { cmd: tsnix, args: ['eval', '--strict', '-E', c.expr] },
      ...(nix ? [{ cmd: 'nix-instantiate', args: ['--eval', '--strict', '-E', c.expr] }] : []),
    ],
    runs,
  ) as [Timed, Timed | undefined];
  let line = `${c.name.padEnd(38)} ${t.ms.toFixed(0).padStart(9)}`;
  if (n !== undefined) {
    const ratio = t.ms / n.ms;
    if (Number.isFinite(ratio)) ratios.push(ratio);
    line += ` ${n.ms.toFixed(0).padStart(9)} ${ratio.toFixed(2).padStart(7)}x`;
    if (t.out !== n.out) line += `  (outputs differ: ${t.out.slice(0, 40)} vs ${n.out.slice(0, 40)})`;
  }
  console.log(line);
}
{
  // Start-up alone, for the record: not part of the mean (see the header).
  const [t, n] = timeRuns(
    [{ cmd: tsnix, args: ['eval', '-E', '1'] }, ...(nix ? [{ cmd: 'nix-instantiate', args: ['--eval', '-E', '1'] }] : [])],
    runs,
  ) as [Timed, Timed | undefined];
  let line = `${'(start-up: eval -E 1, not in the mean)'.padEnd(38)} ${t.ms.toFixed(0).padStart(9)}`;
  if (n !== undefined) {
    line += ` ${n.ms.toFixed(0).padStart(9)} ${(t.ms / n.ms).toFixed(2).padStart(7)}x`;
  }
  console.log(line);
}
if (ratios.length) {
  const g = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`geometric mean tsnix/nix-instantiate: ${g.toFixed(2)}x over ${ratios.length} cases`);
}
const p = benchParse();
console.log(`parser: ${p.name}: ${p.mbPerSec.toFixed(1)} MB/s`);
