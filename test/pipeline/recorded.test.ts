/**
 * The integrations documented in docs/integrations/pipelines.md, on RECORDED command output
 * (test/fixtures/recorded/): `kubectl get events -A -o json | enospc` and
 * `journalctl -u kubelet -o json | enospc`, through the built CLI (stdin, as in the pipe) and
 * through `classify`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/index.js';
import { ROOT } from '../support/rules.js';

const CLI = join(ROOT, 'dist', 'cli.cjs');
const EVENTS = readFileSync(join(ROOT, 'test', 'fixtures', 'recorded', 'kubectl-events-A.json'));
const JOURNAL = readFileSync(join(ROOT, 'test', 'fixtures', 'recorded', 'journalctl-kubelet.json'));

function cli(args: string[], input: Buffer): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface NdjsonLine {
  line: number;
  rule: string;
  cause: string;
  fields: Record<string, unknown>;
}

function ndjson(stdout: string): NdjsonLine[] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as NdjsonLine);
}

/** 1-based number of the first line at or after index `from` that matches `re` (0 when none). */
function lineOf(text: string, re: RegExp, from = 0): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, k) => k >= from && re.test(l));
  return i + 1;
}

describe('kubectl get events -A -o json | enospc (recorded)', () => {
  const text = EVENTS.toString('utf8');
  // The FailedCreatePodSandBox item: its `{` line is what the CLI reports (the line the item starts on).
  const reasonLine = lineOf(text, /"reason": "FailedCreatePodSandBox"/);
  const itemLine = text.split('\n').slice(0, reasonLine).lastIndexOf('        {') + 1;

  it('is a real-shaped List of a dozen events, one of them the cgroup ENOSPC', () => {
    const list = JSON.parse(text) as { kind: string; items: { reason: string; type: string; message: string }[] };
    expect(list.kind).toBe('List');
    expect(list.items.length).toBeGreaterThanOrEqual(12);
    expect(list.items.filter((e) => /no space left on device/.test(e.message)).map((e) => e.reason)).toEqual(['FailedCreatePodSandBox']);
    expect(itemLine).toBeGreaterThan(1);
  });

  it('the CLI names cgroup-leak and exits 0', () => {
    const r = cli([], EVENTS);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Cause: .*\(cgroup-leak\)/);
    expect(r.stdout).toContain(`line ${itemLine}`);
  });

  it('--ndjson prints exactly the one matching event, at the line where its item starts', () => {
    const r = cli(['--ndjson'], EVENTS);
    expect(r.code).toBe(0);
    const out = ndjson(r.stdout);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      line: itemLine,
      cause: 'cgroup-leak',
      rule: 'cgroup-mkdir-memory-enospc',
      fields: { format: 'event-json', reason: 'FailedCreatePodSandBox', namespace: 'shop', object: 'Pod/checkout-6b7f9d8c5d-xk2lp', count: 14 },
    });
  });

  it('classify agrees, and the normal events give no evidence', () => {
    const d = classify(EVENTS);
    expect(d.cause).toBe('cgroup-leak');
    // Every piece of evidence (several rules may read the same record) is that one event.
    expect([...new Set(d.evidence.map((e) => e.line))]).toEqual([itemLine]);
    expect(d.stats.records).toBeGreaterThanOrEqual(13);
    expect(classify(text).cause).toBe('cgroup-leak');
  });
});

describe('journalctl -u kubelet -o json | enospc (recorded)', () => {
  const lines = JOURNAL.toString('utf8').trimEnd().split('\n');
  const inotifyLine = lines.findIndex((l) => /"MESSAGE":"(?:[^"\\]|\\.)*inotify_add_watch/.test(l)) + 1;
  const bytesLine = lines.findIndex((l) => /"MESSAGE":\[/.test(l)) + 1;

  it('is real-shaped: one object per line, every field a string except one MESSAGE as a byte array', () => {
    expect(lines.length).toBeGreaterThanOrEqual(12);
    for (const l of lines) {
      const rec = JSON.parse(l) as Record<string, unknown>;
      for (const [k, v] of Object.entries(rec)) if (!(k === 'MESSAGE' && Array.isArray(v))) expect(typeof v, k).toBe('string');
    }
    expect(lines.filter((l) => /"MESSAGE":\[/.test(l))).toHaveLength(1);
    expect(inotifyLine).toBeGreaterThan(0);
    expect(bytesLine).toBeGreaterThan(inotifyLine);
  });

  it('the CLI names inotify-watch-exhaustion and exits 0', () => {
    const r = cli([], JOURNAL);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Cause: .*\(inotify-watch-exhaustion\)/);
  });

  it('--ndjson prints the string record and the byte-array record with their line numbers', () => {
    const r = cli(['--ndjson'], JOURNAL);
    expect(r.code).toBe(0);
    const out = ndjson(r.stdout);
    expect(out.map((o) => [o.line, o.rule])).toEqual([
      [inotifyLine, 'inotify-add-watch-enospc'],
      [bytesLine, 'inotify-add-watch-enospc'],
    ]);
    expect(out[0]).toMatchObject({ cause: 'inotify-watch-exhaustion', fields: { format: 'journal-json', unit: 'kubelet.service', severity: 'error' } });
    // The byte array was decoded: the path came out of the message text.
    expect(out[1]?.fields.path).toMatch(/^\/var\/lib\/kubelet\/pods\/.*\/cache\/r/);
  });

  it('classify agrees', () => {
    const d = classify(JOURNAL);
    expect(d.cause).toBe('inotify-watch-exhaustion');
    expect([...new Set(d.evidence.map((e) => e.line))].sort((a, b) => a - b)).toEqual([inotifyLine, bytesLine]);
    expect(d.stats.lines).toBe(lines.length);
  });
});
