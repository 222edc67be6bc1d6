/**
 * The fault lab (docs/lab.md). Two halves:
 * - the recorded genuine outputs (test/fixtures/lab/*.json) are classified everywhere;
 * - where root and namespaces exist, each scenario runs the real program again, checks it still
 *   prints what was recorded (same program version), and classifies the fresh output.
 * Known misses are visible todos (known-misses.ts); scenarios this machine cannot run are
 * visible skips naming the missing capability.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/index.js';
import { CAUSE_IDS } from '../../src/ids.js';
import { KNOWN_MISSES } from './known-misses.js';
import { missing, pool, runScenario, type LabFixture } from './run.js';
import { NOT_REPRODUCED, SCENARIOS, type Scenario } from './scenarios.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'lab');
const FIXTURES: LabFixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as LabFixture);
const BY_ID = new Map(FIXTURES.map((f) => [f.id, f]));

/** What the operator pastes: the program's output with the readings taken beside it. */
const pasted = (f: Pick<LabFixture, 'output' | 'reading'>): string => (f.reading ? `${f.output}\n${f.reading}` : f.output);

/** Why the rules cannot be held to this fixture yet, or undefined when they must classify it right. */
function pending(f: Pick<LabFixture, 'id' | 'cause'>): string | undefined {
  if (!(CAUSE_IDS as readonly string[]).includes(f.cause)) {
    return KNOWN_MISSES[f.id] ?? `cause ${f.cause} is not in src/ids.ts on this branch`;
  }
  return KNOWN_MISSES[f.id];
}

function expectClassified(f: LabFixture): void {
  expect(classify(pasted(f)).cause, `${f.id}: output + readings`).toBe(f.cause);
  if (f.decidedBy === 'output') expect(classify(f.output).cause, `${f.id}: output alone`).toBe(f.cause);
}

/** The lines of an output, with what changes from run to run masked (tmp names, numbers, digests, units). */
function shape(output: string): Set<string> {
  return new Set(
    output
      .split('\n')
      .map((l) =>
        l
          .replace(/\/tmp\/enospc-lab-[\w.-]+/g, '<dir>')
          .replace(/enospc-lab-[\w-]+/g, '<name>')
          .replace(/[0-9a-f]{12,}/g, '<hex>')
          .replace(/\d+([.,]\d+)?/g, 'N')
          .replace(/\b[kMGT]?B\/s\b/g, 'B/s')
          .trimEnd(),
      )
      // Python's resource tracker warns or not depending on how fast the SIGBUS'd parent dies.
      .filter((l) => l !== '' && !/UserWarning|warnings\.warn\(/.test(l)),
  );
}

describe('lab fixtures: genuine outputs as recorded', () => {
  it('there are fixtures, each with a program, a version, an output and a scenario', () => {
    expect(FIXTURES.length).toBeGreaterThan(40);
    const ids = new Set(SCENARIOS.map((s) => s.id));
    for (const f of FIXTURES) {
      expect(f.output, f.id).not.toBe('');
      expect(f.version, f.id).not.toBe('');
      expect(ids.has(f.id), `${f.id} has no scenario in scenarios.ts`).toBe(true);
    }
  });

  for (const f of FIXTURES) {
    const why = pending(f);
    const name = `${f.id} (${f.version}, ${f.locale}) → ${f.cause}`;
    if (why) it.todo(`${name}: ${why}`);
    else it(name, () => expectClassified(f));
  }

  it('every known miss still misses (delete the entries that now classify right from known-misses.ts)', () => {
    const fixed = Object.keys(KNOWN_MISSES).filter((id) => {
      const f = BY_ID.get(id);
      if (!f || !(CAUSE_IDS as readonly string[]).includes(f.cause)) return false;
      const both = classify(pasted(f)).cause === f.cause;
      return f.decidedBy === 'output' ? both && classify(f.output).cause === f.cause : both;
    });
    const orphans = Object.keys(KNOWN_MISSES).filter((id) => !BY_ID.has(id));
    expect({ fixed, orphans }).toEqual({ fixed: [], orphans: [] });
  });

  for (const n of NOT_REPRODUCED) it.skip(`${n.id} (${n.cause}) not reproduced here: ${n.reason}`, () => {});
});

describe('lab live: the real programs, run again in throw-away namespaces', () => {
  const runnable = SCENARIOS.filter((s) => missing(s).length === 0);
  const results = new Map<string, LabFixture | Error>();

  beforeAll(async () => {
    await pool(runnable, 4, async (s: Scenario) => {
      try {
        results.set(s.id, await runScenario(s));
      } catch (e) {
        results.set(s.id, e as Error);
      }
    });
  }, 120_000);

  for (const s of SCENARIOS) {
    const lack = missing(s);
    const name = `${s.id} reproduces ${s.cause}${lack.length > 0 ? ` (skipped: this machine lacks ${lack.join(', ')})` : ''}`;
    it.skipIf(lack.length > 0)(name, () => {
      const r = results.get(s.id);
      if (r instanceof Error || r === undefined) throw r ?? new Error(`${s.id} did not run`);
      expect(r.exit.some((code) => code !== 0), `${s.id}: the program was expected to fail`).toBe(true);
      expect(r.output).not.toBe('');
      const recorded = BY_ID.get(s.id);
      if (recorded && recorded.version === r.version && recorded.locale === r.locale) {
        expect([...shape(r.output)].sort(), `${s.id}: the program no longer prints what was recorded`).toEqual(
          [...shape(recorded.output)].sort(),
        );
      }
      if (pending(r) === undefined) expectClassified(r);
    });
  }
});
