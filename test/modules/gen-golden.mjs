// Regenerates test/modules/golden/*.exp with the oracle: CppNix (nix-instantiate)
// evaluating each file against the real nixpkgs lib in $NIXPKGS_LIB_DIR.
//   NIXPKGS_LIB_DIR=/path/with/lib node test/modules/gen-golden.mjs   (after a build)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const { errorMessage } = await import(path.resolve(repo, process.env.TSNIX_DIST ?? 'dist', 'test/modules/golden-support.js'));
const lib = process.env.NIXPKGS_LIB_DIR;
if (!lib) {
  console.error('NIXPKGS_LIB_DIR is not set');
  process.exit(2);
}
const dir = path.join(here, 'golden');
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.nix')).sort()) {
  const name = f.slice(0, -4);
  // Files that read back store paths they make (`# store: read-write` on a line of
  // their own) need Nix's real store: read-write mode, which writes to /nix/store.
  const text = fs.readFileSync(path.join(dir, f), 'latin1');
  const rw = /^# store: read-write$/m.test(text);
  // Parts of today's lib that Nix 2.8 can't run (`# oracle: tsnix` : lib.fileset wants
  // builtins.readFileType) take the real lib evaluated by tsnix as the oracle instead.
  const tsnixOracle = /^# oracle: tsnix$/m.test(text);
  const r = spawnSync(
    tsnixOracle ? path.join(repo, 'bin/tsnix') : 'nix-instantiate',
    [...(rw ? ['--read-write-mode'] : []), '--eval', '--strict', '-I', `nixpkgs=${lib}`, path.join('test/modules/golden', f)],
    {
      cwd: repo,
      env: { ...process.env, NIX_PATH: '', NIX_REMOTE: rw ? '' : 'dummy://' },
      encoding: 'latin1',
    },
  );
  if (name.startsWith('fail-')) {
    if (r.status === 0) throw new Error(`${f}: expected an error, got ${r.stdout}`);
    fs.writeFileSync(path.join(dir, name + '.err.exp'), errorMessage(r.stderr), 'latin1');
  } else {
    if (r.status !== 0) throw new Error(`${f}: ${r.stderr}`);
    fs.writeFileSync(path.join(dir, name + '.exp'), r.stdout, 'latin1');
  }
  console.log(`${f}: ok`);
}
