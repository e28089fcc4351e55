/**
 * The builtin groups beyond the core ones, in one list so that adding a group is a
 * one-line change here and nothing else.
 */

import type { BuiltinFactory } from './registry.js';
import { ioBuiltins } from './io.js';
import { stringBuiltins } from './strings.js';
import { dataBuiltins } from './data.js';
import { regexBuiltins } from './regex.js';
import { contextBuiltins } from './context.js';
import { derivationBuiltins } from './derivations.js';
import { storePathBuiltins } from './store-paths.js';
import { fetcherBuiltins } from './fetchers.js';
import { flakeRefBuiltins } from './flakeref.js';

export const extraBuiltins: BuiltinFactory[] = [
  stringBuiltins,
  ioBuiltins,
  dataBuiltins,
  regexBuiltins,
  contextBuiltins,
  derivationBuiltins,
  storePathBuiltins,
  fetcherBuiltins,
  flakeRefBuiltins,
];
