import { describe, expect, it } from 'vitest';
import { classify, createClassifier } from '../../src/index.js';
import { createFramer, frameText, recordFromLine } from '../../src/input/frame.js';

describe('CRI container log files', () => {
  it.each([
    [
      'containerd, klog payload',
      '2024-03-01T10:05:00.123456789Z stderr F E1114 10:23:45.123456       1 raw.go:146] Failed to watch directory: no space left on device',
      { format: 'cri-log', time: '2024-03-01T10:05:00.123456789Z', stream: 'stderr', inner: 'klog', severity: 'error', pid: 1, caller: 'raw.go:146' },
      'Failed to watch directory: no space left on device',
    ],
    [
      'CRI-O offset, logrus payload',
      '2024-03-01T10:05:00.123456789+00:00 stdout F time="2024-03-01T10:05:00Z" level=error msg="x" error="no space left on device"',
      { format: 'cri-log', time: '2024-03-01T10:05:00.123456789+00:00', stream: 'stdout', inner: 'logrus', severity: 'error' },
      'x error=no space left on device',
    ],
    ['empty line', '2024-03-01T10:05:00Z stdout F ', { format: 'cri-log', time: '2024-03-01T10:05:00Z', stream: 'stdout' }, ''],
  ])('%s', (_name, line, fields, message) => {
    const r = recordFromLine(line, 1);
    expect(r.fields).toEqual(fields);
    expect(r.message).toBe(message);
  });

  it('joins P partial lines of the same stream until F', () => {
    const text = [
      '2024-03-01T10:05:00.1Z stdout P {"ts":1700000000123.456,"caller":"x.go:1","msg":"CreatePodSandbox for pod fai',
      '2024-03-01T10:05:00.2Z stderr F interleaved stderr line',
      '2024-03-01T10:05:00.3Z stdout P led","err":"no space left ',
      '2024-03-01T10:05:00.4Z stdout F on device"}',
      '2024-03-01T10:05:00.5Z stdout F next',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [1, '{"ts":1700000000123.456,"caller":"x.go:1","msg":"CreatePodSandbox for pod fai'],
      [2, 'interleaved stderr line'],
      [3, 'led","err":"no space left on device"}'],
      [5, 'next'],
    ]);
    const joined = frameText([text.split('\n')[0], `2024-03-01T10:05:00.3Z stdout F led","err":"no space left on device"}`].join('\n'));
    expect(joined).toHaveLength(1);
    expect(joined[0]?.fields).toMatchObject({ format: 'cri-log', inner: 'klog-json', severity: 'error', caller: 'x.go:1', time: '2024-03-01T10:05:00.1Z' });
    expect(joined[0]?.message).toBe('CreatePodSandbox for pod failed err=no space left on device');
    expect(joined[0]?.raw.split('\n')).toHaveLength(2);
  });
});

describe('CRI partial lines and the prefilter', () => {
  // Found by the variant test: a runtime splits a long line wherever the 16 KiB boundary falls,
  // also inside the words the prefilter looks for.
  const accept = (raw: string): boolean => raw.includes('no space left on device');
  const split = [
    '2024-03-01T10:05:00.1Z stderr P write /var/lib/app/data.db: no space left o',
    '2024-03-01T10:05:00.1Z stderr F n device',
  ].join('\n');

  it('offers the joined entries to accept, not the partial line alone', () => {
    const recs = frameText(split, { accept });
    expect(recs.map((r) => [r.line, r.message])).toEqual([[1, 'write /var/lib/app/data.db: no space left on device']]);
  });

  it('still drops a joined record that accept rejects, and counts it', () => {
    const f = createFramer({ accept });
    const recs = [...f.push('2024-03-01T10:05:00.1Z stdout P healthy and\n2024-03-01T10:05:00.1Z stdout F  long\nnext line\n'), ...f.end()];
    expect(recs).toEqual([]);
    expect(f.records).toBe(2);
    expect(f.lines).toBe(3);
  });

  it('classifies a line split inside its anchor, whole or streamed in chunks', () => {
    const text = [
      '2024-03-01T10:05:00.1Z stderr P E1114 10:23:45.123456       1 kuberuntime_manager.go:1172] Failed to pull image: write /var/lib/containerd/io.containerd.content.v1.content/ingest/4f2a/data: no space le',
      '2024-03-01T10:05:00.1Z stderr F ft on device',
    ].join('\n');
    const whole = classify(text);
    expect(whole.cause).not.toBeNull();
    expect(whole.cause).toBe(classify(text.replace('\n2024-03-01T10:05:00.1Z stderr F ', '').replace('stderr P', 'stderr F')).cause);
    for (const size of [7, 64, 200]) {
      const c = createClassifier();
      for (let i = 0; i < text.length; i += size) c.write(text.slice(i, i + size));
      expect(c.end().cause, `chunks of ${size}`).toBe(whole.cause);
    }
  });
});

