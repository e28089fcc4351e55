/**
 * `tsnix os ACTION --root DIR`: nixos-rebuild for a target root directory.
 *
 *   tsnix os {switch|boot|test|build|dry-build|dry-activate} --root DIR
 *            [-I nixos-config=FILE] [-I name=path …] [-c NAME] [--rollback] [--show-trace]
 *   tsnix os list-generations --root DIR [--json]
 *   tsnix os reboot --root DIR [--entry ENTRY]
 *
 * The two halves are separate modules: src/nixos/build.ts evaluates `<nixpkgs/nixos>`
 * with the configuration (by default DIR/etc/nixos/configuration.nix, as NixOS reads
 * /etc/nixos/configuration.nix) and realises the toplevel into DIR/nix/store;
 * src/system/os.ts then does what nixos-rebuild and switch-to-configuration do with
 * it (profile, boot loader, activation, switch plan), with their messages and exit
 * codes. Actions that need no new system (list-generations, reboot, --rollback, a
 * `-c` on an action that refuses it) skip the build, so their errors come first, as
 * nixos-rebuild checks them before building.
 */

import { canonPath, type Host } from '../host.js';
import { osAction, type OsActionName, type OsOptions } from '../system/os.js';
import { buildSystem, BuildError } from '../nixos/build.js';
import type { SearchPathEntry } from '../eval/state.js';
import { parseSearchPath, searchPathEntry } from './instantiate.js';

const ACTIONS: OsActionName[] = ['switch', 'boot', 'test', 'build', 'dry-build', 'dry-activate', 'list-generations', 'reboot'];
const BUILDING = new Set<OsActionName>(['switch', 'boot', 'test', 'build', 'dry-build', 'dry-activate']);

export function osUsage(): string {
  return `Usage: tsnix os ACTION --root DIR [options]

Actions: ${ACTIONS.join(', ')} (dry-run is an alias of dry-build)

Options:
  --root DIR                 the target root (its store is DIR/nix/store)
  -I nixos-config=FILE       the configuration (default: DIR/etc/nixos/configuration.nix)
  -I NAME=PATH, -I PATH      search path entries, as for nix-instantiate
  -c, --specialisation NAME  activate the specialisation NAME (switch and test only)
  --rollback                 roll back to the previous generation
  --profile-name, -p NAME    use the profile system-profiles/NAME
  --json                     list-generations as JSON
  --entry ENTRY              reboot into this boot entry (default: the default entry)
  --show-trace               show the full evaluation trace on errors
  -v, --verbose              report evaluation and realisation times
`;
}

export interface OsIO {
  host: Host;
  stdout(text: string): void;
}

class UsageError extends Error {}

export function runOs(argv: string[], io: OsIO): number {
  const { host } = io;
  const err = (s: string) => host.stderr(s);
  let action: OsActionName | undefined;
  let root: string | undefined;
  const includes: SearchPathEntry[] = [];
  let specialisation: string | undefined;
  let rollback = false;
  let json = false;
  let entry: string | undefined;
  let profileName: string | undefined;
  let showTrace = false;
  let verbose = false;
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const need = () => {
        if (i + 1 >= argv.length) throw new UsageError(`flag '${a}' requires an argument`);
        return argv[++i]!;
      };
      switch (a) {
        case '--root':
          root = need();
          break;
        case '-I':
        case '--include':
          includes.push(searchPathEntry(need()));
          break;
        case '-c':
        case '--specialisation':
          specialisation = need();
          break;
        case '--rollback':
          rollback = true;
          break;
        case '--json':
          json = true;
          break;
        case '--entry':
          entry = need();
          break;
        case '-p':
        case '--profile-name':
          profileName = need();
          break;
        case '--show-trace':
          showTrace = true;
          break;
        case '-v':
        case '--verbose':
          verbose = true;
          break;
        case '-h':
        case '--help':
          io.stdout(osUsage());
          return 0;
        default:
          if (a.startsWith('-')) throw new UsageError(`unrecognised flag '${a}'`);
          if (action !== undefined) throw new UsageError(`unexpected argument '${a}'`);
          if (a === 'dry-run') action = 'dry-build';
          else if ((ACTIONS as string[]).includes(a)) action = a as OsActionName;
          else throw new UsageError(`unknown action '${a}'`);
      }
    }
    if (action === undefined) throw new UsageError('no action given');
    if (root === undefined) throw new UsageError("'--root DIR' is required");
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`error: ${e.message}\n\n${osUsage()}`);
    return 1;
  }
  const rootDir = canonPath(root.startsWith('/') ? root : `${host.cwd()}/${root}`);

  const opts: OsOptions = {
    root: rootDir,
    action,
    specialisation,
    rollback,
    json,
    entry,
    profileName,
    out: (text, fd) => (fd === 1 ? io.stdout(text) : err(text)),
  };

  // Decided before building, as nixos-rebuild does: nothing to build, or refused anyway.
  const refusesSpecialisation = specialisation !== undefined && action !== 'switch' && action !== 'test';
  if (!BUILDING.has(action) || rollback || refusesSpecialisation) return osAction(host, opts);

  const configuration = includes.some((e) => e.prefix === 'nixos-config') || host.getEnv('NIXOS_CONFIG')
    ? undefined
    : `${rootDir}/etc/nixos/configuration.nix`;
  if (configuration !== undefined && !host.lstat(configuration)) {
    err(`error: no NixOS configuration: ${configuration} does not exist (give one with -I nixos-config=FILE)\n`);
    return 1;
  }
  let built;
  try {
    built = buildSystem({
      host,
      root: rootDir,
      configuration,
      searchPath: [...includes, ...parseSearchPath(host.getEnv('NIX_PATH'))],
      showTrace,
      dryRun: action === 'dry-build',
    });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    err(e.rendered);
    return 1;
  }
  if (verbose) {
    err(`evaluated ${built.drvPath} in ${(built.evalMs / 1000).toFixed(2)} s; realised ${built.built.length} store paths in ${(built.realiseMs / 1000).toFixed(2)} s\n`);
  }
  if (action === 'dry-build') {
    if (built.wouldBuild.length > 0) {
      err(`these ${built.wouldBuild.length} derivations will be built:\n${built.wouldBuild.map((p) => `  ${p}\n`).join('')}`);
    }
    return 0;
  }
  return osAction(host, { ...opts, toplevel: built.toplevel });
}
