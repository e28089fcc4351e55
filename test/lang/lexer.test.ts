/**
 * Unit tests of the lexer: the places where flex's longest-match rule gives results a
 * casual reading of the grammar would not predict, and the exact text of tokens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NixError } from '../../src/diag/diagnostic.js';
import { T, tokenize, tokenName } from '../../src/lang/lexer.js';
import { fromBinary } from '../../src/lang/source.js';

/** `kind:value` (or just kind) of every token before end of input. */
function toks(text: string, pipes = false): string[] {
  return tokenize(text, { pipeOperators: pipes })
    .filter((t) => t.kind !== T.EOF)
    .map((t) => {
      const name = t.kind < 256 ? String.fromCharCode(t.kind) : fromBinary(tokenName(t.kind)).replace(/'/g, '');
      return t.value === undefined ? name : `${name}:${String(t.value)}`;
    });
}

function lexError(text: string): string {
  try {
    tokenize(text);
  } catch (e) {
    assert.ok(e instanceof NixError);
    return e.message;
  }
  assert.fail(`no lexer error for ${JSON.stringify(text)}`);
}

test('floats follow CppNix FLOAT: 1e20 is an int and an identifier', () => {
  assert.deepEqual(toks('1e20'), ['integer:1', 'identifier:e20']);
  assert.deepEqual(toks('1.5'), ['floating-point literal:1.5']);
  assert.deepEqual(toks('1.'), ['floating-point literal:1']);
  assert.deepEqual(toks('.5'), ['floating-point literal:0.5']);
  assert.deepEqual(toks('0.5'), ['floating-point literal:0.5']);
  assert.deepEqual(toks('00.5'), ['integer:0', 'floating-point literal:0.5']);
  assert.deepEqual(toks('0.'), ['integer:0', '.']);
  assert.deepEqual(toks('1.e5'), ['floating-point literal:100000']);
  assert.deepEqual(toks('2.5e-3x'), ['floating-point literal:0.0025', 'identifier:x']);
  assert.deepEqual(toks('2.5e'), ['floating-point literal:2.5', 'identifier:e']);
  assert.deepEqual(toks('x.5'), ['identifier:x', 'floating-point literal:0.5']);
  assert.match(lexError('1.0e400'), /^invalid float '1.0e400'$/);
  assert.match(lexError('1.0e-310'), /^invalid float/);
  assert.deepEqual(toks('0.0e-999'), ['floating-point literal:0']);
});

test('integers must fit int64; big ones are bigints', () => {
  assert.deepEqual(toks('007'), ['integer:7']);
  const [big] = tokenize('9223372036854775807');
  assert.equal(big!.value, 9223372036854775807n);
  const [safe] = tokenize('9007199254740991');
  assert.equal(safe!.value, 9007199254740991);
  const [unsafe] = tokenize('9007199254740993');
  assert.equal(unsafe!.value, 9007199254740993n);
  assert.equal(lexError('9223372036854775808'), "invalid integer '9223372036854775808'");
  assert.match(lexError('1' + '0'.repeat(5000)), /^invalid integer/);
});

test('paths need a slash and beat identifiers, numbers and operators', () => {
  assert.deepEqual(toks('a/b'), ['path:a/b', 'end of path']);
  assert.deepEqual(toks('./a'), ['path:./a', 'end of path']);
  assert.deepEqual(toks('../a/b.nix'), ['path:../a/b.nix', 'end of path']);
  assert.deepEqual(toks('/a'), ['path:/a', 'end of path']);
  assert.deepEqual(toks('1.5/2'), ['path:1.5/2', 'end of path']);
  assert.deepEqual(toks('-a/b'), ['path:-a/b', 'end of path']);
  assert.deepEqual(toks('a-b+c/d'), ['path:a-b+c/d', 'end of path']);
  assert.deepEqual(toks('a//b'), ['identifier:a', '//', 'identifier:b']);
  assert.deepEqual(toks('~/a'), ["~/… path:~/a", 'end of path']);
  assert.deepEqual(toks('~'), ['invalid token']);
  assert.deepEqual(toks('<nixpkgs/lib>'), ['<…> path:<nixpkgs/lib>']);
  assert.deepEqual(toks('<a'), ['<', 'identifier:a']);
  assert.deepEqual(toks('a<b'), ['identifier:a', '<', 'identifier:b']);
  assert.deepEqual(toks('./a;'), ['path:./a', 'end of path', ';']);
});

test('interpolated paths', () => {
  assert.deepEqual(toks('./a/${x}/b'), ['path:./a/', '${', 'identifier:x', '}', 'string:/b', 'end of path']);
  assert.deepEqual(toks('a/${x}'), ['path:a/', '${', 'identifier:x', '}', 'end of path']);
  assert.deepEqual(toks('/${x}'), ['path:/', '${', 'identifier:x', '}', 'end of path']);
  assert.deepEqual(toks('~/${x}'), ["~/… path:~/", '${', 'identifier:x', '}', 'end of path']);
  assert.deepEqual(toks('./a${x}${y}c'), ['path:./a', '${', 'identifier:x', '}', '${', 'identifier:y', '}', 'string:c', 'end of path']);
});

test('a trailing slash is an error at the character after it', () => {
  assert.equal(lexError('./a/ '), 'path has a trailing slash');
  assert.equal(lexError('./a/${x}/'), 'path has a trailing slash');
  try {
    tokenize('x ./a/');
  } catch (e) {
    assert.ok(e instanceof NixError);
    assert.equal(e.diag.pos, 2); // at end of input: the path itself
  }
  try {
    tokenize('./a/ ');
  } catch (e) {
    assert.ok(e instanceof NixError);
    assert.equal(e.diag.pos, 4);
  }
});

test('URIs, and identifiers with quotes and dashes', () => {
  assert.deepEqual(toks('x:x'), ['URI:x:x']);
  assert.deepEqual(toks('x: x'), ['identifier:x', ':', 'identifier:x']);
  assert.deepEqual(toks('https://a.b/c?d=e&f'), ['URI:https://a.b/c?d=e&f']);
  assert.deepEqual(toks("a'-b"), ["identifier:a'-b"]);
  assert.deepEqual(toks('a->b'), ['identifier:a-', '>', 'identifier:b']);
  assert.deepEqual(toks('a_b:c'), ['identifier:a_b', ':', 'identifier:c']);
});

test('keywords and operators', () => {
  assert.deepEqual(toks('if then else assert with let in rec inherit or ...'), [
    'if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or', '...',
  ]);
  assert.deepEqual(toks('iff ifx in_'), ['identifier:iff', 'identifier:ifx', 'identifier:in_']);
  assert.deepEqual(toks('== != <= >= && || -> // ++ ! < > + - * / ? @ : ; , . ='), [
    '==', '!=', '<=', '>=', '&&', '||', '->', '//', '++', '!', '<', '>', '+', '-', '*', '/', '?', '@', ':', ';', ',', '.', '=',
  ]);
  assert.deepEqual(toks('a |> b <| c', true), ['identifier:a', '|>', 'identifier:b', '<|', 'identifier:c']);
  assert.match(lexError('a |> b'), /experimental Nix feature 'pipe-operators' is disabled/);
  assert.deepEqual(toks('& | $ ^ \\'), Array(5).fill('invalid token'));
});

test('strings: escapes, dollars, CR/LF', () => {
  assert.deepEqual(toks('"a\\nb\\t\\r\\\\\\"\\q"'), ['"', 'string:a\nb\t\r\\"q', '"']);
  assert.deepEqual(toks('"$${x}"'), ['"', 'string:$${x}', '"']);
  assert.deepEqual(toks('"a$"'), ['"', 'string:a$', '"']);
  assert.deepEqual(toks('"a${b}c"'), ['"', 'string:a', '${', 'identifier:b', '}', 'string:c', '"']);
  assert.deepEqual(toks('"a\r\nb\rc\nd"'), ['"', 'string:a\nb\nc\nd', '"']);
  assert.deepEqual(toks('"\\\r\n"'), ['"', 'string:\r\n', '"']);
  assert.deepEqual(toks('"${"${x}"}"'), ['"', '${', '"', '${', 'identifier:x', '}', '"', '}', '"']);
  // A lone `$` or `\` at the end of input ends the token stream.
  assert.deepEqual(toks('"a$'), ['"', 'string:a']);
  assert.match(lexError('"a\0"'), /cannot be represented as Nix string because it contains null bytes/);
});

test('indented strings: escapes and the opening newline', () => {
  assert.deepEqual(toks("''  \n  a''"), ['start of an indented string', 'indented string:  a', 'end of an indented string']);
  assert.deepEqual(toks("''  a''"), ['start of an indented string', 'indented string:  a', 'end of an indented string']);
  assert.deepEqual(toks("''\r\na''"), ['start of an indented string', 'indented string:\r\na', 'end of an indented string']);
  assert.deepEqual(toks("''''$'''''\\n''\\x''"), [
    'start of an indented string',
    'indented string:$',
    "indented string:''",
    'indented string:\n',
    'indented string:x',
    'end of an indented string',
  ]);
  assert.deepEqual(toks("''a'b$c$${d}'${e}''"), [
    'start of an indented string',
    "indented string:a'b$c$${d}",
    "indented string:'",
    '${',
    'identifier:e',
    '}',
    'end of an indented string',
  ]);
});

test('comments', () => {
  assert.deepEqual(toks('a # c\rb'), ['identifier:a', 'identifier:b']);
  assert.deepEqual(toks('a /* c */ b /** d */ c /**/ d'), ['identifier:a', 'identifier:b', 'identifier:c', 'identifier:d']);
  assert.deepEqual(toks('a /* c'), ['identifier:a', '/', '*', 'identifier:c']);
});

test('NUL outside strings is end of input, as for bison', () => {
  assert.deepEqual(toks('a \0 b'), ['identifier:a']);
  const t = tokenize('a \0');
  assert.deepEqual([t[1]!.kind, t[1]!.start, t[1]!.end], [T.EOF, 2, 3]);
});

test('braces inside interpolation keep the state stack balanced', () => {
  assert.deepEqual(toks('"${ { a = 1; }.a }x"'), [
    '"', '${', '{', 'identifier:a', '=', 'integer:1', ';', '}', '.', 'identifier:a', '}', 'string:x', '"',
  ]);
  // A stray `}` at the top level does not pop anything.
  assert.deepEqual(toks('} "a"'), ['}', '"', 'string:a', '"']);
});

test('long inputs stay linear', () => {
  const n = 200000;
  for (const text of ['a.'.repeat(n) + 'a', '/*'.repeat(n), '<a'.repeat(n), 'a.a.a.a:'.repeat(n / 4)]) {
    const t0 = Date.now();
    tokenize(text);
    assert.ok(Date.now() - t0 < 5000, `slow on ${JSON.stringify(text.slice(0, 10))}…`);
  }
});
