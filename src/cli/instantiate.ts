/**
 * `tsnix instantiate` / `tsnix eval`: nix-instantiate's flags and output.
 *
 * The flag set and the printing rules are CppNix's (nix-instantiate.cc): files or
 * `-E` expressions, `-A` paths (repeatable), `--arg`/`--argstr` auto-arguments for
 * top-level functions, `--eval` (`--eval-only`) with `--strict`, `--json`, `--xml`,
 * `--parse`, `-I`, `--show-trace`, `--option`. Unknown `--lint-*`-style options are
 * rejected as nix-instantiate would. A `nix-instantiate` shim that execs
 * `tsnix instantiate "$@"` makes peer test suites run against tsnix.
 */

import { NixError } from '../diag/diagnostic.js';
import { renderDiagnostic } from '../diag/render.js';
import { showExpr } from '../lang/printer.js';
import { noPos } from '../lang/source.js';
import { canonPath } from '../host.js';
import { EvalState, toNixError, type SearchPathEntry } from '../eval/state.js';
import { deepForce } from '../eval/builtins/core.js';
import { printAmbiguous } from '../eval/print.js';
import { autoCallFunction, findAlongAttrPath } from '../eval/attr-path.js';
import { valueToJSON } from '../eval/json-out.js';
import { valueToXML } from '../eval/xml-out.js';
import { Thunk, type Lazy, type Value } from '../eval/value.js';
import type { Host } from '../host.js';
import { instantiateDerivations } from '../eval/instantiate-drv.js';
import { storeFromFlag } from '../eval/store-glue.js';
import { findFile } from '../eval/builtins/io.js';

export interface CliIO {
  host: Host;
  stdout(text: string): void;
  readStdin(): string;
}

export function parseSearchPath(s: string | undefined): SearchPathEntry[] {
  if (!s) return [];
  // Entries are separated by ':' except inside URLs (`https://…`).
  const out: SearchPathEntry[] = [];
  for (const part of s.split(/:(?!\/\/)/)) {
    if (part === '') continue;
    out.push(searchPathEntry(part));
  }
  return out;
}

export function searchPathEntry(e: string): SearchPathEntry {
  const i = e.indexOf('=');
  if (i >= 0 && !e.slice(0, i).includes('/')) return { prefix: e.slice(0, i), path: e.slice(i + 1) };
  return { prefix: '', path: e };
}

class UsageError extends Error {}

