/** Expressions shown in messages (`assertion '(x == 1)' failed`) use CppNix's `show` format. */
export { showExpr as showExprBrief } from '../lang/printer.js';
