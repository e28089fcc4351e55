/**
 * The CLI on the current thread, with no worker and no bundle: for profiling
 * (`node --stack-size=50000 --cpu-prof dist/src/cli/run.js eval …`, readable names)
 * and debugging. `tsnix` itself starts at main.ts.
 */

import { main } from './app.js';

process.exit(main(process.argv.slice(2)));
