/**
 * The one syntax tree the rule side reads pattern sources through: `@eslint-community/regexpp`
 * (a maintained ECMAScript regex parser), so the subset check and the anchor derivation agree with
 * each other and with what V8 compiles, instead of each re-lexing the source by hand.
 *
 * Only the `rules` entry (the compiler and the build scripts) imports this module: the default
 * entry classifies with precompiled sources and never parses a pattern, so it does not carry the
 * parser (test/package/size.test.ts).
 */
import { RegExpParser, visitRegExpAST } from '@eslint-community/regexpp';
import type { Pattern } from '@eslint-community/regexpp/ast';

const parser = new RegExpParser({ ecmaVersion: 2025, strict: false });

/**
 * Parses a compiled rule source as V8 reads it without the `u` flag (Annex B syntax allowed).
 *
 * @param source - A compiled ECMAScript pattern source (no slashes, no flags).
 * @returns The pattern's syntax tree; throws a SyntaxError on a malformed source.
 */
export function parseRuleSource(source: string): Pattern {
  return parser.parsePattern(source, 0, source.length, { unicode: false, unicodeSets: false });
}

/** RE2 refuses repetition counts above this (and so would any RE2-based export of the rules). */
const RE2_MAX_REPEAT = 1000;

/**
 * The first construct outside the RE2 ∩ ECMAScript subset, in source order: lookaround,
 * backreferences (numbered or named), repetition counts above 1000; or null.
 */
export function subsetProblem(source: string): string | null {
  const ast = parseRuleSource(source);
  const problems: { at: number; text: string }[] = [];
  visitRegExpAST(ast, {
    onAssertionEnter(a) {
      if (a.kind === 'lookahead') problems.push({ at: a.start, text: 'lookahead is outside the RE2 subset' });
      if (a.kind === 'lookbehind') problems.push({ at: a.start, text: 'lookbehind is outside the RE2 subset' });
    },
    onBackreferenceEnter(b) {
      problems.push({ at: b.start, text: typeof b.ref === 'string' ? 'named backreferences are outside the RE2 subset' : 'backreferences are outside the RE2 subset' });
    },
    onCharacterEnter(c) {
      // Annex B reads `\1` with no group 1 as an octal escape and `\k<a>` with no named group as
      // the letters; RE2 reads both as backreferences, so they stay refused.
      if (c.parent.type === 'CharacterClass' || c.parent.type === 'CharacterClassRange') return;
      if (/^\\[1-9]/.test(c.raw)) problems.push({ at: c.start, text: 'backreferences are outside the RE2 subset' });
      else if (c.raw === '\\k' && source[c.end] === '<') problems.push({ at: c.start, text: 'named backreferences are outside the RE2 subset' });
    },
    onQuantifierEnter(q) {
      if (q.min > RE2_MAX_REPEAT || (q.max !== Infinity && q.max > RE2_MAX_REPEAT)) {
        const count = source.slice(q.element.end, q.end).replace(/\?$/, '');
        problems.push({ at: q.element.end, text: `repetition count ${count} is above RE2's limit of ${RE2_MAX_REPEAT}` });
      }
    },
  });
  if (problems.length === 0) return null;
  problems.sort((a, b) => a.at - b.at);
  return problems[0]!.text;
}
