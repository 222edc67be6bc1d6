import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosisSchema } from '../../src/schema.js';
import { ROOT } from '../support/rules.js';

const CLI = join(ROOT, 'dist', 'cli.cjs');

function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input: input ?? '', encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const INOTIFY = readFileSync(join(ROOT, 'examples', 'kubelet-inotify.log'), 'utf8');

describe('enospc CLI', () => {
  it('prints a readable report and exits 0 when a cause is found', () => {
    const r = run(['examples/kubelet-inotify.log']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('inotify-watch-exhaustion');
    expect(r.stdout).toContain('Confirm:');
    expect(r.stdout).toContain('Fix:');
    expect(r.stdout).toMatch(/line \d+/);
  });

  it('reads stdin when no file (and for -), exits 1 when nothing is found', () => {
    expect(run([], INOTIFY).code).toBe(0);
    expect(run(['-'], INOTIFY).code).toBe(0);
    const none = run([], 'Mar 04 10:31:12 node-a kubelet[2301]: I0304 10:31:12.551902 2301 kubelet.go:1] all good\n');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('no ENOSPC-family cause');
  });

  it('--json prints a schema-valid Diagnosis', () => {
    const r = run(['--json', 'examples/kubelet-inotify.log']);
    expect(r.code).toBe(0);
    const d = DiagnosisSchema.parse(JSON.parse(r.stdout));
    expect(d.cause).toBe('inotify-watch-exhaustion');
  });

  it('--ndjson prints one JSON line per matching record', () => {
    const r = run(['--ndjson'], INOTIFY);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { line: number; rule: string; cause: string });
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatchObject({ line: 3, cause: 'inotify-watch-exhaustion' });
  });

  it('--explain lists findings with their rules', () => {
    const r = run(['--explain', 'examples/kubelet-inotify.log']);
    expect(r.stdout).toContain('All findings');
    expect(r.stdout).toContain('inotify-add-watch-enospc');
  });

  it('reports file:line across several files', () => {
    const r = run(['examples/containerd-disk-full.log', 'examples/kubelet-inotify.log']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/examples\/(kubelet-inotify|containerd-disk-full)\.log:\d+/);
  });

  it.each([
    [['--bogus'], /unknown option --bogus/],
    [['--min-confidence', 'abc'], /--min-confidence must be a number/],
    [['--rules'], /needs a value/],
    [['no/such/file.log'], /no\/such\/file\.log: no such file/],
    [['examples'], /examples: is a directory/],
    [['export', 'nope'], /unknown export target/],
  ])('%j fails with one line on stderr and exit 2', (args, message) => {
    const r = run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help and --version', () => {
    const h = run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: enospc');
    const v = run(['--version']);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('--rules loads extra rules and rejects invalid ones with the rule id and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'enospc-rules-'));
    mkdirSync(join(dir, 'good'));
    writeFileSync(
      join(dir, 'good', 'my-app-spool-full.yaml'),
      [
        'id: my-app-spool-full',
        'cause: disk-full',
        'effect: supports',
        'strength: strong',
        'status: experimental',
        'keywords: [myapp spool]',
        "pattern: 'myapp \\s spool \\s full'",
        'description: Our app says its spool is full.',
        'provenance: our app',
        'examples:',
        "  match: ['myapp spool full on /data']",
        "  noMatch: ['myapp spool ok']",
      ].join('\n'),
    );
    const ok = run(['--rules', join(dir, 'good'), '--json'], 'myapp spool full on /data\n');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).cause).toBe('disk-full');
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'broken.yaml'), readFileSync(join(dir, 'good', 'my-app-spool-full.yaml'), 'utf8').replace('id: my-app-spool-full', 'id: broken').replace("'myapp \\s spool \\s full'", "'myapp ( spool'"));
    const bad = run(['--rules', join(dir, 'bad')], 'x\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/rule "broken": pattern: /);
  });
});
