/**
 * Parser throughput: megabytes of Nix source parsed (lexed, parsed, scope-resolved)
 * per second.
 *
 * The input is real code when `NIXPKGS_LIB` points at a nixpkgs `lib` directory (every
 * `.nix` file under it, each parsed as its own source, as the evaluator does), otherwise
 * four megabytes of generated files written in the style of nixpkgs (functions with
 * formals, `let`, nested attribute paths, interpolated and indented strings, lists,
 * operators, comments), so the number means the same thing on any machine. The best of
 * several timed rounds (process CPU time) is kept, after a warm-up that lets V8
 * optimise the hot paths.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../src/lang/parser.js';
import { StaticEnv, baseStaticEnv, resolve } from '../src/lang/scope.js';
import { PosTable } from '../src/lang/source.js';

const GLOBALS = [
  'builtins', 'true', 'false', 'null', 'import', 'map', 'toString', 'throw', 'abort', 'derivation',
  'removeAttrs', 'baseNameOf', 'dirOf', 'isNull', 'placeholder', 'scopedImport', 'fetchTarball',
  '__sub', '__mul', '__div', '__lessThan', '__findFile', '__nixPath',
];

function nixFiles(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) nixFiles(p, out);
    else if (name.endsWith('.nix')) out.push(p);
  }
}

function generated(targetBytes: number): string {
  const parts: string[] = ['{ lib, stdenv, fetchurl, ... }:\n# generated benchmark input\nrec {\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < targetBytes; i++) {
    const chunk =
      `  pkg${i} = { name ? "pkg-${i}", version ? "1.${i % 97}.${i % 13}", enable ? true, ... }@args:\n` +
      `    let\n` +
      `      src = fetchurl { url = "https://example.org/\${name}-\${version}.tar.gz"; sha256 = "0${i.toString(36).padStart(51, 'a')}"; };\n` +
      `      flags = [ "--with-foo" "--enable-bar=\${toString (i${i % 7} + 1)}" ] ++ lib.optional enable "--enable-baz";\n` +
      `      i${i % 7} = ${i} * 2 - (${i} / 3) + (if ${i} > 10 then 1 else 0);\n` +
      `    in stdenv.mkDerivation {\n` +
      `      inherit name version src;\n` +
      `      meta.description = "Package number ${i}";\n` +
      `      meta.platforms = lib.platforms.linux or [ ];\n` +
      `      configureFlags = flags;\n` +
      `      /* build phase */\n` +
      `      buildPhase = ''\n        make -j$NIX_BUILD_CORES \${lib.concatStringsSep " " flags}\n        echo "done ${i}"\n      '';\n` +
      `      passthru = { tests = args.tests or { }; isNew = !(args ? old) && version != "0"; };\n` +
      `    };\n`;
    parts.push(chunk);
    size += chunk.length;
  }
  parts.push('}\n');
  return parts.join('');
}

export function benchParse(): { name: string; mbPerSec: number } {
  let sources: string[];
  let name: string;
  const lib = process.env['NIXPKGS_LIB'];
  if (lib) {
    const files: string[] = [];
    nixFiles(lib, files);
    sources = files.map((f) => readFileSync(f).toString('latin1'));
    name = `nixpkgs lib (${files.length} files)`;
  } else {
    // Files of nixpkgs-like size: one giant AST would measure the garbage collector.
    sources = Array.from({ length: 64 }, () => generated(64 << 10));
    name = 'generated (64 files)';
  }
  const bytes = sources.reduce((a, s) => a + s.length, 0);
  // Names the benchmark's short global list lacks resolve through an outer `with`.
  const env = new StaticEnv(baseStaticEnv(GLOBALS), new Map(), true);
  // Timed in process CPU time (all threads, so garbage collection counts) rather than
  // wall time, which on a shared machine mostly measures the other tenants.
  const round = (): number => {
    const t0 = process.cpuUsage();
    const table = new PosTable();
    for (const text of sources) {
      const src = table.add({ kind: 'file', path: '/bench/input.nix' }, text);
      resolve(parse(table, src, { baseDir: '/bench', home: '/home/bench' }), env);
    }
    const t = process.cpuUsage(t0);
    return (t.user + t.system) / 1e6;
  };
  // Warm up, then keep the best of a few rounds of at least ~0.2 s each.
  round();
  round();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    let total = 0;
    let reps = 0;
    while (total < 0.2) {
      total += round();
      reps++;
    }
    best = Math.min(best, total / reps);
  }
  return { name: `${name}, ${(bytes / 1e6).toFixed(2)} MB`, mbPerSec: bytes / 1e6 / best };
}

// Run directly: node dist/bench/parse.js
if (process.argv[1] && path.basename(process.argv[1]) === 'parse.js') {
  const r = benchParse();
  console.log(`parser: ${r.name}: ${r.mbPerSec.toFixed(1)} MB/s`);
}
