/**
 * Hostile input: whatever the text, parsing ends with an AST or a clean `NixError` —
 * never a JS exception (stack overflow included), a crash or a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NixError } from '../../src/diag/diagnostic.js';
import { parseAndResolve } from '../../src/lang/parser.js';
import { showExpr } from '../../src/lang/printer.js';
import { PosTable } from '../../src/lang/source.js';
import { GLOBALS } from './helpers.js';

/** Parse (and print, if it parsed); returns the error, or null. Fails on anything but NixError. */
function attempt(text: string): NixError | null {
  const table = new PosTable();
  const src = table.add({ kind: 'stdin' }, text);
  const t0 = Date.now();
  try {
    const e = parseAndResolve(table, src, { baseDir: '/', home: '/h' }, GLOBALS);
    showExpr(e);
    return null;
  } catch (e) {
    if (!(e instanceof NixError)) throw e;
    return e;
  } finally {
    assert.ok(Date.now() - t0 < 20000, 'too slow');
  }
}

function mustFail(text: string, message?: RegExp): NixError {
  const e = attempt(text);
  assert.ok(e, 'expected a parse error');
  if (message) assert.match(e.message, message);
  return e;
}

const N = 100000;

test('100 000 nested parentheses, lists, sets, strings and lambdas', () => {
  // With a default-sized stack these overflow and must become clean errors; with a big
  // stack they parse. Either is fine, a RangeError is not.
  attempt('('.repeat(N) + '1' + ')'.repeat(N));
  attempt('['.repeat(N) + ']'.repeat(N));
  attempt('{ a = '.repeat(N) + '1' + '; }'.repeat(N));
  attempt('"${'.repeat(N) + '1' + '}"'.repeat(N));
  attempt('x: '.repeat(N) + 'x');
  attempt('a ++ '.repeat(N) + 'a');
  attempt('-'.repeat(N) + '1');
  attempt('1' + ' + 1'.repeat(N));
  attempt('let a = 1; in '.repeat(N) + 'a');
  // Unclosed: a clean error, however deep.
  mustFail('('.repeat(N));
  mustFail('['.repeat(N));
});

test('too deep reports a clean error', () => {
  const e = attempt('('.repeat(N * 10) + ')'.repeat(N * 10));
  if (e) assert.ok(e.message === 'expression nested too deeply' || e.message.startsWith('syntax error'));
});

test('NUL bytes', () => {
  mustFail('"a\0b"', /contains null bytes/);
  mustFail("''a\0b''", /contains null bytes/);
  mustFail('(1 \0 2)', /^syntax error, unexpected end of file, expecting '\)'$/);
  // As in CppNix, a NUL outside strings ends the input.
  assert.equal(attempt('1 \0 garbage'), null);
});

test('invalid UTF-8 and stray bytes', () => {
  mustFail('1 \xff', /^syntax error, unexpected invalid token, expecting end of file$/);
  mustFail('\xc3\xa9', /^syntax error, unexpected invalid token$/);
  assert.equal(attempt('"\xff\xfe"'), null);
  assert.equal(attempt("''\xc3\x28''"), null);
  mustFail('\x01\x02', /invalid token/);
});

test('unterminated constructs', () => {
  mustFail('"abc', /^syntax error, unexpected end of file, expecting '"'$/);
  mustFail('"abc\\', /expecting '"'/);
  mustFail('"abc$', /expecting '"'/);
  mustFail("''abc", /expecting indented string or '\$\{' or end of an indented string/);
  mustFail('1 /* abc', /unexpected '\*'/);
  mustFail('{ a = 1;', /unexpected end of file/);
  mustFail('let a = 1;', /unexpected end of file, expecting 'in' or 'inherit'/);
  mustFail('./a/${x', /expecting '\}'/);
  mustFail('', /^syntax error, unexpected end of file$/);
});

test('huge literals', () => {
  mustFail('9'.repeat(100000), /^invalid integer/);
  mustFail('1.' + '9'.repeat(100000) + 'e999', /^invalid float/);
  assert.equal(attempt('"' + 'x'.repeat(1 << 22) + '"'), null);
  assert.equal(attempt('a/' + 'b/'.repeat(100000) + 'c'), null);
  assert.equal(attempt('builtins.' + 'a.'.repeat(100000) + 'b'), null);
  mustFail('./' + 'a/'.repeat(100000), /trailing slash/);
});

test('random byte soup never escapes as a non-Nix error', () => {
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  const pieces = ['{', '}', '(', ')', '[', ']', '"', "''", '${', '$', '\\', ';', ':', '@', '.', '..', '...', '=', 'a', 'or',
    'let', 'in', 'rec', 'inherit', '1', '1.5', './a', '/', '~/', '<a>', 'x:y', '\0', '\r', '\n', ' ', '#', '/*', '*/',
    '\xff', '?', '!', '-', '+', '++', '//', '==', '<', '>', ',', 'if', 'then', 'else', '|>', "'"];
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const n = rnd(40);
    for (let j = 0; j < n; j++) s += pieces[rnd(pieces.length)];
    attempt(s);
  }
});
