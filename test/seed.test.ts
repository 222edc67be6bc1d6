import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/index.js';
import { loadCases } from './support/corpus.js';

const cases = loadCases(join(import.meta.dirname, 'fixtures', 'seed-cases.jsonl'));

describe('seed acceptance cases', () => {
  it('has the four cases', () => {
    expect(cases.map((c) => c.id)).toEqual(['seed-1', 'seed-2', 'seed-3', 'seed-4']);
  });
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const d = classify(c.text);
    expect(d.cause).toBe(c.label === 'none' ? null : c.label);
    if (c.alsoFinding !== undefined) expect(d.findings.map((f) => f.cause)).toContain(c.alsoFinding);
    if (d.cause !== null) {
      expect(d.evidence.length).toBeGreaterThan(0);
      expect(d.remediation?.cause).toBe(d.cause);
    }
  });
});
