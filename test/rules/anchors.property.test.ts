/**
 * The prefilter anchors are necessary by construction (src/rules/anchors.ts): every string a rule's
 * pattern matches contains one of the rule's anchors, case-insensitively. Strings are generated
 * from each pattern's own syntax tree (literals in random case, class members, alternatives,
 * bounded repeats; `\s` as one space, since patterns run on the normalised message where every
 * whitespace run is one space), kept only when V8 agrees they match, then checked.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CharacterClass, Element, Node } from '@eslint-community/regexpp/ast';
import { RULES, RULE_ANCHORS } from '../../src/generated/rules.js';
import { parseRuleSource } from '../../src/rules/regex-syntax.js';
import { chooseAnchors } from '../../src/rules/anchors.js';

type Rand = () => number;

function prng(seed: number): Rand {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const pick = <T,>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const randomCase = (r: Rand, c: string): string => (r() < 0.5 ? c.toUpperCase() : c.toLowerCase());

function setChars(kind: string, negate: boolean): string[] {
  const re = kind === 'digit' ? /\d/ : kind === 'word' ? /\w/ : kind === 'space' ? / / : /[^\n]/;
  const pool = kind === 'space' && !negate ? [' '] : PRINTABLE;
  return pool.filter((c) => re.test(c) !== negate);
}

function classChar(r: Rand, c: CharacterClass): string {
  const re = new RegExp(`^${c.raw}$`, 'i');
  if (!c.negate) {
    const members: string[] = [];
    for (const e of c.elements) {
      if (e.type === 'Character') members.push(String.fromCodePoint(e.value));
      else if (e.type === 'CharacterClassRange') members.push(String.fromCodePoint(e.min.value + Math.floor(r() * (e.max.value - e.min.value + 1))));
      else if (e.type === 'CharacterSet') members.push(pick(r, setChars(e.kind, e.negate)));
    }
    if (members.length > 0) return randomCase(r, pick(r, members));
  }
  const ok = PRINTABLE.filter((ch) => re.test(ch) && ch !== '\t');
  return ok.length > 0 ? pick(r, ok) : 'x';
}

function gen(r: Rand, n: Node | Element): string {
  switch (n.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      return gen(r, pick(r, n.alternatives));
    case 'Alternative':
      return n.elements.map((e) => gen(r, e)).join('');
    case 'Character':
      return randomCase(r, String.fromCodePoint(n.value));
    case 'CharacterClass':
      return classChar(r, n);
    case 'CharacterSet':
      if (n.kind === 'any') return pick(r, setChars('any', false));
      return n.kind === 'digit' || n.kind === 'word' || n.kind === 'space' ? pick(r, setChars(n.kind, n.negate)) : 'x';
    case 'Quantifier': {
      // Bounded: a few copies past the minimum, enough to cover ranges without long strings.
      const max = Math.min(n.max, n.min + 3);
      const k = n.min + Math.floor(r() * (max - n.min + 1));
      let out = '';
      for (let i = 0; i < k; i++) out += gen(r, n.element);
      return out;
    }
    default:
      // Assertions (\b, ^, $; no lookaround is in the subset) consume nothing; V8 filters the rest.
      return '';
  }
}

const trees = RULES.map((rule) => ({ rule, tree: parseRuleSource(rule.source), re: new RegExp(rule.source, rule.flags) }));

describe('prefilter anchors are necessary (generated matching strings)', () => {
  it('every rule has anchors', () => {
    for (const { rule } of trees) expect(RULE_ANCHORS[rule.id]?.length ?? 0, rule.id).toBeGreaterThan(0);
  });

  it.each(trees.map((t) => [t.rule.id, t] as const))('%s: each generated match contains one of its anchors', (_id, { rule, tree, re }) => {
    const anchors = RULE_ANCHORS[rule.id]!;
    let matched = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), (seed, before, after) => {
        const s = `${before}${gen(prng(seed), tree)}${after}`;
        if (!re.test(s)) return;
        matched++;
        const lower = s.toLowerCase();
        expect(anchors.some((a) => lower.includes(a)), `${JSON.stringify(s)} has none of ${JSON.stringify(anchors)}`).toBe(true);
      }),
      { numRuns: 150 },
    );
    // The generator must produce real matches, or the check above says nothing.
    expect(matched, 'generated strings the pattern matches').toBeGreaterThan(0);
  });

  it('the compile-time choice (no corpus) is necessary too', () => {
    for (const { rule, tree, re } of trees) {
      const anchors = chooseAnchors(rule.source);
      if (anchors === undefined) continue;
      const r = prng(7);
      for (let i = 0; i < 40; i++) {
        const s = gen(r, tree);
        if (!re.test(s)) continue;
        expect(anchors.some((a) => s.toLowerCase().includes(a)), `${rule.id}: ${JSON.stringify(s)} has none of ${JSON.stringify(anchors)}`).toBe(true);
      }
    }
  });
});
