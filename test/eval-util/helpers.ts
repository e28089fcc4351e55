/** Shared helpers for the eval-util tests (fixtures live in the source tree). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// Compiled to dist/test/eval-util/, so the repository root is three levels up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function fixture(name: string): string {
  return readFileSync(path.join(root, 'test/eval-util/fixtures', name), 'utf8');
}

export function fixtureLines(name: string): string[] {
  return fixture(name).split('\n').filter((l) => l.length > 0);
}

/** A double from its 16-hex-digit bit pattern. */
export function fromBits(hex: string): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt('0x' + hex));
  return dv.getFloat64(0);
}
