import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANCHORS } from '../../src/generated/rules.js';
import { buildAnchorAutomaton } from '../../src/engine/automaton.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the automaton replaces: the first match of one case-insensitive alternation, as the index of its last char. */
function reference(anchors: readonly string[], s: string, from = 0): number {
  // Every anchor ending soonest, not the leftmost-starting one: scan end positions in order.
  let best = -1;
  for (const a of anchors) {
    const re = new RegExp(escape(a), 'gi');
    re.lastIndex = from;
    const m = re.exec(s);
    if (m !== null) {
      const last = m.index + m[0].length - 1;
      if (best < 0 || last < best) best = last;
    }
  }
  return best;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('anchor automaton', () => {
  const dfa = buildAnchorAutomaton(ANCHORS)!;

  it('is built for the built-in anchors', () => {
    expect(dfa).toBeDefined();
  });

  it('finds each built-in anchor, in any case, inside other text', () => {
    for (const a of ANCHORS) {
      for (const form of [a, a.toUpperCase(), a.replace(/./g, (c, i: number) => (i % 2 ? c.toUpperCase() : c))]) {
        const s = `xx ${form} yy`;
        expect(dfa.inText(s, 0, s.length), form).toBe(reference(ANCHORS, s));
        expect(dfa.inBytes(latin1(s), 0, s.length), form).toBe(reference(ANCHORS, s));
      }
    }
  });

  it('agrees with the case-insensitive alternation on random text (first hit, from any start)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...ANCHORS),
      fc.constantFrom(...ANCHORS).map((a) => a.toUpperCase()),
      fc.constantFrom(...ANCHORS).map((a) => a.slice(0, Math.max(1, a.length - 1))),
      fc.string({ maxLength: 6 }),
      fc.constantFrom('é', 'ſ', 'K', 'İ', '\u00ff', '\n', ' '),
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

  it('reads UTF-8 bytes as the regex reads their latin1 view', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...ANCHORS), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 8 }), (parts) => {
        const bytes = new TextEncoder().encode(parts.join(''));
        const view = String.fromCharCode(...bytes);
        expect(dfa.inBytes(bytes, 0, bytes.length)).toBe(reference(ANCHORS, view));
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
          for (const k of at) lines[k] = `${filler.slice(0, 40)}${anchor.toUpperCase()}${filler.slice(40)}`;
          const s = lines.join('');
          const bytes = latin1(s);
          const from = lines.slice(0, start).join('').length;
          expect(dfa.inBytes(bytes, from, bytes.length)).toBe(reference(ANCHORS, s, from));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tests long strings (two lanes) exactly, an anchor across the middle included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ANCHORS), fc.nat(400), fc.nat(400), fc.boolean(), (anchor, before, after, upper) => {
        const s = `${'k '.repeat(before)}${upper ? anchor.toUpperCase() : anchor}${' q'.repeat(after)}`;
        expect(dfa.test(s)).toBe(true);
        expect(dfa.test(s.replace(anchor, '').replace(anchor.toUpperCase(), ''))).toBe(reference(ANCHORS, s.replace(anchor, '').replace(anchor.toUpperCase(), '')) >= 0);
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

  it('declines what it cannot search exactly: no anchors, an empty one, non-ASCII ones', () => {
    expect(buildAnchorAutomaton([])).toBeUndefined();
    expect(buildAnchorAutomaton(['a', ''])).toBeUndefined();
    expect(buildAnchorAutomaton(['café'])).toBeUndefined();
  });
});
