import { describe, expect, it } from 'vitest';
import { CAUSE_IDS, causes, classify, createClassifier, matchLine } from '../../src/index.js';
import { DiagnosisSchema, RuleMatchSchema } from '../../src/schema.js';

const INOTIFY =
  'Jul 18 15:20:58 VM_16_16_centos kubelet[11519]: E0718 15:20:58.280275 11519 raw.go:140] Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod926b7ff4-7bff-11e8-945b-52540048533c/6e85761a30707b43ed874e0140f58839618285fc90717153b3cbe7f91629ef5a: no space left on device';
const HEALTHY = 'Mar 04 10:31:12 node-a kubelet[2301]: I0304 10:31:12.551902    2301 kubelet_node_status.go:70] "Attempting to register node" node="node-a"';

describe('classify', () => {
  it('names the cause with evidence, line number and remediation', () => {
    const d = classify(`${HEALTHY}\n${INOTIFY}\n${HEALTHY}\n`);
    expect(d.cause).toBe('inotify-watch-exhaustion');
    expect(d.confidence).toBeGreaterThan(0.5);
    expect(d.confidence).toBeLessThanOrEqual(1);
    expect(d.findings[0]?.cause).toBe(d.cause);
    expect(d.evidence[0]?.line).toBe(2);
    expect(d.evidence[0]?.raw).toBe(INOTIFY);
    expect(d.evidence[0]?.fields.component).toBe('kubelet');
    expect(d.evidence[0]?.fields.pid).toBe(11519);
    expect(d.remediation?.cause).toBe('inotify-watch-exhaustion');
    expect(d.remediation?.fix.length).toBeGreaterThan(0);
    expect(DiagnosisSchema.safeParse(d).success).toBe(true);
    expect(d.stats.lines).toBe(3);
  });

  it('returns an empty diagnosis for healthy text, empty text and wrong types', () => {
    for (const input of [HEALTHY, '', '\n\n', null, undefined, 42, {}, [], Symbol('x')] as unknown[]) {
      const d = classify(input as string);
      expect(d.cause).toBeNull();
      expect(d.confidence).toBe(0);
      expect(d.findings).toEqual([]);
      expect(d.remediation).toBeNull();
      expect(DiagnosisSchema.safeParse(d).success).toBe(true);
    }
  });

  it('accepts bytes and gives the same answer as text', () => {
    const bytes = new TextEncoder().encode(`${INOTIFY}\n`);
    expect(classify(bytes)).toEqual(classify(`${INOTIFY}\n`));
    expect(classify(bytes.buffer)).toEqual(classify(`${INOTIFY}\n`));
  });

  it('is deterministic', () => {
    const text = `${INOTIFY}\n${HEALTHY}\n${INOTIFY}`;
    expect(classify(text)).toEqual(classify(text));
  });

  it('drops findings below minConfidence', () => {
    const d = classify(INOTIFY, { minConfidence: 0.999 });
    expect(d.cause).toBeNull();
    expect(d.findings).toEqual([]);
  });

  it('ignores malformed options instead of throwing', () => {
    const d = classify(INOTIFY, { minConfidence: -3, recordLimit: -1, rules: 'nope' } as never);
    expect(d.cause).toBe('inotify-watch-exhaustion');
  });

  it('caps long records and reports it', () => {
    const d = classify(`${INOTIFY} ${'x'.repeat(40_000)}`, { recordLimit: 1024 });
    expect(d.stats.truncated).toBe(1);
    expect(d.stats.recordLimit).toBe(1024);
  });

  it('redacts hosts, ids and uids but keeps the diagnostic path shape', () => {
    const d = classify(INOTIFY, { redact: true });
    const raw = d.evidence[0]?.raw ?? '';
    expect(raw).not.toContain('VM_16_16_centos');
    expect(raw).not.toContain('926b7ff4-7bff-11e8-945b-52540048533c');
    expect(raw).toContain('inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod<uid>');
  });
});

describe('createClassifier', () => {
  it('gives the same diagnosis whatever the chunking', () => {
    const text = `${HEALTHY}\n${INOTIFY}\n${HEALTHY}\n`;
    const whole = classify(text);
    for (const size of [1, 7, 64, 1000]) {
      const c = createClassifier();
      for (let i = 0; i < text.length; i += size) c.write(text.slice(i, i + size));
      expect(c.end()).toEqual(whole);
    }
  });

  it('returns the same result when end() is called twice', () => {
    const c = createClassifier();
    c.write(INOTIFY);
    expect(c.end()).toBe(c.end());
  });
});

describe('matchLine', () => {
  it('returns the best rule for a matching record and null otherwise', () => {
    const m = matchLine(INOTIFY);
    expect(m?.cause).toBe('inotify-watch-exhaustion');
    expect(m?.rule).toBe('inotify-add-watch-enospc');
    expect(RuleMatchSchema.safeParse(m).success).toBe(true);
    expect(matchLine(HEALTHY)).toBeNull();
    expect(matchLine('')).toBeNull();
    expect(matchLine(null as never)).toBeNull();
  });
});

describe('causes', () => {
  it('lists every cause id once, frozen', () => {
    expect([...causes.map((c) => c.id)].sort()).toEqual([...CAUSE_IDS].sort());
    expect(Object.isFrozen(causes)).toBe(true);
    expect(Object.isFrozen(causes[0])).toBe(true);
  });
});
