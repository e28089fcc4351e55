// The start-up snapshot's script (scripts/bundle.mjs runs it with `node --build-snapshot`
// under bin/tsnix's flags). Node then starts with this heap instead of its own: the
// bundle already compiled (from its code cache, so the warm-up's bytecode is kept) and
// loaded, which is most of what a small command otherwise spends before evaluating.
// Only the loading runs here, no command: whatever a command leaves in module state
// would be frozen into every later start.
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const v8 = require('node:v8');

const dir = process.env.TSNIX_SNAPSHOT_DIR;
const bundle = dir + 'tsnix.bundle.js';
const source = fs.readFileSync(bundle, 'latin1');
const cache = fs.readFileSync(process.env.TSNIX_SNAPSHOT_CACHE);
const head = cache.indexOf(10) + 1;
const script = new vm.Script(source, { filename: bundle, cachedData: cache.subarray(head) });
if (script.cachedDataRejected) throw new Error('the code cache was rejected');

// The builder's `require` has only Node's built-ins; the bundle's lazily loaded files
// (re2js, the embedded sources: bundle.mjs) are required at run time, relative to
// wherever dist/ is then.
let here;
let load;
const bundleRequire = (id) =>
  here === undefined ? require(id) : (load ??= process.getBuiltinModule('node:module').createRequire(here + 'tsnix.bundle.js'))(id);
const module = { exports: {} };
script.runInThisContext()(module.exports, bundleRequire, module);
const app = module.exports;

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // bin/tsnix: node --snapshot-blob DIR/tsnix.snapshot.blob … -- ARGS
  const i = process.execArgv.indexOf('--snapshot-blob');
  const blob = i >= 0 ? process.execArgv[i + 1] : process.execArgv.find((a) => a.startsWith('--snapshot-blob=')).slice(16);
  const abs = process.getBuiltinModule('node:path').resolve(blob);
  here = abs.slice(0, abs.lastIndexOf('/') + 1);
  const argv = process.argv.slice(1);
  if (argv[0] === '--') argv.shift();
  app.launch(app, argv, here + 'worker.js');
});
