/**
 * Property tests (fast-check): for any string, any bytes and any chunking, classify / matchLine /
 * createClassifier / classifyIterable never throw, return schema-valid results, do not depend on
 * how the input was chunked, and are deterministic. numRuns are kept small enough for the whole
 * file to run in a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, createClassifier, matchLine, type Diagnosis } from '../../src/index.js';
import { DiagnosisSchema, RuleMatchSchema } from '../../src/schema.js';
import { classifyIterable } from '../../src/stream.js';
import { REAL_LINES, anyBytes, anyText, chunkArb, realisticText, split } from './support.js';

const RUNS = { numRuns: 250 };

function valid(d: Diagnosis): void {
  const r = DiagnosisSchema.safeParse(d);
  if (!r.success) throw new Error(`invalid diagnosis: ${r.error.message}`);
}

function streamed(chunks: readonly (string | Uint8Array)[]): Diagnosis {
  const c = createClassifier();
  for (const ch of chunks) c.write(ch);
  return c.end();
}

describe('properties: classify', () => {
  it('the realistic generator reaches the matching path (guards against vacuous properties)', () => {
    const samples = fc.sample(realisticText, { numRuns: 200, seed: 42 });
    const found = samples.filter((t) => classify(t).cause !== null).length;
    expect(REAL_LINES.length).toBeGreaterThan(200);
    expect(found).toBeGreaterThan(samples.length / 4);
  });

  it('any string: no throw, schema-valid, deterministic', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const a = classify(t);
        valid(a);
        expect(classify(t)).toEqual(a);
      }),
      RUNS,
    );
  });

  it('any bytes (invalid UTF-8, NUL, BOM, CR/CRLF/LF): no throw, schema-valid, deterministic, same as an ArrayBuffer', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        const a = classify(b);
        valid(a);
        expect(a.stats.bytes).toBe(b.byteLength);
        expect(classify(b)).toEqual(a);
        expect(classify(b.slice().buffer)).toEqual(a);
      }),
      RUNS,
    );
  });

  it('non-string inputs give a valid empty diagnosis', () => {
    const weird = fc.oneof(
      fc.constantFrom(null, undefined, NaN, Infinity, 0, -1, true, false, Symbol('x'), () => 1, new Date(0), new Map(), [1, 2]),
      fc.integer(),
      fc.double(),
      fc.object(),
      fc.array(fc.string()),
    );
    fc.assert(
      fc.property(weird, (x) => {
        const d = classify(x as never);
        valid(d);
        expect(d.cause).toBeNull();
        expect(d.findings).toEqual([]);
        expect(d.stats.bytes).toBe(0);
      }),
      RUNS,
    );
  });

  it('options of the wrong shape never throw', () => {
    const opts = fc.oneof(
      fc.constantFrom(null, 1, 'x', [], { rules: 5 }, { rules: [{}] }, { recordLimit: -1 }, { recordLimit: 1e12 }, { minConfidence: NaN }, { onMatch: 3 }),
      fc.object(),
    );
    fc.assert(
      fc.property(realisticText, opts, (t, o) => {
        valid(classify(t, o as never));
        const m = matchLine(t.split('\n')[0] ?? '', o as never);
        if (m !== null) RuleMatchSchema.parse(m);
      }),
      { numRuns: 60 },
    );
  });
});

describe('properties: chunking', () => {
  it('strings: createClassifier with any chunking equals classify (deep, stats.bytes included)', () => {
    fc.assert(
      fc.property(anyText, chunkArb(), (t, cuts) => {
        // Cutting inside a surrogate pair changes the text (each half becomes U+FFFD when
        // encoded), so whole-string equality is only promised on code point boundaries.
        const safe = cuts.filter((c) => {
          const i = t.length === 0 ? 0 : c % (t.length + 1);
          return !(i > 0 && i < t.length && /[\ud800-\udbff]/.test(t[i - 1]!) && /[\udc00-\udfff]/.test(t[i]!));
        });
        const whole = classify(t);
        const parts = streamed(split(t, safe));
        valid(parts);
        expect(parts).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('bytes: any chunking, even inside a multi-byte character, equals classify', () => {
    fc.assert(
      fc.property(anyBytes, chunkArb(), (b, cuts) => {
        const whole = classify(b);
        const parts = streamed(split(b, cuts));
        valid(parts);
        expect(parts).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('mixed string and byte chunks of the same text equal classify', () => {
    fc.assert(
      fc.property(realisticText, chunkArb(), fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }), (t, cuts, asBytes) => {
        // Split on line boundaries' neighbourhood only at code point boundaries: use the bytes.
        const bytes = new TextEncoder().encode(t);
        // The text those bytes hold: UTF-8 cannot carry a lone surrogate, which TextEncoder writes
        // as U+FFFD (fast-check found one in `t`; the string path rightly keeps it as given).
        const whole = classify(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
        const chunks = split(bytes, cuts).map((c, i) => {
          if (!asBytes[i % asBytes.length]) return c;
          // A byte chunk that ends mid-character cannot be a string; keep it as bytes then.
          const s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
          try {
            return s.decode(c);
          } catch {
            return c;
          }
        });
        expect(streamed(chunks)).toEqual(whole);
      }),
      { numRuns: 80 },
    );
  });

  it('classifyIterable (sync and async sources) equals classify', async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, chunkArb(), async (b, cuts) => {
        const whole = classify(b);
        const chunks = split(b, cuts);
        expect(await classifyIterable(chunks)).toEqual(whole);
        async function* gen(): AsyncGenerator<unknown> {
          for (const c of chunks) {
            yield c;
            yield 42; // non-chunk values are ignored
          }
        }
        expect(await classifyIterable(gen())).toEqual(whole);
      }),
      { numRuns: 80 },
    );
  });

  it('end() twice returns the same diagnosis; writes after end are ignored', () => {
    fc.assert(
      fc.property(realisticText, (t) => {
        const c = createClassifier();
        c.write(t);
        const a = c.end();
        c.write('inotify_add_watch /x: no space left on device\n');
        expect(c.end()).toEqual(a);
      }),
      { numRuns: 40 },
    );
  });
});

describe('properties: matchLine', () => {
  it('any string: no throw, null or a schema-valid match, deterministic', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const m = matchLine(t);
        if (m !== null) RuleMatchSchema.parse(m);
        expect(matchLine(t)).toEqual(m);
      }),
      RUNS,
    );
  });

  it('non-string inputs give null', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.object(), fc.constantFrom(null, undefined, [], true)), (x) => {
        expect(matchLine(x as never)).toBeNull();
      }),
      { numRuns: 50 },
    );
  });
});
