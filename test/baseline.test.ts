import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, matchLine } from '../src/index.js';
import { ROOT } from './support/rules.js';

// Real healthy logs (loghub samples, research-only licence): read in place beside the repository,
// never copied into it. When the folder is absent the suite says so instead of passing silently.
const LOGHUB = join(ROOT, '..', 'shared', 'baseline', 'loghub');
const present = existsSync(LOGHUB);
const files = present ? readdirSync(LOGHUB).filter((f) => f.endsWith('.log')).sort() : [];

// The project's own healthy-node baseline, written from documented message shapes.
const HEALTHY_DIR = join(ROOT, 'test', 'fixtures', 'healthy');
const healthyFiles = existsSync(HEALTHY_DIR) ? readdirSync(HEALTHY_DIR).filter((f) => !f.endsWith('.md') && !f.endsWith('.json')).sort() : [];
const allowList = existsSync(join(HEALTHY_DIR, 'allow-list.json'))
  ? (JSON.parse(readFileSync(join(HEALTHY_DIR, 'allow-list.json'), 'utf8')) as { file: string; line: number; rule: string; why: string }[])
  : [];

describe('healthy baselines produce no finding', () => {
  it.skipIf(!present)('loghub baseline is present beside the repository', () => {
    expect(files.length).toBe(16);
  });
  it.each(files.map((f) => [f]))('loghub %s: no cause for the file and no rule on any line', (f) => {
    const text = readFileSync(join(LOGHUB, f), 'utf8');
    const d = classify(text);
    expect(d.findings.map((x) => `${x.cause}: ${x.supports[0]?.raw}`)).toEqual([]);
    const hits = text.split('\n').map((l, i) => [i + 1, matchLine(l)] as const).filter(([, m]) => m !== null && m.effect === 'supports');
    expect(hits.map(([i, m]) => `${i}: ${m?.rule}`)).toEqual([]);
  });

  it('own healthy-node baseline exists and is large', () => {
    const lines = healthyFiles.reduce((n, f) => n + readFileSync(join(HEALTHY_DIR, f), 'utf8').split('\n').length, 0);
    expect(lines).toBeGreaterThan(2000);
  });
  it.each(healthyFiles.map((f) => [f]))('own baseline %s: no finding beyond the reviewed allow-list', (f) => {
    const d = classify(readFileSync(join(HEALTHY_DIR, f), 'utf8'));
    const unexpected = d.findings
      .flatMap((x) => x.supports)
      .filter((e) => !allowList.some((a) => a.file === f && a.line === e.line && a.rule === e.rule))
      .map((e) => `${e.line}: ${e.rule}: ${e.raw}`);
    expect(unexpected).toEqual([]);
  });
});
