/**
 * The built CLI (dist/cli.cjs; run `npx tsup` first) under bad conditions: every failure is one
 * line on stderr with exit status 2 (or 128+signal), never a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

const CLI = join(ROOT, 'dist', 'cli.cjs');
const TMP = mkdtempSync(join(tmpdir(), 'enospc-cli-bad-'));
const LINE = 'inotify_add_watch /sys/fs/cgroup/memory/x: no space left on device';

function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input: input ?? '', encoding: 'utf8', cwd: ROOT, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
}

describe('CLI under bad conditions', () => {
  it('a missing file: one line, exit 2', () => {
    const r = run([join(TMP, 'nope.log')]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /^enospc: .*nope\.log: no such file$/);
  });

  it('a directory given as a file: one line, exit 2', () => {
    const r = run([TMP]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /: is a directory$/);
  });

  it('a path through a regular file (ENOTDIR): one line, exit 2', () => {
    const f = join(TMP, 'plain.txt');
    writeFileSync(f, 'x\n');
    const r = run([join(f, 'child.log')]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /: a path component is not a directory$/);
  });

  // Root reads a chmod 000 file anyway, so the EACCES case can only be shown as another user.
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  it.skipIf(isRoot)('an unreadable file (chmod 000): one line, exit 2 [skipped when running as root: chmod does not block root reads]', () => {
    const f = join(TMP, 'secret.log');
    writeFileSync(f, `${LINE}\n`);
    chmodSync(f, 0o000);
    const r = run([f]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /secret\.log: permission denied$/);
  });

  it('one bad file among good ones still fails with exit 2 and names it', () => {
    const good = join(TMP, 'good.log');
    writeFileSync(good, `${LINE}\n`);
    const r = run([good, join(TMP, 'missing.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.log: no such file/);
  });

  it('stdin closed at once (/dev/null) and stdin ending mid-line: no error', () => {
    const empty = spawnSync(process.execPath, [CLI, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', cwd: ROOT });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toBe('');
    expect(JSON.parse(empty.stdout).cause).toBeNull();
    const cut = run(['--json'], LINE); // no final newline
    expect(cut.code).toBe(0);
    expect(JSON.parse(cut.stdout).cause).toBe('inotify-watch-exhaustion');
  });

  it('--rules DIR with a bad rule prints the RuleError message and exits 2', () => {
    const dir = join(TMP, 'rules-bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'my-rule.yaml'),
      [
        'id: my-rule',
        'cause: disk-full',
        'effect: supports',
        'strength: moderate',
        'status: experimental',
        'keywords: [no space left on device]',
        "pattern: '(?<path>/\\S+) : \\s no \\s space \\s left \\s on \\s device'",
        'description: x',
        'provenance: x',
        'examples:',
        "  match: ['/data/x: no space left on device']",
        "  noMatch: ['/data/x: ok']",
        '',
      ].join('\n'),
    );
    const r = run(['--rules', dir], `${LINE}\n`);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /^enospc: --rules .*rules-bad: rule "my-rule": pattern: may take super-linear time \(ReDoS\): unbounded repeat/);
  });

  it('--rules DIR with a misspelt field names the field', () => {
    const dir = join(TMP, 'rules-typo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'my-rule.yaml'), 'id: my-rule\npatern: x\n');
    const r = run(['--rules', dir]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /rule "my-rule": (patern: unknown field|cause: )/);
  });

  it('--rules DIR that does not exist: one line, exit 2', () => {
    const r = run(['--rules', join(TMP, 'no-rules-here')]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /^enospc: --rules .*no-rules-here: .*ENOENT/);
  });

  it('broken pipe on stdout (`enospc --ndjson big.log | head -1`): exits quietly, no stack trace', async () => {
    const big = join(TMP, 'big.log');
    writeFileSync(big, `${LINE}\n`.repeat(200_000)); // ~13 MB, 200 000 matching records
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" --ndjson "${big}" | head -1; echo "status=\${PIPESTATUS:-$?}" >&2`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).cause).toBe('inotify-watch-exhaustion');
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    // And the exit status of enospc itself, without a shell in between.
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [CLI, '--ndjson', big], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => {
        expect(err).toBe('');
        resolve(code);
      });
    });
    expect(status).toBe(0);
  }, 60_000);

  it('SIGINT while reading stdin: exit 130, one line, no stack trace', async () => {
    const child = spawn(process.execPath, [CLI], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.write(`${LINE}\n`); // keep stdin open: the CLI is waiting for more
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expectOneLineError(err, /^enospc: interrupted \(SIGINT\)$/);
  });

  it('SIGTERM: exit 143, one line', async () => {
    const child = spawn(process.execPath, [CLI], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(143);
    expectOneLineError(err, /^enospc: interrupted \(SIGTERM\)$/);
  });

  it('binary input (NUL, invalid UTF-8) on stdin: no error', () => {
    const r = spawnSync(process.execPath, [CLI, '--json'], { input: Buffer.from([0, 0xff, 0xfe, 0xc3, 0x28, 10, ...Buffer.from(`${LINE}\n`)]), cwd: ROOT });
    expect(r.status).toBe(0);
    expect(r.stderr.toString()).toBe('');
    expect(JSON.parse(r.stdout.toString()).cause).toBe('inotify-watch-exhaustion');
  });

  it('--redact masks identifiers in the report', () => {
    const seed = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'seed-cases.jsonl'), 'utf8').split('\n')[0]!) as { text: string };
    const r = run(['--json', '--redact'], seed.text);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/VM_16_16_centos|926b7ff4-7bff-11e8-945b-52540048533c|6e85761a30707b43ed874e0140f58839618285fc90717153b3cbe7f91629ef5a/);
    expect(r.stdout).toContain('inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod<uid>/<id>');
  });
});
