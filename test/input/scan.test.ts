/**
 * The scanner in front of the framer (src/input/scan.ts) on byte input: only lines with an anchor
 * are decoded and framed, and every other line is still counted. Checked against the definition
 * (a line is a candidate iff the case-insensitive alternation of the anchors matches it) on
 * generated node journals, fed in chunks that split lines and UTF-8 characters anywhere.
 */
import { describe, expect, it } from 'vitest';
import { healthyLine, problemLine, prng } from '../../bench/lines.js';
import { createClassifier } from '../../src/api/classify.js';
import { ANCHORS } from '../../src/generated/rules.js';

function journal(lines: number, problemEvery: number, seed: number): string[] {
  const rand = prng(seed);
  const out: string[] = [];
  for (let i = 0, t = 0; i < lines; i++) {
    t += rand() * 0.05;
    out.push(rand() < 1 / problemEvery ? problemLine(rand, t) : healthyLine(rand, t));
  }
  return out;
}

const anyAnchor = new RegExp(ANCHORS.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');

describe('scanner on bytes', () => {
  // Uppercased and non-ASCII lines too: the DFA folds ASCII case only, as the `i` regex does.
  const lines = journal(6000, 50, 7).map((l, i) => (i % 7 === 0 ? l.toUpperCase() : i % 11 === 0 ? `é ${l} ü` : l));
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  const expected = lines.filter((l) => anyAnchor.test(l)).length;

  it('frames exactly the lines with an anchor, and counts every line', () => {
    expect(expected).toBeGreaterThan(100);
    expect(expected).toBeLessThan(lines.length / 2);
    for (const size of [bytes.length, 1 << 16, 4093, 97]) {
      const c = createClassifier();
      for (let i = 0; i < bytes.length; i += size) c.write(bytes.subarray(i, i + size));
      const d = c.end();
      expect(d.stats.candidates, `chunks of ${size}`).toBe(expected);
      expect(d.stats.lines).toBe(lines.length);
      expect(d.stats.records).toBe(lines.length);
    }
  });

  it('gives the same diagnosis for the bytes as for the text', () => {
    const c = createClassifier();
    for (let i = 0; i < bytes.length; i += 1 << 15) c.write(bytes.subarray(i, i + (1 << 15)));
    const fromBytes = c.end();
    const t = createClassifier();
    t.write(new TextDecoder().decode(bytes));
    expect(fromBytes).toEqual(t.end());
    expect(fromBytes.cause).not.toBeNull();
  });

  it('hands dense input over whole and still frames every line', () => {
    const dense = journal(3000, 1, 9);
    const c = createClassifier();
    const b = new TextEncoder().encode(`${dense.join('\n')}\n`);
    for (let i = 0; i < b.length; i += 1 << 18) c.write(b.subarray(i, i + (1 << 18)));
    const d = c.end();
    expect(d.stats.lines).toBe(dense.length);
    expect(d.stats.candidates).toBe(dense.filter((l) => anyAnchor.test(l)).length);
  });
});
