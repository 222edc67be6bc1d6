/** Prints the corpus evaluation (the same figures the corpus test asserts). Usage: tsx scripts/eval-corpus.ts [file.jsonl] */
import { classify } from '../src/index.js';
import { evaluate, formatEvaluation, loadCases } from '../test/support/corpus.js';

const file = process.argv[2] ?? 'test/fixtures/corpus-dev.jsonl';
const verbose = process.argv.includes('-v');
const cases = loadCases(file);
const e = evaluate(cases, (t) => classify(t));
if (verbose) {
  for (const r of e.results) console.log(`${r.correct ? 'ok  ' : 'MISS'} ${r.id} ${r.label} → ${r.predicted ?? 'null'} ${r.confidence}`);
}
console.log(formatEvaluation(e, file));
