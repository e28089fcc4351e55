/**
 * Small text formats the NixOS tools print: strftime's `%F` and `%Y-%m-%d %H:%M:%S`
 * (Python formats local time; we take the zone as an explicit offset so output is
 * reproducible — UTC unless the caller says otherwise), and Python's repr() of str,
 * which leaks into `list-generations` through `str(list)`.
 */

/** Minutes east of UTC, or a function of the instant (for DST-aware callers). */
export type TimeZone = number | ((epochSeconds: number) => number);

function shifted(epochSeconds: number, tz: TimeZone | undefined): Date {
  const off = tz === undefined ? 0 : typeof tz === 'number' ? tz : tz(epochSeconds);
  return new Date((epochSeconds + off * 60) * 1000);
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** strftime("%F") */
export function formatDate(epochSeconds: number, tz?: TimeZone): string {
  const d = shifted(epochSeconds, tz);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
}

/** strftime("%Y-%m-%d %H:%M:%S") */
export function formatDateTime(epochSeconds: number, tz?: TimeZone): string {
  const d = shifted(epochSeconds, tz);
  return `${formatDate(epochSeconds, tz)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/**
 * Python repr() of a str whose UTF-8 bytes are `s`. Bytes ≥ 0x80 pass through (they
 * are printable characters once decoded, in the common case); control characters are
 * escaped as Python does.
 */
export function pythonRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

// Host strings are bytes, so non-ASCII text that NixOS prints is spelled as its UTF-8 bytes.
/** ‘ */
export const LQ = '\u00e2\u0080\u0098';
/** ’ */
export const RQ = '\u00e2\u0080\u0099';
/** → */
export const ARROW = '\u00e2\u0086\u0092';
/** × */
export const CROSS = '\u00c3\u0097';
