/**
 * Issue 14 (hardening II), items 2–5: documents and lines that used to take super-linear time.
 * Bounds are ratios measured in the same test (interleaved, so load from other test files slows
 * both sides alike): growth (time at 4n over time at n: ≈4 linear, ≈16 quadratic) or a ratio to
 * benign input of the same size. Never absolute times.
 */
import { describe, expect, it } from 'vitest';
import { classify, matchLine } from '../../src/index.js';
import { MAX_LINE } from '../../src/input/frame.js';
import { BENIGN, fit, growth, ratioToReference } from './support.js';

const event = (i: number): string =>
  `{"kind":"Event","involvedObject":{"kind":"Node","name":"node-${i}"},"reason":"FreeDiskSpaceFailed","type":"Warning",` +
  `"message":"failed to garbage collect required amount of images. Wanted to free ${1000 + i} bytes, but freed 0 bytes","source":{"component":"kubelet"}}`;

/** A pretty-printed JSON document with `n` events under `key` (one per line). */
const jsonDoc = (key: string, n: number): string =>
  `{\n  "kind": "List",\n  "${key}": [\n${Array.from({ length: n }, (_, i) => `    ${event(i)}`).join(',\n')}\n  ]\n}\n`;

/** The same events in nested arrays: `[\n [ {...},\n {...} ]\n]`. */
const nestedDoc = (n: number): string => `[\n  [\n${Array.from({ length: n }, (_, i) => `    ${event(i)}`).join(',\n')}\n  ]\n]\n`;

const flowYaml = (n: number): string =>
  `apiVersion: v1\nkind: List\nitems: [\n${Array.from(
    { length: n },
    (_, i) => `  {kind: Event, type: Warning, reason: FreeDiskSpaceFailed, message: "failed to garbage collect required amount of images. Wanted to free ${1000 + i} bytes, but freed 0 bytes", involvedObject: {kind: Node, name: node-${i}}}`,
  ).join(',\n')}\n]\n`;

const blockYaml = (n: number): string =>
  `apiVersion: v1\nkind: List\nitems:\n${Array.from(
    { length: n },
    (_, i) => `- kind: Event\n  type: Warning\n  reason: FreeDiskSpaceFailed\n  message: "failed to garbage collect required amount of images. Wanted to free ${1000 + i} bytes, but freed 0 bytes"\n  involvedObject: {kind: Node, name: node-${i}}`,
  ).join('\n')}\n`;

describe('issue 14: documents rebuilt per record (items 2, 3)', () => {
  it('item 2: events under another key than `items`: linear (growth ≤ 8), ≤ 4× the same events under `items`', () => {
    const d = classify(jsonDoc('events', 10));
    expect(d.cause).toBe('disk-full');
    expect(d.stats.matched).toBe(10);
    // was 1 s against 16–43 ms for 800 events, 67 s for 4,000 (the document text rebuilt per record)
    expect(growth('JSON events under "events"', (n) => jsonDoc('events', n), 1000, 3)).toBeLessThan(8);
    expect(growth('JSON events in nested arrays', nestedDoc, 1000, 3)).toBeLessThan(8);
    const a = jsonDoc('events', 1600);
    expect(ratioToReference('1,600 events under "events" vs under "items"', a, jsonDoc('items', 1600))).toBeLessThan(4);
  });

  it('item 3: a YAML flow sequence of events: linear (growth ≤ 8), ≤ 4× the same events as a block sequence', () => {
    const d = classify(flowYaml(10));
    expect(d.cause).toBe('disk-full');
    expect(d.stats.matched).toBe(10);
    // was 1.3 s against 45 ms for 5,000 items
    expect(growth('YAML flow sequence', flowYaml, 500, 3)).toBeLessThan(8);
    expect(ratioToReference('2,000 events, flow vs block YAML', flowYaml(2000), blockYaml(2000))).toBeLessThan(4);
  });
});

describe('issue 14: a line that restarts a document (item 4)', () => {
  it("'items:\\n' repeated: ≤ 8× benign text of the same size, linear", () => {
    const n = 200_000;
    const adversarial = 'items:\n'.repeat(n);
    // was 8–16× (each line parsed as a one-line document, then read again as a line)
    expect(ratioToReference("'items:\\n' × 200,000", adversarial, `${fit(BENIGN, adversarial.length - 1)}\n`)).toBeLessThan(8);
    expect(growth("'items:\\n' repeated", (k) => 'items:\n'.repeat(k), 50_000, 3)).toBeLessThan(8);
    expect(classify(adversarial).stats).toMatchObject({ lines: n, records: n, candidates: 0 });
  });
});

describe('issue 14: one cap for matchLine and classify (item 5)', () => {
  const journal = (pad: number, message = 'write /var/lib/docker/overlay2/x/merged: no space left on device'): string =>
    JSON.stringify({ __CURSOR: 's=1', _CMDLINE: 'y'.repeat(pad), MESSAGE: message, SYSLOG_IDENTIFIER: 'dockerd', _SYSTEMD_UNIT: 'docker.service', PRIORITY: '3' });

  it('matchLine gives the answer classify gives for the same line, below and above the 1 MiB line cap', () => {
    for (const pad of [10, 100_000, MAX_LINE - 300, MAX_LINE + 10, 3_000_000]) {
      const line = journal(pad);
      const c = classify(line).cause;
      const m = matchLine(line)?.cause ?? null;
      expect(m, `pad ${pad}`).toBe(c);
    }
    // a MESSAGE after a 100 KB field: matchLine's prefilter used to read only the first 64 KiB
    expect(matchLine(journal(100_000))?.cause).toBe('disk-full');
    // past the cap the JSON cannot be read: classify answers null, and so does matchLine now (was disk-full)
    expect(matchLine(journal(3_000_000))).toBeNull();
  });

  it('matchLine on a long line costs what its first MiB costs: growth 8 MB → 32 MB ≤ 2.5 (was 1.2 s on 30 MB)', () => {
    const small = journal(8_000_000);
    const large = journal(32_000_000);
    matchLine(small);
    matchLine(large);
    let a = Infinity;
    let b = Infinity;
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      matchLine(small);
      a = Math.min(a, performance.now() - t0);
      t0 = performance.now();
      matchLine(large);
      b = Math.min(b, performance.now() - t0);
    }
    const g = b / Math.max(a, 0.05);
    console.log(`matchLine journal JSON 8 MB → 32 MB: ${a.toFixed(2)} → ${b.toFixed(2)} ms → ${g.toFixed(2)}×`);
    expect(g).toBeLessThan(2.5);
  });
});
