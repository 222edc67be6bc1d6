import type { Strength } from '../schema.js';

/**
 * The probability that a cause is right given one supporting rule of this strength, with no other
 * evidence. The only place strengths become numbers; tuned against the labelled corpus (see
 * test/corpus.test.ts, which prints the calibration table).
 */
export const SUPPORT_PROBABILITY: Readonly<Record<Strength, number>> = {
  decisive: 0.97,
  strong: 0.88,
  moderate: 0.65,
  weak: 0.3,
};

/** How much one opposing rule of this strength removes from a cause's confidence (multiplicative). */
export const OPPOSE_WEIGHT: Readonly<Record<Strength, number>> = {
  decisive: 0.95,
  strong: 0.7,
  moderate: 0.4,
  weak: 0.15,
};

/** Bonus share of the remaining doubt granted when one rule fires on several records. */
export const REPEAT_BONUS = 0.1;

const RANK: Readonly<Record<Strength, number>> = { decisive: 4, strong: 3, moderate: 2, weak: 1 };

/** Orders strengths: positive when `a` is stronger than `b`. */
export function compareStrength(a: Strength, b: Strength): number {
  return RANK[a] - RANK[b];
}
