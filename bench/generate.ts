/**
 * Writes the benchmark inputs deterministically:
 *   bench/data/sparse.log  realistic node journal, one ENOSPC-family line per ~10,000 lines
 *   bench/data/dense.log   every line an ENOSPC-family line
 * Usage: tsx bench/generate.ts [sparseMiB=300] [denseMiB=100]
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { healthyLine, problemLine, prng } from './lines.js';

async function write(path: string, mib: number, problemEvery: number, seed: number): Promise<{ lines: number; problems: number }> {
  const out = createWriteStream(path);
  const rand = prng(seed);
  const target = mib * 1024 * 1024;
  let bytes = 0;
  let lines = 0;
  let problems = 0;
  let t = 0;
  let batch: string[] = [];
  while (bytes < target) {
    t += rand() * 0.05;
    const line = problemEvery <= 1 || rand() < 1 / problemEvery ? (problems++, problemLine(rand, t)) : healthyLine(rand, t);
    batch.push(line);
    bytes += line.length + 1;
    lines++;
    if (batch.length === 4096) {
      if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      batch = [];
    }
  }
  if (batch.length > 0) out.write(`${batch.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  return { lines, problems };
}

const sparseMiB = Number(process.argv[2] ?? 300);
const denseMiB = Number(process.argv[3] ?? 100);
mkdirSync('bench/data', { recursive: true });
const s = await write('bench/data/sparse.log', sparseMiB, 10_000, 1);
console.log(`bench/data/sparse.log: ${sparseMiB} MiB, ${s.lines} lines, ${s.problems} ENOSPC-family lines`);
const d = await write('bench/data/dense.log', denseMiB, 1, 2);
console.log(`bench/data/dense.log: ${denseMiB} MiB, ${d.lines} lines, ${d.problems} ENOSPC-family lines`);
