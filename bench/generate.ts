/**
 * Writes the benchmark inputs deterministically:
 *   bench/data/sparse.log  realistic node journal, one ENOSPC-family line per ~10,000 lines
 *   bench/data/dense.log   every line an ENOSPC-family line
 *   bench/data/near-miss.log  a busy node's journal (bench/near-miss.ts), one ENOSPC-family line per ~10,000
 * Usage: tsx bench/generate.ts [sparseMiB=300] [denseMiB=100]
 */
import { mkdirSync } from 'node:fs';
import { writeLog } from './write-log.js';

const sparseMiB = Number(process.argv[2] ?? 300);
const denseMiB = Number(process.argv[3] ?? 100);
mkdirSync('bench/data', { recursive: true });
const s = await writeLog('bench/data/sparse.log', sparseMiB, 10_000, 1);
console.log(`bench/data/sparse.log: ${sparseMiB} MiB, ${s.lines} lines, ${s.problems} ENOSPC-family lines`);
const d = await writeLog('bench/data/dense.log', denseMiB, 1, 2);
console.log(`bench/data/dense.log: ${denseMiB} MiB, ${d.lines} lines, ${d.problems} ENOSPC-family lines`);
const n = await writeLog('bench/data/near-miss.log', sparseMiB, 10_000, 5, 'near-miss');
console.log(`bench/data/near-miss.log: ${sparseMiB} MiB, ${n.lines} lines, ${n.problems} ENOSPC-family lines`);
