import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE, createFramer, frameText, recordFromLine } from '../../src/input/frame.js';
import type { FramerOptions, LogRecord } from '../../src/input/record.js';

function frameChunks(chunks: readonly string[], options?: FramerOptions): { records: LogRecord[]; lines: number; count: number } {
  const f = createFramer(options);
  const records: LogRecord[] = [];
  for (const c of chunks) records.push(...f.push(c));
  records.push(...f.end());
  return { records, lines: f.lines, count: f.records };
}

const MIXED = [
  'Jul 18 15:20:58 VM_16_16_centos kubelet[11519]: E0718 15:20:58.280275 11519 raw.go:140] Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod926b: no space left on device',
  'Events:',
  '  Type     Reason                    Age                 From                  Message',
  '  ----     ------                    ----                ----                  -------',
  '  Warning  FailedCreatePodContainer  25s (x70 over 15m)  kubelet, 10.10.252.4  unable to ensure pod container exists: mkdir /sys/fs/cgroup/memory/kubepods/besteffort/podc6ee: no space left on device',
  '$ df -h',
  'Filesystem      Size  Used Avail Use% Mounted on',
  '/dev/sda4        49G   20G   29G  41% /',
  '{"apiVersion":"v1","kind":"Event","type":"Warning","reason":"FailedMount","count":4,"involvedObject":{"kind":"Pod","name":"web"},"source":{"component":"kubelet"},"message":"(combined from similar events): MountVolume.SetUp failed: write /var/lib/kubelet/pods/x: no space left on device"}',
  '{',
  '  "MESSAGE": "E1114 10:23:45.123456    2301 raw.go:146] pretty \\u0022quoted\\u0022",',
  '  "_HOSTNAME": "node-a"',
  '}',
  'E0825 21:58:04.411567       7 mount_linux.go:150] Mount failed: exit status 32',
  'Output: mount: /var/lib/kubelet/pods/f65c/mount: mount(2) system call failed: No space left on device.',
  "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'",
  '    at FSWatcher.<computed> (node:internal/fs/watchers:244:19)',
  '2024-03-01T10:05:00.1Z stdout P time="2024-03-01T10:05:00Z" level=error msg="par',
  '2024-03-01T10:05:00.2Z stdout F tial" error="no space left on device"',
  'apiVersion: v1',
  'kind: Event',
  'message: "yaml \\"event\\""',
  'reason: FailedCreatePodSandBox',
  'source: {component: kubelet}',
  'type: Warning',
  'Tue 2023-11-14 10:23:45.123456 UTC [s=0639a1;i=4f2a1;b=6c7c;m=1dcd6500;t=60a1;x=d3e5]',
  '    SYSLOG_IDENTIFIER=kernel',
  '    MESSAGE=device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode',
  '-- Boot 6c7c0a2e4f1b4c3d8e9f0a1b2c3d4e5f --',
  '[ 3812.123242] EXT4-fs warning (device dm-5): ext4_dx_add_entry:2352: Directory index full!',
  'LAST SEEN   TYPE      REASON    OBJECT      MESSAGE',
  '2m          Warning   Failed    pod/web-1   Error: no space left on device',
  '',
  'tail: inotify resources exhausted',
].join('\n');

const EXPECTED: [number, string, string][] = [
  [1, 'journal', 'Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod926b: no space left on device'],
  [5, 'kubectl-describe', 'unable to ensure pod container exists: mkdir /sys/fs/cgroup/memory/kubepods/besteffort/podc6ee: no space left on device'],
  [6, 'plain', '$ df -h'],
  [7, 'plain', 'Filesystem Size Used Avail Use% Mounted on'],
  [8, 'plain', '/dev/sda4 49G 20G 29G 41% /'],
  [9, 'event-json', 'MountVolume.SetUp failed: write /var/lib/kubelet/pods/x: no space left on device'],
  [10, 'journal-json', 'pretty "quoted"'],
  [14, 'klog', 'Mount failed: exit status 32 Output: mount: /var/lib/kubelet/pods/f65c/mount: mount(2) system call failed: No space left on device.'],
  [16, 'node-error', "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src' at FSWatcher.<computed> (node:internal/fs/watchers:244:19)"],
  [18, 'cri-log', 'partial error=no space left on device'],
  [20, 'event-yaml', 'yaml "event"'],
  [26, 'journal-verbose', 'device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode'],
  [30, 'dmesg', 'EXT4-fs warning (device dm-5): ext4_dx_add_entry:2352: Directory index full!'],
  [32, 'kubectl-events', 'Error: no space left on device'],
  [34, 'plain', 'tail: inotify resources exhausted'],
];

