/**
 * The command dispatcher, running in the large-stack worker (see main.ts).
 *
 *   tsnix instantiate …   nix-instantiate's flags and output
 *   tsnix eval …          the same with --eval implied
 *   tsnix parse [FILE|-]  the AST as `nix-instantiate --parse` prints it
 *
 * Every failure ends as a Nix-style diagnostic and exit status 1; a JS stack trace is
 * printed only when TSNIX_DEBUG is set.
 */

import * as fs from 'node:fs';
import { NodeHost, writeOut } from './node-host.js';
import { runInstantiate, type CliIO } from './instantiate.js';
import { runOs } from './os.js';
import { installNodeHashes } from './node-hash.js';

const VERSION = '0.1.0';

function usage(): string {
  return `tsnix ${VERSION} — NixOS configurations and specialisations, in TypeScript

Usage:
  tsnix instantiate [nix-instantiate flags] [FILE…|-E EXPR…]
  tsnix eval [nix-instantiate flags] [FILE…|-E EXPR…]   (--eval implied)
  tsnix parse [FILE|-]
`;
}

export function main(argv: string[]): number {
  installNodeHashes();
  const host = new NodeHost();
  const io: CliIO = {
    host,
    stdout: (t) => writeOut(1, t),
    readStdin: () => fs.readFileSync(0).toString('latin1'),
  };
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'instantiate':
      return runInstantiate(rest, io);
    case 'eval':
      return runInstantiate(rest, io, true);
    case 'parse':
      return runInstantiate(['--parse', ...(rest.length ? rest : ['-'])], io);
    case 'os':
      return runOs(rest, io);
    case '--version':
      io.stdout(`tsnix ${VERSION}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout(usage());
      return cmd === undefined ? 1 : 0;
    default:
      host.stderr(`error: unknown command '${cmd}'\n\n${usage()}`);
      return 1;
  }
}

let code: number;
try {
  code = main(process.argv.slice(2));
} catch (e) {
  if (process.env.TSNIX_DEBUG) writeOut(2, String((e as Error)?.stack ?? e) + '\n');
  writeOut(2, `error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  code = 1;
}
process.exit(code);
