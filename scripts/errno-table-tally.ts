/**
 * Per row of the errno decision table: the development-corpus records it decided, by the label of
 * their case, and whether the case's diagnosis was right. The counts behind each row's
 * `calibration` in rules/errno-table.yaml. Usage: tsx scripts/errno-table-tally.ts [file.jsonl]
 */
import { classify } from '../src/index.js';
import { loadCases } from '../test/support/corpus.js';

const file = process.argv[2] ?? 'test/fixtures/corpus-dev.jsonl';
const tally = new Map<string, { records: number; cases: string[] }>();
for (const c of loadCases(file)) {
  const d = classify(c.text);
  for (const f of d.findings) {
    for (const r of f.rules) {
      if (!r.rule.startsWith('errno-table/')) continue;
      const t = tally.get(r.rule) ?? { records: 0, cases: [] };
      t.records += r.records;
      t.cases.push(`${c.id} ${c.label} → ${d.cause ?? 'null'}`);
      tally.set(r.rule, t);
    }
  }
}
for (const [rule, t] of [...tally].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
  console.log(`${rule}: ${t.records} record(s) in ${t.cases.length} case(s): ${t.cases.join(', ')}`);
}
