import { describe, expect, it } from 'vitest';
import { createFramer, frameText } from '../../src/input/frame.js';

const coreEvent = {
  apiVersion: 'v1',
  kind: 'Event',
  type: 'Warning',
  reason: 'FailedCreatePodContainer',
  count: 70,
  firstTimestamp: '2019-06-04T08:01:12Z',
  lastTimestamp: '2019-06-04T08:16:02Z',
  eventTime: null,
  involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'jenkins', name: 'jenkins-7845b9b665-nrvks', uid: 'c6eeec88' },
  source: { component: 'kubelet', host: '10.10.252.4' },
  reportingComponent: '',
  reportingInstance: '',
  message: '(combined from similar events): unable to ensure pod container exists: mkdir /sys/fs/cgroup/memory/kubepods/besteffort/podc6ee: no space left on device',
  metadata: { name: 'jenkins-7845b9b665-nrvks.15a4', namespace: 'jenkins' },
};
const coreFields = {
  format: 'event-json',
  type: 'Warning',
  reason: 'FailedCreatePodContainer',
  object: 'Pod/jenkins-7845b9b665-nrvks',
  namespace: 'jenkins',
  component: 'kubelet',
  host: '10.10.252.4',
  count: 70,
  time: '2019-06-04T08:16:02Z',
};
const coreMessage = 'unable to ensure pod container exists: mkdir /sys/fs/cgroup/memory/kubepods/besteffort/podc6ee: no space left on device';

const newEvent = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web.17a3', namespace: 'default' },
  eventTime: '2024-03-01T10:00:00.000000Z',
  reason: 'FailedCreatePodSandBox',
  type: 'Warning',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-x2x8z' },
  reportingController: 'kubelet',
  reportingInstance: 'node-a',
  deprecatedSource: { component: 'kubelet', host: 'node-a' },
  deprecatedCount: 12,
  series: { count: 15, lastObservedTime: '2024-03-01T10:05:00.000000Z' },
  note: 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: \u003cnil\u003e: no space left on device: unknown',
};