const summary = (recs: readonly LogRecord[]): [number, string, string][] => recs.map((r) => [r.line, r.fields.format, r.message]);

describe('framer: mixed pastes', () => {
  it('detects the format of each record independently', () => {
    const { records, lines, count } = frameChunks([MIXED]);
    expect(summary(records)).toEqual(EXPECTED);
    expect(lines).toBe(34);
    expect(count).toBe(EXPECTED.length);
    expect(records[1]?.fields).toMatchObject({ count: 70, reason: 'FailedCreatePodContainer' });
    expect(records[5]?.fields).toMatchObject({ count: 4, reason: 'FailedMount', object: 'Pod/web' });
  });

  it('gives the same records at every split point', () => {
    const whole = frameChunks([MIXED]).records;
    for (let i = 0; i <= MIXED.length; i++) {
      const split = frameChunks([MIXED.slice(0, i), MIXED.slice(i)]);
      if (JSON.stringify(split.records) !== JSON.stringify(whole)) expect({ at: i, records: split.records }).toEqual({ at: i, records: whole });
    }
  });

  it('gives the same records for CRLF input at every split point, and for lone CR', () => {
    const crlf = MIXED.replace(/\n/g, '\r\n');
    const whole = frameChunks([MIXED]).records;
    const norm = (recs: LogRecord[]): string => JSON.stringify(recs);
    expect(norm(frameChunks([crlf]).records)).toBe(norm(whole));
    for (let i = 0; i <= crlf.length; i++) {
      const split = frameChunks([crlf.slice(0, i), crlf.slice(i)]);
      if (norm(split.records) !== norm(whole)) expect({ at: i, records: split.records }).toEqual({ at: i, records: whole });
    }
    expect(norm(frameChunks([MIXED.replace(/\n/g, '\r')]).records)).toBe(norm(whole));
  });

  it('gives the same records one character at a time', () => {
    expect(JSON.stringify(frameChunks([...MIXED]).records)).toBe(JSON.stringify(frameChunks([MIXED]).records));
  });

  it('gives the same records for any chunking (property)', () => {
    const whole = JSON.stringify(frameChunks([MIXED]).records);
    fc.assert(
      fc.property(fc.array(fc.nat(MIXED.length), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(MIXED.slice(prev, p));
          prev = p;
        }
        chunks.push(MIXED.slice(prev));
        return JSON.stringify(frameChunks(chunks).records) === whole;
      }),
      { numRuns: 300 },
    );
  });
});

describe('framer: lines, records and the prefilter', () => {
  it('counts physical lines, with or without a final newline', () => {
    expect(frameChunks(['']).lines).toBe(0);
    expect(frameChunks(['\n']).lines).toBe(1);
    expect(frameChunks(['a']).lines).toBe(1);
    expect(frameChunks(['a\n']).lines).toBe(1);
    expect(frameChunks(['a\nb']).lines).toBe(2);
    expect(frameChunks(['a\r\nb\r\n']).lines).toBe(2);
    expect(frameChunks(['a\r', '\nb\r']).lines).toBe(2);
    expect(frameChunks(['a\r\r\nb']).lines).toBe(3);
  });

  it('strips a BOM and survives NUL bytes', () => {
    const recs = frameText('\ufeffNov 14 10:23:45 node-a kubelet[1]: a\u0000b\n\u0000\u0000\nplain');
    expect(summary(recs)).toEqual([
      [1, 'journal', 'a b'],
      [2, 'plain', ''],
      [3, 'plain', 'plain'],
    ]);
  });

  it('calls accept on the raw physical line of line records; rejected ones count but are not parsed', () => {
    const seen: string[] = [];
    const text = ['Nov 14 10:23:45 node-a kubelet[1]: healthy', 'Nov 14 10:23:46 node-a kubelet[1]: no space left on device', 'healthy plain'].join('\n');
    const { records, count, lines } = frameChunks([text], {
      accept: (raw) => {
        seen.push(raw);
        return raw.includes('no space');
      },
    });
    expect(seen).toEqual(text.split('\n'));
    expect(summary(records)).toEqual([[2, 'journal', 'no space left on device']]);
    expect(count).toBe(3);
    expect(lines).toBe(3);
  });

  it('continuation lines join an accepted record whatever the prefilter says of them', () => {
    const text = ['E0825 21:58:04.411567       7 mount_linux.go:150] no space: mount failed', 'Output: mount failed', "Error: ENOSPC: x, watch '/a'", '    at frame (x.js:1:1)'].join('\n');
    const { records, count } = frameChunks([text], { accept: (raw) => raw.includes('ENOSPC') || raw.includes('no space') });
    expect(records.map((r) => [r.line, r.raw.split('\n').length])).toEqual([
      [1, 2],
      [3, 2],
    ]);
    expect(count).toBe(2);
  });

  it('an accept that throws counts as accepting', () => {
    const { records } = frameChunks(['hello'], {
      accept: () => {
        throw new Error('boom');
      },
    });
    expect(records.map((r) => r.message)).toEqual(['hello']);
  });

  it('bounds how much a record absorbs', () => {
    const text = ['E0825 21:58:04.411567       7 x.go:1] head', ...Array.from({ length: 1500 }, (_, i) => `    continuation ${i}`)].join('\n');
    const recs = frameText(text);
    expect(recs[0]?.raw.split('\n')).toHaveLength(1000);
    expect(recs).toHaveLength(502);
  });
});

