import { subsetProblem } from './regex-syntax.js';

/**
 * Checks that a compiled ECMAScript pattern source stays inside the RE2 ∩ ECMAScript subset:
 * no lookaround, no backreferences, no named backreferences, no repetition count above 1000.
 * Reads the source through the rule side's one syntax tree (regex-syntax.ts).
 *
 * @param source - A compiled ECMAScript pattern source.
 * @returns The problem (also for a source that does not parse), or null when the source is inside the subset.
 * @example
 * ```ts
 * checkSubset('a(?=b)'); // 'lookahead is outside the RE2 subset'
 * ```
 */
export function checkSubset(source: string): string | null {
  try {
    return subsetProblem(source);
  } catch (e) {
    return `not a valid pattern: ${e instanceof Error ? e.message : String(e)}`;
  }
}
