/**
 * Issue 14 (hardening II), items 6–13 and the AbortSignal option: `classify` and the stream
 * adapters never throw or reject for what the caller passes (options, rules, callbacks, bytes from
 * another realm, ArrayBuffers), and never lose a record silently.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { classify, createClassifier, matchLine, type ClassifyOptions, type CompiledRule } from '../../src/index.js';
import { classifyIterable, classifyReadableStream, classifyStream } from '../../src/stream.js';
import { compileRules } from '../../src/rules/index.js';

const DISK = 'write /var/lib/docker/overlay2/abc/merged/x: no space left on device';
const TEXT = `starting\n${DISK}\nstopping\n`;

/** A custom rule that only the test's marker line matches. */
const CUSTOM = compileRules([
  {
    id: 'test-marker',
    cause: 'ipc-limit',
    effect: 'supports',
    strength: 'strong',
    status: 'experimental',
    keywords: ['zzmarker'],
    pattern: String.raw`zzmarker \s semget`,
    description: 'x',
    provenance: 'x',
    examples: { match: ['zzmarker semget'], noMatch: ['zzmarker ok'] },
  },
])[0]!;

async function* chunksOf(...chunks: unknown[]): AsyncGenerator<unknown> {
  for (const c of chunks) yield c;
}

describe('item 6: options whose reading throws', () => {
  const throwing = (key: string): ClassifyOptions =>
    Object.defineProperty({}, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key}`);
      },
    }) as ClassifyOptions;
  const proxy = new Proxy({}, { get: () => { throw new Error('proxy get'); }, has: () => { throw new Error('proxy has'); } }) as ClassifyOptions;
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const revokedRules = Proxy.revocable([], {});
  revokedRules.revoke();
  const cases: [string, ClassifyOptions][] = [
    ...['rules', 'builtinRules', 'minConfidence', 'redact', 'recordLimit', 'onMatch', 'signal'].map((k): [string, ClassifyOptions] => [`a throwing getter for ${k}`, throwing(k)]),
    ['a throwing Proxy', proxy],
    ['a revoked Proxy', revoked as ClassifyOptions],
    ['a revoked Proxy as rules', { rules: revokedRules.proxy as CompiledRule[] }],
  ];

  it.each(cases)('%s: classify, createClassifier and matchLine answer as without options; classifyStream resolves', async (_name, options) => {
    expect(classify(TEXT, options).cause).toBe('disk-full');
    const c = createClassifier(options);
    c.write(TEXT);
    expect(c.end().cause).toBe('disk-full');
    expect(matchLine(DISK, options)?.cause).toBe('disk-full');
    await expect(classifyStream(chunksOf(TEXT), options)).resolves.toMatchObject({ cause: 'disk-full' });
  });
});

describe('item 7: malformed objects in options.rules are skipped, never thrown', () => {
  const base = { ...CUSTOM };
  const bad: [string, unknown][] = [
    ['source "("', { ...base, id: 'b1', source: '(' }],
    ['keywords: 5', { ...base, id: 'b2', keywords: 5 }],
    ["flags: 'zz'", { ...base, id: 'b3', flags: 'zz' }],
    ['groups: null', { ...base, id: 'b4', groups: null }],
    ['numeric: 7', { ...base, id: 'b5', numeric: 7 }],
    ['where.format: "x"', { ...base, id: 'b6', where: { format: 'x' } }],
    ['an unknown cause', { ...base, id: 'b7', cause: 'no-such-cause' }],
    ['an unknown strength', { ...base, id: 'b8', strength: 'huge' }],
    ['requires: {}', { ...base, id: 'b9', requires: {} }],
    ['a getter that throws', Object.defineProperty({ ...base, id: 'b10' }, 'source', { get: () => { throw new Error('x'); } })],
    ['null', null],
    ['a number', 42],
  ];
  it.each(bad)('%s: the rule is skipped, the built-ins and the good custom rule still run', (_name, rule) => {
    const rules = [rule, CUSTOM] as CompiledRule[];
    const d = classify(`${TEXT}zzmarker semget\n`, { rules });
    expect(d.findings.map((f) => f.cause).sort()).toEqual(['disk-full', 'ipc-limit']);
    expect(matchLine('zzmarker semget', { rules })?.rule).toBe('test-marker');
    expect(matchLine(DISK, { rules })?.cause).toBe('disk-full');
  });

  it('a `g` or `y` flag is dropped (a shared stateful regex would skip matches)', () => {
    const rules = [{ ...CUSTOM, flags: 'gi' }];
    const d = classify('zzmarker semget\nzzmarker semget\nzzmarker semget\n', { rules });
    expect(d.stats.matched).toBe(3);
  });
});

describe('item 8: an onMatch callback that throws', () => {
  const four = `${DISK}\n${DISK}\n${DISK}\n${DISK}\n`;
  const onMatch = (): ((m: unknown) => void) => {
    let n = 0;
    return () => {
      n++;
      if (n === 2) throw new Error('callback failed');
    };
  };

  it('does not escape classify, and the records after it are still read (4 of 4 counted)', () => {
    let calls = 0;
    const d = classify(four, {
      onMatch: () => {
        calls++;
        if (calls === 2) throw new Error('callback failed');
      },
    });
    expect(calls).toBe(4);
    expect(d.stats.matched).toBe(4);
    expect(d.cause).toBe('disk-full');
  });

  it('classifyStream resolves (it rejects only when the source errors)', async () => {
    const d = await classifyStream(chunksOf(DISK, `\n${DISK}\n`, `${DISK}\n${DISK}\n`), { onMatch: onMatch() });
    expect(d.stats.matched).toBe(4);
    const web = new ReadableStream<string>({
      start(ctl) {
        ctl.enqueue(four);
        ctl.close();
      },
    });
    await expect(classifyReadableStream(web, { onMatch: onMatch() })).resolves.toMatchObject({ cause: 'disk-full' });
    const failing = (async function* () {
      yield DISK;
      throw new Error('source failed');
    })();
    await expect(classifyIterable(failing)).rejects.toThrow('source failed');
  });
});

describe('item 9: a record a parser cannot read is kept and counted', () => {
  it('a long \\xNN escape run no longer drops the record (was null, candidates 0)', () => {
    const d = classify(`write /var/lib/docker/x: no space left on device ${'\\x41'.repeat(130_000)}`);
    expect(d.cause).toBe('disk-full');
    expect(d.stats).toMatchObject({ records: 1, candidates: 1, matched: 1, unreadable: 0 });
    // the run decodes: 130,000 × 'A' in the message, matched on its first recordLimit characters
    expect(d.stats.truncated).toBe(1);
  });
});

describe('item 10: bytes from another realm', () => {
  const ctx = vm.createContext({ text: `${DISK}\n` });
  const foreignBytes = vm.runInContext('Uint8Array.from(text, (c) => c.charCodeAt(0))', ctx) as Uint8Array;
  const foreignBuffer = vm.runInContext('Uint8Array.from(text, (c) => c.charCodeAt(0)).buffer', ctx) as ArrayBuffer;

  it('are not instances of this realm’s classes (the precondition)', () => {
    expect(foreignBytes instanceof Uint8Array).toBe(false);
    expect(foreignBuffer instanceof ArrayBuffer).toBe(false);
  });

  it('classify reads a foreign Uint8Array and ArrayBuffer as it reads local ones (was null, bytes 0)', () => {
    const local = classify(new TextEncoder().encode(`${DISK}\n`));
    expect(local.cause).toBe('disk-full');
    expect(classify(foreignBytes)).toEqual(local);
    expect(classify(foreignBuffer)).toEqual(local);
  });

  it('createClassifier and the stream adapters too', async () => {
    const c = createClassifier();
    c.write(foreignBytes);
    expect(c.end().cause).toBe('disk-full');
    await expect(classifyStream(chunksOf(foreignBytes))).resolves.toMatchObject({ cause: 'disk-full', stats: { bytes: foreignBytes.byteLength } });
  });

  it('look-alikes are still ignored: a plain object tagged Uint8Array, an array of numbers', () => {
    const fake = { [Symbol.toStringTag]: 'Uint8Array', length: 3, byteLength: 3, 0: 65, 1: 66, 2: 67 };
    expect(classify(fake as unknown as Uint8Array).stats.bytes).toBe(0);
    expect(classify([65, 66] as unknown as Uint8Array).stats.bytes).toBe(0);
  });
});

describe('item 11: a rules array changed after first use', () => {
  it('is prepared again: a pushed rule runs, a removed one stops, an edited one changes', () => {
    const rules: CompiledRule[] = [];
    const line = 'zzmarker semget';
    expect(classify(line, { rules }).cause).toBeNull();
    rules.push({ ...CUSTOM });
    expect(classify(line, { rules }).cause).toBe('ipc-limit');
    expect(matchLine(line, { rules })?.rule).toBe('test-marker');
    (rules[0] as { cause: string }).cause = 'shm-full';
    expect(classify(line, { rules }).cause).toBe('shm-full');
    rules.splice(0, 1);
    expect(classify(line, { rules }).cause).toBeNull();
    expect(matchLine(line, { rules })).toBeNull();
  });
});

describe('item 12: ArrayBuffer chunks', () => {
  const buf = (s: string): ArrayBuffer => new TextEncoder().encode(s).buffer as ArrayBuffer;
  it('createClassifier().write reads them (was dropped)', () => {
    const c = createClassifier();
    c.write(buf(DISK.slice(0, 20)));
    c.write(buf(`${DISK.slice(20)}\n`));
    expect(c.end()).toEqual(classify(`${DISK}\n`));
  });
  it('classifyStream over an async iterable and a web stream read them', async () => {
    await expect(classifyStream(chunksOf(buf(TEXT)))).resolves.toMatchObject({ cause: 'disk-full' });
    const web = new ReadableStream<ArrayBuffer>({
      start(ctl) {
        ctl.enqueue(buf(TEXT));
        ctl.close();
      },
    });
    await expect(classifyStream(web as unknown as ReadableStream<Uint8Array>)).resolves.toMatchObject({ cause: 'disk-full' });
  });
});

describe('item 13: a match split across CRI partial lines', () => {
  const ts = '2024-05-01T10:00:00.123456789Z';
  const pieces = [`${ts} stderr P ${'x'.repeat(200)} write /var/lib/docker/overlay2/abc/merged/x: no spa`, `${ts} stderr F ce left on device`];
  const text = `${pieces.join('\n')}\n`;

  it('is found once the pieces are joined (was null: the prefilter rejected each piece)', () => {
    const d = classify(text);
    expect(d.cause).toBe('disk-full');
    expect(d.evidence[0]?.line).toBe(1);
    expect(d.stats).toMatchObject({ lines: 2, matched: 1 });
  });

  it('as bytes, in any chunking, and among other lines', () => {
    const noisy = `${ts} stdout F starting\n${text}${ts} stdout F done\n`;
    const whole = classify(noisy);
    expect(whole.cause).toBe('disk-full');
    expect(whole.evidence[0]?.line).toBe(2);
    const bytes = new TextEncoder().encode(noisy);
    expect(classify(bytes)).toEqual(whole);
    for (const size of [1, 7, 64, 101]) {
      const c = createClassifier();
      for (let i = 0; i < bytes.length; i += size) c.write(bytes.subarray(i, i + size));
      expect(c.end(), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('pieces that do not join to a match stay silent', () => {
    expect(classify(`${ts} stderr P write /var/lib/docker/x: all\n${ts} stderr F good\n`).cause).toBeNull();
  });
});

describe('AbortSignal: stop classifyStream early and keep the partial diagnosis', () => {
  it('an idle async iterable (a pipe nobody writes to) is left once the signal aborts', async () => {
    const ac = new AbortController();
    let returned = false;
    const idle: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        let first = true;
        return {
          next: () => {
            if (first) {
              first = false;
              return Promise.resolve({ value: `${DISK}\n`, done: false });
            }
            return new Promise<IteratorResult<string>>(() => {}); // never answers
          },
          return: () => {
            returned = true;
            return Promise.resolve({ value: undefined, done: true });
          },
        };
      },
    };
    const p = classifyStream(idle, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const d = await p;
    expect(d.cause).toBe('disk-full');
    expect(d.stats.matched).toBe(1);
    expect(returned).toBe(true);
  });

  it('a web stream that stays open is cancelled, with what was read kept', async () => {
    const ac = new AbortController();
    let cancelled = false;
    const web = new ReadableStream<string>({
      start(ctl) {
        ctl.enqueue(`${DISK}\n`);
      },
      cancel() {
        cancelled = true;
      },
    });
    const p = classifyStream(web, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const d = await p;
    expect(d.cause).toBe('disk-full');
    expect(cancelled).toBe(true);
  });

  it('an already aborted signal reads nothing; a signal never aborted changes nothing', async () => {
    await expect(classifyStream(chunksOf(TEXT), { signal: AbortSignal.abort() })).resolves.toMatchObject({ cause: null, stats: { bytes: 0 } });
    await expect(classifyStream(chunksOf(TEXT), { signal: new AbortController().signal })).resolves.toEqual(classify(TEXT));
  });
});

describe('sibling: a stream adapter given something that is not a stream', () => {
  it.each([null, undefined, 42, {}, 'text'])('%s: resolves with an empty diagnosis, as classify(42) gives', async (v) => {
    const d = await classifyStream(v as unknown as AsyncIterable<unknown>);
    // a string is iterable: its characters are read as chunks
    if (typeof v === 'string') expect(d.stats.bytes).toBe(4);
    else expect(d).toEqual(classify(42 as unknown as string));
  });
});