describe('docker json-file', () => {
  it('peels the log line inside', () => {
    const recs = frameText(
      [
        '{"log":"E1114 10:23:45.123456       1 raw.go:146] Failed: no space left on device\\n","stream":"stderr","time":"2019-01-01T11:11:11.111111111Z"}',
        '{"log":"Error: ENOSPC: System limit for number of file watchers reached, watch \'/app/src\'\\n","stream":"stderr","time":"2019-01-01T11:11:12Z"}',
        '{"log":"plain \\u003cbr\\u003e text\\r\\n","stream":"stdout","time":"2019-01-01T11:11:13Z"}',
      ].join('\n'),
    );
    expect(recs.map((r) => [r.fields, r.message])).toEqual([
      [
        { format: 'docker-json', time: '2019-01-01T11:11:11.111111111Z', stream: 'stderr', inner: 'klog', severity: 'error', pid: 1, caller: 'raw.go:146' },
        'Failed: no space left on device',
      ],
      [
        { format: 'docker-json', time: '2019-01-01T11:11:12Z', stream: 'stderr', inner: 'node-error', code: 'ENOSPC', syscall: 'watch', path: '/app/src' },
        "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'",
      ],
      [{ format: 'docker-json', time: '2019-01-01T11:11:13Z', stream: 'stdout' }, 'plain <br> text'],
    ]);
  });
});

describe('docker json-file entries split over 16 KiB', () => {
  const entry = (log: string, stream = 'stderr'): string => JSON.stringify({ log, stream, time: '2019-01-01T11:11:11.111111111Z' });

  it('joins entries without a trailing newline with the next ones of the stream', () => {
    const recs = frameText([entry('E1114 10:23:45.123456       1 raw.go:146] write /var/lib/app/data.db: no space le'), entry('ft on device\n'), entry('next\n')].join('\n'));
    expect(recs.map((r) => [r.line, r.message, r.raw.split('\n').length])).toEqual([
      [1, 'write /var/lib/app/data.db: no space left on device', 2],
      [3, 'next', 1],
    ]);
    expect(recs[0]?.fields).toMatchObject({ format: 'docker-json', stream: 'stderr', inner: 'klog', caller: 'raw.go:146' });
  });

  it('offers the joined entry to the prefilter', () => {
    const accept = (raw: string): boolean => raw.includes('no space left on device');
    const recs = frameText([entry('write /var/lib/app/data.db: no space le'), entry('ft on device\n')].join('\n'), { accept });
    expect(recs.map((r) => r.message)).toEqual(['write /var/lib/app/data.db: no space left on device']);
  });

  it('ends a split at another stream, a line of another format, or the end of input', () => {
    expect(frameText([entry('part one'), entry('other stream\n', 'stdout')].join('\n')).map((r) => r.message)).toEqual(['part one', 'other stream']);
    expect(frameText([entry('part one'), 'plain line'].join('\n')).map((r) => r.message)).toEqual(['part one', 'plain line']);
    expect(frameText(entry('cut at the end')).map((r) => r.message)).toEqual(['cut at the end']);
  });

  it('is the same whatever the chunking', () => {
    const text = [entry('write /var/lib/app/data.db: no space le'), entry('ft'), entry(' on device\n'), entry('next\n')].join('\n');
    const whole = frameText(text).map((r) => r.message);
    expect(whole).toEqual(['write /var/lib/app/data.db: no space left on device', 'next']);
    for (const size of [1, 13, 80]) {
      const f = createFramer();
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...f.push(text.slice(i, i + size)));
      got.push(...f.end());
      expect(got.map((r) => r.message), `chunks of ${size}`).toEqual(whole);
    }
  });
});
