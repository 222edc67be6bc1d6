import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameText, recordFromLine } from '../../src/input/frame.js';

describe('logrus text and other logfmt', () => {
  it.each([
    [
      'containerd CRI (error after msg, other keys kept)',
      'time="2024-03-01T10:05:00.123456789Z" level=error msg="RunPodSandbox for &PodSandboxMetadata{Name:web,Uid:5f1c,Namespace:default,Attempt:0,} failed, error" error="failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply cgroup configuration: mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod5f1c/3c9e: no space left on device: unknown"',
      { format: 'logrus', time: '2024-03-01T10:05:00.123456789Z', severity: 'error' },
      'RunPodSandbox for &PodSandboxMetadata{Name:web,Uid:5f1c,Namespace:default,Attempt:0,} failed, error error=failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply cgroup configuration: mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod5f1c/3c9e: no space left on device: unknown',
    ],
    [
      'runc#726 (keys in order, bare values)',
      'time="2016-04-06T18:50:58Z" level=error msg="containerd: start container" error="oci runtime error: could not synchronise with container process: could not create session key: disk quota exceeded" id=364f',
      { format: 'logrus', time: '2016-04-06T18:50:58Z', severity: 'error' },
      'containerd: start container error=oci runtime error: could not synchronise with container process: could not create session key: disk quota exceeded id=364f',
    ],
    [
      'CRI-O time with a space and an escaped newline',
      'time="2024-10-24 06:37:22.288118821Z" level=error msg="Container creation error: writing file `devices.allow`: Operation not permitted\\n" id=9f18 name=/runtime.v1.RuntimeService/CreateContainer',
      { format: 'logrus', time: '2024-10-24 06:37:22.288118821Z', severity: 'error' },
      'Container creation error: writing file `devices.allow`: Operation not permitted id=9f18 name=/runtime.v1.RuntimeService/CreateContainer',
    ],
    [
      'go-kit logfmt (prometheus, promtail, loki)',
      'level=warn ts=2020-06-16T07:58:47.539Z caller=scrape.go:972 component="scrape manager" msg="append failed" err="write to WAL: log samples: write data/wal/00000690: no space left on device"',
      { format: 'logrus', time: '2020-06-16T07:58:47.539Z', severity: 'warn' },
      'append failed caller=scrape.go:972 component=scrape manager err=write to WAL: log samples: write data/wal/00000690: no space left on device',
    ],
    [
      'unterminated quoted value (a hard-wrapped paste)',
      'level=error msg="containerd: start init process" error="exit status 2: \\"runtime/cgo: pthread_create failed: No space left on device',
      { format: 'logrus', severity: 'error' },
      'containerd: start init process error=exit status 2: "runtime/cgo: pthread_create failed: No space left on device',
    ],
  ])('%s', (_name, line, fields, message) => {
    const r = recordFromLine(line, 1);
    expect(r.fields).toEqual(fields);
    expect(r.message).toBe(message);
  });

  it('runc error quoted three levels deep inside msg= (dockerd)', () => {
    const line =
      'time="2018-01-01T00:00:00Z" level=error msg="Handler for POST /v1.31/containers/b98d/start returned error: oci runtime error: container_linux.go:265: starting container process caused \\"process_linux.go:368: container init caused \\\\\\"rootfs_linux.go:57: mounting \\\\\\\\\\\\\\"/run/netns\\\\\\\\\\\\\\" to rootfs \\\\\\\\\\\\\\"/run/containerd/rootfs\\\\\\\\\\\\\\" caused \\\\\\\\\\\\\\"no space left on device\\\\\\\\\\\\\\"\\\\\\"\\""';
    expect(recordFromLine(line, 1).message).toBe(
      'Handler for POST /v1.31/containers/b98d/start returned error: oci runtime error: container_linux.go:265: starting container process caused "process_linux.go:368: container init caused "rootfs_linux.go:57: mounting "/run/netns" to rootfs "/run/containerd/rootfs" caused "no space left on device"""',
    );
  });

  it('the seed-3 event: runc chain quoted three levels deep', () => {
    const seed = readFileSync(new URL('../fixtures/seed-cases.jsonl', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; text: string })
      .find((c) => c.id === 'seed-3');
    const recs = frameText(seed?.text ?? '');
    const event = recs.find((r) => r.fields.format === 'kubectl-describe');
    expect(event?.line).toBe(3);
    expect(event?.fields).toMatchObject({ type: 'Warning', reason: 'Failed', count: 3397, component: 'kubelet', host: 'ip-10-0-151-35.us-west-2.compute.internal' });
    expect(event?.message).toBe(
      'Error: container create failed: container_linux.go:336: starting container process caused "process_linux.go:399: container init caused "rootfs_linux.go:58: mounting "/sys" to rootfs "/var/lib/containers/storage/overlay/051e985771cc69f3f699895a1dada9ef6483e912b46a99e004af7bb4852183eb/merged" at "/var/lib/containers/storage/overlay/051e985771cc69f3f699895a1dada9ef6483e912b46a99e004af7bb4852183eb/merged/sys" caused "no space left on device"""',
    );
  });

  it.each([
    ['ERRO[0000] container_linux.go:367: starting container process caused: no space left on device', 'error', '0000'],
    ['FATA[0004] running container: mkdir /sys/fs/cgroup/x: no space left on device', 'fatal', '0004'],
    ['WARN[2024-03-01T10:05:00Z] something  key=value', 'warning', '2024-03-01T10:05:00Z'],
    ['\x1b[31mERRO\x1b[0m[0001] error waiting for container: context canceled', 'error', '0001'],
  ])('TTY form %s', (line, severity, time) => {
    const r = recordFromLine(line, 1);
    expect(r.fields).toEqual({ format: 'logrus', severity, time });
    expect(r.message).not.toMatch(/^(ERRO|FATA|WARN)/);
  });

  it('logrus / zap JSON', () => {
    const recs = frameText(
      [
        '{"error":"failed to create shim task: mkdir /sys/fs/cgroup/x: no space left on device: unknown","level":"error","msg":"RunPodSandbox failed","time":"2024-03-01T10:05:00.123456789Z"}',
        '{"level":"warn","ts":"2020-05-26T06:52:20.826-0400","caller":"clientv3/retry_interceptor.go:61","msg":"retrying of unary invoker failed","attempt":0,"error":"rpc error: code = ResourceExhausted desc = etcdserver: mvcc: database space exceeded"}',
      ].join('\n'),
    );
    expect(recs.map((r) => [r.fields, r.message])).toEqual([
      [
        { format: 'logrus-json', severity: 'error', time: '2024-03-01T10:05:00.123456789Z' },
        'RunPodSandbox failed error=failed to create shim task: mkdir /sys/fs/cgroup/x: no space left on device: unknown',
      ],
      [
        { format: 'logrus-json', severity: 'warn', time: '2020-05-26T06:52:20.826-0400', caller: 'clientv3/retry_interceptor.go:61' },
        'retrying of unary invoker failed error=rpc error: code = ResourceExhausted desc = etcdserver: mvcc: database space exceeded attempt=0',
      ],
    ]);
  });
});
