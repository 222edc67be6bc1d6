/**
 * Bounded time on hostile input. Every bound is a RATIO to a reference input of the same length
 * (benign text, or benign text carrying one real matching line so the reference also reaches the
 * matcher), or a growth ratio (time at 4n / time at n: ≈4 when linear, ≈16 when quadratic), never
 * an absolute time: the machine may be busy. Medians of 3 runs; bounds have about 2× headroom over
 * what was measured on a 2-core machine.
 */
import { describe, expect, it } from 'vitest';
import { classify, createClassifier, matchLine } from '../../src/index.js';
import { RULES } from '../../src/generated/rules.js';
import { attackString } from '../../src/rules/redos.js';
import { readCache } from '../../scripts/redos-check.js';
import { BENIGN, KW_LINE, fit, growth, medianMs, minMs, ratioToReference } from './support.js';

const MB = 1_000_000;

describe('adversarial: record cap and counts', () => {
  it('a record longer than recordLimit is matched on its first part, counted, and reported as truncated', () => {
    const line = `${KW_LINE} ${fit(BENIGN, 100_000)}`;
    const d = classify(`${line}\nshort line\n${fit(BENIGN, 20_000)}\n`);
    expect(d.cause).toBe('inotify-watch-exhaustion');
    // Lines without any rule keyword are rejected by the prefilter before framing: they count as
    // lines, not as records, and are never truncated (the third line is long but keyword-free).
    expect(d.stats).toMatchObject({ lines: 3, candidates: 1, truncated: 1, matched: 1, recordLimit: 16_384 });
    expect(d.stats.records).toBeGreaterThanOrEqual(d.stats.candidates);
    expect(d.evidence[0]!.raw.length).toBe(16_384 + 1); // the cap plus the ellipsis
    const late = classify(`${fit(BENIGN, 20_000)} ${KW_LINE}\n`);
    expect(late.cause).toBeNull();
    expect(late.stats).toMatchObject({ records: 1, candidates: 1, truncated: 1, matched: 0 });
    const wider = classify(`${fit(BENIGN, 20_000)} ${KW_LINE}\n`, { recordLimit: 32_768 });
    expect(wider.cause).toBe('inotify-watch-exhaustion');
    expect(wider.stats).toMatchObject({ truncated: 0, recordLimit: 32_768 });
  });

  it('matchLine caps too', () => {
    expect(matchLine(`${KW_LINE} ${fit(BENIGN, 1 * MB)}`)?.cause).toBe('inotify-watch-exhaustion');
    expect(matchLine(`${fit(BENIGN, 1 * MB)} ${KW_LINE}`)).toBeNull();
  });
});

