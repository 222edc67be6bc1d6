/** Generators shared by the property tests: real log lines from the rules and the corpus, plus noise. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ROOT, ruleFiles } from '../support/rules.js';

/** Every line of every rule example and of the dev corpus: text that reaches the matching path. */
export const REAL_LINES: readonly string[] = (() => {
  const lines = new Set<string>();
  for (const { def } of ruleFiles()) {
    for (const ex of [...def.examples.match, ...def.examples.noMatch]) for (const l of ex.split('\n')) if (l.trim() !== '') lines.add(l);
  }
  for (const row of readFileSync(join(ROOT, 'test', 'fixtures', 'corpus-dev.jsonl'), 'utf8').split('\n')) {
    if (row.trim() === '') continue;
    const text = (JSON.parse(row) as { text?: string }).text ?? '';
    for (const l of text.split('\n')) if (l.trim() !== '') lines.add(l);
  }
  return [...lines].sort();
})();

const NOISE_PIECES = ['\u0000', '\ufeff', '\r', '\r\n', '\n', '\ud800', '\udfff', '"', '\\', '\\"', '{', '[', '}', ']', ':', '\t', 'é', '💥', ' '];

/** Random junk, biased toward the characters parsers trip on. */
export const noise: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...NOISE_PIECES), { maxLength: 12 }).map((a) => a.join('')),
);

const EOL = fc.constantFrom('\n', '\r\n', '\r');

/** An interleaving of real lines and noise, with mixed line endings and sometimes a BOM. */
export const realisticText: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...REAL_LINES) }, { weight: 1, arbitrary: noise }), EOL), {
      minLength: 1,
      maxLength: 12,
    }),
  )
  .map(([bom, parts]) => (bom ? '\ufeff' : '') + parts.map(([l, e]) => l + e).join(''));

/** Any text at all: unicode, lone surrogates, or realistic. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  noise,
  realisticText,
);

/** Bytes: raw (invalid UTF-8, NUL) or the UTF-8 of a realistic text, sometimes with a byte flipped. */
export const anyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  realisticText.map((t) => new TextEncoder().encode(t)),
  fc.tuple(realisticText, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([t, at, b]) => {
    const bytes = new TextEncoder().encode(t);
    if (bytes.length > 0) bytes[at % bytes.length] = b;
    return bytes;
  }),
);

/** Cut points for splitting an input of length n into chunks (possibly empty ones). */
export function chunkArb(): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 100_000 }), { maxLength: 12 });
}

/** Splits `input` at the given cut points (taken modulo its length). */
export function split<T extends string | Uint8Array>(input: T, cuts: readonly number[]): T[] {
  const n = input.length;
  const points = [...new Set(cuts.map((c) => (n === 0 ? 0 : c % (n + 1))))].sort((a, b) => a - b);
  const out: T[] = [];
  let prev = 0;
  for (const p of [...points, n]) {
    out.push(input.slice(prev, p) as T);
    prev = p;
  }
  return out;
}
