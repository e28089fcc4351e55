/**
 * Trees parsed once per process (src/eval/preparsed.ts) evaluate, and report
 * positions, exactly as the file parsed by the evaluation itself would; they are used
 * only for the very text they were parsed from.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeHost } from '../../src/cli/node-host.js';
import { EvalState } from '../../src/eval/state.js';
import { parseShared, sharedParse } from '../../src/eval/preparsed.js';
import { NixError } from '../../src/diag/diagnostic.js';
import { force } from '../../src/eval/value.js';
import { SHARED_BASE } from '../../src/lang/source.js';

const newState = () => new EvalState(new NodeHost({}), { searchPath: [] });
/** Line and column of the error in `bad`, as an evaluation that parses the file itself reports it. */
function where(t: string): [number, number] {
  const st = newState();
  st.virtualFiles.set('/__test__/own.nix', t);
  const v = st.evalFile('/__test__/own.nix') as { get(n: string): unknown };
  try {
    force(v.get('bad') as never);
  } catch (e) {
    const p = st.table.resolve((e as NixError).diag.pos)!;
    return [p.line, p.column];
  }
  throw new Error('no error');
}
const text = 'let f = x: { a = x + 1; }; in\n  { v = (f 41).a; bad = 1 + "s"; }\n';

test('a shared tree is what the evaluation parses, positions included', () => {
  const globals = newState().globals;
  parseShared('/__test__/shared.nix', text, '/__test__', globals);
  const pre = sharedParse('/__test__/shared.nix', text, globals);
  assert.ok(pre && pre.source.base >= SHARED_BASE);
  for (let i = 0; i < 2; i++) {
    const st = newState();
    st.virtualFiles.set('/__test__/shared.nix', text);
    assert.equal(st.parseFile('/__test__/shared.nix'), pre!.expr);
    const v = st.evalFile('/__test__/shared.nix') as { get(n: string): unknown };
    assert.equal(force(v.get('v') as never), 42);
    try {
      force(v.get('bad') as never);
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof NixError);
      const p = st.table.resolve(e.diag.pos);
      assert.equal(p?.source.origin.kind === 'file' && p.source.origin.path, '/__test__/shared.nix');
      assert.deepEqual([p!.line, p!.column], where(text));
    }
  }
});

test('a shared tree is not used for another text or other globals', () => {
  const globals = newState().globals;
  parseShared('/__test__/other.nix', '1 + 1', '/__test__', globals);
  assert.equal(sharedParse('/__test__/other.nix', '1 + 2', globals), undefined);
  assert.equal(sharedParse('/__test__/other.nix', '1 + 1', [...globals, 'extra']), undefined);
  const st = newState();
  st.virtualFiles.set('/__test__/other.nix', '2 + 2');
  assert.equal(force(st.evalFile('/__test__/other.nix') as never), 4);
});
