/**
 * How many healthy lines pass the prefilter: each line of the real healthy baseline (loghub, read
 * in place, see realBaselineDir in render-rules.ts) is tested against the built-in anchors plus the
 * localized keys, as classify's prefilter tests a raw record (engine/automaton.ts).
 *
 *   npx tsx scripts/anchor-rarity.ts [--module path/to/generated/rules.ts] [--near-miss path/to/near-miss.ts]
 *
 * --module compares another generated rules module (e.g. an older build's); --near-miss also
 * counts the lines of a near-miss journal generator exporting `nearMissLines(count, seed)`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAnchorAutomaton } from '../src/engine/automaton.js';
import { localizedKeys } from '../src/input/locale.js';
import { realBaselineDir } from './render-rules.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const modulePath = resolve(arg('--module') ?? join(import.meta.dirname, '../src/generated/rules.ts'));
const { ANCHORS } = (await import(pathToFileURL(modulePath).href)) as { ANCHORS: readonly string[] };
const anchors = [...new Set([...ANCHORS, ...localizedKeys()])];
const dfa = buildAnchorAutomaton(anchors);
if (dfa === undefined) throw new Error(`anchor-rarity: the ${anchors.length} anchors do not fit the automaton`);
console.log(`${modulePath}: ${ANCHORS.length} rule anchors + localized keys = ${anchors.length}`);

function report(name: string, lines: readonly string[]): void {
  let pass = 0;
  for (const l of lines) if (dfa!.test(l)) pass++;
  console.log(`${name.padEnd(24)} ${String(pass).padStart(6)} / ${String(lines.length).padStart(6)} lines pass (${((100 * pass) / Math.max(1, lines.length)).toFixed(2)} %)`);
}

const dir = realBaselineDir();
const all: string[] = [];
for (const f of readdirSync(dir).sort()) {
  if (!f.endsWith('.log')) continue;
  const lines = readFileSync(join(dir, f), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  all.push(...lines);
  report(f, lines);
}
report('loghub total', all);

const nearMiss = arg('--near-miss');
if (nearMiss !== undefined) {
  const mod = (await import(pathToFileURL(resolve(nearMiss)).href)) as { nearMissLines: (count: number, seed: number) => string[] };
  report('near-miss journal', mod.nearMissLines(100_000, 1));
}