describe('recordFromLine', () => {
  it('parses one line of any line format', () => {
    expect(recordFromLine('  Warning  Failed  5m1s (x3397 over 17h)  kubelet  Error: x', 12)).toMatchObject({ line: 12, fields: { format: 'kubectl-describe', count: 3397 }, message: 'Error: x' });
    expect(recordFromLine('{"MESSAGE":"hi","_HOSTNAME":"h"}', 1)).toMatchObject({ fields: { format: 'journal-json', host: 'h' }, message: 'hi' });
    expect(recordFromLine('\x1e{"MESSAGE":"seq"}', 1).message).toBe('seq');
    expect(recordFromLine('', 1)).toEqual({ line: 1, raw: '', message: '', fields: { format: 'plain' } });
    expect(recordFromLine('LAST SEEN   TYPE   REASON   OBJECT   MESSAGE', 1).fields.format).toBe('plain');
  });

  it('frames a string with line breaks as one record', () => {
    const r = recordFromLine("Error: ENOSPC: x, watch '/a'\n    at f (x.js:1:1)\n", 3);
    expect(r).toMatchObject({ line: 3, fields: { format: 'node-error' }, message: "Error: ENOSPC: x, watch '/a' at f (x.js:1:1)" });
    expect(recordFromLine('one\ntwo', 1)).toMatchObject({ message: 'one two', raw: 'one\ntwo' });
  });

  it('never throws on values of the wrong type', () => {
    expect(recordFromLine(undefined as unknown as string, Number.NaN)).toEqual({ line: 1, raw: '', message: '', fields: { format: 'plain' } });
    expect(frameText(42 as unknown as string)).toEqual([]);
    expect(createFramer({ accept: 'nope' as unknown as (s: string) => boolean }).push(null as unknown as string)).toEqual([]);
  });
});

