/**
 * External corpora, when available:
 *   NIX_LANG_TESTS=<CppNix tests/functional/lang>  every parse-okay must print exactly
 *     its .exp; every parse-fail must fail with a NixError, and the number of rendered
 *     errors equal to their .err.exp is reported (and must not regress below all);
 *   NIXPKGS_LIB=<nixpkgs lib>  every .nix file must parse and resolve.
 * Skipped when the variables are unset. Nothing from those trees is committed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { NixError } from '../../src/diag/diagnostic.js';
import { parse } from '../../src/lang/parser.js';
import { StaticEnv, baseStaticEnv, resolve } from '../../src/lang/scope.js';
import { PosTable } from '../../src/lang/source.js';
import { GLOBALS, latin1, parseShow } from './helpers.js';

const langDir = process.env['NIX_LANG_TESTS'];
const libDir = process.env['NIXPKGS_LIB'];

test('CppNix parse-okay tests', { skip: !langDir && 'NIX_LANG_TESTS not set' }, () => {
  const files = readdirSync(langDir!).filter((f) => /^parse-okay-.*\.nix$/.test(f)).sort();
  assert.ok(files.length > 0);
  const failures: string[] = [];
  for (const f of files) {
    const r = parseShow(latin1(readFileSync(path.join(langDir!, f))));
    const exp = latin1(readFileSync(path.join(langDir!, f.replace(/\.nix$/, '.exp'))));
    if (r.text !== exp) failures.push(`${f}:\n got ${r.text} want ${exp}`);
  }
  assert.deepEqual(failures, []);
  console.log(`parse-okay: ${files.length}/${files.length} exact`);
});

test('CppNix parse-fail tests', { skip: !langDir && 'NIX_LANG_TESTS not set' }, () => {
  const files = readdirSync(langDir!).filter((f) => /^parse-fail-.*\.nix$/.test(f)).sort();
  assert.ok(files.length > 0);
  let exact = 0;
  const notThrown: string[] = [];
  const inexact: string[] = [];
  for (const f of files) {
    const r = parseShow(latin1(readFileSync(path.join(langDir!, f))));
    if (r.ok) {
      notThrown.push(f);
      continue;
    }
    const exp = latin1(readFileSync(path.join(langDir!, f.replace(/\.nix$/, '.err.exp'))));
    if (r.text === exp) exact++;
    else inexact.push(`${f}:\n${r.text}--- want\n${exp}`);
  }
  console.log(`parse-fail: ${files.length - notThrown.length}/${files.length} fail, ${exact} with the exact message`);
  assert.deepEqual(notThrown, []);
  assert.deepEqual(inexact, []);
});

function nixFiles(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) nixFiles(p, out);
    else if (name.endsWith('.nix')) out.push(p);
  }
}

test('every nixpkgs lib file parses', { skip: !libDir && 'NIXPKGS_LIB not set' }, () => {
  const files: string[] = [];
  nixFiles(libDir!, files);
  assert.ok(files.length > 0);
  const failures: string[] = [];
  // Files are parsed as files (relative paths against their directory); names the test
  // list of globals lacks resolve through an outer `with`, as they would at run time.
  const env = new StaticEnv(baseStaticEnv(GLOBALS), new Map(), true);
  for (const f of files) {
    const table = new PosTable();
    const src = table.add({ kind: 'file', path: f }, latin1(readFileSync(f)));
    try {
      resolve(parse(table, src, { baseDir: path.dirname(f), home: '/home/test' }), env);
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      failures.push(`${f}: ${e.message}`);
    }
  }
  console.log(`nixpkgs lib: ${files.length - failures.length}/${files.length} files parse`);
  assert.deepEqual(failures, []);
});
