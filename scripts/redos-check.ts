/**
 * Runs recheck (https://makenowjust-labs.github.io/recheck/) over every built-in rule pattern and
 * keeps the verdicts in a committed cache, test/fixtures/redos-cache.json, so CI only re-checks
 * patterns that changed.
 *
 *   npx tsx scripts/redos-check.ts            check the patterns missing from the cache, write it
 *   npx tsx scripts/redos-check.ts --all      re-check every pattern
 *   npx tsx scripts/redos-check.ts --check    write nothing; exit 1 if the cache misses a pattern
 *
 * Why one regex at a time with the native backend: running recheck concurrently gave `unknown`s
 * and verdicts that changed from run to run when this gate was set up; the native agent is 4×
 * faster than the JS backends and gave the same verdicts.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_PATH = join(ROOT, 'test', 'fixtures', 'redos-cache.json');
/** Per-regex budget; recheck answers `unknown` (kind timeout) past it. */
export const RECHECK_TIMEOUT_MS = 10_000;

/** One cached verdict. `attack` is kept for vulnerable patterns so tests can replay it in V8. */
export interface CachedVerdict {
  readonly id: string;
  readonly source: string;
  readonly flags: string;
  readonly status: 'safe' | 'vulnerable' | 'unknown';
  /** e.g. `linear`, `constant`, `safe`, `polynomial 2`, `exponential`, or the error kind for `unknown`. */
  readonly complexity: string;
  readonly attack?: { readonly pumps: readonly { prefix: string; pump: string }[]; readonly suffix: string };
  readonly checkedAt?: string;
}

export interface VerdictCache {
  readonly recheckVersion: string;
  readonly entries: Record<string, CachedVerdict>;
}

const require = createRequire(import.meta.url);

export function recheckVersion(): string {
  return (require('recheck/package.json') as { version: string }).version;
}

/** Cache key: a pattern is re-checked when its source, its flags or the checker changes. */
export function cacheKey(source: string, flags: string, version: string): string {
  return createHash('sha256').update(`${source}\u0000${flags}\u0000${version}`).digest('hex').slice(0, 32);
}

export function readCache(): VerdictCache {
  try {
    return JSON.parse(readFileSync(CACHE_PATH, 'utf8')) as VerdictCache;
  } catch {
    return { recheckVersion: recheckVersion(), entries: {} };
  }
}

type Diagnostics = {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type: string; degree?: number };
  attack?: { pumps: { prefix: string; pump: string }[]; suffix: string };
  error?: { kind: string; message?: string };
};

/**
 * Checks one pattern with recheck's native agent. Callers must await each call before the next:
 * see the file comment.
 */
export async function recheckOne(id: string, source: string, flags: string): Promise<CachedVerdict> {
  process.env.RECHECK_BACKEND ??= 'native';
  const { check } = require('recheck') as { check(s: string, f: string, p?: object): Promise<Diagnostics> };
  const d = await check(source, flags, { timeout: RECHECK_TIMEOUT_MS });
  const complexity =
    d.status === 'unknown'
      ? `error: ${d.error?.kind ?? '?'}`
      : d.complexity?.type === 'polynomial'
        ? `polynomial ${d.complexity.degree ?? '?'}`
        : (d.complexity?.type ?? '?');
  return {
    id,
    source,
    flags,
    status: d.status,
    complexity,
    ...(d.status === 'vulnerable' && d.attack !== undefined
      ? { attack: { pumps: d.attack.pumps.map((p) => ({ prefix: p.prefix, pump: p.pump })), suffix: d.attack.suffix } }
      : {}),
    checkedAt: new Date().toISOString().slice(0, 10),
  };
}

async function main(): Promise<void> {
  const { RULES } = await import('../src/generated/rules.js');
  const all = process.argv.includes('--all');
  const checkOnly = process.argv.includes('--check');
  const version = recheckVersion();
  const old = readCache();
  const entries: Record<string, CachedVerdict> = {};
  let missing = 0;
  for (const rule of RULES) {
    const key = cacheKey(rule.source, rule.flags, version);
    const hit = old.entries[key];
    if (hit !== undefined && !all) {
      entries[key] = { ...hit, id: rule.id };
      continue;
    }
    missing++;
    if (checkOnly) {
      console.error(`redos-check: ${rule.id}: not in the cache`);
      continue;
    }
    const t0 = performance.now();
    const v = await recheckOne(rule.id, rule.source, rule.flags);
    console.log(`redos-check: ${rule.id}: ${v.status} (${v.complexity}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    entries[key] = v;
  }
  if (checkOnly) {
    if (missing > 0) process.exit(1);
    return;
  }
  // Sorted by rule id so diffs of the committed file are readable; stale keys are dropped.
  const sorted = Object.fromEntries(Object.entries(entries).sort((a, b) => (a[1].id < b[1].id ? -1 : a[1].id > b[1].id ? 1 : 0)));
  writeFileSync(CACHE_PATH, `${JSON.stringify({ recheckVersion: version, entries: sorted }, null, 1)}\n`);
  const counts = new Map<string, number>();
  for (const v of Object.values(sorted)) counts.set(`${v.status} ${v.complexity}`, (counts.get(`${v.status} ${v.complexity}`) ?? 0) + 1);
  console.log(`redos-check: ${RULES.length} patterns, ${missing} checked now; ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  // The native agent is a child process; without this the script waits on it.
  process.exit(0);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
