import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, type Diagnosis } from '../../src/index.js';
import { RULES } from '../../src/generated/rules.js';
import { ERRNO_TABLE } from '../../src/generated/errno-table.js';
import { readErrno } from '../../src/engine/errno.js';
import { decide } from '../../src/engine/table.js';
import { MOUNT_READERS } from '../../src/engine/mounts.js';
import { loadCases } from '../support/corpus.js';
import { ruleFiles } from '../support/rules.js';

// isbot's discipline: every rule must earn its place. Removing a rule must change the diagnosis
// (the cause, or a finding's confidence) of at least one input among all rules' examples, the seed
// cases and the corpus; otherwise it is dead weight or fully shadowed by another rule.
const fixtures = join(import.meta.dirname, '..', 'fixtures');
const inputs = [
  ...ruleFiles().flatMap(({ def }) => [...def.examples.match, ...def.examples.noMatch]),
  ...loadCases(join(fixtures, 'seed-cases.jsonl')).map((c) => c.text),
  ...loadCases(join(fixtures, 'corpus-dev.jsonl')).map((c) => c.text),
];

function signature(d: Diagnosis): string {
  return JSON.stringify([d.cause, d.findings.map((f) => [f.cause, f.confidence])]);
}

/** Which rules take part in each input's diagnosis (context rules included, via their dependents). */
const baseline = inputs.map((text) => {
  const d = classify(text);
  const fired = new Set(d.findings.flatMap((f) => f.rules.map((r) => r.rule)));
  return { text, signature: signature(d), fired };
});

/**
 * A decisive opposing rule can earn its place against the errno table alone (rules/errno-table.yaml),
 * which the rules-only runs below do not include: it explains away records the table would
 * otherwise decide (a write to /dev/full, Windows' ERROR_DISK_FULL).
 */
function decidedByTableWithoutIt(rule: (typeof RULES)[number]): boolean {
  if (rule.effect !== 'opposes' || rule.strength !== 'decisive') return false;
  const def = ruleFiles().find((f) => f.def.id === rule.id)?.def;
  return (def?.examples.match ?? []).some((ex) => {
    const reading = readErrno(ex);
    return reading !== undefined && decide(ERRNO_TABLE, reading) !== undefined && classify(ex).cause === null;
  });
}

describe('every rule earns its place', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    if (decidedByTableWithoutIt(rule)) return;
    const without = RULES.filter((r) => r.id !== rule.id);
    // The df row readings are also read by the engine's mount reasoning (src/engine/mounts.ts).
    const dependents = [...RULES.filter((r) => r.requires?.includes(rule.id)).map((r) => r.id), ...(MOUNT_READERS[rule.id] ?? [])];
    const relevant = baseline.filter((b) => b.fired.has(rule.id) || dependents.some((id) => b.fired.has(id)));
    const changed = relevant.some((b) => signature(classify(b.text, { rules: without, builtinRules: false })) !== b.signature);
    expect(changed, `removing ${rule.id} changes no diagnosis among ${relevant.length} inputs where it takes part`).toBe(true);
  });
});
