/**
 * The builtin groups beyond the core ones, in one list so that adding a group is a
 * one-line change here and nothing else.
 */

import type { BuiltinFactory } from './registry.js';
import { ioBuiltins } from './io.js';
import { stringBuiltins } from './strings.js';
import { dataBuiltins } from './data.js';

export const extraBuiltins: BuiltinFactory[] = [stringBuiltins, ioBuiltins, dataBuiltins];
