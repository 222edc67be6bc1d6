/**
 * `npm run bench`: throughput, peak RSS and start-up of the built CLI, next to `grep`, ripgrep (when
 * installed) and a naive Node loop on the same files in the same run (ratios are what to compare
 * across machines, not absolute figures). The baselines search for the twelve keywords a user would
 * grep for (issue 13), not the product's anchors.
 *
 *   npm run bench                 bench's sparse log, the near-miss journal, dense logs (generated if missing)
 *   npm run bench -- --big        also 1 GiB sparse and 1 GiB dense inputs, for peak RSS
 *   npm run bench -- --runs 5     median of 5 runs (default 3)
 *
 * Needs `npm run build` first (it runs dist/cli.cjs and imports dist/index.js). bench/data is git-ignored.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { writeLog, type LogKind } from './write-log.js';
import { nearMissLines } from './near-miss.js';
import { healthyLine, prng } from './lines.js';
import { ANCHORS } from '../src/generated/rules.js';

const args = process.argv.slice(2);
const big = args.includes('--big');
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 3) : 3;
const DATA = 'bench/data';
const CLI = 'dist/cli.cjs';
const LIB = 'dist/index.js';
const HOOK = 'bench/rss-hook.cjs';
const TIME = '/usr/bin/time';
const tmp = join(tmpdir(), `enospc-bench-${process.pid}`);
mkdirSync(tmp, { recursive: true });

if (!existsSync(CLI) || !existsSync(LIB)) {
  console.error('bench: dist/cli.cjs or dist/index.js is missing; run `npm run build` first');
  process.exit(1);
}

/** The symptom keywords a user greps a node's journal for (issue 13): every baseline's pattern. */
export const USER_KEYWORDS = [
  'no space left on device',
  'too many open files',
  'quota exceeded',
  'file watchers',
  'inotify',
  'Thin Pool',
  'DiskPressure',
  'low on resource',
  'ENOSPC',
  'errno=28',
  'Attempting to reclaim',
  'garbage collect',
] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function countLines(path: string): number {
  const r = spawnSync('wc', ['-l', path], { encoding: 'utf8' });
  return Number(r.stdout.trim().split(/\s+/)[0]);
}

/**
 * Wall time (ms) of one command, stdout to `out` (grep stops early when it is /dev/null). Exit 1 is
 * grep's "no match" and enospc's "no cause".
 */
