import { describe, expect, it } from 'vitest';
import { createFramer, frameText } from '../../src/input/frame.js';

const MKDIR = 'unable to ensure pod container exists: failed to create container for [kubepods besteffort podc6ee] : mkdir /sys/fs/cgroup/memory/kubepods/besteffort/podc6ee: no space left on device';

describe('kubectl describe Events:', () => {
  it('reads the current layout with (xN over M), both From generations and <none>', () => {
    const text = [
      'Name:         jenkins-7845b9b665-nrvks',
      'Events:',
      '  Type     Reason                    Age                 From                  Message',
      '  ----     ------                    ----                ----                  -------',
      '  Normal   Scheduled                 15m                 default-scheduler     Successfully assigned jenkins/jenkins-1 to 10.10.252.4',
      `  Warning  FailedCreatePodContainer  25s (x70 over 15m)  kubelet, 10.10.252.4  ${MKDIR}`,
      '  Warning  Failed                    5m1s (x3397 over 17h)  kubelet  (combined from similar events): Error: container create failed: no space left on device',
      '',
      'Name:         other',
      'Events:       <none>',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.fields.format])).toEqual([
      [1, 'plain'],
      [5, 'kubectl-describe'],
      [6, 'kubectl-describe'],
      [7, 'kubectl-describe'],
      [9, 'plain'],
    ]);
    expect(recs[1]?.fields).toEqual({ format: 'kubectl-describe', type: 'Normal', reason: 'Scheduled', time: '15m', component: 'default-scheduler' });
    expect(recs[2]?.fields).toEqual({
      format: 'kubectl-describe',
      type: 'Warning',
      reason: 'FailedCreatePodContainer',
      time: '25s',
      count: 70,
      component: 'kubelet',
      host: '10.10.252.4',
    });
    expect(recs[2]?.message).toBe(MKDIR);
    expect(recs[3]?.fields).toMatchObject({ count: 3397, component: 'kubelet' });
    expect(recs[3]?.message).toBe('Error: container create failed: no space left on device');
  });

  it('reads a header without the Events: line, and {kubelet host} From (≤ 1.5)', () => {
    const text = [
      '  Type     Reason      Age   From                      Message',
      '  ----     ------      ----  ----                      -------',
      '  Warning  FailedSync  41m   {kubelet node-a}          Error syncing pod: mkdir /var/lib/kubelet/pods/x: no space left on device',
      '  Normal   Scheduled   41m   {default-scheduler }      Successfully assigned x',
    ].join('\n');
    expect(frameText(text).map((r) => [r.line, r.fields.component, r.fields.host, r.message])).toEqual([
      [3, 'kubelet', 'node-a', 'Error syncing pod: mkdir /var/lib/kubelet/pods/x: no space left on device'],
      [4, 'default-scheduler', undefined, 'Successfully assigned x'],
    ]);
  });

  it('reads the pre-1.8 layout (FirstSeen LastSeen Count From SubObjectPath Type Reason Message, tab-separated)', () => {
    const text = [
      'Events:',
      '  FirstSeen\tLastSeen\tCount\tFrom\t\t\tSubObjectPath\tType\t\tReason\t\tMessage',
      '  ---------\t--------\t-----\t----\t\t\t-------------\t--------\t------\t\t-------',
      '  41m\t\t41m\t\t1\t{default-scheduler }\t\t\tNormal\t\tScheduled\tSuccessfully assigned x to node',
      '  5m\t\t4m\t\t2\t{kubelet node-a}\tspec.containers{app}\tWarning\t\tFailed\t\tFailed to create docker container: no space left on device',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => r.line)).toEqual([4, 5]);
    expect(recs[1]?.fields).toEqual({
      format: 'kubectl-describe',
      type: 'Warning',
      reason: 'Failed',
      time: '4m',
      count: 2,
      subobject: 'spec.containers{app}',
      component: 'kubelet',
      host: 'node-a',
    });
    expect(recs[1]?.message).toBe('Failed to create docker container: no space left on device');
  });

  it('reads the 2015 layout (Time From SubobjectPath Reason Message)', () => {
    const text = [
      'Time\t\t\t\tFrom\t\t\t\t\t\t\t\t\tSubobjectPath\tReason\t\tMessage',
      'Thu, 12 Feb 2015 18:34:09 +0000\t{kubelet k8s-node-1.c.example.internal}\t\t\tfailedSync\tError syncing pod, skipping: mkdir /var/lib/kubelet/pods/bb1e: no space left on device\t%!v(MISSING)',
    ].join('\n');
    const [r] = frameText(text);
    expect(r?.fields).toEqual({
      format: 'kubectl-describe',
      reason: 'failedSync',
      time: 'Thu, 12 Feb 2015 18:34:09 +0000',
      component: 'kubelet',
      host: 'k8s-node-1.c.example.internal',
    });
    expect(r?.message).toBe('Error syncing pod, skipping: mkdir /var/lib/kubelet/pods/bb1e: no space left on device %!v(MISSING)');
  });

  it.each([
    ['seed-4 row', `  Warning  FailedCreatePodContainer  25s (x70 over 15m)  kubelet, 10.10.252.4  ${MKDIR}`, { count: 70, host: '10.10.252.4' }, MKDIR],
    [
      'seed-3 row, whitespace collapsed',
      'Warning Failed 5m1s (x3397 over 17h) kubelet, ip-10-0-151-35.us-west-2.compute.internal (combined from similar events): Error: container create failed: x',
      { count: 3397, component: 'kubelet', host: 'ip-10-0-151-35.us-west-2.compute.internal', reason: 'Failed' },
      'Error: container create failed: x',
    ],
    [
      'pre-1.8 row with braces',
      '  41m   41m     1       {kubelet gke-pool-4ed8}      Warning FailedSync      Error syncing pod, skipping: no space left on device',
      { count: 1, reason: 'FailedSync', component: 'kubelet', host: 'gke-pool-4ed8' },
      'Error syncing pod, skipping: no space left on device',
    ],
    [
      'pre-1.8 row with a subobject',
      '  5m    5m      1       {kubelet ip-172-20-0-163}    spec.containers{api}     Warning Failed  Failed to create docker container: no space left on device',
      { subobject: 'spec.containers{api}', reason: 'Failed' },
      'Failed to create docker container: no space left on device',
    ],
  ])('rows without a header: %s', (_name, line, fields, message) => {
    const [r] = frameText(line);
    expect(r?.fields).toMatchObject({ format: 'kubectl-describe', type: 'Warning', ...fields });
    expect(r?.message).toBe(message);
  });
});

