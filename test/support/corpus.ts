import { readFileSync } from 'node:fs';
import type { CauseId, Diagnosis } from '../../src/index.js';

/** One labelled case from a fixture file (corpus or seed). */
export interface LabelledCase {
  readonly id: string;
  readonly text: string;
  readonly label: CauseId | 'none';
  readonly source?: string;
  readonly format?: string;
  readonly alsoFinding?: CauseId;
}

export function loadCases(path: string): LabelledCase[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => {
      const o = JSON.parse(l) as { id: string; text: string; label?: string; expect?: { cause: string | null; alsoFinding?: string }; source?: string; format?: string };
      const label = (o.label ?? o.expect?.cause ?? 'none') as CauseId | 'none';
      return {
        id: o.id,
        text: o.text,
        label,
        ...(o.source !== undefined ? { source: o.source } : {}),
        ...(o.format !== undefined ? { format: o.format } : {}),
        ...(o.expect?.alsoFinding !== undefined ? { alsoFinding: o.expect.alsoFinding as CauseId } : {}),
      };
    });
}

/** Right answer: `none` wants no cause; `unknown-enospc` accepts any ENOSPC-family cause; others exact. */
export function isCorrect(label: CauseId | 'none', predicted: CauseId | null): boolean {
  if (label === 'none') return predicted === null;
  if (label === 'unknown-enospc') return predicted !== null;
  return predicted === label;
}

export interface CaseResult {
  readonly id: string;
  readonly label: CauseId | 'none';
  readonly predicted: CauseId | null;
  readonly confidence: number;
  readonly correct: boolean;
}

export interface CauseScore {
  readonly cause: string;
  readonly support: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number;
  readonly recall: number;
}

export interface Evaluation {
  readonly results: readonly CaseResult[];
  readonly accuracy: number;
  readonly correct: number;
  readonly total: number;
  readonly perCause: readonly CauseScore[];
  /** `none` cases reported as a cause. */
  readonly falsePositives: readonly CaseResult[];
  /** Expected calibration error over the cases where a cause was reported (10 equal bins). */
  readonly ece: number;
  readonly bins: readonly { lo: number; hi: number; n: number; confidence: number; accuracy: number }[];
}

export function evaluate(cases: readonly LabelledCase[], run: (text: string) => Diagnosis): Evaluation {
  const results: CaseResult[] = cases.map((c) => {
    const d = run(c.text);
    return { id: c.id, label: c.label, predicted: d.cause, confidence: d.confidence, correct: isCorrect(c.label, d.cause) };
  });
  const causes = [...new Set(results.map((r) => r.label).filter((l) => l !== 'none'))].sort();
  const perCause = causes.map((cause) => {
    const tp = results.filter((r) => r.label === cause && r.correct).length;
    const support = results.filter((r) => r.label === cause).length;
    const fp = cause === 'unknown-enospc' ? 0 : results.filter((r) => r.predicted === cause && r.label !== cause).length;
    const fn = support - tp;
    return { cause, support, tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: support === 0 ? 1 : tp / support };
  });
  const reported = results.filter((r) => r.predicted !== null);
  const bins = Array.from({ length: 10 }, (_, i) => {
    const lo = i / 10;
    const hi = (i + 1) / 10;
    const inBin = reported.filter((r) => (i === 9 ? r.confidence >= lo : r.confidence >= lo && r.confidence < hi));
    const n = inBin.length;
    return {
      lo,
      hi,
      n,
      confidence: n === 0 ? 0 : inBin.reduce((s, r) => s + r.confidence, 0) / n,
      accuracy: n === 0 ? 0 : inBin.filter((r) => r.correct).length / n,
    };
  });
  const ece = reported.length === 0 ? 0 : bins.reduce((s, b) => s + (b.n / reported.length) * Math.abs(b.accuracy - b.confidence), 0);
  const correct = results.filter((r) => r.correct).length;
  return {
    results,
    accuracy: correct / results.length,
    correct,
    total: results.length,
    perCause,
    falsePositives: results.filter((r) => r.label === 'none' && r.predicted !== null),
    ece,
    bins,
  };
}

const p = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** The report the corpus test and `scripts/eval-corpus.ts` print. */
export function formatEvaluation(e: Evaluation, title: string): string {
  const lines = [
    `${title}: accuracy ${p(e.accuracy)} (${e.correct}/${e.total}), false positives on none: ${e.falsePositives.length}, ECE ${e.ece.toFixed(3)}`,
    'cause                        support  recall   precision',
    ...e.perCause.map((c) => `${c.cause.padEnd(28)} ${String(c.support).padStart(7)}  ${p(c.recall).padStart(6)}   ${p(c.precision).padStart(6)}`),
    'calibration (reported causes): bin  n  mean-confidence  accuracy',
    ...e.bins.filter((b) => b.n > 0).map((b) => `  [${b.lo.toFixed(1)}, ${b.hi.toFixed(1)})  ${String(b.n).padStart(3)}  ${b.confidence.toFixed(3)}  ${b.accuracy.toFixed(3)}`),
    `misses: ${e.results.filter((r) => !r.correct).map((r) => `${r.id} (${r.label} → ${r.predicted ?? 'null'} ${r.confidence})`).join(', ') || 'none'}`,
  ];
  return lines.join('\n');
}
