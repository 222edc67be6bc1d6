import { describe, expect, it } from 'vitest';
import { frameText, recordFromLine } from '../../src/input/frame.js';
import { klogHeader, klogMessage } from '../../src/input/klog.js';

describe('klog header', () => {
  it.each([
    ['I1025 00:15:15.525108       1 httplog.go:79] GET /api', { severity: 'info', time: '1025 00:15:15.525108', pid: 1, caller: 'httplog.go:79' }],
    ['E0718 15:20:58.280275 11519 raw.go:140] Failed', { severity: 'error', time: '0718 15:20:58.280275', pid: 11519, caller: 'raw.go:140' }],
    ['W1026 19:07:41.543128    1606 raw.go:87] x', { severity: 'warning', pid: 1606, caller: 'raw.go:87' }],
    ['F0812 16:26:52.166979  111106 server.go:269] x', { severity: 'fatal', pid: 111106 }],
    ['I0101 00:00:00.000001   42 pkg/kubelet/kubelet.go:1] --add-dir-header', { caller: 'pkg/kubelet/kubelet.go:1' }],
  ])('%s', (line, expected) => {
    expect(klogHeader(line)).toMatchObject(expected);
  });

  it.each([
    'X1025 00:15:15.525108       1 httplog.go:79] not a severity',
    'I1025 00:15:15       1 httplog.go:79] no fraction',
    'I1025 00:15:15.525108 httplog.go:79] no pid',
    'I1025 00:15:15.525108       1 httplog.go] no line number',
    'I1025 00:15:15.525108       1 httplog.go:79]no space after bracket',
    'Info: nothing like klog',
  ])('rejects %s', (line) => {
    expect(klogHeader(line)).toBeUndefined();
  });
});

describe('klog structured message', () => {
  it.each([
    ['"Pod status updated" pod="kube-system/kubedns" status="ready"', 'Pod status updated pod=kube-system/kubedns status=ready'],
    ['"Removing image" imageID="sha256:a9" size=296235462', 'Removing image imageID=sha256:a9 size=296235462'],
    ['"x" podUID=5f1c pod={Name:web Namespace:default} err="boom"', 'x podUID=5f1c pod={Name:web Namespace:default} err=boom'],
    ['"multi" err=<\n\tline one\n\tline two\n > status="ok"', 'multi err=line one line two status=ok'],
    ['plain unstructured message', 'plain unstructured message'],
    ['"unterminated', '"unterminated'],
    // an unstructured message that starts with a quote: the quote closing mid-word is its own text
    [
      '"PG::DiskFull: ERROR:  could not resize shared memory segment "/PostgreSQL.7267" to 4194304 bytes: No space left on device"',
      '"PG::DiskFull: ERROR:  could not resize shared memory segment "/PostgreSQL.7267" to 4194304 bytes: No space left on device"',
    ],
    ['"quoted" and then prose', 'quoted and then prose'],
    ['"only the message"', 'only the message'],
  ])('%s', (input, expected) => {
    expect(klogMessage(input)).toBe(expected);
  });
});

