import type { Strength } from '../schema.js';

/**
 * The probability that a cause is right given one supporting rule of this strength, with no other
 * evidence. The only place strengths become numbers.
 *
 * Tuned on the development corpus (test/corpus.test.ts prints the calibration table). With the 329
 * cases of December 2026, primaries reported between 0.8 and 0.9 (one moderate rule) were right
 * 57/61 (93.4 %) and those at 0.9 or more 164/165, so moderate moved from 0.85 to 0.90, still below
 * the observed rate since the rules were written while reading that corpus; a bare ENOSPC (weak,
 * fallback) stays low. With the df-mount reasoning every bin was under-confident (ECE 0.088: the
 * [0.9, 1.0) bin at mean 0.936 was right 98.7 %), so strong moved 0.93 -> 0.95 and moderate
 * 0.90 -> 0.92 (ECE 0.074); not higher, because logs outside the corpus are read less well.
 */
export const SUPPORT_PROBABILITY: Readonly<Record<Strength, number>> = {
  decisive: 0.97,
  strong: 0.95,
  moderate: 0.92,
  weak: 0.4,
};

/** How much one opposing rule of this strength removes from a cause's confidence (multiplicative). */
export const OPPOSE_WEIGHT: Readonly<Record<Strength, number>> = {
  decisive: 0.95,
  strong: 0.7,
  moderate: 0.9,
  weak: 0.4,
};

/** Bonus share of the remaining doubt granted when one rule fires on several records. */
export const REPEAT_BONUS = 0.1;

const RANK: Readonly<Record<Strength, number>> = { decisive: 4, strong: 3, moderate: 2, weak: 1 };

/** Orders strengths: positive when `a` is stronger than `b`. */
export function compareStrength(a: Strength, b: Strength): number {
  return RANK[a] - RANK[b];
}
