/**
 * The command dispatcher:
 *
 *   tsnix instantiate …   nix-instantiate's flags and output
 *   tsnix eval …          the same with --eval implied
 *   tsnix parse [FILE|-]  the AST as `nix-instantiate --parse` prints it
 *   tsnix os …            nixos-rebuild for a root directory (os.ts)
 *
 * It runs on whichever thread main.ts chooses (see there), so everything it writes or
 * reads from outside goes through `CliEnv`. Every failure ends as a Nix-style
 * diagnostic and exit status 1; a JS stack trace is printed only when TSNIX_DEBUG is set.
 */

import * as fs from 'node:fs';
import { HOST_STACK_EXHAUSTED, hostStack } from '../diag/diagnostic.js';
import { NodeHost, writeOut } from './node-host.js';
import { runInstantiate, type CliIO } from './instantiate.js';
import { runOs } from './os.js';
import { installNodeHashes } from './node-hash.js';

export { hostStack } from '../diag/diagnostic.js';
export { writeOut };

/** Ends a main-thread attempt (main.ts) as a host stack exhaustion does. */
export function abandonAttempt(): never {
  hostStack.exhausted = true;
  throw HOST_STACK_EXHAUSTED;
}

export function readStdin(): string {
  return fs.readFileSync(0).toString('latin1');
}

/** What a run talks to. */
export interface CliEnv {
  /** Writes to fd 1 or 2 (synchronously). */
  write(fd: 1 | 2, text: string): void;
  /** The whole of stdin, for `-`. */
  readStdin(): string;
  /** The clock `builtins.currentTime` reads, in seconds (default: the real one). */
  now?: number;
  /** Called before each file read. */
  onRead?: () => void;
}

const processEnv: CliEnv = {
  write: writeOut,
  readStdin,
};

const VERSION = '0.1.0';

/** The help text as the byte string the output functions take. */
function usage(): string {
  return Buffer.from(usageText(), 'utf8').toString('latin1');
}

function usageText(): string {
  return `tsnix ${VERSION} — NixOS configurations and specialisations, in TypeScript

Usage:
  tsnix instantiate [nix-instantiate flags] [FILE…|-E EXPR…]
  tsnix eval [nix-instantiate flags] [FILE…|-E EXPR…]   (--eval implied)
  tsnix parse [FILE|-]
`;
}

function dispatch(args: string[], env: CliEnv): number {
  // Node decodes arguments as UTF-8; expressions and paths are byte strings here.
  // eslint-disable-next-line no-control-regex
  const argv = args.map((a) => (/^[\x00-\x7f]*$/.test(a) ? a : Buffer.from(a, 'utf8').toString('latin1')));
  installNodeHashes();
  const host = new NodeHost(process.env, { write: env.write, now: env.now, onRead: env.onRead });
  const io: CliIO = {
    host,
    stdout: (t) => env.write(1, t),
    readStdin: env.readStdin,
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

/** Runs one command; the exit status. Never throws, except the host-stack signal. */
export function main(argv: string[], env: CliEnv = processEnv): number {
  try {
    return dispatch(argv, env);
  } catch (e) {
    if (e === HOST_STACK_EXHAUSTED) throw e;
    if (process.env.TSNIX_DEBUG) env.write(2, String((e as Error)?.stack ?? e) + '\n');
    env.write(2, `error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
export { launch } from './launch.js';
