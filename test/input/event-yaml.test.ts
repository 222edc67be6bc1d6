import { describe, expect, it } from 'vitest';
import { frameText } from '../../src/input/frame.js';
import { parseYaml } from '../../src/input/yaml.js';

const plainObject = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('YAML subset', () => {
  it.each([
    ['block mapping and nesting', 'a: 1\nb:\n  c: x\n  d: null', { a: '1', b: { c: 'x', d: null } }],
    ['sequence at the key indentation (kubectl style)', 'items:\n- a: 1\n  b: 2\n- a: 3', { items: [{ a: '1', b: '2' }, { a: '3' }] }],
    ['indented sequence and scalar items', 'x:\n  - one\n  - two\n  -\n    k: v', { x: ['one', 'two', { k: 'v' }] }],
    ['nested sequences', 'x:\n- - a\n  - b\n- - c', { x: [['a', 'b'], ['c']] }],
    ['plain scalar folded over lines', 'm: first part\n  second part\n\n  after blank', { m: 'first part second part\nafter blank' }],
    ['single-quoted with doubled quotes, folded', "m: 'it''s folded\n  over lines'", { m: "it's folded over lines" }],
    ['double-quoted with escapes and \\ continuation', 'm: "a \\"quoted\\" word\\\n  \\ joined\\tTAB \\u003cnone\\u003e\n  next"', { m: 'a "quoted" word joined\tTAB <none> next' }],
    ['literal block scalar', 'm: |-\n  line one\n    indented\n  line two\nn: x', { m: 'line one\n  indented\nline two', n: 'x' }],
    ['folded block scalar', 'm: >\n  folded\n  text\n\n  para\n', { m: 'folded text\npara\n' }],
    ['flow collections', 'metadata: {name: web, namespace: default}\nlist: [a, "b, c", {k: v}]\nempty: {}', { metadata: { name: 'web', namespace: 'default' }, list: ['a', 'b, c', { k: 'v' }], empty: {} }],
    ['flow mapping over lines', 'm: {a: 1,\n  b: 2}', { m: { a: '1', b: '2' } }],
    ['anchors, aliases and tags stay text', 'a: &anchor value\nb: *anchor\nc: !!str x', { a: '&anchor value', b: '*anchor', c: '!!str x' }],
    ['comments', '# top\na: 1 # trailing\n# between\nb: 2', { a: '1', b: '2' }],
    ['quoted keys', '"a b": 1\n\'c\': 2', { 'a b': '1', c: '2' }],
    ['documents', '---\na: 1\n---\nb: 2\n...', [{ a: '1' }, { b: '2' }]],
  ])('%s', (_name, text, expected) => {
    const { docs } = parseYaml(text.split('\n'));
    expect(plainObject(Array.isArray(expected) ? docs : docs[0])).toEqual(expected);
  });

  it('never throws and stays bounded on malformed input', () => {
    for (const text of ['a: "unterminated\n  more', "a: 'x", 'a: {b: [c, {d', '- - - - - -', ':\n:\n- :', '  a: 1\nb: 2\n    c: 3', 'a:\n\t- x', '|\n  x']) {
      expect(() => parseYaml(text.split('\n'))).not.toThrow();
    }
    const deep = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    expect(() => parseYaml(deep)).not.toThrow();
    expect(() => parseYaml([`a: ${'['.repeat(5000)}`])).not.toThrow();
  });

  it('keys cannot reach a prototype', () => {
    const { docs } = parseYaml(['__proto__:', '  polluted: yes', 'constructor: {prototype: {polluted: yes}}']);
    expect(Object.getPrototypeOf(docs[0])).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('kubectl get events -o yaml', () => {
  it('reads a List with core/v1 and events.k8s.io/v1 items, line numbers and raw per item', () => {
    const text = [
      'apiVersion: v1',
      'items:',
      '- apiVersion: v1',
      '  count: 70',
      '  eventTime: null',
      '  firstTimestamp: "2019-06-04T08:01:12Z"',
      '  involvedObject:',
      '    kind: Pod',
      '    name: jenkins-1',
      '    namespace: jenkins',
      '  kind: Event',
      '  lastTimestamp: "2019-06-04T08:16:02Z"',
      "  message: 'unable to ensure pod container exists: failed to create container for [kubepods",
      '    besteffort podc6ee] : mkdir /sys/fs/cgroup/memory/kubepods/besteffort/podc6ee: no space',
      "    left on device'",
      '  reason: FailedCreatePodContainer',
      '  source:',
      '    component: kubelet',
      '    host: 10.10.252.4',
      '  type: Warning',
      '- action: Binding',
      '  apiVersion: events.k8s.io/v1',
      '  deprecatedCount: 12',
      '  deprecatedSource: {component: kubelet, host: node-a}',
      '  kind: Event',
      '  metadata: {name: web.17a3, namespace: default}',
      '  note: "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create\\',
      '    \\ containerd task: \\"x\\": no space left on device: unknown"',
      '  reason: FailedCreatePodSandBox',
      '  regarding: {kind: Pod, namespace: default, name: web-7d4b9c-x2x8z}',
      '  reportingController: kubelet',
      '  reportingInstance: node-a',
      '  type: Warning',
      'kind: List',
      'metadata:',
      '  resourceVersion: ""',
      'Nov 14 10:23:45 node-a kubelet[2301]: after the document',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.fields.format])).toEqual([
      [3, 'event-yaml'],
      [21, 'event-yaml'],
      [37, 'journal'],
    ]);
    expect(recs[0]?.fields).toEqual({
      format: 'event-yaml',
      type: 'Warning',
      reason: 'FailedCreatePodContainer',
      object: 'Pod/jenkins-1',
      namespace: 'jenkins',
      component: 'kubelet',
      host: '10.10.252.4',
      count: 70,
      time: '2019-06-04T08:16:02Z',
    });
    expect(recs[0]?.message).toBe(
      'unable to ensure pod container exists: failed to create container for [kubepods besteffort podc6ee] : mkdir /sys/fs/cgroup/memory/kubepods/besteffort/podc6ee: no space left on device',
    );
    expect(recs[0]?.raw.split('\n')).toHaveLength(18);
    expect(recs[1]?.fields).toEqual({
      format: 'event-yaml',
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      object: 'Pod/web-7d4b9c-x2x8z',
      namespace: 'default',
      component: 'kubelet',
      host: 'node-a',
      count: 12,
    });
    expect(recs[1]?.message).toBe('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: "x": no space left on device: unknown');
  });

  it('reads a single Event object (dev corpus shape) with a block scalar message', () => {
    const text = [
      'apiVersion: v1',
      'count: 1',
      'involvedObject:',
      '  kind: Pod',
      '  name: demo',
      'kind: Event',
      'message: |',
      '  Failed to pull image: write /var/lib/containerd/x: no space left on device',
      'reason: FailedPullImage',
      'reportingComponent: ""',
      'source:',
      '  component: kubelet',
      'type: Warning',
    ].join('\n');
    const [r] = frameText(text);
    expect(r?.line).toBe(1);
    expect(r?.fields).toMatchObject({ format: 'event-yaml', reason: 'FailedPullImage', count: 1, component: 'kubelet' });
    expect(r?.message).toBe('Failed to pull image: write /var/lib/containerd/x: no space left on device');
  });

  it('objects pasted one after the other without --- are separate documents', () => {
    const one = ['apiVersion: v1', 'kind: Event', 'message: first', 'reason: A', 'source:', '  component: kubelet', 'type: Warning'];
    const two = ['apiVersion: v1', 'kind: Event', 'message: second', 'reason: B', 'source: {component: kubelet}', 'type: Normal'];
    const recs = frameText([...one, ...two, '---', ...one].join('\n'));
    expect(recs.map((r) => [r.line, r.fields.reason, r.message])).toEqual([
      [1, 'A', 'first'],
      [8, 'B', 'second'],
      [15, 'A', 'first'],
    ]);
  });

  it('a YAML document with nothing recognisable is read line by line', () => {
    const recs = frameText('apiVersion: v1\nkind: ConfigMap\ndata:\n  key: value');
    expect(recs.map((r) => [r.line, r.fields.format, r.message])).toEqual([
      [1, 'plain', 'apiVersion: v1'],
      [2, 'plain', 'kind: ConfigMap'],
      [3, 'plain', 'data:'],
      [4, 'plain', 'key: value'],
    ]);
  });

  it('ends the document at a column-0 line that is not a Kubernetes key', () => {
    const recs = frameText(['apiVersion: v1', 'kind: Event', 'reason: X', 'message: m', 'type: Normal', 'source: {component: kubelet}', 'Error: something else'].join('\n'));
    expect(recs.map((r) => [r.line, r.fields.format, r.message])).toEqual([
      [1, 'event-yaml', 'm'],
      [7, 'plain', 'Error: something else'],
    ]);
  });
});
