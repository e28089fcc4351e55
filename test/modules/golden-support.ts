/**
 * Shared by the module-system golden test and its generator: how an error message
 * is compared. Only the final `error:` block counts (trace frames and source
 * excerpts differ between CppNix 2.8 and tsnix by design), without its indentation.
 */

export function errorMessage(stderr: string): string {
  const lines = stderr.replace(/\r/g, '').split('\n');
  let start = -1;
  for (let i = 0; i < lines.length; i++) if (/^\s*error:( |$)/.test(lines[i]!)) start = i;
  if (start < 0) return stderr;
  const out: string[] = [];
  for (const raw of lines.slice(start)) {
    if (/^\(use '--show-trace'/.test(raw)) break;
    if (/^\s*at (.*):\d+:\d+:$/.test(raw) || /^\s*at «.*»:\d+:\d+:$/.test(raw)) break;
    out.push(raw.replace(/^ {7}/, '').replace(/^error:( |$)/, ''));
  }
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  return out.join('\n') + '\n';
}
