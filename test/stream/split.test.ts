import { describe, expect, it } from 'vitest';
import { classify, createClassifier } from '../../src/index.js';
import { createFramer } from '../../src/input/frame.js';

// journal ► klog, a healthy line the scanner skips, a describe Events section, a JSON event,
// a df table, a multi-byte character, CRLF and a blank line: every kind of record and of skip.
const SAMPLE = [
  'Mar 04 10:30:58 node-a kubelet[2301]: E0304 10:30:58.280275    2301 raw.go:146] Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod1: no space left on device',
  'Mar 04 10:30:59 node-a systemd[1]: logrotate.service: Deactivated successfully. — ünïcödé',
  'E0304 10:31:00.000001    2301 mount_linux.go:219] Mount failed: exit status 32',
  '',
  'Events:',
  '  Type     Reason       Age                  From     Message',
  '  ----     ------       ----                 ----     -------',
  '  Warning  FailedMount  5m1s (x3397 over 17h)  kubelet  MountVolume.SetUp failed for volume "data" : mkdir /var/lib/kubelet/pods/x/volumes: no space left on device',
  '',
  '{"kind":"Event","apiVersion":"v1","reason":"FailedCreatePodSandBox","type":"Warning","message":"Failed to create pod sandbox: mkdir /sys/fs/cgroup/memory/kubepods/pod2: no space left on device"}',
  'Filesystem      Size  Used Avail Use% Mounted on\r',
  '/dev/nvme0n1p1   80G   79G  1.0G  99% /\r',
  'Mar 04 10:31:02 node-a containerd[911]: time="2024-03-04T11:02:41Z" level=info msg="shim disconnected"',
  'Mar 04 10:31:03 node-a kernel: inotify_add_watch failed: ENOSPC',
  '',
].join('\n');

function chunked(parts: readonly (string | Uint8Array)[]): unknown {
  const c = createClassifier();
  for (const p of parts) c.write(p);
  return c.end();
}

describe('records split across chunks', () => {
  const whole = classify(SAMPLE);

  it('classifies the sample (sanity: several findings, evidence with line numbers)', () => {
    expect(whole.cause).not.toBeNull();
    expect(whole.stats.matched).toBeGreaterThan(2);
  });

  it('gives the identical diagnosis at every split point, as text', () => {
    for (let i = 0; i <= SAMPLE.length; i++) {
      expect(chunked([SAMPLE.slice(0, i), SAMPLE.slice(i)]), `split at ${i}`).toEqual(whole);
    }
  });

  it('gives the identical diagnosis at every split point, as bytes (splitting UTF-8 characters too)', () => {
    const bytes = new TextEncoder().encode(SAMPLE);
    expect(classify(bytes)).toEqual(whole);
    for (let i = 0; i <= bytes.length; i++) {
      expect(chunked([bytes.subarray(0, i), bytes.subarray(i)]), `split at byte ${i}`).toEqual(whole);
    }
  });

  it('gives the identical diagnosis one byte at a time and in three-part splits', () => {
    const bytes = new TextEncoder().encode(SAMPLE);
    expect(chunked([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
    for (let i = 0; i < bytes.length; i += 7) {
      for (let j = i; j <= bytes.length; j += 13) {
        expect(chunked([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]), `${i}/${j}`).toEqual(whole);
      }
    }
  });

  it('counts skipped lines exactly: stats equal the framer reading every line', () => {
    const f = createFramer();
    f.push(SAMPLE);
    f.end();
    expect(whole.stats.lines).toBe(f.lines);
    expect(whole.stats.records).toBe(f.records);
  });

  it('keeps evidence line numbers exact after many skipped lines', () => {
    const healthy = 'Mar 04 10:30:59 node-a systemd[1]: logrotate.service: Deactivated successfully.\n'.repeat(5000);
    const d = classify(`${healthy}${SAMPLE}`);
    expect(d.evidence.map((e) => e.line)).toEqual(whole.evidence.map((e) => e.line + 5000));
    expect(d.stats.candidates).toBe(whole.stats.candidates);
  });
});

describe('memory stays flat', () => {
  it('caps evidence per rule while counts keep growing', () => {
    const line = 'Mar 04 10:30:58 node-a kubelet[2301]: E0304 10:30:58.280275    2301 raw.go:146] inotify_add_watch /sys/fs/cgroup/x: no space left on device\n';
    const c = createClassifier();
    for (let i = 0; i < 2000; i++) c.write(line);
    const d = c.end();
    expect(d.stats.matched).toBe(2000);
    const perRule = new Map<string, number>();
    for (const e of d.evidence) perRule.set(e.rule, (perRule.get(e.rule) ?? 0) + 1);
    for (const n of perRule.values()) expect(n).toBeLessThanOrEqual(5);
  });
});
