/**
 * Robustness: every development case, rewritten the ways the same incident shows up elsewhere
 * (other ids, paths of the same class, hosts, time stamps and their formats, every envelope the
 * product reads, one more or one less level of quoting, CRLF, one envelope deeper), keeps the
 * cause `classify` gives the original text. Invariance, not correctness: the check means something
 * for a case the classifier misses today too. Variants that change the cause because of a product
 * bug are listed in test/fixtures/variant-known-failures.json and run as visible todos.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, matchLine } from '../../src/index.js';
import { frameText } from '../../src/input/frame.js';
import { isCorrect, loadCases } from '../support/corpus.js';
import { baseSeed, sampleVariants } from '../support/variants.js';
import type { Variant } from '../support/variants.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const cases = loadCases(join(fixtures, 'corpus-dev.jsonl'));
/** `<case id> <variant kind>` (or `… matchLine` for the per-record path) → why that variant changes the cause today (a product bug). */
const knownFailures = JSON.parse(readFileSync(join(fixtures, 'variant-known-failures.json'), 'utf8')) as Record<string, string>;

const seed = baseSeed();
const defaultSeed = process.env.FC_SEED === undefined || process.env.FC_SEED === '';
/**
 * Variants per case. Every applicable kind fits today (at most ~60 per case, ~7.8k in all, 1-4 s
 * on a shared machine), so the bound only guards the run time if kinds are added.
 */
const PER_CASE = 80;

interface Outcome {
  readonly id: string;
  readonly kind: string;
  readonly text: string;
  readonly before: string | null;
  readonly after: string | null;
  /** The original was right and so is the variant (undefined when the original was wrong). */
  readonly staysCorrect: boolean | undefined;
  /** Confidence of the original and of the variant. */
  readonly confidence: readonly [number, number];
  /** For a one-line case and a one-line variant: `matchLine`'s cause for the original and the variant. */
  readonly line?: readonly [string | null, string | null];
}

const outcomes: Outcome[] = [];
const byCase = new Map<string, Outcome[]>();
const oneLine = (t: string): boolean => !t.trim().includes('\n');
for (const c of cases) {
  const original = classify(c.text);
  const before = original.cause;
  const right = isCorrect(c.label, before);
  const lineBefore = oneLine(c.text) ? (matchLine(c.text.trim())?.cause ?? null) : undefined;
  const list: Outcome[] = [];
  for (const v of sampleVariants(c, seed, PER_CASE)) {
    const d = classify(v.text);
    const after = d.cause;
    const o: Outcome = { id: c.id, kind: v.kind, text: v.text, before, after, staysCorrect: right ? isCorrect(c.label, after) : undefined, confidence: [original.confidence, d.confidence] };
    list.push(lineBefore !== undefined && oneLine(v.text) ? { ...o, line: [lineBefore, matchLine(v.text.trim())?.cause ?? null] } : o);
  }
  byCase.set(c.id, list);
  outcomes.push(...list);
}
const key = (o: { id: string; kind: string }): string => `${o.id} ${o.kind}`;
const changed = outcomes.filter((o) => o.after !== o.before);
const lineOutcomes = outcomes.filter((o) => o.line !== undefined);

/** The outer envelope (and inner producer) each envelope variant must be read as. */
const ENVELOPE: Record<string, { format: string; inner?: string }> = {
  'env-journal-short': { format: 'journal' },
  'env-journal-short-iso': { format: 'journal' },
  'env-journal-short-precise': { format: 'journal' },
  'env-journal-short-unix': { format: 'journal' },
  'env-journal-short-full': { format: 'journal' },
  'env-journal-bare': { format: 'journal' },
  'env-journal-short-monotonic': { format: 'journal' },
  'env-journal-no-hostname': { format: 'journal' },
  'env-journal-with-unit': { format: 'journal' },
  'env-journal-short-de': { format: 'journal' },
  'env-journal-short-fr': { format: 'journal' },
  'env-journal-short-zh': { format: 'journal' },
  'env-journal-short-ru': { format: 'journal' },
  'env-journal-json-seq': { format: 'journal-json' },
  'env-journal-json-sse': { format: 'journal-json' },
  'env-syslog-pri': { format: 'syslog' },
  'env-cri-offset': { format: 'cri-log' },
  'env-events-row-namespace': { format: 'kubectl-events' },
  'env-events-row-kubectl-events': { format: 'kubectl-events' },
  'env-gokit': { format: 'logrus' },
  'env-journal-kernel': { format: 'journal' },
  'env-journal-json': { format: 'journal-json' },
  'env-journal-json-bytes': { format: 'journal-json' },
  'env-journal-json-pretty': { format: 'journal-json' },
  'env-journal-verbose': { format: 'journal-verbose' },
  'env-journal-export': { format: 'journal-verbose' },
  'env-syslog': { format: 'syslog' },
  'env-syslog-5424': { format: 'syslog' },
  'env-dmesg': { format: 'dmesg' },
  'env-dmesg-x': { format: 'dmesg' },
  'env-dmesg-kmsg': { format: 'dmesg' },
  'env-cri': { format: 'cri-log' },
  'env-cri-split': { format: 'cri-log' },
  'env-cri-16k': { format: 'cri-log' },
  'env-docker-json': { format: 'docker-json' },
  'env-docker-json-split': { format: 'docker-json' },
  'env-docker-json-16k': { format: 'docker-json' },
  'env-klog': { format: 'klog' },
  'env-klog-json': { format: 'klog-json' },
  'env-logrus': { format: 'logrus' },
  'env-logrus-tty': { format: 'logrus' },
  'env-logrus-json': { format: 'logrus-json' },
  'env-events-row': { format: 'kubectl-events' },
  'env-describe-row': { format: 'kubectl-describe' },
  'quote-err': { format: 'klog' },
  'quote-err-logrus': { format: 'logrus' },
  'nested-journal-klogjson-logfmt': { format: 'journal-json', inner: 'klog-json' },
  'nested-journal-klog-logfmt': { format: 'journal', inner: 'klog' },
};

