import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANCHORS as RULE_ANCHORS } from '../../src/generated/rules.js';
import { localizedKeys } from '../../src/input/locale.js';

/** The prefilter's anchors: the rules' own and the localized texts' keys (non-ASCII among them). */
const ANCHORS = [...new Set([...RULE_ANCHORS, ...localizedKeys()])];
import { buildAnchorAutomaton } from '../../src/engine/automaton.js';

/** ASCII letters lowercased, every other char kept: the automaton's notion of case. */
const fold = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const upper = (s: string): string => s.replace(/[a-z]/g, (c) => c.toUpperCase());

/**
 * What the automaton replaces: among all anchors (ASCII case folded, any other char exact), the
 * occurrence ending soonest at or after `from`, as the index of its last char.
 */
function reference(anchors: readonly string[], s: string, from = 0): number {
  const t = fold(s);
  let best = -1;
  for (const a of anchors) {
    const i = t.indexOf(fold(a), from);
    if (i >= 0) {
      const last = i + a.length - 1;
      if (best < 0 || last < best) best = last;
    }
  }
  return best;
}

const utf8 = new TextEncoder();
/** A byte string as one char per byte, so `reference` can search it. */
const view = (b: Uint8Array): string => Array.from(b, (c) => String.fromCharCode(c)).join('');
/** The anchors as their UTF-8 bytes, one char per byte. */
const byteAnchors = (anchors: readonly string[]): string[] => anchors.map((a) => view(utf8.encode(a)));
const bytesOf = (s: string): Uint8Array => utf8.encode(s);

