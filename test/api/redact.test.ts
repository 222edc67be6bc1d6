/**
 * Redaction (`redact: true`): hostnames, IPs, pod UIDs, container ids, namespaces and object names
 * are masked in evidence; syscalls, path shapes, cgroup subsystems and errno text stay.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, createClassifier, matchLine, type RecordMatch } from '../../src/index.js';
import { redactEvidence, redactText } from '../../src/engine/redact.js';
import { DiagnosisSchema } from '../../src/schema.js';
import { ROOT } from '../support/rules.js';

const SEEDS = readFileSync(join(ROOT, 'test', 'fixtures', 'seed-cases.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { id: string; text: string; expect: { cause: string } });

/** Identifying tokens in the seed excerpts. */
const SECRETS = [
  'VM_16_16_centos',
  '926b7ff4-7bff-11e8-945b-52540048533c',
  '6e85761a30707b43ed874e0140f58839618285fc90717153b3cbe7f91629ef5a',
];

describe('redact: seed cases', () => {
  it.each(SEEDS.map((s) => [s.id, s] as const))('%s: same cause, identifiers masked, diagnostic tokens kept', (_id, seed) => {
    const plain = classify(seed.text);
    const red = classify(seed.text, { redact: true });
    expect(DiagnosisSchema.safeParse(red).success).toBe(true);
    expect(red.cause).toBe(plain.cause);
    expect(red.confidence).toBe(plain.confidence);
    expect(red.evidence.map((e) => e.rule)).toEqual(plain.evidence.map((e) => e.rule));
    const text = JSON.stringify(red.evidence);
    for (const s of SECRETS) expect(text).not.toContain(s);
    // Every host the parser found is masked.
    for (const e of plain.evidence) if (typeof e.fields.host === 'string' && e.fields.host.length > 2) expect(text).not.toContain(e.fields.host);
    for (const e of red.evidence) {
      // Syscall and errno text and the cgroup subsystem survive.
      for (const keep of ['inotify_add_watch', 'mkdir', 'no space left on device', '/sys/fs/cgroup/memory/kubepods', 'rootfs']) {
        const before = plain.evidence.find((p) => p.line === e.line && p.rule === e.rule)!;
        if (before.raw.includes(keep)) expect(e.raw).toContain(keep);
      }
    }
  });

  it('the seed inotify line keeps its path shape', () => {
    const red = classify(SEEDS[0]!.text, { redact: true });
    expect(red.evidence[0]!.raw).toContain('inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod<uid>/<id>: no space left on device');
    expect(red.evidence[0]!.fields.host).toBe('<host>');
    expect(red.evidence[0]!.fields.path).toBe('/sys/fs/cgroup/memory/kubepods/burstable/pod<uid>/<id>');
  });
});

describe('redact: text', () => {
  it.each([
    ['IPv4', 'dial tcp 10.0.3.7:6443: connect', 'dial tcp <ip>:6443: connect'],
    ['IPv6', 'from fe80::1ff:fe23:4567:890a and 2001:db8:0:0:0:0:2:1', 'from <ip> and <ip>'],
    ['EC2 host', 'node ip-10-0-3-7.eu-west-1.compute.internal is', 'node <host> is'],
    ['FQDN', 'on worker-3.prod.example.com failed', 'on <host> failed'],
    ['pod UID in a cgroup path', '/kubepods/burstable/pod926b7ff4-7bff-11e8-945b-52540048533c/x', '/kubepods/burstable/pod<uid>/x'],
    ['systemd-escaped pod UID', 'kubepods-burstable-pod926b7ff4_7bff_11e8_945b_52540048533c.slice', 'kubepods-burstable-pod<uid>.slice'],
    ['64-hex container id', 'cri-containerd-6e85761a30707b43ed874e0140f58839618285fc90717153b3cbe7f91629ef5a.scope', 'cri-containerd-<id>.scope'],
    ['short container id', 'container 6e85761a3070 exited', 'container <id> exited'],
    ['namespace=', 'namespace="kube-system" pod', 'namespace="<namespace>" pod'],
    ['pod ref', 'pod="kube-system/coredns-5d78c9869d-abcde"', 'pod="<namespace>/<pod>'],
    ['log dir', '/var/log/pods/default_web-7f9_1234/', '/var/log/pods/<namespace>_<pod>_1234/'],
  ])('%s', (_n, input, expected) => {
    expect(redactText(input)).toContain(expected);
  });

  it.each([
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'inotify_add_watch /sys/fs/cgroup/memory/kubepods: no space left on device',
    'write /sys/fs/cgroup/cpuset/kubepods/cgroup.procs: no space left on device',
    'raw.go:140] Failed to watch directory',
    'kubernetes.io~secret/token/..2024_01_01',
    'E0718 15:20:58.280275 11519 kubelet.go:1',
    'fs.inotify.max_user_watches = 8192',
  ])('keeps diagnostic text unchanged: %s', (input) => {
    expect(redactText(input)).toBe(input);
  });

  it('masks namespace and object name fields, and their occurrences in raw text', () => {
    const ev = redactEvidence({
      line: 1,
      raw: 'kube-system   5m  Warning  FailedMount  pod/web-7f  MountVolume.SetUp failed: mkdir /var/lib/kubelet/pods/x: no space left on device',
      rule: 'r',
      cause: 'disk-full',
      effect: 'supports',
      strength: 'strong',
      fields: { format: 'kubectl-events', namespace: 'kube-system', object: 'pod/web-7f', reason: 'FailedMount', host: 'node-a' },
    });
    expect(ev.fields).toMatchObject({ namespace: '<namespace>', object: 'pod/<name>', reason: 'FailedMount', host: '<host>', format: 'kubectl-events' });
    expect(ev.raw).toBe('<namespace>   5m  Warning  FailedMount  pod/<name>  MountVolume.SetUp failed: mkdir /var/lib/kubelet/pods/x: no space left on device');
  });

  it('applies to matchLine and onMatch too', () => {
    const line = 'Jul 18 15:20:58 node-7.prod.example.com kubelet[1]: inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod926b7ff4-7bff-11e8-945b-52540048533c: no space left on device';
    expect(JSON.stringify(matchLine(line, { redact: true }))).not.toMatch(/926b7ff4|node-7/);
    const seen: RecordMatch[] = [];
    const c = createClassifier({ redact: true, onMatch: (m) => seen.push(m) });
    c.write(`${line}\n`);
    c.end();
    expect(seen.length).toBe(1);
    expect(JSON.stringify(seen)).not.toMatch(/926b7ff4|node-7/);
  });

  it('is idempotent', () => {
    for (const s of SEEDS) {
      const once = classify(s.text, { redact: true }).evidence.map((e) => e.raw);
      expect(once.map((r) => redactText(r))).toEqual(once);
    }
  });
});