describe('kubectl get events -o json', () => {
  it('reads a core/v1 List, one record per item, with the line where the item starts', () => {
    const doc = JSON.stringify({ apiVersion: 'v1', items: [coreEvent, { ...coreEvent, count: 3, message: 'second' }], kind: 'List', metadata: { resourceVersion: '' } }, null, 4);
    const lines = doc.split('\n');
    const recs = frameText(doc);
    expect(recs).toHaveLength(2);
    expect(recs[0]?.fields).toEqual(coreFields);
    expect(recs[0]?.message).toBe(coreMessage);
    expect(recs.map((r) => r.line)).toEqual([lines.indexOf('        {') + 1, lines.lastIndexOf('        {') + 1]);
    expect(recs[0]?.raw.startsWith('        {')).toBe(true);
    expect(recs[0]?.raw.endsWith('        },')).toBe(true);
    expect(recs[1]?.raw.endsWith('        }')).toBe(true);
    expect(recs[1]?.fields.count).toBe(3);
  });

  it('reads events.k8s.io/v1 (note, regarding, series.count, reportingController)', () => {
    const [r] = frameText(JSON.stringify(newEvent, null, 2));
    expect(r?.line).toBe(1);
    expect(r?.fields).toEqual({
      format: 'event-json',
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      object: 'Pod/web-7d4b9c-x2x8z',
      namespace: 'default',
      component: 'kubelet',
      host: 'node-a',
      count: 15,
      time: '2024-03-01T10:05:00.000000Z',
    });
    expect(r?.message).toBe('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: <nil>: no space left on device: unknown');
  });

  it('falls back through deprecatedCount and legacy fields', () => {
    const { series: _s, ...noSeries } = newEvent;
    expect(frameText(JSON.stringify(noSeries))[0]?.fields.count).toBe(12);
  });

  it('reads single-line objects and arrays of events', () => {
    const text = `${JSON.stringify(coreEvent)}\n${JSON.stringify([coreEvent, newEvent])}`;
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.fields.reason])).toEqual([
      [1, 'FailedCreatePodContainer'],
      [2, 'FailedCreatePodContainer'],
      [2, 'FailedCreatePodSandBox'],
    ]);
  });

  it('decodes JSON escapes that hide keywords before the prefilter sees the message', () => {
    const f = createFramer({ accept: (s) => s.includes('no space left on device') });
    const line = JSON.stringify({ ...coreEvent, message: 'x' }).replace('"message":"x"', '"message":"mkdir /x: no\\u0020space left on device"');
    const recs = [...f.push(line), ...f.end()];
    expect(recs.map((r) => r.message)).toEqual(['mkdir /x: no space left on device']);
  });

  it('reads node conditions and pod status messages from other objects', () => {
    const node = {
      kind: 'Node',
      metadata: { name: 'node-a' },
      status: {
        conditions: [
          { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', lastTransitionTime: '2024-01-01T00:00:00Z' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
        ],
      },
    };
    const pod = {
      kind: 'Pod',
      status: {
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: ephemeral-storage.',
        containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CreateContainerError', message: 'mkdir /x: no space left on device' } } }],
      },
    };
    const recs = frameText(`${JSON.stringify(node, null, 2)}\n${JSON.stringify(pod)}`);
    expect(recs.map((r) => [r.fields.format, r.fields.reason, r.fields.condition, r.message])).toEqual([
      ['event-json', 'KubeletHasDiskPressure', 'DiskPressure', 'DiskPressure True KubeletHasDiskPressure kubelet has disk pressure'],
      ['event-json', 'KubeletReady', 'Ready', 'Ready True KubeletReady kubelet is posting ready status'],
      ['event-json', 'Evicted', undefined, 'The node was low on resource: ephemeral-storage.'],
      ['event-json', 'CreateContainerError', undefined, 'mkdir /x: no space left on device'],
    ]);
  });

  it('unknown JSON is read line by line as plain text', () => {
    const recs = frameText('{"Error":"write /var/run/docker/x/config.json: no space left on device"}\n{\n  "a": 1\n}');
    expect(recs.map((r) => [r.line, r.fields.format, r.message])).toEqual([
      [1, 'plain', '{"Error":"write /var/run/docker/x/config.json: no space left on device"}'],
      [2, 'plain', '{'],
      [3, 'plain', '"a": 1'],
      [4, 'plain', '}'],
    ]);
  });

  it('treats __proto__ and constructor keys as data', () => {
    const evil = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"kind":"Event","reason":"X","message":"m","source":{"__proto__":{"component":"evil"}},"involvedObject":{"kind":"Pod","name":"p","__proto__":{"x":1}}}';
    const recs = frameText(`${evil}\n${JSON.stringify({ items: [JSON.parse(evil)] }, null, 1)}`);
    expect(recs.map((r) => r.fields.reason)).toEqual(['X', 'X']);
    expect(recs[0]?.fields.component).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getPrototypeOf(recs[0]?.fields)).toBe(Object.prototype);
  });

  it('an unterminated document is read line by line at the end of input', () => {
    const recs = frameText('{\n  "kind": "Event",\n  "message": "no space left on device"');
    expect(recs.map((r) => [r.line, r.fields.format])).toEqual([
      [1, 'plain'],
      [2, 'plain'],
      [3, 'plain'],
    ]);
  });

  it('a document interrupted by a non-JSON line is read line by line, and the line after it normally', () => {
    const recs = frameText('{\n  "kind": "Event",\nNov 14 10:23:45 node-a kubelet[1]: hello');
    expect(recs.map((r) => [r.line, r.fields.format])).toEqual([
      [1, 'plain'],
      [2, 'plain'],
      [3, 'journal'],
    ]);
  });

  it('caps the document buffer and falls back to line-by-line reading', () => {
    const filler = `  "x": "${'a'.repeat(1024 * 1024)}",`;
    const text = ['{', ...Array.from({ length: 9 }, () => filler), '  "message": "no space left on device"', '}'].join('\n');
    const f = createFramer();
    const recs = [...f.push(text), ...f.end()];
    expect(recs).toHaveLength(12);
    expect(recs.every((r) => r.fields.format === 'plain')).toBe(true);
    expect(recs[10]?.message).toBe('"message": "no space left on device"');
  });
});
