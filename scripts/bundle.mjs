// Bundles the CLI (src/cli/app.ts, compiled by tsc into dist/) into one classic script
// and makes V8's code cache for it; src/cli/load.ts loads both. Start-up was dominated
// by loading and compiling the code: many small ES modules first, then one big one.
// A classic script can use a code cache (Node 20 has none for ES modules), made here
// after a warm-up run so that what a typical command runs is compiled already.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Dependencies whose initialisation is costly (re2js builds its Unicode tables, nearly
// a megabyte, when loaded) and which most commands never use: each is replaced by a
// stand-in whose exports load the real module (the same ESM build as before, bundled
// as a lazily initialised module) on first use. The two big ones are not even in the
// bundle but in files of their own beside it (OWN_FILE), so start-up does not read them.
const OWN_FILE = { re2js: 'tsnix.re2js.cjs', 'smol-toml': 'tsnix.toml.cjs' };
const LAZY = {
  re2js: ['RE2JS'],
  'smol-toml': ['parse', 'TomlError'],
  '@noble/hashes/legacy': ['md5', 'sha1'],
  '@noble/hashes/sha2': ['sha256', 'sha512'],
};
const lazyDeps = {
  name: 'lazy-deps',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY).map((k) => k.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, async (a) => {
      if (a.pluginData === 'real') return undefined;
      if (a.namespace === 'lazy-deps') {
        // The stand-in's own require: the ESM build, exactly as a plain import finds it.
        return b.resolve(a.path, { kind: 'import-statement', resolveDir: a.resolveDir, pluginData: 'real' });
      }
      return { path: a.path, namespace: 'lazy-deps' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-deps' }, (a) => ({
      resolveDir: process.cwd(),
      contents: `
let m;
const real = () => (m ??= require(${JSON.stringify(OWN_FILE[a.path] ? './' + OWN_FILE[a.path] : a.path)}));
// A function target, so that the stand-in can be called, constructed and used with instanceof.
const lazy = (name) =>
  new Proxy(function () {}, {
    get: (_, k) => Reflect.get(real()[name], k),
    has: (_, k) => Reflect.has(real()[name], k),
    apply: (_, self, args) => Reflect.apply(real()[name], self, args),
    construct: (_, args) => Reflect.construct(real()[name], args),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()[name]),
  });
${LAZY[a.path].map((n) => `export const ${n} = lazy(${JSON.stringify(n)});`).join('\n')}
`,
    }));
  },
};

// Modules that are data only (the embedded NixOS and lib sources as strings, half of the
// bundle): V8 would deserialize every string from the code cache at every start, though
// most commands read none of them. Each goes to a file of its own beside the bundle; in
// the bundle, a stand-in exports objects with the same keys whose values load that file
// on first access (the installers register names only: src/eval/state.ts, virtualFiles).
const DATA = {
  'dist/src/nixos/nix/generated.js': 'tsnix.nixpkgs.cjs',
  'dist/src/modules/lib-nix/generated.js': 'tsnix.lib.cjs',
};
const dataDir = 'dist/src/cli/';
const splitData = {
  name: 'split-data',
  setup(b) {
    b.onResolve({ filter: /^\.\/tsnix\.[a-z0-9]+\.cjs$/ }, (a) => ({ path: a.path, external: true }));
    b.onLoad({ filter: /[/\\]generated\.js$/ }, async (a) => {
      const rel = Object.keys(DATA).find((k) => a.path.endsWith(k));
      if (!rel) return undefined;
      const real = await import(new URL(`../${rel}`, import.meta.url).href);
      const lines = [`let m;`, `const real = () => (m ??= require(${JSON.stringify('./' + DATA[rel])}));`];
      for (const [name, value] of Object.entries(real)) {
        if (typeof value !== 'object' || value === null) throw new Error(`${rel}: export ${name} is not a record of sources`);
        lines.push(
          `export const ${name} = {};`,
          `for (const k of ${JSON.stringify(Object.keys(value))})`,
          `  Object.defineProperty(${name}, k, { enumerable: true, get: () => real().${name}[k] });`,
        );
      }
      return { contents: lines.join('\n'), resolveDir: process.cwd() };
    });
  },
};

const out = 'dist/src/cli/tsnix.bundle.js';
// The flags bin/tsnix gives Node where the OS stack allows (keep the two in step): V8
// takes a code cache only under the flags it was made with, so that set gets its own.
const BIN_FLAGS = ['--stack-size=7600', '--max-old-space-size=16384', '--max-semi-space-size=16', '--semi-space-growth-factor=16', '--initial-old-space-size=384', '--max-inlined-bytecode-size-cumulative=400'];

