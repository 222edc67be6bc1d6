import { describe, expect, it } from 'vitest';
import { classify } from '../../src/index.js';
import { RULES } from '../../src/generated/rules.js';
import { ruleMatchesText } from '../../src/rules/compile.js';
import { ruleFiles } from '../support/rules.js';

// Every example of every rule, run through the public classifier as a user would.
describe.each(ruleFiles())('rule $file', ({ def }) => {
  const rule = RULES.find((r) => r.id === def.id);
  it('is in the generated rule set', () => {
    expect(rule).toBeDefined();
  });
  if (rule === undefined) return;
  it.each(def.examples.match.map((ex, i) => [i, ex] as const))('matches example %i', (_i, ex) => {
    expect(ruleMatchesText(rule, ex)).toBe(true);
    const d = classify(ex);
    if (rule.effect === 'supports') {
      // A supporting rule's example is won by its cause, unless the rule is only a runner-up
      // signal (weak), in which case its cause must still be among the findings.
      if (rule.strength === 'weak' && !rule.fallback) expect(d.findings.map((f) => f.cause)).toContain(rule.cause);
      else expect(d.cause).toBe(rule.cause);
    } else if (rule.effect === 'opposes') {
      // Opposing evidence lowers its cause wherever that cause has support in the same input.
      const own = d.findings.find((f) => f.cause === rule.cause);
      if (own !== undefined) {
        const without = classify(ex, { rules: RULES.filter((r) => r.id !== rule.id), builtinRules: false });
        expect(own.confidence).toBeLessThan(without.findings.find((f) => f.cause === rule.cause)?.confidence ?? 1);
      }
    }
  });
  it.each(def.examples.noMatch.map((ex, i) => [i, ex] as const))('does not match look-alike %i', (_i, ex) => {
    expect(ruleMatchesText(rule, ex)).toBe(false);
  });
});
