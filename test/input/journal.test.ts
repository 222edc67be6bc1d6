import { describe, expect, it } from 'vitest';
import { createFramer, frameText, recordFromLine } from '../../src/input/frame.js';

const KLOG = 'E1114 10:23:45.123456    2301 raw.go:146] Failed to watch directory: no space left on device';

describe('journalctl short family', () => {
  it.each([
    ['short', `Nov 14 10:23:45 node-a kubelet[2301]: ${KLOG}`, { time: 'Nov 14 10:23:45', host: 'node-a', component: 'kubelet', pid: 2301 }],
    ['short, zero-padded day', `Nov 04 10:23:45 node-a kubelet[2301]: ${KLOG}`, { time: 'Nov 04 10:23:45' }],
    ['short-precise', `Nov 14 10:23:45.123456 node-a kubelet[2301]: ${KLOG}`, { time: 'Nov 14 10:23:45.123456' }],
    ['short-iso', `2023-11-14T10:23:45+00:00 node-a kubelet[2301]: ${KLOG}`, { time: '2023-11-14T10:23:45+00:00' }],
    ['short-iso, old %z', `2023-11-14T10:23:45+0000 node-a kubelet[2301]: ${KLOG}`, { time: '2023-11-14T10:23:45+0000' }],
    ['short-iso-precise', `2023-11-14T10:23:45.123456+00:00 node-a kubelet[2301]: ${KLOG}`, { time: '2023-11-14T10:23:45.123456+00:00' }],
    ['short-unix', `1699957425.123456 node-a kubelet[2301]: ${KLOG}`, { time: '1699957425.123456' }],
    ['short-monotonic', `[  512.004211] node-a kubelet[2301]: ${KLOG}`, { time: '[  512.004211]' }],
    ['short-delta', `[  512.004211 <    0.000313>] node-a kubelet[2301]: ${KLOG}`, { time: '[  512.004211 <    0.000313>]' }],
    ['short-full', `Tue 2023-11-14 10:23:45 UTC node-a kubelet[2301]: ${KLOG}`, { time: 'Tue 2023-11-14 10:23:45 UTC' }],
    ['with-unit', `Tue 2023-11-14 10:23:45 UTC node-a kubelet.service[2301]: ${KLOG}`, { component: 'kubelet' }],
    ['no hostname (--no-hostname)', `Nov 14 10:23:45 kubelet[2301]: ${KLOG}`, { component: 'kubelet', pid: 2301 }],
    ['empty hostname', `Oct 26 19:07:41  kubelet[1606]: ${KLOG}`, { component: 'kubelet', pid: 1606 }],
    ['non-English month', `9月 28 11:21:41 master1 kubelet[579]: ${KLOG}`, { time: '9月 28 11:21:41', host: 'master1' }],
    ['time and host cut off', `kubelet[1495]: ${KLOG}`, { component: 'kubelet', pid: 1495 }],
    ['indented paste', `   kubelet[1495]: ${KLOG}`, { component: 'kubelet', pid: 1495 }],
  ])('%s', (_name, line, fields) => {
    const r = recordFromLine(line, 1);
    expect(r.fields).toMatchObject({ format: 'journal', inner: 'klog', severity: 'error', caller: 'raw.go:146', ...fields });
    expect(r.message).toBe('Failed to watch directory: no space left on device');
  });

  it('reads kernel lines (no pid) and strips the kernel time stamp', () => {
    expect(recordFromLine('Nov 14 10:23:45 node-a kernel: [ 3812.123242] device-mapper: thin: 253:2: no free data space', 1)).toMatchObject({
      fields: { format: 'journal', component: 'kernel', host: 'node-a' },
      message: 'device-mapper: thin: 253:2: no free data space',
    });
    expect(recordFromLine('Nov 12 15:15:41 kernel: exe: page allocation failure: order:6', 1)).toMatchObject({
      fields: { format: 'journal', component: 'kernel' },
      message: 'exe: page allocation failure: order:6',
    });
  });

  it('decodes systemd unit escaping (\\x2d) in the message', () => {
    const r = recordFromLine(
      'Nov 14 10:23:45 node-a systemd[1]: var-lib-kubelet-pods-d111600d\\x2dcdf2\\x2d11e7\\x2d8e6b\\x2dfa163ebb68b9-volumes-kubernetes.io\\x7esecret-etcd\\x2dcerts.mount: Mount process exited: No space left on device',
      1,
    );
    expect(r.fields).toMatchObject({ format: 'journal', component: 'systemd', pid: 1 });
    expect(r.message).toBe(
      'var-lib-kubelet-pods-d111600d-cdf2-11e7-8e6b-fa163ebb68b9-volumes-kubernetes.io~secret-etcd-certs.mount: Mount process exited: No space left on device',
    );
  });

  it('reads logrus inside journald (containerd, dockerd, CRI-O)', () => {
    const r = recordFromLine(
      'Dec 24 11:54:31 VM_16_11_centos dockerd[11419]: time="2018-12-24T11:54:31.195900301+08:00" level=error msg="Handler for POST /v1.31/containers/b98d/start returned error: OCI runtime create failed: container_linux.go:348: starting container process caused \\"process_linux.go:279: applying cgroup configuration for process caused \\\\\\"mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod79fe/b98d: no space left on device\\\\\\"\\": unknown"',
      1,
    );
    expect(r.fields).toEqual({
      format: 'journal',
      time: 'Dec 24 11:54:31',
      host: 'VM_16_11_centos',
      component: 'dockerd',
      pid: 11419,
      severity: 'error',
      inner: 'logrus',
    });
    expect(r.message).toBe(
      'Handler for POST /v1.31/containers/b98d/start returned error: OCI runtime create failed: container_linux.go:348: starting container process caused "process_linux.go:279: applying cgroup configuration for process caused "mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod79fe/b98d: no space left on device"": unknown',
    );
  });

  it('skips journalctl notes: they are lines, not records', () => {
    const f = createFramer();
    const text = [
      '-- Logs begin at Mon 2023-11-13 00:00:00 UTC, end at Tue 2023-11-14 10:23:45 UTC. --',
      '-- Journal begins at Mon 2023-11-13 00:00:00 UTC, ends at Tue 2023-11-14 10:23:45 UTC. --',
      'Nov 14 10:23:45 node-a kubelet[2301]: one',
      '-- Boot 6c7c0a2e4f1b4c3d8e9f0a1b2c3d4e5f --',
      '-- Reboot --',
      'Nov 14 10:23:46 node-a kubelet[2301]: two',
      '-- No entries --',
    ].join('\n');
    const recs = [...f.push(text), ...f.end()];
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [3, 'one'],
      [6, 'two'],
    ]);
    expect(f.lines).toBe(7);
    expect(f.records).toBe(2);
  });

  it('joins multi-line messages indented to the message column', () => {
    const text = [
      'Nov 14 10:23:45 node-a kubelet[2301]: E1114 10:23:45.123456    2301 mount_linux.go:150] Mount failed: exit status 32',
      '                                      Output: mount: /var/lib/kubelet/x: mount(2) system call failed: No space left on device.',
      '  indented but not to the column',
    ].join('\n');
    expect(frameText(text).map((r) => [r.line, r.message])).toEqual([
      [1, 'Mount failed: exit status 32 Output: mount: /var/lib/kubelet/x: mount(2) system call failed: No space left on device.'],
      [3, 'indented but not to the column'],
    ]);
  });
});

