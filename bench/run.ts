/**
 * `npm run bench`: throughput, peak RSS and start-up of the built CLI, next to grep on the same
 * files in the same run (ratios are what to compare across machines, not absolute figures).
 *
 *   npm run bench                 sparse + dense logs (generated if missing: 300 MiB / 100 MiB)
 *   npm run bench -- --big        also 1 GiB sparse and 1 GiB dense inputs, for peak RSS
 *   npm run bench -- --runs 5     median of 5 runs (default 3)
 *
 * Needs `npx tsup` first (it runs dist/cli.cjs). bench/data is git-ignored.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeLog } from './write-log.js';
import * as generated from '../src/generated/rules.js';

const args = process.argv.slice(2);
const big = args.includes('--big');
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 3) : 3;
const DATA = 'bench/data';
const CLI = 'dist/cli.cjs';
const HOOK = 'bench/rss-hook.cjs';
const tmp = join(tmpdir(), `enospc-bench-${process.pid}`);
mkdirSync(tmp, { recursive: true });

if (!existsSync(CLI)) {
  console.error('bench: dist/cli.cjs is missing; run `npx tsup` first');
  process.exit(1);
}

/** The prefilter's anchors (what the CLI scans for), so grep searches for the same words. */
function anchors(): string[] {
  const g = generated as { ANCHORS?: readonly string[]; RULES: readonly { keywords: readonly string[] }[] };
  if (g.ANCHORS !== undefined) return [...g.ANCHORS];
  // Before ANCHORS existed the prefilter used each rule's longest keyword.
  const out = new Set<string>();
  for (const r of g.RULES) out.add(r.keywords.reduce((a, b) => (b.length > a.length ? b : a), r.keywords[0] ?? ''));
  return [...out].filter((k) => k !== '').sort();
}