describe('kubectl describe Conditions:', () => {
  it('turns node condition rows into records with condition, status and reason', () => {
    const text = [
      'Conditions:',
      '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
      '  ----             ------  -----------------                 ------------------                ------                       -------',
      '  MemoryPressure   False   Mon, 20 Apr 2026 06:13:09 +0000   Thu, 16 Apr 2026 02:25:06 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available',
      '  DiskPressure     False   Mon, 20 Apr 2026 06:13:09 +0000   Mon, 20 Apr 2026 05:41:52 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure',
      '  Ready            True    Mon, 20 Apr 2026 06:13:09 +0000   Thu, 16 Apr 2026 02:25:06 +0000   KubeletReady                 kubelet is posting ready status',
      'Addresses:',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [4, 'MemoryPressure False KubeletHasSufficientMemory kubelet has sufficient memory available'],
      [5, 'DiskPressure False KubeletHasNoDiskPressure kubelet has no disk pressure'],
      [6, 'Ready True KubeletReady kubelet is posting ready status'],
      [7, 'Addresses:'],
    ]);
    expect(recs[1]?.fields).toEqual({
      format: 'kubectl-describe',
      condition: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      time: 'Mon, 20 Apr 2026 06:13:09 +0000',
    });
  });

  it('reads pod conditions (Type Status only)', () => {
    const recs = frameText(['Conditions:', '  Type              Status', '  Initialized       True ', '  PodScheduled      False ', 'Volumes:'].join('\n'));
    expect(recs.map((r) => [r.message, r.fields.condition, r.fields.status])).toEqual([
      ['Initialized True', 'Initialized', 'True'],
      ['PodScheduled False', 'PodScheduled', 'False'],
      ['Volumes:', undefined, undefined],
    ]);
  });

  it('reads a condition row grepped out of describe output', () => {
    const [r] = frameText('  DiskPressure \t\tTrue \tTue, 18 Oct 2016 02:09:49 -0400 \tTue, 18 Oct 2016 02:05:38 -0400 \tKubeletHasDiskPressure \t\tkubelet has disk pressure');
    expect(r?.fields).toEqual({ format: 'kubectl-describe', condition: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', time: 'Tue, 18 Oct 2016 02:09:49 -0400' });
    expect(r?.message).toBe('DiskPressure True KubeletHasDiskPressure kubelet has disk pressure');
  });

  it('keeps the section headers out of the prefilter', () => {
    const f = createFramer({ accept: (s) => s.includes('DiskPressure') });
    const text = [
      'Conditions:',
      '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
      '  ----             ------  -----------------                 ------------------                ------                       -------',
      '  DiskPressure     True    Mon, 20 Apr 2026 06:13:09 +0000   Mon, 20 Apr 2026 05:41:52 +0000   KubeletHasDiskPressure       kubelet has disk pressure',
      '  Ready            True    Mon, 20 Apr 2026 06:13:09 +0000   Thu, 16 Apr 2026 02:25:06 +0000   KubeletReady                 kubelet is posting ready status',
    ].join('\n');
    const recs = [...f.push(text), ...f.end()];
    expect(recs.map((r) => [r.line, r.fields.status])).toEqual([[4, 'True']]);
    expect(f.records).toBe(2);
  });
});