describe('journalctl -o verbose and -o export', () => {
  it('reads a verbose entry as one record', () => {
    const text = [
      'Tue 2023-11-14 10:23:45.123456 UTC [s=0639a1;i=4f2a1;b=6c7c;m=1dcd6500;t=60a1;x=d3e5]',
      '    _TRANSPORT=stdout',
      '    PRIORITY=6',
      '    SYSLOG_FACILITY=3',
      '    SYSLOG_IDENTIFIER=kubelet',
      '    _PID=2301',
      '    _COMM=kubelet',
      '    _SYSTEMD_UNIT=kubelet.service',
      '    _HOSTNAME=node-a',
      `    MESSAGE=${KLOG}`,
      'Tue 2023-11-14 10:23:46.000001 UTC [s=0639a1;i=4f2a2;b=6c7c;m=1dcd6501;t=60a2;x=d3e6]',
      '    SYSLOG_IDENTIFIER=kernel',
      '    MESSAGE=[24B blob data]',
      'after',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => r.line)).toEqual([1, 11, 14]);
    expect(recs[0]?.fields).toEqual({
      format: 'journal-verbose',
      time: 'Tue 2023-11-14 10:23:45.123456 UTC',
      host: 'node-a',
      component: 'kubelet',
      unit: 'kubelet.service',
      pid: 2301,
      severity: 'error',
      transport: 'stdout',
      caller: 'raw.go:146',
      inner: 'klog',
    });
    expect(recs[0]?.message).toBe('Failed to watch directory: no space left on device');
    expect(recs[0]?.raw.split('\n')).toHaveLength(10);
    expect(recs[1]?.message).toBe('');
    expect(recs[2]?.message).toBe('after');
  });

  it('reads export entries separated by blank lines', () => {
    const text = [
      '__CURSOR=s=0639;i=4f2a1;b=6c7c;m=1dcd6500;t=60a1;x=d3e5',
      '__REALTIME_TIMESTAMP=1699957425123456',
      '__MONOTONIC_TIMESTAMP=512004211',
      '_BOOT_ID=6c7c',
      '_TRANSPORT=kernel',
      'PRIORITY=3',
      'SYSLOG_IDENTIFIER=kernel',
      'MESSAGE=device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode',
      '_HOSTNAME=node-a',
      '',
      '__CURSOR=s=0639;i=4f2a2',
      '__REALTIME_TIMESTAMP=1699957426000000',
      'MESSAGE',
      '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0010binary message',
      '',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => r.line)).toEqual([1, 11]);
    expect(recs[0]?.fields).toMatchObject({ format: 'journal-verbose', time: '2023-11-14T10:23:45.123456Z', host: 'node-a', component: 'kernel', severity: 'err' });
    expect(recs[0]?.message).toBe('device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode');
    expect(recs[1]?.message).toBe('binary message');
  });
});

