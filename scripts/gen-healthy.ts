/**
 * Writes test/fixtures/healthy/node-journal.log: a deterministic healthy-node journal written from
 * the documented message shapes (bench/lines.ts), the project's own false-positive baseline.
 * Usage: tsx scripts/gen-healthy.ts [lines]
 */
import { writeFileSync } from 'node:fs';
import { healthyLine, prng } from '../bench/lines.js';

const n = Number(process.argv[2] ?? 4000);
const rand = prng(20261127);
const out: string[] = ['-- Journal begins at Mon 2024-03-04 00:00:01 UTC, ends at Mon 2024-03-04 23:59:59 UTC. --'];
let t = 0;
for (let i = 0; i < n; i++) {
  t += rand() * 2;
  out.push(healthyLine(rand, t));
}
writeFileSync('test/fixtures/healthy/node-journal.log', `${out.join('\n')}\n`);
console.log(`wrote ${out.length} lines`);
