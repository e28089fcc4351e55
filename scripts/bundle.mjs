// Bundles the CLI's worker (src/cli/run.ts, compiled by tsc into dist/) into one file.
// Startup is dominated by ESM resolution and compilation of many small modules; one
// bundle loads in a fraction of the time. main.js prefers the bundle when present.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/run.js'],
  outfile: 'dist/src/cli/run.bundle.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // ASCII-only output: Node decodes a pure-ASCII module source on its fast path.
  charset: 'ascii',
  legalComments: 'none',
  // Drop comments and whitespace (less to read and compile at every start); names stay.
  minifyWhitespace: true,
  minifySyntax: true,
});
