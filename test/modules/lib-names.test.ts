/**
 * The embedded lib's top level re-exports its files' names through explicit `inherit`
 * lists (lib-nix/default.nix), so that a file is imported only when one of its names
 * is used. Those lists must say what the `//` chain they replaced said: every name of
 * every re-exported file, each from the last file of the chain that has it, unless the
 * explicit part of the set defines it. This test computes the chain's answer from the
 * files and compares it with the lib, name by name and value by value (the same forced
 * JavaScript object, so functions are compared too). Runs in-process.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeHost } from '../../src/cli/node-host.js';
import { EvalState } from '../../src/eval/state.js';
import { NixAttrs } from '../../src/eval/value.js';
import { f } from '../../src/modules/nix.js';

/** The chain `trivial // fixedPoints // … // modules`, in order; strings without two names. */
const chain: [string, string[]][] = [
  ['trivial', []],
  ['fixedPoints', []],
  ['lists', []],
  ['strings', ['replicate', 'storeDir']],
  ['attrsets', []],
  ['asserts', []],
  ['debug', []],
  ['customisation', []],
  ['meta', []],
  ['derivations', []],
  ['options', []],
  ['modules', []],
];

/** Defined by the explicit part of lib/default.nix: these win over the chain. */
const explicit = new Set([
  'deprecated', 'maintainers', 'teams', 'textClosureList', 'textClosureMap', 'noDepEntry', 'fullDepEntry', 'packEntry',
  'stringAfter', 'splitVersion', 'cleanSource', 'cleanSourceWith', 'sourceByRegex', 'sourceFilesBySuffices',
  'cleanSourceFilter', 'pathIsGitRepo', 'commitIdFromGitRepo', 'pathHasContext', 'canCleanSource', 'revOrTag', 'pathType',
  'pathIsDirectory', 'pathIsRegularFile', 'packagesFromDirectoryRecursive', 'isType', 'setType', 'mkOptionType',
  'isOptionType', 'defaultFunctor', 'defaultTypeMerge', 'mkLuaInline', 'imap', 'ifEnable', 'fakeHash', 'fakeSha256',
  'fakeSha512', 'uniqList', 'platforms', 'sourceTypes', 'extend',
  'trivial', 'fixedPoints', 'attrsets', 'lists', 'strings', 'stringsWithDeps', 'versions', 'options', 'modules', 'types',
  'generators', 'asserts', 'debug', 'customisation', 'meta', 'systems', 'cli', 'gvariant', 'kernel', 'licenses',
  'sources', 'path', 'filesystem', 'derivations', 'fileset',
]);

/** The builtins the chain starts from (`inherit (builtins) …` before the first `//`). */
const fromBuiltins = (
  'add sub mul div lessThan bitAnd bitOr bitXor seq deepSeq genericClosure isInt isBool isString isFloat isList isAttrs ' +
  'isPath pathExists readFile toJSON fromJSON toPath tryEval typeOf getEnv toString addDrvOutputDependencies ' +
  'addErrorContext appendContext baseNameOf ceil compareVersions convertHash dirOf filterSource floor fromTOML ' +
  'getContext hasContext hashFile hashString parseDrvName placeholder readDir readFileType toFile toXML ' +
  'unsafeDiscardOutputDependency unsafeGetAttrPos'
).split(' ');

test('embedded lib: the top-level inherit lists are the // chain of the re-exported files', () => {
  const st = new EvalState(new NodeHost({ ...process.env, NIX_PATH: '' }), { searchPath: [] });
  const lib = f(st.evalExpr(st.parseString('import <nixpkgs/lib>', '/'))) as NixAttrs;
  const builtins = f(st.evalExpr(st.parseString('builtins', '/'))) as NixAttrs;
  // name -> where the chain takes it from
  const expected = new Map<string, NixAttrs>();
  for (const n of fromBuiltins) expected.set(n, builtins);
  for (const [file, without] of chain) {
    const set = f(lib.get(file)!) as NixAttrs;
    for (const n of set.keys()) if (!without.includes(n)) expected.set(n, set);
  }
  for (const n of explicit) expected.delete(n);
  const names = lib.keys();
  for (const n of names) assert.ok(expected.has(n) || explicit.has(n), `lib.${n} comes from neither the chain nor the explicit part`);
  for (const [n, src] of expected) {
    assert.ok(lib.has(n), `lib.${n} is missing`);
    assert.equal(f(lib.get(n)!), f(src.get(n)!), `lib.${n} is not the chain's`);
  }
  for (const n of explicit) assert.ok(lib.has(n), `lib.${n} is missing`);
});
