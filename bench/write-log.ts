import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { healthyLine, problemLine, prng } from './lines.js';
import { nearMissHealthyLine } from './near-miss.js';

/** `bench`: the bench's original healthy lines; `near-miss`: a busy node's journal (bench/near-miss.ts). */
export type LogKind = 'bench' | 'near-miss';

/**
 * Writes `mib` MiB of deterministic node journal to `path`: healthy lines with one ENOSPC-family
 * line per `problemEvery` on average (every line when `problemEvery` ≤ 1). `kind` picks the healthy lines.
 */
export async function writeLog(path: string, mib: number, problemEvery: number, seed: number, kind: LogKind = 'bench'): Promise<{ lines: number; problems: number }> {
  const out = createWriteStream(path);
  const rand = prng(seed);
  const target = mib * 1024 * 1024;
  let bytes = 0;
  let lines = 0;
  let problems = 0;
  let t = 0;
  let batch: string[] = [];
  const healthy = kind === 'near-miss' ? nearMissHealthyLine : healthyLine;
  while (bytes < target) {
    t += rand() * 0.05;
    const problem = problemEvery <= 1 || rand() < 1 / problemEvery;
    const line = problem ? problemLine(rand, t) : healthy(rand, t);
    if (problem) problems++;
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