function summary(): string {
  const kinds = new Map<string, { n: number; changed: number }>();
  for (const o of outcomes) {
    const k = kinds.get(o.kind) ?? { n: 0, changed: 0 };
    k.n++;
    if (o.after !== o.before) k.changed++;
    kinds.set(o.kind, k);
  }
  const right = outcomes.filter((o) => o.staysCorrect !== undefined);
  const lines = [
    `variants: ${outcomes.length} generated, ${outcomes.length - changed.length} kept the cause, ${changed.length} changed (seed ${seed}, ${cases.length} cases, ${kinds.size} kinds)`,
    `variants of correctly classified cases: ${right.filter((o) => o.staysCorrect === true).length}/${right.length} stay correct`,
    `confidence moved by more than 0.05 in ${outcomes.filter((o) => o.after === o.before && Math.abs(o.confidence[0] - o.confidence[1]) > 0.05).length} variants that kept the cause; matchLine kept the cause of ${lineOutcomes.filter((o) => o.line?.[0] === o.line?.[1]).length}/${lineOutcomes.length} one-line variants`,
    `by kind (generated/changed): ${[...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v.n}/${v.changed}`).join(', ')}`,
    `changed: ${changed.map((o) => `${key(o)} (${o.before ?? 'null'} → ${o.after ?? 'null'})${knownFailures[key(o)] !== undefined ? ' [known]' : ''}`).join(', ') || 'none'}`,
  ];
  return lines.join('\n');
}

describe('variants of the development cases keep their cause', () => {
  it('prints its figures', () => {
    console.log(summary());
    expect(outcomes.length).toBeGreaterThan(0);
  });

  it('makes variants of every case, of every kind', () => {
    expect(cases.filter((c) => (byCase.get(c.id) ?? []).length < 2).map((c) => c.id)).toEqual([]);
    const kinds = new Set(outcomes.map((o) => o.kind));
    for (const k of Object.keys(ENVELOPE)) expect(kinds.has(k), `no variant of kind ${k}`).toBe(true);
    const others = ['id-container', 'id-pod', 'id-pid', 'id-podname', 'id-device', 'path-cgroup', 'path-overlay', 'path-kubelet', 'path-home', 'path-shm', 'host'];
    others.push('time-shift', 'time-short-iso', 'time-dmesg-ctime', 'crlf', 'trailing-space', 'quote-deeper', 'quote-shallower', 'quote-unquoted', 'mix', 'lines-cri', 'lines-journal-json');
    others.push('fenced', 'table-collapsed', 'context', 'env-journal-short-de', 'env-journal-short-fr', 'env-journal-short-zh', 'env-journal-short-ru');
    for (const k of others) {
      expect(kinds.has(k), `no variant of kind ${k}`).toBe(true);
    }
  });

  it('reads every envelope variant as the envelope it names', () => {
    const wrong: string[] = [];
    for (const o of outcomes) {
      const want = ENVELOPE[o.kind];
      if (want === undefined) continue;
      const first = frameText(o.text)[0];
      const got = { format: first?.fields.format, inner: first?.fields.inner };
      if (got.format !== want.format || (want.inner !== undefined && got.inner !== want.inner)) wrong.push(`${key(o)}: ${got.format}/${got.inner ?? '-'}`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives matchLine the same cause for a one-line variant of a one-line case', () => {
    expect(lineOutcomes.length).toBeGreaterThan(1000);
    const bad = lineOutcomes.filter((o) => o.line?.[0] !== o.line?.[1] && knownFailures[`${key(o)} matchLine`] === undefined);
    expect(bad.map((o) => `${key(o)}: ${o.line?.[0] ?? 'null'} → ${o.line?.[1] ?? 'null'}`)).toEqual([]);
  });

  it('lists only variants that still change the cause as known failures', () => {
    const made = new Set(outcomes.map(key));
    const failing = new Set([...changed.map(key), ...lineOutcomes.filter((o) => o.line?.[0] !== o.line?.[1]).map((o) => `${key(o)} matchLine`)]);
    for (const o of lineOutcomes) made.add(`${key(o)} matchLine`);
    // with another seed a listed variant may not be drawn; with the default one it must exist
    const stale = Object.keys(knownFailures).filter((k) => (defaultSeed || made.has(k)) && !failing.has(k));
    expect(stale, 'these variants keep their cause now: remove them from variant-known-failures.json').toEqual([]);
  });

  for (const c of cases) {
    const list = byCase.get(c.id) ?? [];
    for (const o of list) {
      for (const k of [key(o), `${key(o)} matchLine`]) if (knownFailures[k] !== undefined) it.todo(`${k}: ${knownFailures[k]}`);
    }
    const checked = list.filter((o) => knownFailures[key(o)] === undefined);
    it(`${c.id} keeps ${list[0]?.before ?? 'no cause'} in ${checked.length} variants`, () => {
      const bad = checked.filter((o) => o.after !== o.before).map((o) => `${o.kind}: ${o.before ?? 'null'} → ${o.after ?? 'null'}\n${excerpt(o)}`);
      expect(bad).toEqual([]);
    });
  }
});

function excerpt(v: Variant): string {
  return v.text.length > 600 ? `${v.text.slice(0, 600)}…` : v.text;
}
