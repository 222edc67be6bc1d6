/** Timing helpers for the adversarial suite: medians of a few runs, bounds stated as ratios. */
import { classify } from '../../src/index.js';

/** Median wall time of `runs` calls, in ms (performance.now). One warm-up call first. */
function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

export function medianMs(fn: () => unknown, runs = 3): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

/** `s` repeated and cut to exactly `n` characters. */
export function fit(s: string, n: number): string {
  return s.repeat(Math.ceil(n / s.length)).slice(0, n);
}

export const BENIGN = 'the quick brown fox jumps over the lazy dog while the node reports all good, ';
/** A real line that the engine matches (inotify watch exhaustion, from the seed). */
export const KW_LINE =
  'E0718 15:20:58.280275 11519 raw.go:140] Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable: no space left on device';

/**
 * Times classify on an adversarial input and on a same-length reference input, and returns the
 * ratio, printing both so the numbers are visible in the test log.
 */
export function ratioToReference(name: string, adversarial: string, reference: string, runs = 3): number {
  // Interleaved, so a burst of load from other test files slows both alike.
  classify(adversarial);
  classify(reference);
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    classify(adversarial);
    as.push(performance.now() - t0);
    t0 = performance.now();
    classify(reference);
    bs.push(performance.now() - t0);
  }
  const a = median(as);
  const b = median(bs);
  const r = a / Math.max(b, 0.05);
  console.log(`adversarial ${name}: ${adversarial.length} chars, ${a.toFixed(1)} ms vs reference ${b.toFixed(1)} ms → ${r.toFixed(2)}×`);
  return r;
}

/** Fastest of `runs` calls after one warm-up, in ms. */
export function minMs(fn: () => unknown, runs = 5): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * Time at 4n over time at n for an input built by `make(n)`: about 4 when linear, 16 when
 * quadratic. Uses the fastest of `runs` runs at each size, not the median: V8 sometimes switches a
 * framer function between optimised and unoptimised code from one call to the next (see the known
 * issue in adversarial.test.ts), and GC pauses only ever add time; the algorithmic growth is in
 * the fastest runs.
 */
export function growth(name: string, make: (n: number) => string, n: number, runs = 7): number {
  const small = make(n);
  const large = make(4 * n);
  // Interleaved, best of each: a burst of load from other test files then slows both sizes
  // alike instead of only the ones timed during it (measured 3.9x alone, 7.9x once in the full suite).
  classify(small);
  classify(large);
  let a = Infinity;
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    classify(small);
    a = Math.min(a, performance.now() - t0);
    t0 = performance.now();
    classify(large);
    b = Math.min(b, performance.now() - t0);
  }
  const g = b / Math.max(a, 0.05);
  console.log(`growth ${name}: ${small.length} → ${large.length} chars, ${a.toFixed(1)} → ${b.toFixed(1)} ms → ${g.toFixed(2)}×`);
  return g;
}
