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