describe('framer: robustness', () => {
  it('reads a line longer than MAX_LINE up to MAX_LINE, whole or in pieces, and goes on with the next line', () => {
    const long = `Mar 04 10:30:58 node-a app[1]: ${'x'.repeat(MAX_LINE * 2)} no space left on device`;
    const next = 'Mar 04 10:30:59 node-a kubelet[2]: tail: inotify resources exhausted';
    for (const piece of [MAX_LINE * 4, 1 << 16, 1000]) {
      const f = createFramer();
      const text = `${long}\n${next}\n`;
      const recs: LogRecord[] = [];
      for (let i = 0; i < text.length; i += piece) recs.push(...f.push(text.slice(i, i + piece)));
      recs.push(...f.end());
      expect(recs.map((r) => r.line), `pieces of ${piece}`).toEqual([1, 2]);
      expect(recs[0]!.raw.length).toBe(MAX_LINE);
      expect(recs[0]!.raw).not.toContain('no space left');
      expect(recs[1]!.raw).toBe(next);
      expect(f.lines).toBe(2);
    }
  });


  const alphabet = fc.constantFrom(
    ...'\n\r\t \\"\'{}[]:,-<>#|x0123456789'.split(''),
    'Nov 14 10:23:45 h k[1]: ',
    'E1114 10:23:45.123456    1 a.go:1] ',
    'Events:\n',
    '  Type  Reason  Age  From  Message\n',
    '  Warning  Failed  1m (x2 over 3m)  kubelet  ',
    'LAST SEEN   TYPE   REASON   OBJECT   MESSAGE\n',
    'apiVersion: v1\n',
    '- apiVersion: v1\n',
    "  message: 'a\n",
    'data: {',
    '\x1e',
    '{"MESSAGE":',
    '{"ts":1,"msg":"',
    'time="x" level=error msg="',
    '=<\n\t',
    '    at f (x.js:1:1)\n',
    '2024-03-01T10:05:00Z stdout P ',
    'Tue 2023-11-14 10:23:45.123456 UTC [s=1]\n    MESSAGE=',
    '__CURSOR=s\n',
    '\x1b[31m',
    '\\x2d',
    '\\u00',
    '\u0000',
    '\ufeff',
    '😀',
  );
  const inputs = fc.array(alphabet, { maxLength: 80 }).map((parts) => parts.join(''));

  it('never throws and gives the same records for any chunking (property)', () => {
    fc.assert(
      fc.property(inputs, fc.array(fc.nat(400), { maxLength: 6 }), (text, cuts) => {
        const whole = JSON.stringify(frameChunks([text]).records);
        const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(text.slice(prev, p));
          prev = p;
        }
        chunks.push(text.slice(prev));
        const split = JSON.stringify(frameChunks(chunks).records);
        const lines = text.split('\n');
        for (const line of lines) recordFromLine(line, 1);
        return split === whole;
      }),
      { numRuns: 1000 },
    );
  });

  it('every record has a line number within the input and a string message', () => {
    fc.assert(
      fc.property(inputs, (text) => {
        const { records, lines } = frameChunks([text]);
        return records.every((r) => r.line >= 1 && r.line <= Math.max(1, lines) && typeof r.message === 'string' && typeof r.raw === 'string');
      }),
      { numRuns: 500 },
    );
  });

  it('stays fast on adversarial lines', () => {
    const cases = [
      'x'.repeat(20_000_000),
      `{"a":"${'x'.repeat(5_000_000)}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `time=${'"'.repeat(1_000_000)}`,
      `${'\\'.repeat(5_000_000)}"`,
      `  Warning  Failed  ${'(x1 over '.repeat(200_000)}`,
      `LAST SEEN   TYPE   REASON   OBJECT   MESSAGE\n${'1m   Warning   '.repeat(300_000)}`,
      `apiVersion: v1\nmessage: '${"''".repeat(1_000_000)}`,
      'E1114 10:23:45.123456    1 a.go:1] "m" k=<\n' + '\tline\n'.repeat(200_000),
      '{\n'.repeat(100_000),
      `${'a '.repeat(3_000_000)}`,
      `Nov 14 10:23:45 ${'h'.repeat(5_000_000)}`,
      `${'1m   Warning   '.repeat(300_000)}`,
      `apiVersion: v1\nkind: Event\nmessage: 'a\n${'  more text\n'.repeat(200_000)}  end'`,
      `apiVersion: v1\nkind: Event\nmessage: "a\\\n${'  more \\" text\n'.repeat(200_000)}  end"`,
      `Tue 2023-11-14 10:23:45.123456 UTC [s=1]\n${'    MESSAGE=x\n'.repeat(300_000)}`,
    ];
    // Bounds are ratios to benign text of the same length (the machine may be busy), not times.
    const time = (text: string): number => {
      const t = performance.now();
      const f = createFramer({ accept: (s) => s.length > 0 });
      for (let i = 0; i < text.length; i += 1 << 16) f.push(text.slice(i, i + (1 << 16)));
      f.end();
      return performance.now() - t;
    };
    // Benign text in long lines and in short ones (per-line costs dominate): its cost per char,
    // the best of three runs on 1 M chars, scaled to each case's length. Framing 20 M chars of
    // short benign lines per case took most of this test's time and made it time out on a busy machine.
    const fit = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    const longLines = 'Nov 14 10:23:45 node-a kubelet[2301]: the quick brown fox jumps over the lazy dog, all good\n';
    const perChar = (): number =>
      Math.max(
        ...[fit(longLines, 1_000_000), fit('all ok\n', 1_000_000)].map((r) => Math.min(time(r), time(r), time(r)) / r.length),
      );
    const before = perChar();
    const ratios = cases.map((text) => ({ text, ms: time(text) }));
    const rate = Math.max(before, perChar());
    for (const { text, ms } of ratios) {
      expect(ms / Math.max(5, rate * text.length), text.slice(0, 40)).toBeLessThan(20);
    }
  });

  it('frames every corpus and seed excerpt without losing lines', () => {
    for (const file of ['corpus-dev.jsonl', 'seed-cases.jsonl']) {
      const cases = readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; text: string });
      for (const c of cases) {
        const { records, lines } = frameChunks([c.text]);
        expect(lines, c.id).toBe(c.text.split(/\r\n|\r|\n/).length - (c.text.endsWith('\n') ? 1 : 0));
        const nonBlank = c.text.split('\n').filter((l) => l.trim() !== '').length;
        expect(records.length, c.id).toBeGreaterThan(0);
        // A df table flattened onto one line is read as its rows, all under that line's number.
        expect(new Set(records.map((r) => r.line)).size, c.id).toBeLessThanOrEqual(nonBlank);
      }
    }
  });
});