async function generate(path: string, mib: number, problemEvery: number, seed: number): Promise<void> {
  await writeLog(path, mib, problemEvery, seed);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function countLines(path: string): number {
  const r = spawnSync('wc', ['-l', path], { encoding: 'utf8' });
  return Number(r.stdout.trim().split(/\s+/)[0]);
}

/** Wall time (ms) of one command; stdout to a file (grep stops early when it is /dev/null). Exit 1 is grep's "no match" and enospc's "no cause". */
function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv, out: string): number {
  const t0 = process.hrtime.bigint();
  const fd = out === '/dev/null' ? 'ignore' : (require_open(out) as number);
  const r = spawnSync(cmd, argv, { env, stdio: ['ignore', fd, 'inherit'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) console.error(`bench: ${cmd} ${argv.join(' ')} exited ${r.status}`);
  return ms;
}

import { openSync } from 'node:fs';
function require_open(path: string): number {
  return openSync(path, 'w');
}

function runCli(file: string): { ms: number; rssKiB: number } {
  const rssFile = join(tmp, 'rss');
  const ms = timed(process.execPath, ['--require', `./${HOOK}`, CLI, file], { ...process.env, ENOSPC_BENCH_RSS: rssFile, NO_COLOR: '1' }, '/dev/null');
  const rssKiB = Number(readFileSync(rssFile, 'utf8'));
  rmSync(rssFile, { force: true });
  return { ms, rssKiB };
}

/** The same through a pipe (`cat FILE | enospc`), stdin's path: peek, then the worker fed by the main thread. */
function runCliStdin(file: string, extra: string[] = []): { ms: number; rssKiB: number } {
  const rssFile = join(tmp, 'rss');
  const script = 'f=$1; shift; cat "$f" | "$@"';
  const argv = ['-c', script, 'sh', file, process.execPath, '--require', `./${HOOK}`, CLI, ...extra];
  const ms = timed('sh', argv, { ...process.env, ENOSPC_BENCH_RSS: rssFile, NO_COLOR: '1' }, '/dev/null');
  const rssKiB = Number(readFileSync(rssFile, 'utf8'));
  rmSync(rssFile, { force: true });
  return { ms, rssKiB };
}

function ere(words: readonly string[]): string {
  return words.map((w) => w.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')).join('|');
}

const fmt = (n: number, d = 0): string => n.toFixed(d);

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const sparse = join(DATA, 'sparse.log');
  const dense = join(DATA, 'dense.log');
  if (!existsSync(sparse)) await generate(sparse, 300, 10_000, 1);
  if (!existsSync(dense)) await generate(dense, 100, 1, 2);
  const files = [sparse, dense];
  if (big) {
    const bigSparse = join(DATA, 'big-sparse.log');
    const bigDense = join(DATA, 'big-dense.log');
    if (!existsSync(bigSparse)) await generate(bigSparse, 1024, 10_000, 3);
    if (!existsSync(bigDense)) await generate(bigDense, 1024, 1, 4);
    files.push(bigSparse, bigDense);
  }
  const words = anchors();
  const pattern = ere(words);
  console.log(`node ${process.version}, ${RUNS} run(s) per figure (median), MB = 10^6 bytes`);
  console.log(`prefilter anchors (${words.length}), also grep's alternation: ${words.join(' | ')}`);
  console.log('');
  const results: { file: string; size: number; ms: number; rssMB: number; ratio: number }[] = [];
  console.log('file                      size MB     lines   enospc ms   MB/s   Mlines/s  peak RSS MB   grep ms  grep hits   ratio');
  for (const file of files) {
    const size = statSync(file).size;
    const lines = countLines(file);
    const cli: number[] = [];
    const rss: number[] = [];
    const grep: number[] = [];
    const grepOut = join(tmp, 'grep.out');
    for (let i = 0; i < RUNS; i++) {
      const c = runCli(file);
      cli.push(c.ms);
      rss.push(c.rssKiB);
      grep.push(timed('grep', ['-c', '-i', '-E', pattern, file], { ...process.env, LC_ALL: 'C' }, grepOut));
    }
    const hits = readFileSync(grepOut, 'utf8').trim();
    const ms = median(cli);
    const gms = median(grep);
    results.push({ file, size, ms, rssMB: Math.max(...rss) / 1024, ratio: ms / gms });
    console.log(
      [
        file.padEnd(24),
        fmt(size / 1e6, 1).padStart(9),
        String(lines).padStart(9),
        fmt(ms).padStart(11),
        fmt(size / 1e6 / (ms / 1000)).padStart(6),
        fmt(lines / 1e6 / (ms / 1000), 2).padStart(10),
        fmt(Math.max(...rss) / 1024, 1).padStart(12),
        fmt(gms).padStart(9),
        hits.padStart(10),
        `${fmt(ms / gms, 2)}x`.padStart(7),
      ].join(' '),
    );
  }
  // stdin: the dense inputs (the most allocation) through a pipe, one run each.
  // With --ndjson every record of a dense log is also a line of output.
  const piped: { file: string; mode: string; ms: number; rssMB: number }[] = [];
  console.log('');
  console.log('through a pipe (cat FILE | enospc [--ndjson]), 1 run each:');
  for (const file of files.filter((f) => /dense\.log$/.test(f))) {
    for (const mode of ['report', '--ndjson']) {
      const c = runCliStdin(file, mode === 'report' ? [] : [mode]);
      const size = statSync(file).size;
      piped.push({ file, mode, ms: c.ms, rssMB: c.rssKiB / 1024 });
      console.log(`  ${file.padEnd(24)} ${mode.padEnd(8)} ${fmt(c.ms).padStart(8)} ms ${fmt(size / 1e6 / (c.ms / 1000)).padStart(5)} MB/s  peak RSS ${fmt(c.rssKiB / 1024, 1)} MB`);
    }
  }
  // Start-up: a one-line input against an empty node process.
  const one = join(tmp, 'one.log');
  writeFileSync(one, 'Mar 04 10:30:58 node-a kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode.\n');
  const N = 10;
  const cliStart: number[] = [];
  const nodeStart: number[] = [];
  for (let i = 0; i < N; i++) {
    nodeStart.push(timed(process.execPath, ['-e', '0'], process.env, '/dev/null'));
    cliStart.push(timed(process.execPath, [CLI, one], { ...process.env, NO_COLOR: '1' }, '/dev/null'));
  }
  const cs = median(cliStart);
  const ns = median(nodeStart);
  console.log('');
  console.log(`start-up (median of ${N}): enospc one-line ${fmt(cs, 1)} ms, node -e 0 ${fmt(ns, 1)} ms, ratio ${fmt(cs / ns, 2)}x`);
  // The targets of issue #4, checked on this run's figures.
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const of = (name: string) => results.filter((r) => r.file.endsWith(`/${name}.log`));
  console.log('');
  for (const r of of('sparse')) console.log(`target sparse <= 1.5x grep: ${fmt(r.ratio, 2)}x ${verdict(r.ratio <= 1.5)}`);
  for (const r of of('dense')) {
    const mbs = r.size / 1e6 / (r.ms / 1000);
    console.log(`target dense >= 100 MB/s: ${fmt(mbs)} MB/s ${verdict(mbs >= 100)}`);
  }
  for (const r of [...of('big-sparse'), ...of('big-dense')]) {
    console.log(`target peak RSS <= 100 MB on ${r.file}: ${fmt(r.rssMB, 1)} MB ${verdict(r.rssMB <= 100)}`);
  }
  for (const r of piped.filter((p) => p.file.endsWith('/big-dense.log'))) {
    console.log(`target peak RSS <= 100 MB on ${r.file} through a pipe (${r.mode}): ${fmt(r.rssMB, 1)} MB ${verdict(r.rssMB <= 100)}`);
  }
  console.log(`target start-up <= 1.5x node -e 0: ${fmt(cs / ns, 2)}x ${verdict(cs / ns <= 1.5)}`);
  if (!big) console.log('peak RSS on 1 GiB inputs: npm run bench -- --big');
  rmSync(tmp, { recursive: true, force: true });
}

await main();