export function runInstantiate(argv: string[], io: CliIO, evalOnly = false): number {
  const { host } = io;
  let showTrace = false;
  let state: EvalState | undefined;
  try {
    const files: string[] = [];
    const attrPaths: string[] = [];
    const autoArgs: [string, { expr?: string; str?: string }][] = [];
    const includes: SearchPathEntry[] = [];
    const settings = new Map<string, string>();
    let fromArgs = false;
    let strict = false;
    let json = false;
    let xml = false;
    let parseOnly = false;
    let location = true;
    let storeDir: string | undefined;
    let addDrvLink = false;
    let rootLink: string | undefined;
    void addDrvLink;
    void rootLink;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const need = () => {
        if (i + 1 >= argv.length) throw new UsageError(`flag '${a}' requires an argument`);
        return argv[++i]!;
      };
      switch (a) {
        case '--eval':
        case '--eval-only':
          evalOnly = true;
          break;
        case '--strict':
          strict = true;
          break;
        case '--json':
          json = true;
          break;
        case '--xml':
          xml = true;
          break;
        case '--no-location':
          location = false;
          break;
        case '--parse':
        case '--parse-only':
          parseOnly = true;
          evalOnly = true;
          break;
        case '-E':
        case '--expr':
          fromArgs = true;
          break;
        case '-A':
        case '--attr':
          attrPaths.push(need());
          break;
        case '--arg': {
          const n = need();
          autoArgs.push([n, { expr: need() }]);
          break;
        }
        case '--argstr': {
          const n = need();
          autoArgs.push([n, { str: need() }]);
          break;
        }
        case '-I':
        case '--include':
          includes.push(searchPathEntry(need()));
          break;
        case '--show-trace':
          showTrace = true;
          break;
        case '--no-show-trace':
          showTrace = false;
          break;
        case '--option': {
          const n = need();
          settings.set(n, need());
          break;
        }
        case '--store':
          storeDir = need();
          break;
        case '--read-write-mode':
        case '--readonly-mode':
        case '--dry-run':
        case '--indirect':
        case '--quiet':
        case '--verbose':
        case '-v':
        case '--no-gc-warning':
        case '--impure':
          break;
        case '--add-root':
          rootLink = need();
          break;
        case '--timeout':
        case '--max-jobs':
        case '-j':
        case '--cores':
          need();
          break;
        case '-':
          files.push('-');
          break;
        default:
          if (a.startsWith('--') && a.length > 2) {
            // `--name value` is nix's shorthand for `--option name value`.
            if (knownSettings.has(a.slice(2))) {
              settings.set(a.slice(2), need());
              break;
            }
            throw new UsageError(`unrecognised flag '${a}'`);
          }
          if (a.startsWith('-') && a.length > 1) throw new UsageError(`unrecognised flag '${a}'`);
          files.push(a);
      }
    }
    const searchPath = [...includes, ...parseSearchPath(host.getEnv('NIX_PATH'))];
    const maxDepth = settings.get('max-call-depth');
    state = new EvalState(host, {
      searchPath,
      showTrace,
      settings,
      ...(maxDepth !== undefined && /^\d+$/.test(maxDepth) ? { maxCallDepth: Number(maxDepth) } : {}),
      storeDir: host.getEnv('NIX_STORE_DIR') ?? '/nix/store',
      currentSystem: 'x86_64-linux',
    }, storeFromFlag(host, storeDir, host.getEnv('NIX_STORE_DIR') ?? '/nix/store', evalOnly));
    const st = state;
    const cwd = host.cwd();
    if (files.length === 0 && !fromArgs) files.push('./default.nix');
    if (attrPaths.length === 0) attrPaths.push('');

    const autoArgsValue = (): Map<string, Lazy> => {
      const m = new Map<string, Lazy>();
      for (const [name, a] of autoArgs) {
        if (a.str !== undefined) m.set(name, a.str);
        else {
          const e = st.parseString(a.expr!, cwd);
          m.set(name, Thunk.of(() => st.evalExpr(e)));
        }
      }
      return m;
    };

    for (const f of files) {
      let expr;
      if (fromArgs && f !== '-') expr = st.parseString(f, cwd);
      else if (f === '-') expr = st.parse(st.table.add({ kind: 'stdin' }, io.readStdin()), cwd);
      else {
        const path =
          f.startsWith('<') && f.endsWith('>')
            ? findFile(st, st.opts.searchPath, f.slice(1, -1), noPos)
            : canonPath(f.startsWith('/') ? f : cwd + '/' + f);
        expr = st.parseFile(st.resolveExprPath(path));
      }
      if (parseOnly) {
        io.stdout(showExpr(expr) + '\n');
        continue;
      }
      const root = st.guard(() => st.evalExpr(expr));
      const args = autoArgsValue();
      for (const ap of attrPaths) {
        const v = st.guard(() => {
          const found = findAlongAttrPath(st, ap, args, root);
          return autoCallFunction(st, args, found);
        });
        if (evalOnly) {
          st.guard(() => {
            if (strict) deepForce(st, v);
          });
          let out: string;
          if (json) out = st.guard(() => valueToJSON(st, v, strict)) + '\n';
          else if (xml) out = st.guard(() => valueToXML(st, v, strict, location));
          else out = printAmbiguous(v) + '\n';
          io.stdout(out);
        } else {
          for (const p of st.guard(() => instantiateDerivations(st, v, args))) io.stdout(p + '\n');
        }
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      host.stderr(`error: ${e.message}\n\nTry 'nix-instantiate --help' for more information.\n`);
      return 1;
    }
    const ne = e instanceof NixError ? e : toNixError(e, noPos);
    if (!state) {
      host.stderr(`error: ${ne.message}\n`);
      return 1;
    }
    host.stderr(renderDiagnostic(state.table, ne.diag, { showTrace }));
    if (ne.kind === 'usage') host.stderr("Try 'nix-instantiate --help' for more information.\n");
    return 1;
  }
}

const knownSettings = new Set([
  'abort-on-warn',
  'allow-import-from-derivation',
  'pure-eval',
  'restrict-eval',
  'max-call-depth',
  'eval-cache',
  'show-trace',
  'extra-experimental-features',
  'experimental-features',
  'nix-path',
  'lint-url-literals',
  'lint-short-path-literals',
  'lint-absolute-path-literals',
  'warn-short-path-literals',
]);


export type { Value };