function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv, out: string): number {
  const fd = out === '/dev/null' ? 'ignore' : openSync(out, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, stdio: ['ignore', fd, 'inherit'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (typeof fd === 'number') closeSync(fd);
  if (r.status !== 0 && r.status !== 1) console.error(`bench: ${cmd} ${argv.join(' ')} exited ${r.status}`);
  return ms;
}

/** A Node process with the RSS hook preloaded: wall time and peak RSS (KiB). */
function timedNode(argv: string[], out = '/dev/null'): { ms: number; rssKiB: number } {
  const rssFile = join(tmp, 'rss');
  const ms = timed(process.execPath, ['--require', `./${HOOK}`, ...argv], { ...process.env, ENOSPC_BENCH_RSS: rssFile, NO_COLOR: '1' }, out);
  const rssKiB = Number(readFileSync(rssFile, 'utf8'));
  rmSync(rssFile, { force: true });
  return { ms, rssKiB };
}

/** A native command: wall time, and peak RSS (KiB) from /usr/bin/time when it exists (its fork adds ~1 ms). */
function timedNative(cmd: string, argv: string[], env: NodeJS.ProcessEnv, out: string): { ms: number; rssKiB: number } {
  if (!existsSync(TIME)) return { ms: timed(cmd, argv, env, out), rssKiB: Number.NaN };
  const rssFile = join(tmp, 'time');
  const ms = timed(TIME, ['-f', '%M', '-o', rssFile, cmd, ...argv], env, out);
  const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
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

function hasRipgrep(): boolean {
  return spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The naive loop users would write: the file line by line (readline), one case-insensitive regex per line. */
const NAIVE = `'use strict';
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
const re = new RegExp(process.argv[3], 'i');
let n = 0;
const lines = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
lines.on('line', (l) => { if (re.test(l)) n++; });
lines.on('close', () => { process.stdout.write(n + '\\n'); });
`;

/**
 * `count` valid custom rules (the shape docs/rules.md asks of a custom rule), each its own keyword
 * and pattern, written to a fresh directory for `--rules`.
 */
function customRules(count: number): string {
  const dir = join(tmp, `rules-${count}`);
  mkdirSync(dir, { recursive: true });
  const rand = prng(count);
  for (let i = 0; i < count; i++) {
    const word = `benchwidget${i}x${Math.floor(rand() * 1e6).toString(36)}`;
    writeFileSync(
      join(dir, `bench-custom-${i}.yaml`),
      [
        `id: bench-custom-${i}`,
        'cause: inotify-watch-exhaustion',
        'effect: supports',
        'strength: strong',
        'status: experimental',
        `keywords: [${word} watch limit]`,
        `pattern: '${word} \\s watch \\s limit \\s reached \\s \\(\\d+\\)'`,
        'description: Generated by bench/run.ts to time loading custom rules.',
        'provenance: Generated by bench/run.ts; matches no real program output.',
        'examples:',
        '  match:',
        `    - '${word} watch limit reached (8192)'`,
        '  noMatch:',
        `    - '${word} watch limit ok'`,
        '',
      ].join('\n'),
    );
  }
  return dir;
}

const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '-');

interface Input {
  readonly name: string;
  readonly file: string;
  readonly mib: number;
  readonly problemEvery: number;
  readonly seed: number;
  readonly kind: LogKind;
}

/** ns per line of `fn` over `lines` (median of RUNS passes after one warm-up pass). */
function nsPerLine(lines: readonly string[], fn: (l: string) => unknown): number {
  let sink = 0;
  const pass = (): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < lines.length; i++) if (fn(lines[i]!)) sink++;
    return Number(process.hrtime.bigint() - t0) / lines.length;
  };
  pass();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) out.push(pass());
  if (sink < 0) console.log(sink);
  return median(out);
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const inputs: Input[] = [
    { name: 'sparse', file: join(DATA, 'sparse.log'), mib: 300, problemEvery: 10_000, seed: 1, kind: 'bench' },
    { name: 'near-miss', file: join(DATA, 'near-miss.log'), mib: 300, problemEvery: 10_000, seed: 5, kind: 'near-miss' },
    { name: 'dense', file: join(DATA, 'dense.log'), mib: 100, problemEvery: 1, seed: 2, kind: 'bench' },
    // Under the CLI's 64 MiB worker threshold: runs inline, on the main thread's heap.
    { name: 'small-dense', file: join(DATA, 'small-dense.log'), mib: 32, problemEvery: 1, seed: 6, kind: 'bench' },
  ];
  if (big) {
    inputs.push(
      { name: 'big-sparse', file: join(DATA, 'big-sparse.log'), mib: 1024, problemEvery: 10_000, seed: 3, kind: 'bench' },
      { name: 'big-near-miss', file: join(DATA, 'big-near-miss.log'), mib: 1024, problemEvery: 10_000, seed: 7, kind: 'near-miss' },
      { name: 'big-dense', file: join(DATA, 'big-dense.log'), mib: 1024, problemEvery: 1, seed: 4, kind: 'bench' },
    );
  }
  for (const i of inputs) if (!existsSync(i.file)) await writeLog(i.file, i.mib, i.problemEvery, i.seed, i.kind);
  const pattern = ere(USER_KEYWORDS);
  const rg = hasRipgrep();
  const naive = join(tmp, 'naive.cjs');
  writeFileSync(naive, NAIVE);
  console.log(`node ${process.version}, ${RUNS} run(s) per figure (median), MB = 10^6 bytes, RSS = peak`);
  console.log(`baselines' pattern (the issue's ${USER_KEYWORDS.length} keywords): ${pattern}`);
  console.log(`  grep: LC_ALL=C grep -c -i -E; rg: ${rg ? 'rg -c -i' : 'not installed'}; naive: node, readline, one /…/i test per line`);
  console.log(`enospc prefilter anchors: ${ANCHORS.length}`);
  console.log('');
  interface Row {
    readonly input: Input;
    readonly size: number;
    readonly ms: number;
    readonly rssMB: number;
    readonly grep: number;
    readonly rg: number;
    readonly naive: number;
  }
  const results: Row[] = [];
  console.log(
    'input           size MB     lines  enospc ms  MB/s  RSS MB |  grep ms   hits RSS MB |   rg ms RSS MB |  naive ms RSS MB | x grep   x rg x naive',
  );
  for (const input of inputs) {
    const file = input.file;
    const size = statSync(file).size;
    const lines = countLines(file);
    const cli: number[] = [];
    const rss: number[] = [];
    const grep: number[] = [];
    const grepRss: number[] = [];
    const rgT: number[] = [];
    const rgRss: number[] = [];
    const nv: number[] = [];
    const nvRss: number[] = [];
    const grepOut = join(tmp, 'grep.out');
    for (let i = 0; i < RUNS; i++) {
      const c = timedNode([CLI, file]);
      cli.push(c.ms);
      rss.push(c.rssKiB);
      const g = timedNative('grep', ['-c', '-i', '-E', pattern, file], { ...process.env, LC_ALL: 'C' }, grepOut);
      grep.push(g.ms);
      grepRss.push(g.rssKiB);
      if (rg) {
        const r = timedNative('rg', ['-c', '-i', pattern, file], process.env, join(tmp, 'rg.out'));
        rgT.push(r.ms);
        rgRss.push(r.rssKiB);
      }
      const n = timedNode([naive, file, pattern], join(tmp, 'naive.out'));
      nv.push(n.ms);
      nvRss.push(n.rssKiB);
    }
    const hits = readFileSync(grepOut, 'utf8').trim();
    const naiveHits = readFileSync(join(tmp, 'naive.out'), 'utf8').trim();
    const rgHits = rg ? readFileSync(join(tmp, 'rg.out'), 'utf8').trim() || '0' : hits;
    if (naiveHits !== hits || rgHits !== hits) console.error(`bench: hit counts differ on ${file}: grep ${hits}, rg ${rgHits}, naive ${naiveHits}`);
    const row: Row = { input, size, ms: median(cli), rssMB: Math.max(...rss) / 1024, grep: median(grep), rg: rg ? median(rgT) : Number.NaN, naive: median(nv) };
    results.push(row);
    const mb = (k: number[]): string => fmt(Math.max(...k) / 1024, 1).padStart(6);
    console.log(
      [
        input.name.padEnd(13),
        fmt(size / 1e6, 1).padStart(9),
        String(lines).padStart(9),
        fmt(row.ms).padStart(10),
        fmt(size / 1e6 / (row.ms / 1000)).padStart(5),
        fmt(row.rssMB, 1).padStart(7),
        '|',
        fmt(row.grep).padStart(8),
        hits.padStart(6),
        mb(grepRss),
        '|',
        fmt(row.rg).padStart(7),
        rg ? mb(rgRss) : '     -',
        '|',
        fmt(row.naive).padStart(9),
        mb(nvRss),
        '|',
        `${fmt(row.ms / row.grep, 2)}x`.padStart(6),
        `${fmt(row.ms / row.rg, 2)}x`.padStart(6),
        `${fmt(row.ms / row.naive, 2)}x`.padStart(7),
      ].join(' '),
    );
  }
  // stdin: the dense inputs (the most allocation) through a pipe, one run each.
  // With --ndjson every record of a dense log is also a line of output.
  const piped: { input: Input; mode: string; ms: number; rssMB: number }[] = [];
  console.log('');
  console.log('through a pipe (cat FILE | enospc [--ndjson]), 1 run each:');
  for (const input of inputs.filter((i) => /dense$/.test(i.name))) {
    for (const mode of ['report', '--ndjson']) {
      const c = runCliStdin(input.file, mode === 'report' ? [] : [mode]);
      const size = statSync(input.file).size;
      piped.push({ input, mode, ms: c.ms, rssMB: c.rssKiB / 1024 });
      console.log(`  ${input.name.padEnd(13)} ${mode.padEnd(8)} ${fmt(c.ms).padStart(8)} ms ${fmt(size / 1e6 / (c.ms / 1000)).padStart(5)} MB/s  peak RSS ${fmt(c.rssKiB / 1024, 1)} MB`);
    }
  }
  // matchLine on healthy lines (what a per-record pipeline pays for lines that are not ENOSPC),
  // against the naive per-line regex of the same twelve keywords.
  const lib = (await import(pathToFileURL(resolve(LIB)).href)) as { matchLine: (line: string) => unknown };
  const userRe = new RegExp(pattern, 'i');
  const rand = prng(11);
  const healthySets: [string, string[]][] = [
    ['near-miss', nearMissLines(100_000, 12, 0)],
    ['sparse', Array.from({ length: 100_000 }, (_, i) => healthyLine(rand, i * 0.02))],
  ];
  const perLine: { name: string; ml: number; re: number }[] = [];
  console.log('');
  console.log(`matchLine on 100,000 healthy lines (median of ${RUNS} passes after a warm-up), ns/line:`);
  for (const [name, lines] of healthySets) {
    const ml = nsPerLine(lines, (l) => lib.matchLine(l) !== null);
    const re = nsPerLine(lines, (l) => userRe.test(l));
    perLine.push({ name, ml, re });
    console.log(`  ${name.padEnd(10)} matchLine ${fmt(ml, 1).padStart(7)}  naive regex ${fmt(re, 1).padStart(7)}  ratio ${fmt(ml / re, 2)}x`);
  }
  // Start-up: a one-line input against an empty node process, then with --rules of 1 and 1000 rules.
  const one = join(tmp, 'one.log');
  writeFileSync(one, 'Mar 04 10:30:58 node-a kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode.\n');
  const rules1 = customRules(1);
  const rules1000 = customRules(1000);
  const N = 10;
  const starts: Record<'node' | 'cli' | 'rules1' | 'rules1000', { ms: number[]; rss: number[] }> = {
    node: { ms: [], rss: [] },
    cli: { ms: [], rss: [] },
    rules1: { ms: [], rss: [] },
    rules1000: { ms: [], rss: [] },
  };
  const add = (k: keyof typeof starts, r: { ms: number; rssKiB: number }): void => {
    starts[k].ms.push(r.ms);
    starts[k].rss.push(r.rssKiB);
  };
  for (let i = 0; i < N; i++) {
    add('node', timedNode(['-e', '0']));
    add('cli', timedNode([CLI, one]));
    add('rules1', timedNode([CLI, '--rules', rules1, one]));
    if (i < 3) add('rules1000', timedNode([CLI, '--rules', rules1000, one]));
  }
  const st = (k: keyof typeof starts): { ms: number; rssMB: number } => ({ ms: median(starts[k].ms), rssMB: Math.max(...starts[k].rss) / 1024 });
  const ns = st('node');
  console.log('');
  console.log(`start-up on a one-line input (median of ${N}; 1000 rules: of 3), all with the RSS hook preloaded:`);
  for (const [k, label] of [
    ['node', 'node -e 0'],
    ['cli', 'enospc FILE'],
    ['rules1', 'enospc --rules DIR (1 rule)'],
    ['rules1000', 'enospc --rules DIR (1000 rules)'],
  ] as const) {
    const r = st(k);
    console.log(`  ${label.padEnd(32)} ${fmt(r.ms, 1).padStart(8)} ms  ${fmt(r.ms / ns.ms, 2).padStart(6)}x  peak RSS ${fmt(r.rssMB, 1)} MB`);
  }
  // The targets of issue 13, checked on this run's figures.
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const row = (name: string): Row[] => results.filter((r) => r.input.name === name);
  console.log('');
  for (const r of row('near-miss')) console.log(`target near-miss sparse <= 1.2x grep (goal 1.0x): ${fmt(r.ms / r.grep, 2)}x ${verdict(r.ms / r.grep <= 1.2)}`);
  for (const r of row('sparse')) console.log(`target bench sparse <= 1.0x grep: ${fmt(r.ms / r.grep, 2)}x ${verdict(r.ms / r.grep <= 1.0)}`);
  for (const r of [...row('dense'), ...row('small-dense'), ...row('big-dense')]) {
    const mbs = r.size / 1e6 / (r.ms / 1000);
    console.log(`target ${r.input.name} >= 60 MB/s (goal 100): ${fmt(mbs)} MB/s ${verdict(mbs >= 60)}`);
  }
  const rssCases: [string, number][] = [
    ...results.map((r): [string, number] => [r.input.name, r.rssMB]),
    ...piped.map((p): [string, number] => [`${p.input.name} piped ${p.mode}`, p.rssMB]),
    ['1000 custom rules', st('rules1000').rssMB],
  ];
  const worst = rssCases.reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`target peak RSS <= 100 MB on every case: worst ${fmt(worst[1], 1)} MB (${worst[0]}) ${verdict(worst[1] <= 100)}`);
  console.log(`target start-up <= 1.4x node -e 0: ${fmt(st('cli').ms / ns.ms, 2)}x ${verdict(st('cli').ms / ns.ms <= 1.4)}`);
  console.log(`target start-up with --rules (1 rule) <= 2.5x node -e 0: ${fmt(st('rules1').ms / ns.ms, 2)}x ${verdict(st('rules1').ms / ns.ms <= 2.5)}`);
  for (const p of perLine) console.log(`target matchLine <= 1.0x naive regex (${p.name} healthy lines): ${fmt(p.ml / p.re, 2)}x ${verdict(p.ml / p.re <= 1.0)}`);
  if (!big) console.log('peak RSS on 1 GiB inputs: npm run bench -- --big');
  rmSync(tmp, { recursive: true, force: true });
}

await main();
