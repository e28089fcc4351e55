/**
 * Provenance API: `explainOption` lists every definition of an option with file,
 * line, priority and status, following submodules (`specialisation.<name>.configuration`)
 * through valueMeta. Runs in-process against the embedded lib.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeHost } from '../../src/cli/node-host.js';
import { EvalState } from '../../src/eval/state.js';
import { explainOption } from '../../src/modules/index.js';
import { f } from '../../src/modules/nix.js';

const src = `
let
  lib = import <nixpkgs/lib>;
  base = { extendModules, ... }: {
    options.plasma.enable = lib.mkEnableOption "plasma";
    options.hostName = lib.mkOption { type = lib.types.str; default = "nixos"; };
    options.specialisation = lib.mkOption {
      default = { };
      type = lib.types.attrsOf (lib.types.submodule {
        options.configuration = lib.mkOption { default = { }; type = (extendModules { modules = [ ]; }).type; };
      });
    };
  };
in
lib.evalModules { modules = [ base
  { _file = "/etc/nixos/configuration.nix";
    plasma.enable = lib.mkDefault false;
    hostName = lib.mkIf false "never";
    specialisation.kde.configuration = { plasma.enable = lib.mkForce true; hostName = "kde"; };
  }
  { _file = "/etc/nixos/host.nix"; hostName = "box"; }
]; }
`;

function evaluate() {
  const st = new EvalState(new NodeHost({ ...process.env, NIX_PATH: '' }), { searchPath: [] });
  const v = st.evalExpr(st.parseString(src, '/'));
  return { st, v };
}

test('explainOption: winner, overridden default, disabled mkIf', () => {
  const { st, v } = evaluate();
  const e = explainOption(st, v, ['hostName']);
  assert.equal(e.name, 'hostName');
  assert.equal(e.highestPrio, 100);
  assert.equal(f(e.value), 'box');
  const summary = e.definitions.map((d) => [d.file, d.priority, d.status, d.isDefault]);
  assert.deepEqual(summary, [
    ['<unknown-file>', 1500, 'overridden', true],
    ['/etc/nixos/host.nix', 100, 'won', false],
    ['/etc/nixos/configuration.nix', 100, 'disabled', false],
  ]);
  const host = e.definitions.find((d) => d.file === '/etc/nixos/host.nix')!;
  assert.equal(typeof host.line, 'number');
});

test('explainOption: mkDefault in the parent, through a specialisation child', () => {
  const { st, v } = evaluate();
  const parent = explainOption(st, v, ['plasma', 'enable']);
  assert.equal(parent.highestPrio, 1000);
  assert.equal(f(parent.value), false);
  const child = explainOption(st, v, ['specialisation', 'kde', 'configuration', 'plasma', 'enable']);
  assert.equal(child.name, 'specialisation.kde.configuration.plasma.enable');
  assert.equal(child.highestPrio, 50);
  assert.equal(f(child.value), true);
  const won = child.definitions.filter((d) => d.status === 'won');
  assert.equal(won.length, 1);
  assert.equal(won[0]!.priority, 50);
  assert.ok(child.definitions.some((d) => d.priority === 1000 && d.status === 'overridden'));
});