describe('adversarial: time bounds', () => {
  it('a 100 MB single line of benign text with keyword fragments: ≤ 10× the same length of benign text', () => {
    const frag = 'the no space left on inotify dog; cgroup mkdir write open mount quota device full watch ';
    const adversarial = `${KW_LINE} ${fit(frag, 100 * MB)}`;
    const reference = fit(BENIGN, adversarial.length);
    expect(ratioToReference('100 MB line', adversarial, reference, 3)).toBeLessThan(10);
    const d = classify(adversarial);
    expect(d.cause).toBe('inotify-watch-exhaustion');
    expect(d.stats).toMatchObject({ lines: 1, records: 1, truncated: 1, bytes: adversarial.length });
  }, 120_000);

  it('the 100 MB line streamed in 64 KiB chunks: ≤ 3× classify on the whole string, same result', () => {
    const adversarial = `${KW_LINE} ${fit('no space left on inotify cgroup ', 100 * MB)}`;
    let streamed: ReturnType<typeof classify> | undefined;
    // Fastest of 2 (after a warm-up): each run handles 100 MB, so medians of more runs cost too much.
    const t = minMs(() => {
      const c = createClassifier();
      for (let i = 0; i < adversarial.length; i += 65_536) c.write(adversarial.slice(i, i + 65_536));
      streamed = c.end();
    }, 2);
    const whole = minMs(() => classify(adversarial), 2);
    console.log(`adversarial 100 MB streamed: ${t.toFixed(0)} ms vs whole ${whole.toFixed(0)} ms → ${(t / whole).toFixed(2)}×`);
    expect(t / whole).toBeLessThan(3);
    expect(streamed).toEqual(classify(adversarial));
  }, 120_000);

  const QUOTED: [string, (n: number) => string][] = [
    ['10^6 \\" runs before the keyword line', (n) => fit('\\"', n) + KW_LINE],
    ['10^6 \\" runs after the keyword line', (n) => KW_LINE + fit('\\"', n)],
    ['10^6 \\\\\\" runs around the keyword', (n) => fit('\\\\\\"', n / 2) + KW_LINE + fit('\\\\\\"', n / 2)],
    ['JSON string of \\" runs', (n) => `{"log":"${fit('\\"', n)}${KW_LINE}"}`],
    ['logrus msg of \\\\\\" runs', (n) => `time="2024-01-01T00:00:00Z" level=error msg="${fit('\\\\\\"', n)}${KW_LINE}"`],
    ['klog with nested quoting', (n) => `E0718 15:20:58.280275 11519 raw.go:140] ${fit('"Failed to \\"watch\\" \\\\\\"', n)}${KW_LINE}`],
  ];
  it.each(QUOTED)('%s: ≤ 20× benign text + the same line, growth 4n/n ≤ 10', (name, make) => {
    const adversarial = make(1 * MB);
    expect(ratioToReference(name, adversarial, fit(BENIGN, adversarial.length - KW_LINE.length) + KW_LINE)).toBeLessThan(20);
    expect(growth(name, make, 500_000)).toBeLessThan(10);
  });

  const NESTED: [string, (n: number) => string][] = [
    ['10^5 levels of [', (n) => `${'['.repeat(n)}"${KW_LINE}"${']'.repeat(n)}`],
    ['10^5 levels of {"a":', (n) => `${'{"a":'.repeat(n)}"${KW_LINE}"${'}'.repeat(n)}`],
    ['10^5 unclosed levels of {"message":', (n) => `${'{"message":'.repeat(n)}"${KW_LINE}"`],
    ['10^5 levels of kubectl-shaped JSON', (n) => `{"kind":"EventList","items":[${'{"items":['.repeat(n)}{"kind":"Event","reason":"FailedMount","message":"${KW_LINE}"}${']}'.repeat(n)}]}`],
  ];
  it.each(NESTED)('%s: ≤ 20× benign text + the same line, growth 4n/n ≤ 10', (name, make) => {
    const adversarial = make(100_000);
    expect(ratioToReference(name, adversarial, fit(BENIGN, adversarial.length - KW_LINE.length) + KW_LINE)).toBeLessThan(20);
    expect(growth(name, make, 50_000)).toBeLessThan(10);
  });

  it("near-misses of every rule: its keywords repeated thousands of times on one line, no errno: each ≤ 100× a real matching line of the same length", () => {
    // The reference reaches the matcher too (a real inotify line padded with benign text). A
    // near-miss costs each candidate rule's regex its bounded gap per start position, on at most
    // recordLimit characters: a constant per record, however long the line.
    const worst: [string, number][] = [];
    for (const r of RULES) {
      const unit = `${r.keywords.join(' ').replace(/no space left on device|enospc|errno/g, 'xx')} /x `;
      const line = fit(unit, 64_000);
      const ref = KW_LINE + fit(BENIGN, line.length - KW_LINE.length);
      const a = medianMs(() => classify(line), 3);
      const b = medianMs(() => classify(ref), 3);
      worst.push([r.id, a / Math.max(b, 0.05)]);
    }
    worst.sort((x, y) => y[1] - x[1]);
    console.log(`near-miss keyword lines: worst ratios ${worst.slice(0, 5).map(([id, r]) => `${id} ${r.toFixed(1)}×`).join(', ')}`);
    expect(worst[0]![1]).toBeLessThan(100);
  });

  it("recheck's attack strings, as log lines: each ≤ 200× a real matching line of the same length; 4× the length (256 KB → 1 MB) costs ≤ 8×", { timeout: 120_000 }, () => {
    const cache = readCache();
    const byId = new Map(Object.values(cache.entries).map((v) => [v.id, v]));
    const rows: [string, number, number][] = [];
    for (const r of RULES) {
      const v = byId.get(r.id);
      if (v?.attack === undefined) continue;
      const pumpLen = v.attack.pumps.reduce((a, p) => a + p.pump.length, 0);
      const make = (len: number): string => attackString(v.attack!, Math.ceil(len / pumpLen)).replace(/[\n\r]/g, ' ');
      const line = make(64_000);
      const ref = KW_LINE + fit(BENIGN, line.length - KW_LINE.length);
      const a = medianMs(() => classify(line), 3);
      const b = medianMs(() => classify(ref), 3);
      // Matching is capped at recordLimit, but the framer still reads and normalises the whole
      // record, so cost stays linear in the line's length: 16× the length, about 16× the time.
      // Interleaved, best of 5 at each size (the method of growth() in support.ts), from 256 KB:
      // a 64 KB line is classified in 1-5 ms depending on the JIT and stays in the young
      // generation, so 64 KB → 1 MB made a different bounded-gap rule miss 2× slack on each run on
      // this 2-core VM (63× measured on the 0.1 code too). The slack over linear is still 2×.
      const midLine = make(256_000);
      const bigLine = make(1_024_000);
      let big = Infinity;
      let small = Infinity;
      for (let k = 0; k < 5; k++) {
        let t0 = performance.now();
        classify(midLine);
        small = Math.min(small, performance.now() - t0);
        t0 = performance.now();
        classify(bigLine);
        big = Math.min(big, performance.now() - t0);
      }
      rows.push([r.id, a / Math.max(b, 0.05), big / Math.max(small, 0.05)]);
    }
    rows.sort((x, y) => y[1] - x[1]);
    console.log(`attack lines: worst ratios ${rows.slice(0, 5).map(([id, r, g]) => `${id} ${r.toFixed(1)}× (1 MB/256 KB ${g.toFixed(1)}×)`).join(', ')}`);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]![1]).toBeLessThan(200);
    for (const [id, , g] of rows) expect(g, id).toBeLessThan(8); // linear: ≈4
  });

  const bomb = (levels: number, width = 10): string => {
    let y = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Event\n  reason: FailedMount\n  type: Warning\n  message: &a "${KW_LINE.replace(/"/g, '\\"')}"\n`;
    let prev = 'a';
    for (let i = 0; i < levels; i++) {
      y += `  l${i}: &l${i} [${Array(width).fill(`*${prev}`).join(', ')}]\n`;
      prev = `l${i}`;
    }
    return y;
  };

  it('a YAML bomb in a kubectl -o yaml paste is read as text: ≤ 20× benign text + the same line, growth 4n/n ≤ 10', () => {
    const d = classify(bomb(30)); // 10^30 strings if aliases were expanded
    expect(d.cause).toBe('inotify-watch-exhaustion');
    // One document, 2 000 alias levels (~190 KB): the paste is framed as YAML and read as text.
    const big = bomb(2_000);
    expect(ratioToReference('YAML bomb, one 2 000-level document', big, fit(BENIGN, big.length - KW_LINE.length) + KW_LINE)).toBeLessThan(20);
    expect(growth('YAML bomb levels', (n) => bomb(n), 1_000)).toBeLessThan(10);
  });

  // FOUND, not fixed here (src/input/ is owned by another helper). Multi-megabyte YAML pastes —
  // 2000 concatenated `kubectl get -o yaml` outputs without `---` (2.9 MB), or one document with
  // 20 000 alias lines (2 MB) — are buffered as one YAML document (DOC_CAP = 8 MB in
  // src/input/frame.ts) and classify then intermittently runs 10–20× slower than on other calls
  // with the same input: the time is self time of Framer.split (frame.ts) once TurboFan has
  // optimised it (--trace-opt shows the slow runs are exactly the runs after split's full
  // TurboFan compile; runs after a deopt are fast), and in that mode time grows ~4× per doubling:
  // 1.4 MB ≈ 0.7 s, 2.9 MB ≈ 2.9 s (vs ≈ 0.1–0.2 s in the fast mode). Skipped so the suite stays
  // deterministic; un-skip once frame.ts is fixed.
  it.skip('KNOWN ISSUE (src/input/frame.ts Framer.split): multi-megabyte YAML pastes stay ≤ 20× benign', () => {
    for (const big of [bomb(30).repeat(2000), bomb(20_000)]) {
      expect(ratioToReference('YAML paste', big, fit(BENIGN, big.length - KW_LINE.length) + KW_LINE, 5)).toBeLessThan(20);
    }
  });
});
