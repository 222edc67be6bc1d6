/**
 * examples/pipeline-tag.mjs: a Transform that tags log records with `enospc: { cause, rule }` via
 * `matchLine`, passing every record through. Tested as a module (chunking, bad records) and as a
 * command in a shell-style pipe on the recorded journal.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

const EXAMPLE = join(ROOT, 'examples', 'pipeline-tag.mjs');
const JOURNAL = readFileSync(join(ROOT, 'test', 'fixtures', 'recorded', 'journalctl-kubelet.json'));

interface Tagger {
  createTagger(options?: object): NodeJS.ReadWriteStream;
  tagLine(line: string, options?: object): string;
}
let mod: Tagger;

beforeAll(async () => {
  // A computed specifier: the example is plain JS with no declarations for tsc to find.
  mod = (await import(pathToFileURL(EXAMPLE).href)) as Tagger;
});

/** Pushes `chunks` through a fresh tagger and returns the output lines. */
async function tag(chunks: (string | Buffer)[]): Promise<string[]> {
  let out = '';
  await pipeline(
    Readable.from(chunks, { objectMode: false }),
    mod.createTagger(),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString('utf8');
        done();
      },
    }),
  );
  expect(out.endsWith('\n') || out === '').toBe(true);
  return out === '' ? [] : out.slice(0, -1).split('\n');
}

/** Splits a buffer into pieces of `n` bytes: cuts land inside records and inside UTF-8 sequences. */
function pieces(buf: Buffer, n: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += n) out.push(buf.subarray(i, i + n));
  return out;
}

describe('pipeline tagging (examples/pipeline-tag.mjs)', () => {
  it('tags the ENOSPC records of a journalctl -o json stream and passes every other record through unchanged', async () => {
    const input = JOURNAL.toString('utf8').trimEnd().split('\n');
    const out = await tag([JOURNAL]);
    expect(out).toHaveLength(input.length);
    const tagged = out.map((l, i) => ({ i: i + 1, rec: JSON.parse(l) as { enospc?: { cause: string; rule: string } } })).filter((x) => x.rec.enospc);
    // Line 8: a string MESSAGE; line 10: MESSAGE as a byte array (a file name that is not UTF-8).
    expect(tagged.map((t) => t.i)).toEqual([8, 10]);
    for (const t of tagged) expect(t.rec.enospc).toEqual({ cause: 'inotify-watch-exhaustion', rule: 'inotify-add-watch-enospc' });
    // Untagged records come out byte for byte; tagged ones keep every original field.
    out.forEach((l, i) => {
      if (i + 1 !== 8 && i + 1 !== 10) expect(l).toBe(input[i]);
      else expect({ ...(JSON.parse(l) as object), enospc: undefined }).toEqual({ ...(JSON.parse(input[i]!) as object), enospc: undefined });
    });
  });

  it('gives the same output whatever the chunking (records and UTF-8 sequences split across chunks)', async () => {
    const whole = await tag([JOURNAL]);
    for (const n of [1, 7, 64, 1000]) expect(await tag(pieces(JOURNAL, n))).toEqual(whole);
  });

  it('passes bad records through as data and never throws', async () => {
    const lines = [
      'plain text, no JSON',
      '{"truncated": "rec',
      '[1, 2, 3]',
      'null',
      '{"__proto__": {"polluted": true}, "msg": "x"}',
      '{"MESSAGE": [300, -1, "x"]}',
      '\u0000\u0001\ufffd',
      'tail: inotify resources exhausted',
      '{"level":50,"msg":"mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod1: no space left on device"}',
      '',
    ];
    const out = await tag([`${lines.join('\r\n')}\n`]);
    expect(out).toHaveLength(lines.length);
    const recs = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs[0]).toEqual({ message: 'plain text, no JSON' });
    expect(recs[1]).toEqual({ message: '{"truncated": "rec' });
    expect(recs[2]).toEqual({ message: '[1, 2, 3]' });
    expect(recs[3]).toEqual({ message: 'null' });
    expect(Object.prototype.hasOwnProperty.call(recs[4], '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(recs[5]).toEqual({ MESSAGE: [300, -1, 'x'] });
    expect(recs[6]).toEqual({ message: '\u0000\u0001\ufffd' });
    expect(recs[7]).toEqual({ message: 'tail: inotify resources exhausted', enospc: { cause: 'inotify-watch-exhaustion', rule: 'tail-inotify-resources-exhausted' } });
    expect(recs[8]).toMatchObject({ level: 50, enospc: { cause: 'cgroup-leak', rule: 'cgroup-mkdir-memory-enospc' } });
    expect(recs[9]).toEqual({ message: '' });
  });

  it('keeps a last line that has no newline', async () => {
    expect(await tag(['{"a":1}\ntail: inotify resources exhausted'])).toEqual([
      '{"a":1}',
      '{"message":"tail: inotify resources exhausted","enospc":{"cause":"inotify-watch-exhaustion","rule":"tail-inotify-resources-exhausted"}}',
    ]);
  });

  it('runs as a command in a pipe: journalctl -u kubelet -o json | node examples/pipeline-tag.mjs', () => {
    const r = spawnSync(process.execPath, [EXAMPLE], { input: JOURNAL, cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const causes = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { enospc?: { cause: string } }).enospc?.cause)
      .filter((c) => c !== undefined);
    expect(causes).toEqual(['inotify-watch-exhaustion', 'inotify-watch-exhaustion']);
  });
});