// Warm-up: the commands compile what they run, and the cache keeps it.
async function makeCache(source, id) {
  const { compileBundle, cachePath, CACHE_MAGIC } = await import('../dist/src/cli/load.js');
  const { app, script } = compileBundle(source);
  const quiet = { write() {}, readStdin: () => '' };
  for (const args of [
    ['eval', '-E', '1'],
    ['eval', '--strict', '-E', 'let f = x: { a = x + 1; b = "${toString x}"; }; in builtins.map f [ 1 2 ]'],
  ]) {
    app.main(args, quiet);
  }
  writeAtomic(cachePath(), Buffer.concat([Buffer.from(`${CACHE_MAGIC}${id}\n`, 'latin1'), script.createCachedData()]));
}

// Written atomically: a reader sees an old or a new file, never half of one, and the
// build id keeps an old cache from being used with a new bundle.
function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

if (process.env.TSNIX_MAKE_CACHE) {
  // Re-run of this script under BIN_FLAGS (below): only the cache for those flags.
  const { buildId } = await import('../dist/src/cli/load.js');
  const source = readFileSync(out, 'latin1');
  await makeCache(source, buildId(source));
  process.exit(0);
}

const result = await build({
  entryPoints: ['dist/src/cli/app.js'],
  bundle: true,
  write: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // ASCII-only output: decoded as latin1, the cheapest way (load.ts).
  charset: 'ascii',
  legalComments: 'none',
  // Drop comments and whitespace (less to read at every start); names stay.
  minifyWhitespace: true,
  minifySyntax: true,
  // load.ts runs the script's value with CommonJS's three arguments.
  banner: { js: '(function(exports,require,module){' },
  footer: { js: '})' },
  plugins: [lazyDeps, splitData],
});
const chunks = [
  ...Object.entries(DATA).map(([rel, file]) => [{ entryPoints: [rel] }, file]),
  ...Object.entries(OWN_FILE).map(([dep, file]) => [
    { stdin: { contents: `export * from ${JSON.stringify(dep)};`, resolveDir: process.cwd() } },
    file,
  ]),
];
for (const [entry, file] of chunks) {
  const chunk = await build({
    ...entry,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    charset: 'ascii',
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
  });
  writeAtomic(dataDir + file, chunk.outputFiles[0].text);
}
const id = randomBytes(12).toString('hex');
const source = result.outputFiles[0].text + `\n//tsnix-build:${id}\n`;

writeAtomic(out, source); // bundle first, then its caches
await makeCache(source, id);
const again = spawnSync(process.execPath, [...BIN_FLAGS, fileURLToPath(import.meta.url)], {
  env: { ...process.env, TSNIX_MAKE_CACHE: '1' },
  stdio: 'inherit',
});
if (again.status !== 0) throw new Error('making the code cache for bin/tsnix failed');

// The start-up snapshot for bin/tsnix (scripts/snapshot-entry.cjs): a Node heap with the
// bundle loaded, valid only for this node binary and BIN_FLAGS (Node refuses it
// otherwise, and exits). bin/tsnix uses it only while `node` is still the binary that
// made it: `tsnix.snapshot.node` links to that binary and the blob has its mtime. The
// old blob goes first, so that a failed build never leaves one for another bundle.
const blob = dataDir + 'tsnix.snapshot.blob';
const nodeLink = dataDir + 'tsnix.snapshot.node';
rmSync(blob, { force: true });
rmSync(nodeLink, { force: true });
{
  const abs = fileURLToPath(new URL('../' + dataDir, import.meta.url));
  const { cachePath } = await import('../dist/src/cli/load.js');
  const tmp = `${blob}.tmp-${process.pid}`;
  const made = spawnSync(
    process.execPath,
    [...BIN_FLAGS, '--snapshot-blob', tmp, '--build-snapshot', fileURLToPath(new URL('./snapshot-entry.cjs', import.meta.url))],
    {
      env: { ...process.env, TSNIX_SNAPSHOT_DIR: abs, TSNIX_SNAPSHOT_CACHE: cachePath(BIN_FLAGS) },
      encoding: 'utf8',
    },
  );
  const node = realpathSync(process.execPath);
  // touch copies the mtime to the nanosecond, as test(1) compares it; utimes takes seconds as a double.
  const stamped = made.status === 0 && spawnSync('touch', ['-r', node, tmp]).status === 0;
  if (!stamped) {
    // Not fatal: bin/tsnix then starts from the bundle and its code cache.
    rmSync(tmp, { force: true });
    process.stderr.write(`bundle: no start-up snapshot (node ${process.version}):\n${made.stderr}`);
  } else {
    renameSync(tmp, blob);
    symlinkSync(node, nodeLink);
  }
}