describe('redact: issue 14 item 14, by structure (a field, a position), not by a list of suffixes', () => {
  const CASES: [string, string, string, string][] = [
    ['klog node="…"', 'I0304 10:31:12.551902 2301 kubelet_node_status.go:70] "Attempting to register node" node="worker-7"', 'worker-7', 'node="<host>"'],
    ['logrus node=…', 'time="2024-01-01T00:00:00Z" level=error msg="eviction" node=worker-7 error="disk"', 'worker-7', 'node=<host>'],
    ['kubectl describe Node … status is now', 'Normal  NodeHasDiskPressure  5m  kubelet  Node worker-7 status is now: NodeHasDiskPressure', 'worker-7', 'Node <host> status is now: NodeHasDiskPressure'],
    ['node "…" (klog quoted)', 'E0101 00:00:00.000000 1 x.go:1] node "worker-7" not found', 'worker-7', 'node "<host>" not found'],
    ['a host under .co.uk', 'failed to pull registry.acme.co.uk/team/app:1.2', 'acme', '<host>/team/app:1.2'],
    ['a host under .de', 'upload to build01.acme.de failed', 'build01', 'upload to <host> failed'],
    ['IPv6 ::1', 'dial tcp [::1]:6443: connect: refused', '::1', '[<ip>]:6443'],
    ['IPv6 fe80::', 'route via fe80:: dev eth0', 'fe80::', 'via <ip> dev'],
    ['IPv4-mapped IPv6', 'from ::ffff:10.1.2.3 port 22', '10.1.2.3', 'from <ip> port'],
    ['AWS instance id', 'providerID: aws:///us-east-1a/i-0123456789abcdef0', 'i-0123456789abcdef0', 'aws:///us-east-1a/<id>'],
    ['GCE providerID', 'providerID: gce://my-project-123/us-central1-a/gke-prod-pool-1-abcd', 'my-project-123', 'gce://<project>/us-central1-a/<host>'],
    ['Azure providerID', 'azure:///subscriptions/12345678-1234-1234-1234-123456789012/resourceGroups/mc_prod/providers/Microsoft.Compute/virtualMachines/aks-1', 'mc_prod', 'resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<host>'],
    ['a pod log directory anywhere', '/tmp/copy/kube-system_coredns-5d78c9869d-abcde_926b7ff4-7bff-11e8-945b-52540048533c/coredns/0.log', 'coredns-5d78c9869d', '/tmp/copy/<namespace>_<pod>_<uid>/coredns/0.log'],
  ];
  it.each(CASES)('%s', (_name, input, secret, expected) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(expected);
  });

  it('the journal host in another case, in a path', () => {
    expect(redactText('mkdir /var/lib/Worker-7/x: no space left on device', 'worker-7')).toBe('mkdir /var/lib/<host>/x: no space left on device');
  });

  it.each([
    'sysctl kernel.keys.maxkeys = 200',
    'memory.kmem.slabinfo',
    'java.io.IOException: No space left on device',
    'plugin io.containerd.grpc.v1.cri failed',
    'extract app.tar.gz: no space left on device',
    'std::io::Error { kind: StorageFull }',
    'fs.inotify.max_user_watches = 8192',
  ])('keeps diagnostic dotted names and :: paths: %s', (input) => {
    expect(redactText(input)).toBe(input);
  });

  it('in evidence, onMatch, matchLine and every CLI output mode (checked in test/cli/hardening.test.ts for the CLI)', () => {
    const line = 'Mar 04 10:31:12 Worker-7 kubelet[2301]: E0304 10:31:12.551902 2301 kubelet.go:1] "Eviction failed" node="worker-7" providerID="aws:///us-east-1a/i-0123456789abcdef0" err="write /var/lib/worker-7/registry.acme.co.uk/x: no space left on device"';
    const secrets = /worker-7|i-0123456789abcdef0|acme/i;
    const d = classify(`${line}\n`, { redact: true });
    expect(d.cause).not.toBeNull();
    expect(JSON.stringify(d.evidence)).not.toMatch(secrets);
    expect(JSON.stringify(d.findings)).not.toMatch(secrets);
    expect(JSON.stringify(matchLine(line, { redact: true }))).not.toMatch(secrets);
    const seen: RecordMatch[] = [];
    const c = createClassifier({ redact: true, onMatch: (m) => seen.push(m) });
    c.write(`${line}\n`);
    c.end();
    expect(seen.length).toBe(1);
    expect(JSON.stringify(seen)).not.toMatch(secrets);
  });
});