describe('journalctl -o json and friends', () => {
  const entry = {
    __CURSOR: 's=0639;i=4f2a1',
    __REALTIME_TIMESTAMP: '1699957425123456',
    _TRANSPORT: 'stdout',
    PRIORITY: '6',
    SYSLOG_IDENTIFIER: 'kubelet',
    _PID: '2301',
    _COMM: 'kubelet',
    _SYSTEMD_UNIT: 'kubelet.service',
    _HOSTNAME: 'node-a',
    MESSAGE: KLOG,
  };
  const fields = {
    format: 'journal-json',
    time: '2023-11-14T10:23:45.123456Z',
    host: 'node-a',
    component: 'kubelet',
    unit: 'kubelet.service',
    pid: 2301,
    severity: 'error',
    transport: 'stdout',
    caller: 'raw.go:146',
    inner: 'klog',
  };
  const message = 'Failed to watch directory: no space left on device';

  it('json: one object per line', () => {
    const recs = frameText(`${JSON.stringify(entry)}\n${JSON.stringify({ ...entry, MESSAGE: 'second' })}\n`);
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [1, message],
      [2, 'second'],
    ]);
    expect(recs[0]?.fields).toEqual(fields);
  });

  it('json: MESSAGE as a byte array (non-printable content)', () => {
    const bytes = [...Buffer.from(`\x1b[31m${KLOG}\x1b[0m\r`, 'utf8')];
    const [r] = frameText(JSON.stringify({ ...entry, MESSAGE: bytes }));
    expect(r?.message).toBe(message);
  });

  it('json: MESSAGE null (over 4096 bytes) and MESSAGE as an array of values', () => {
    const recs = frameText(`${JSON.stringify({ ...entry, MESSAGE: null })}\n${JSON.stringify({ ...entry, MESSAGE: ['part one', [112, 97, 114, 116, 32, 50], null] })}`);
    expect(recs.map((r) => r.message)).toEqual(['', 'part one part 2']);
    expect(recs[0]?.fields).toMatchObject({ format: 'journal-json', component: 'kubelet', severity: 'info' });
  });

  it('json-pretty: one object over several lines', () => {
    const pretty = JSON.stringify(entry, null, '\t').replace(/": /g, '" : ');
    const text = `${pretty}\n${JSON.stringify({ MESSAGE: 'no cursor', _HOSTNAME: 'h' }, null, 2)}\nNov 14 10:23:45 node-a kubelet[1]: after`;
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [1, message],
      [13, 'no cursor'],
      [17, 'after'],
    ]);
    expect(recs[0]?.fields).toEqual(fields);
    expect(recs[0]?.raw).toBe(pretty);
  });

  it('json-seq: records start with RS (0x1E)', () => {
    const recs = frameText(`\x1e${JSON.stringify(entry)}\n\x1e${JSON.stringify({ ...entry, MESSAGE: 'second' })}\n`);
    expect(recs.map((r) => r.message)).toEqual([message, 'second']);
  });

  it('json-sse: data: lines followed by blank lines', () => {
    const recs = frameText(`data: ${JSON.stringify(entry)}\n\ndata: ${JSON.stringify({ ...entry, MESSAGE: 'second' })}\n\n`);
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [1, message],
      [3, 'second'],
    ]);
    expect(recs[0]?.fields).toEqual(fields);
  });

  it('prefers _SOURCE_REALTIME_TIMESTAMP', () => {
    const [r] = frameText(JSON.stringify({ ...entry, _SOURCE_REALTIME_TIMESTAMP: '1699957400000000' }));
    expect(r?.fields.time).toBe('2023-11-14T10:23:20.000Z');
  });
});