describe('anchor automaton', () => {
  const dfa = buildAnchorAutomaton(ANCHORS)!;
  const BYTE_ANCHORS = byteAnchors(ANCHORS);

  it('is built for the built-in anchors', () => {
    expect(dfa).toBeDefined();
  });

  it('finds each built-in anchor, in any case, inside other text', () => {
    for (const a of ANCHORS) {
      for (const form of [a, upper(a), a.replace(/./g, (c, i: number) => (i % 2 ? upper(c) : c))]) {
        const s = `xx ${form} yy`;
        expect(dfa.inText(s, 0, s.length), form).toBe(reference(ANCHORS, s));
        expect(dfa.inText(s, 0, s.length), form).toBeGreaterThan(0);
        const b = bytesOf(s);
        expect(dfa.inBytes(b, 0, b.length), form).toBe(reference(BYTE_ANCHORS, view(b)));
      }
    }
  });

  it('agrees with the reference search on random text (first hit, from any start)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...ANCHORS),
      fc.constantFrom(...ANCHORS).map(upper),
      fc.constantFrom(...ANCHORS).map((a) => a.toUpperCase()),
      fc.constantFrom(...ANCHORS).map((a) => a.slice(0, Math.max(1, a.length - 1))),
      fc.string({ maxLength: 6 }),
      fc.constantFrom('é', 'ſ', 'K', 'İ', '\u00ff', '\n', ' ', '设', '备', '😀', '\ud800'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.nat(40), (parts, start) => {
        const s = parts.join('');
        const from = Math.min(start, s.length);
        expect(dfa.inText(s, from, s.length)).toBe(reference(ANCHORS, s, from));
        expect(dfa.test(s)).toBe(reference(ANCHORS, s) >= 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads UTF-8 bytes as the text search reads their chars (hits at the same place)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...ANCHORS), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 8 }), (parts) => {
        const s = parts.join('');
        const bytes = bytesOf(s);
        const b = dfa.inBytes(bytes, 0, bytes.length);
        expect(b).toBe(reference(BYTE_ANCHORS, view(bytes)));
        const t = dfa.inText(s, 0, s.length);
        expect(t < 0).toBe(b < 0);
        if (t >= 0) expect(bytesOf(s.slice(0, t + 1)).length - 1).toBe(b);
      }),
      { numRuns: 1000 },
    );
  });

  it('searches long ranges (two lanes) exactly: hits in either half, both, or neither', () => {
    const filler = 'Mar 04 10:30:58 node-a kubelet[2301]: I0304 reconciler.go:1] "volume attached" pod="x"\n';
    fc.assert(
      fc.property(
        fc.array(fc.nat(200), { maxLength: 3 }),
        fc.constantFrom(...ANCHORS),
        fc.nat(200),
        (at, anchor, start) => {
          const lines = Array.from({ length: 200 }, () => filler);
          for (const k of at) lines[k] = `${filler.slice(0, 40)}${upper(anchor)}${filler.slice(40)}`;
          const s = lines.join('');
          const bytes = bytesOf(s);
          const from = bytesOf(lines.slice(0, start).join('')).length;
          expect(dfa.inBytes(bytes, from, bytes.length)).toBe(reference(BYTE_ANCHORS, view(bytes), from));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tests long strings (two lanes) exactly, an anchor across the middle included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ANCHORS), fc.nat(400), fc.nat(400), fc.boolean(), (anchor, before, after, up) => {
        const s = `${'k '.repeat(before)}${up ? upper(anchor) : anchor}${' q'.repeat(after)}`;
        expect(dfa.test(s)).toBe(true);
        const without = s.replace(anchor, '').replace(upper(anchor), '');
        expect(dfa.test(without)).toBe(reference(ANCHORS, without) >= 0);
      }),
      { numRuns: 3000 },
    );
    // every offset of one anchor around the middle of a 600-char string
    for (const anchor of ANCHORS) {
      for (let at = 260; at < 320; at++) {
        const s = `${'k'.repeat(at)}${anchor}`.padEnd(600, 'q');
        expect(dfa.test(s), `${anchor} at ${at}`).toBe(true);
      }
    }
  });

  it('stops at `end` and starts at `from`', () => {
    const s = 'aaa enospc bbb';
    expect(dfa.inText(s, 0, 9)).toBe(-1);
    expect(dfa.inText(s, 0, 10)).toBe(9);
    expect(dfa.inText(s, 5, s.length)).toBe(-1);
  });

  it('handles anchors that are suffixes or prefixes of each other', () => {
    const d = buildAnchorAutomaton(['abcd', 'bc', 'cde'])!;
    expect(d.inText('xabcx', 0, 5)).toBe(3);
    expect(d.inText('xxcdex', 0, 6)).toBe(4);
    expect(d.inText('ab', 0, 2)).toBe(-1);
  });

  it('declines what it cannot search: no anchors, an empty one', () => {
    expect(buildAnchorAutomaton([])).toBeUndefined();
    expect(buildAnchorAutomaton(['a', ''])).toBeUndefined();
  });

  it('matches non-ASCII anchors exactly, folding only their ASCII letters, in text and in UTF-8 bytes', () => {
    const d = buildAnchorAutomaton(['café', '设备上没有空间', 'Слишком', 'x😀'])!;
    const cases: [string, boolean][] = [
      ['un CAFé noir', true],
      ['un CAFÉ noir', false],
      ['mkdir: 设备上没有空间', true],
      ['设备上没有空', false],
      ['Слишком много', true],
      ['слишком много', false],
      ['aX😀b', true],
      ['x😁', false],
    ];
    for (const [s, hit] of cases) {
      expect(d.test(s), s).toBe(hit);
      expect(d.inText(s, 0, s.length) >= 0, s).toBe(hit);
      const b = bytesOf(s);
      expect(d.inBytes(b, 0, b.length) >= 0, s).toBe(hit);
      const long = `${'k '.repeat(300)}${s}${' q'.repeat(300)}`;
      expect(d.test(long), long).toBe(hit);
    }
  });
  it('searches long ranges of many lines exactly, a last line too long to split at included', () => {
    const filler = 'Mar 04 10:30:58 node-a containerd[911]: level=info msg="shim disconnected" id=abc\n';
    fc.assert(
      fc.property(fc.array(fc.nat(99), { maxLength: 4 }), fc.constantFrom(...ANCHORS), fc.integer({ min: 1, max: 100 }), fc.nat(60), (at, anchor, n, start) => {
        const lines = Array.from({ length: n }, () => filler);
        for (const k of at) if (k < n) lines[k] = `${filler.slice(0, 20)}${upper(anchor)}${filler.slice(20)}`;
        // one very long line: the later lanes find no '\n' and are empty
        if (n % 7 === 0) lines.push(`${'z'.repeat(5000)}\n`);
        const bytes = bytesOf(lines.join(''));
        const from = Math.min(start * filler.length, bytes.length);
        expect(dfa.inBytes(bytes, from, bytes.length)).toBe(reference(BYTE_ANCHORS, view(bytes), from));
      }),
      { numRuns: 500 },
    );
  });

  describe('skip search (every anchor of 8 bytes or more)', () => {
    const LONG = ANCHORS.filter((a) => utf8.encode(a).length >= 8);
    const skip = buildAnchorAutomaton(LONG)!;
    const LONG_BYTES = byteAnchors(LONG);
    // ASCII only: every code unit below 0x80.
    const ascii = LONG.filter((a) => [...a].every((c) => c.charCodeAt(0) < 0x80));
    const skipAscii = buildAnchorAutomaton(ascii)!;

    it('agrees with the reference on random text, in bytes and in the string test', () => {
      const piece = fc.oneof(
        fc.constantFrom(...LONG),
        fc.constantFrom(...LONG).map(upper),
        fc.constantFrom(...LONG).map((a) => a.slice(1)),
        fc.constantFrom(...LONG).map((a) => a.slice(0, a.length - 1)),
        fc.string({ maxLength: 12 }),
        fc.constantFrom('é', 'K', '\n', ' ', '设', '😀'),
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 14 }), fc.nat(40), (parts, start) => {
          const s = parts.join('');
          const b = bytesOf(s);
          const from = Math.min(start, b.length);
          expect(skip.inBytes(b, from, b.length)).toBe(reference(LONG_BYTES, view(b), from));
          expect(skip.test(s)).toBe(reference(LONG, s) >= 0);
          expect(skipAscii.test(s)).toBe(reference(ascii, s) >= 0);
          const ab = skipAscii.inBytes(b, 0, b.length);
          expect(ab).toBe(reference(byteAnchors(ascii), view(b)));
        }),
        { numRuns: 2000 },
      );
    });

    it('finds an anchor at every offset of a long range, overlapping shifts included', () => {
      const d = buildAnchorAutomaton(['abcdefgh', 'cdefghij', 'xxxxxxxxy'])!;
      for (const a of ['abcdefgh', 'cdefghij', 'xxxxxxxxy', 'ABCDEFGH']) {
        for (let at = 0; at < 40; at++) {
          const s = `${'x'.repeat(at)}${a}${'x'.repeat(40 - at)}`;
          const b = bytesOf(s);
          expect(d.inBytes(b, 0, b.length), `${a} at ${at}`).toBe(reference(['abcdefgh', 'cdefghij', 'xxxxxxxxy'], s));
          expect(d.test(s), `${a} at ${at}`).toBe(reference(['abcdefgh', 'cdefghij', 'xxxxxxxxy'], s) >= 0);
        }
      }
    });
  });
});
