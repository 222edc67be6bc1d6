/**
 * Issue 14 item 9, the class: a record a format parser fails on (a defect) is yielded as plain text
 * and counted in `stats.unreadable`, never dropped. The defect is simulated: normalise throws on
 * a marker.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/input/normalise.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/input/normalise.js')>();
  return {
    ...real,
    normalise: (s: string): string => {
      if (s.includes('BOOM')) throw new RangeError('Maximum call stack size exceeded');
      return real.normalise(s);
    },
  };
});

const { classify, createClassifier } = await import('../../src/index.js');

const DISK = 'write /var/lib/docker/overlay2/abc/merged/x: no space left on device';

describe('a record its parser fails on', () => {
  it('a line: kept as plain text, still matched, counted as unreadable', () => {
    const d = classify(`ok\n${DISK} BOOM\nok\n`);
    expect(d.cause).toBe('disk-full');
    expect(d.evidence[0]?.line).toBe(2);
    expect(d.stats).toMatchObject({ lines: 3, matched: 1, unreadable: 1 });
  });

  it('an event in a JSON document: the others are still read', () => {
    const ev = (m: string): string => JSON.stringify({ kind: 'Event', involvedObject: { kind: 'Node', name: 'n' }, reason: 'Failed', message: m });
    const doc = `{\n  "items": [\n    ${ev(`${DISK} BOOM`)},\n    ${ev(DISK)}\n  ]\n}\n`;
    const d = classify(doc);
    expect(d.cause).toBe('disk-full');
    expect(d.stats.unreadable).toBe(1);
    expect(d.stats.matched).toBe(2);
  });

  it('the same in chunks, and a line the prefilter rejects is counted but not yielded', () => {
    const c = createClassifier();
    c.write(`all is fine BOOM\n${DISK.slice(0, 10)}`);
    c.write(`${DISK.slice(10)} BOOM\n`);
    const d = c.end();
    expect(d.cause).toBe('disk-full');
    // "all is fine" has no anchor: the scanner skips it before any parser runs
    expect(d.stats.unreadable).toBe(1);
  });
});
