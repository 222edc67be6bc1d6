import { describe, expect, it } from 'vitest';
import { createFramer, frameText } from '../../src/input/frame.js';

const MSG = 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: mkdir /sys/fs/cgroup/memory/kubepods/pod5f1c: no space left on device: unknown';

describe('kubectl get events tables', () => {
  it.each([
    [
      '≥ 1.14: LAST SEEN TYPE REASON OBJECT MESSAGE',
      ['LAST SEEN   TYPE      REASON                   OBJECT                 MESSAGE', `12s         Warning   FailedCreatePodSandBox   pod/web-7d4b9c-x2x8z   ${MSG}`],
      { format: 'kubectl-events', time: '12s', type: 'Warning', reason: 'FailedCreatePodSandBox', object: 'pod/web-7d4b9c-x2x8z' },
    ],
    [
      '-A: NAMESPACE in front',
      [
        'NAMESPACE     LAST SEEN   TYPE      REASON                   OBJECT                 MESSAGE',
        `kube-system   12s         Warning   FailedCreatePodSandBox   pod/web-7d4b9c-x2x8z   ${MSG}`,
      ],
      { namespace: 'kube-system', time: '12s', object: 'pod/web-7d4b9c-x2x8z' },
    ],
    [
      'kubectl events: (xN over M) and capitalised kind',
      ['LAST SEEN            TYPE      REASON                   OBJECT      MESSAGE', `22m (x11 over 72m)   Warning   FailedCreatePodSandBox   Pod/web-1   ${MSG}`],
      { time: '22m', count: 11, object: 'Pod/web-1' },
    ],
    [
      '1.12–1.13: KIND instead of OBJECT',
      ['LAST SEEN   TYPE      REASON                   KIND   MESSAGE', `12s         Warning   FailedCreatePodSandBox   Pod    ${MSG}`],
      { time: '12s', type: 'Warning', object: 'Pod' },
    ],
    [
      '-o wide: SUBOBJECT, SOURCE, then FIRST SEEN, COUNT, NAME after MESSAGE',
      [
        'LAST SEEN   TYPE      REASON                   OBJECT      SUBOBJECT              SOURCE            MESSAGE' + ' '.repeat(MSG.length - 4) + 'FIRST SEEN   COUNT   NAME',
        `12s         Warning   FailedCreatePodSandBox   pod/web-1   spec.containers{app}   kubelet, node-a   ${MSG}   15m          70      web-1.15a2`,
      ],
      { time: '12s', count: 70, object: 'pod/web-1', subobject: 'spec.containers{app}', component: 'kubelet', host: 'node-a' },
    ],
    [
      '-o wide with an empty SUBOBJECT',
      [
        'LAST SEEN   TYPE      REASON                   OBJECT      SUBOBJECT   SOURCE            MESSAGE' + ' '.repeat(MSG.length - 4) + 'FIRST SEEN   COUNT   NAME',
        `12s         Warning   FailedCreatePodSandBox   pod/web-1               kubelet, node-a   ${MSG}   15m          70      web-1.15a2`,
      ],
      { count: 70, component: 'kubelet', host: 'node-a' },
    ],
    [
      '≈1.10–1.11: LAST SEEN FIRST SEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE',
      [
        'LAST SEEN   FIRST SEEN   COUNT     NAME             KIND      SUBOBJECT   TYPE      REASON                   SOURCE            MESSAGE',
        `5m          17h          3397      web-1.15a2       Pod                   Warning   FailedCreatePodSandBox   kubelet, node-a   ${MSG}`,
      ],
      { time: '5m', count: 3397, object: 'Pod/web-1.15a2', component: 'kubelet', host: 'node-a' },
    ],
    [
      '≤ 1.10 client-side: LASTSEEN FIRSTSEEN COUNT …',
      [
        'LASTSEEN   FIRSTSEEN   COUNT     NAME                          KIND      SUBOBJECT                           TYPE      REASON    SOURCE                    MESSAGE',
        `5m         17h         3397      csi-cephfsplugin-27znb.15a2   Pod       spec.containers{csi-cephfsplugin}   Warning   Failed    kubelet, ip-10-0-151-35   (combined from similar events): ${MSG}`,
      ],
      { time: '5m', count: 3397, object: 'Pod/csi-cephfsplugin-27znb.15a2', subobject: 'spec.containers{csi-cephfsplugin}', reason: 'Failed', host: 'ip-10-0-151-35' },
    ],
    [
      'header kept but spacing collapsed by the paste',
      ['LAST SEEN TYPE REASON OBJECT MESSAGE', `12s Warning FailedCreatePodSandBox pod/web-1 ${MSG}`],
      { time: '12s', type: 'Warning', reason: 'FailedCreatePodSandBox', object: 'pod/web-1' },
    ],
    [
      '<unknown> and <invalid> ages',
      ['LAST SEEN   TYPE      REASON                   OBJECT      MESSAGE', `<unknown>   Warning   FailedCreatePodSandBox   pod/web-1   ${MSG}`],
      { time: '<unknown>' },
    ],
  ])('%s', (_name, lines, fields) => {
    const recs = frameText(lines.join('\n'));
    expect(recs).toHaveLength(1);
    expect(recs[0]?.line).toBe(2);
    expect(recs[0]?.raw).toBe(lines[1]);
    expect(recs[0]?.fields).toMatchObject({ format: 'kubectl-events', ...fields });
    expect(recs[0]?.message).toBe(MSG);
  });

  it.each([
    ['current layout', `12s         Warning   FailedCreatePodSandBox   pod/web-1   ${MSG}`, { time: '12s', object: 'pod/web-1' }],
    ['with namespace', `kube-system   5m   Warning   FailedCreatePodSandBox   pod/web-1   ${MSG}`, { namespace: 'kube-system', object: 'pod/web-1' }],
    ['kubectl events repeat', `22m (x11 over 72m)   Warning   FailedCreatePodSandBox   Pod/web-1   ${MSG}`, { count: 11 }],
    [
      'old layout',
      `5m   17h   3397   csi-cephfsplugin-27znb.15a2   Pod   spec.containers{csi-cephfsplugin}   Warning   Failed   kubelet, ip-10-0-151-35.us-west-2.compute.internal   (combined from similar events): ${MSG}`,
      { count: 3397, reason: 'Failed', host: 'ip-10-0-151-35.us-west-2.compute.internal' },
    ],
  ])('rows without a header (--no-headers): %s', (_name, line, fields) => {
    const [r] = frameText(line);
    expect(r?.fields).toMatchObject({ format: 'kubectl-events', type: 'Warning', ...fields });
    expect(r?.message).toBe(MSG);
  });

  it('ends the table at a blank line or a line that is not a row', () => {
    const text = [
      'LAST SEEN   TYPE      REASON    OBJECT      MESSAGE',
      '1m          Normal    Pulled    pod/web-1   Container image already present',
      'Nov 14 10:23:45 node-a kubelet[2301]: not a row',
      '2m          Normal    Created   pod/web-1   headerless row after the table',
      '',
      'LAST SEEN   TYPE      REASON    OBJECT      MESSAGE',
      '3m          Normal    Started   pod/web-1   Started container',
    ].join('\n');
    expect(frameText(text).map((r) => [r.line, r.fields.format, r.message])).toEqual([
      [2, 'kubectl-events', 'Container image already present'],
      [3, 'journal', 'not a row'],
      [4, 'kubectl-events', 'headerless row after the table'],
      [7, 'kubectl-events', 'Started container'],
    ]);
  });

  it('recognises the header even when the prefilter rejects it, and filters rows on the decoded message', () => {
    const seen: string[] = [];
    const f = createFramer({
      accept: (s) => {
        seen.push(s);
        return s.includes('no space');
      },
    });
    const text = [
      'LAST SEEN   TYPE      REASON    OBJECT      MESSAGE',
      '1m          Normal    Pulled    pod/web-1   Container image already present',
      `2m          Warning   Failed    pod/web-1   ${MSG}`,
    ].join('\n');
    const recs = [...f.push(text), ...f.end()];
    expect(recs.map((r) => r.line)).toEqual([3]);
    expect(f.records).toBe(2);
    expect(f.lines).toBe(3);
    expect(seen).toEqual(['Container image already present', MSG]);
  });
});
