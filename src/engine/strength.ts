import type { Strength } from '../schema.js';

/**
 * The probability that a cause is right given one supporting rule of this strength, with no other
 * evidence. The only place strengths become numbers.
 *
 * Tuned on the development corpus (test/corpus.test.ts prints the calibration table): there, a
 * primary resting on one decisive rule was right 22/22, one strong rule 45/45, one moderate rule
 * 17/17. Those rules were written while reading that corpus, so the levels sit below the observed
 * rates, leaving room for unseen logs; a bare ENOSPC (weak, fallback) stays low.
 */
export const SUPPORT_PROBABILITY: Readonly<Record<Strength, number>> = {
  decisive: 0.97,
  strong: 0.93,
  moderate: 0.85,
  weak: 0.4,
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
