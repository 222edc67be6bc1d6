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

  it('reads an over-long line as the text path does (1 MiB kept, the rest skipped), with CRs and multi-byte chars', () => {
    const tail = 'Mar 04 10:31:00 node-a kubelet[1]: tail: inotify resources exhausted';
    const cases = [
      // past the cap: the anchor at the end is dropped, the next line is read
      `${'x '.repeat(3 << 20)} no space left on device\n${tail}\n`,
      // multi-byte chars all along, so chunk edges cut them
      `${'é𝄞 '.repeat(1 << 20)} no space left on device\n${tail}\n`,
      // a lone CR deep inside: what follows is a line of its own for the framer, anchor included
      `${'y'.repeat(5 << 20)}\r${tail}${'z'.repeat(4 << 20)}\n${tail}\n`,
      // the last line has no end
      `${tail}\n${'w'.repeat(7 << 20)}`,
    ];
    for (const text of cases) {
      const whole = createClassifier();
      whole.write(text);
      const expected = whole.end();
      const bytes = new TextEncoder().encode(text);
      for (const size of [1 << 16, 1 << 19, (1 << 20) + 3]) {
        const c = createClassifier();
        for (let i = 0; i < bytes.length; i += size) c.write(bytes.subarray(i, i + size));
        expect(c.end(), `chunks of ${size}`).toEqual(expected);
      }
    }
  });
});
