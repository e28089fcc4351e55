/**
 * The trace frame for a builtin's `n`th argument ("while evaluating the first argument
 * passed to builtins.map"), made once per builtin and argument rather than on every
 * call: a template string is a new string each time, and these were a tenth of what
 * the module system allocated.
 */
const argFrames: Map<string, string>[] = [new Map(), new Map(), new Map()];
const ordinals = ['first', 'second', 'third'];

export function arg(n: number, name: string): string {
  const m = argFrames[n]!;
  let s = m.get(name);
  if (s === undefined) m.set(name, (s = `while evaluating the ${ordinals[n]} argument passed to builtins.${name}`));
  return s;
}