describe('klog records', () => {
  it('reads a bare text line', () => {
    const [r] = frameText('E0410 23:32:01.350853    4891 proxier.go:104] Accept failed: accept tcp [::]:60995: too many open files');
    expect(r?.fields).toEqual({ format: 'klog', severity: 'error', time: '0410 23:32:01.350853', pid: 4891, caller: 'proxier.go:104' });
    expect(r?.message).toBe('Accept failed: accept tcp [::]:60995: too many open files');
  });

  it('keeps err= and every key of a structured ErrorS line, unquoting the runc chain', () => {
    const line =
      'E1114 10:23:45.123456    2301 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"web_default(5f1c)\\" with CreatePodSandboxError: \\"Failed to create sandbox for pod \\\\\\"web_default(5f1c)\\\\\\": rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply cgroup configuration: mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod5f1c/3c9e: no space left on device: unknown\\"" pod="default/web" podUID=5f1c';
    const [r] = frameText(line);
    expect(r?.fields.format).toBe('klog');
    expect(r?.message).toBe(
      'Error syncing pod, skipping err=failed to "CreatePodSandbox" for "web_default(5f1c)" with CreatePodSandboxError: "Failed to create sandbox for pod "web_default(5f1c)": rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply cgroup configuration: mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod5f1c/3c9e: no space left on device: unknown" pod=default/web podUID=5f1c',
    );
  });

  it('joins continuation lines without a header into the record', () => {
    const text = [
      'I0825 21:58:04.021805       7 node.go:146] NodePublishVolume: binding /jfs',
      'E0825 21:58:04.411567       7 mount_linux.go:150] Mount failed: exit status 32',
      'Mounting command: mount',
      'Mounting arguments: -t none -o bind /jfs /var/lib/kubelet/pods/f65c/mount',
      'Output: mount: /var/lib/kubelet/pods/f65c/mount: mount(2) system call failed: No space left on device.',
      'I0825 21:58:05.000000       7 node.go:147] next',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 6]);
    expect(recs[1]?.message).toBe(
      'Mount failed: exit status 32 Mounting command: mount Mounting arguments: -t none -o bind /jfs /var/lib/kubelet/pods/f65c/mount Output: mount: /var/lib/kubelet/pods/f65c/mount: mount(2) system call failed: No space left on device.',
    );
    expect(recs[1]?.raw.split('\n')).toHaveLength(4);
  });

  it('joins only lines shaped like a continuation: indented, labelled, goroutine dumps, or after a colon', () => {
    const text = [
      'F0101 00:00:00.000000       1 server.go:1] failed to run Kubelet:',
      'unlabelled line after a colon',
      'the quick brown fox: not a label because it has too many words before the colon',
      'E0101 00:00:00.000000       1 x.go:1] panic',
      'goroutine 1 [running]:',
      'main.main()',
      '\t/go/src/main.go:12 +0x1d',
      'unrelated text',
    ].join('\n');
    expect(frameText(text).map((r) => [r.line, r.raw.split('\n').length])).toEqual([
      [1, 2],
      [3, 1],
      [4, 4],
      [8, 1],
    ]);
  });

  it('stops continuation at a blank line, a shell prompt or another format', () => {
    const text = [
      'E0825 21:58:04.411567       7 mount_linux.go:150] Mount failed',
      'Output: more',
      '',
      'stray line',
      'E0825 21:58:04.411567       7 mount_linux.go:150] again',
      '$ df -h',
      'Filesystem      Size  Used Avail Use% Mounted on',
      'E0825 21:58:04.411567       7 mount_linux.go:150] third',
      'Nov 14 10:23:45 node-a kubelet[1]: journal line',
    ].join('\n');
    expect(frameText(text).map((r) => [r.line, r.fields.format, r.message])).toEqual([
      [1, 'klog', 'Mount failed Output: more'],
      [4, 'plain', 'stray line'],
      [5, 'klog', 'again'],
      [6, 'plain', '$ df -h'],
      [7, 'plain', 'Filesystem Size Used Avail Use% Mounted on'],
      [8, 'klog', 'third'],
      [9, 'journal', 'journal line'],
    ]);
  });

  it('reads key=< blocks that span lines', () => {
    const text = ['I1025 00:15:15.525108       1 c.go:1] "Pod status" err=<', '\tline one', '\tno space left on device', ' > status="ready"', 'I1025 00:15:16.525108       1 c.go:2] next'].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [1, 'Pod status err=line one no space left on device status=ready'],
      [5, 'next'],
    ]);
  });

  it('reads klog inside journald short output (the seed-1 line)', () => {
    const r = recordFromLine(
      'Jul 18 15:20:58 VM_16_16_centos kubelet[11519]: E0718 15:20:58.280275 11519 raw.go:140] Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod926b/6e85: no space left on device',
      7,
    );
    expect(r.line).toBe(7);
    expect(r.fields).toEqual({
      format: 'journal',
      time: 'Jul 18 15:20:58',
      host: 'VM_16_16_centos',
      component: 'kubelet',
      pid: 11519,
      severity: 'error',
      caller: 'raw.go:140',
      inner: 'klog',
    });
    expect(r.message).toBe('Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod926b/6e85: no space left on device');
  });

  it.each([
    [
      '{"ts":1580306777.04728,"caller":"json/klog_test.go:12","msg":"test","v":0,"count":1}',
      { format: 'klog-json', time: '2020-01-29T14:06:17.047Z', severity: 'info', caller: 'json/klog_test.go:12' },
      'test count=1',
    ],
    [
      '{"ts":1700000000123.456,"caller":"kuberuntime/kuberuntime_manager.go:1172","msg":"CreatePodSandbox for pod failed","pod":{"name":"web","namespace":"default"},"err":"rpc error: code = Unknown desc = failed to create containerd task: \\u003cnil\\u003e: no space left on device: unknown"}',
      { format: 'klog-json', time: '2023-11-14T22:13:20.123Z', severity: 'error', caller: 'kuberuntime/kuberuntime_manager.go:1172' },
      'CreatePodSandbox for pod failed err=rpc error: code = Unknown desc = failed to create containerd task: <nil>: no space left on device: unknown pod={"name":"web","namespace":"default"}',
    ],
  ])('reads klog JSON %#', (line, fields, message) => {
    const [r] = frameText(line);
    expect(r?.fields).toEqual(fields);
    expect(r?.message).toBe(message);
  });
});
