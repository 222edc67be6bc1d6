/**
 * Issue 14 (hardening II), CLI items 1 (through --rules), 15–20 and the rule-file caps, on the
 * built CLI (dist/cli.cjs; `npm run build` first). Every failure is one line on stderr, exit 2.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

const CLI = join(ROOT, 'dist', 'cli.cjs');
const TMP = mkdtempSync(join(tmpdir(), 'enospc-cli-h14-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const LINE = 'inotify_add_watch /sys/fs/cgroup/memory/x: no space left on device';
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

function run(args: string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: ROOT, timeout: 20_000, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |internal error|node:internal/);
}

function ruleYaml(id: string, pattern = String.raw`zzmarker \s semget`): string {
  return [
    `id: ${id}`,
    'cause: ipc-limit',
    'effect: supports',
    'strength: strong',
    'status: experimental',
    'keywords: [zzmarker]',
    `pattern: '${pattern.replace(/'/g, "''")}'`,
    'description: x',
    'provenance: x',
    'examples:',
    '  match: ["zzmarker semget"]',
    '  noMatch: ["zzmarker ok"]',
    '',
  ].join('\n');
}

function ruleDir(name: string, files: Record<string, string>): string {
  const dir = join(TMP, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

/** Waits (up to 10 s) until process `pid` holds `path` open (Linux /proc), i.e. the CLI is reading it. */
async function waitUntilOpen(pid: number, path: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) return;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until `child` has exited or `ms` passed; resolves to its exit code/signal. */
function exitOf(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve('timeout'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal });
    });
  });
}

describe('item 1 through --rules DIR', () => {
  it('a rule with chained bounded repeats is refused naming it, exit 2', () => {
    const dir = ruleDir('redos', { 'chained-repeats.yaml': ruleYaml('chained-repeats', String.raw`zzmarker \s space .{0,1000} a .{0,1000} a .{0,1000} a .{0,1000} :`) });
    const r = run(['--rules', dir, '-'], `${LINE}\n`);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /^enospc: --rules .*: rule "chained-repeats": pattern: may take super-linear time \(ReDoS\)/);
  });
});

describe.skipIf(!hasMkfifo)('items 16–17: FIFOs [skipped without mkfifo]', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops the CLI while a FIFO file argument is idle (exit %i)', async (signal, status) => {
    const fifo = join(TMP, `idle-${signal}.fifo`);
    spawnSync('mkfifo', [fifo]);
    // A writer that holds the FIFO open and writes nothing, like an idle `journalctl -f`.
    const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; sleep 30`], { stdio: 'ignore' });
    const cli = spawn(process.execPath, [CLI, fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await waitUntilOpen(cli.pid!, fifo);
      await new Promise((r) => setTimeout(r, 200));
      cli.kill(signal);
      const res = await exitOf(cli, 4000);
      expect(res, 'the CLI did not exit after the signal (was: never exits)').not.toBe('timeout');
      expect(res).toMatchObject({ code: status });
      expect(stderr).toContain(`interrupted (${signal})`);
    } finally {
      cli.kill('SIGKILL');
      writer.kill('SIGKILL');
    }
  });

  it('a FIFO argument is read to its end: a writer that comes later, then closes', async () => {
    const fifo = join(TMP, 'late.fifo');
    spawnSync('mkfifo', [fifo]);
    const cli = spawn(process.execPath, [CLI, '--json', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    cli.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      await new Promise((r) => setTimeout(r, 400));
      writeFileSync(fifo, `${LINE}\n`); // opens for writing (the CLI is the reader), writes, closes
      const res = await exitOf(cli, 8000);
      expect(res).toMatchObject({ code: 0 });
      expect(JSON.parse(stdout).cause).toBe('inotify-watch-exhaustion');
    } finally {
      cli.kill('SIGKILL');
    }
  });

  it('a pipe handed over as /dev/fd/3 (what <(…) gives) is read', async () => {
    const cli = spawn(process.execPath, [CLI, '--json', '/dev/fd/3'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    cli.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const fd3 = cli.stdio[3] as NodeJS.WritableStream;
    fd3.end(`${LINE}\n`);
    const res = await exitOf(cli, 8000);
    cli.kill('SIGKILL');
    expect(res).toMatchObject({ code: 0 });
    expect(JSON.parse(stdout).cause).toBe('inotify-watch-exhaustion');
  });

  it('item 17: a FIFO named x.yaml in --rules DIR: exit 2 naming the entry, at once (was: blocks forever, even SIGINT)', () => {
    const dir = ruleDir('fifo-rules', { 'good.yaml': ruleYaml('good') });
    spawnSync('mkfifo', [join(dir, 'x.yaml')]);
    const t0 = Date.now();
    const r = run(['--rules', dir, '-'], `${LINE}\n`);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /x\.yaml: not a regular file \(a FIFO\)$/);
  });
});

describe('item 18: odd entries in --rules DIR: one line naming the entry, exit 2', () => {
  it.each([
    ['a symlink loop', (dir: string) => symlinkSync(join(dir, 'loop.yaml'), join(dir, 'loop.yaml')), /loop\.yaml: too many symbolic links/],
    ['a dangling link', (dir: string) => symlinkSync(join(dir, 'gone'), join(dir, 'dangling.yaml')), /dangling\.yaml: no such file/],
    ['a directory named *.yaml', (dir: string) => mkdirSync(join(dir, 'sub.yaml')), /sub\.yaml: is a directory$/],
    ['a file over 1 MiB', (dir: string) => writeFileSync(join(dir, 'huge.yaml'), `${ruleYaml('huge')}# ${'x'.repeat(2_000_000)}\n`), /huge\.yaml: too large \(\d+ bytes; rule files are capped at 1048576\)$/],
  ])('%s', (name, make, pattern) => {
    const dir = ruleDir(`odd-${name.replace(/\W+/g, '-')}`, { 'good.yaml': ruleYaml('good') });
    make(dir);
    const r = run(['--rules', dir, '-'], `${LINE}\n`);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, pattern);
    expect(r.stderr).toContain(dir);
  });
});

describe('item 19: a custom rule reusing a taken id', () => {
  const builtin = readdirSync(join(ROOT, 'rules', 'signals')).find((n) => n.endsWith('.yaml'))!;
  const id = builtin.slice(0, -5);

  it('a built-in id: refused, naming both files (was: silently replaced the built-in)', () => {
    const dir = ruleDir('clash-builtin', { [builtin]: readFileSync(join(ROOT, 'rules', 'signals', builtin), 'utf8') });
    const r = run(['--rules', dir, '-'], `${LINE}\n`);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, new RegExp(`rule "${id}": id: .*clash-builtin/${builtin} reuses the id of the built-in rule .*rules/signals/${builtin}$`));
  });

  it('an id loaded from an earlier --rules DIR: refused, naming both files', () => {
    const a = ruleDir('clash-a', { 'mine.yaml': ruleYaml('mine') });
    const b = ruleDir('clash-b', { 'mine.yaml': ruleYaml('mine') });
    const r = run(['--rules', a, '--rules', b, '-'], `${LINE}\n`);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /rule "mine": id: .*clash-b\/mine\.yaml reuses the id of .*clash-a\/mine\.yaml$/);
  });

  it('a new id still loads and runs beside the built-ins', () => {
    const dir = ruleDir('fresh', { 'fresh-rule.yaml': ruleYaml('fresh-rule') });
    const r = run(['--rules', dir, '--json', '-'], `${LINE}\nzzmarker semget\n`);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { findings: { cause: string }[] };
    expect(d.findings.map((f) => f.cause).sort()).toEqual(['inotify-watch-exhaustion', 'ipc-limit']);
  });
});

describe('item 20: lone CRs and several files', () => {
  it('evidence stays in its own file and line (was: plain2.log:5)', () => {
    const cr1 = join(TMP, 'cr1.log');
    const plain2 = join(TMP, 'plain2.log');
    writeFileSync(cr1, `a\rb\rc\rd\re\r${LINE}\n`);
    writeFileSync(plain2, 'x\ny\nz\n');
    const r = run(['--ndjson', cr1, plain2]);
    expect(r.code).toBe(0);
    const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; line: number });
    expect(recs.map((x) => [x.file, x.line])).toEqual([[cr1, 6]]);
  });

  it('a file ending in CR, a file ending without a break, CRLF files', () => {
    const f1 = join(TMP, 'ends-cr.log');
    const f2 = join(TMP, 'no-break.log');
    const f3 = join(TMP, 'crlf.log');
    writeFileSync(f1, 'one\rtwo\r');
    writeFileSync(f2, '\nsecond');
    writeFileSync(f3, `x\r\ny\r\n${LINE}\r\n`);
    const r = run(['--ndjson', f1, f2, f3]);
    expect(r.code).toBe(0);
    const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; line: number });
    expect(recs.map((x) => [x.file, x.line])).toEqual([[f3, 3]]);
  });
});

describe('item 15: --redact masks file names', () => {
  const uid = '926b7ff4-7bff-11e8-945b-52540048533c';
  const podDir = join(TMP, 'var', 'log', 'pods', `kube-system_coredns-5d78c9869d-abcde_${uid}`, 'coredns');
  mkdirSync(podDir, { recursive: true });
  const log = join(podDir, '0.log');
  writeFileSync(log, `2024-05-01T10:00:00.123456789Z stderr F ${LINE}\n`);
  const other = join(TMP, 'other.log');
  writeFileSync(other, 'fine\n');

  it('in --ndjson `file` and in the report’s file:line', () => {
    for (const mode of [['--ndjson'], [], ['--explain']]) {
      const r = run(['--redact', ...mode, log, other]);
      expect(r.code).toBe(0);
      expect(r.stdout, mode.join(' ')).not.toMatch(/kube-system|coredns-5d78c9869d|926b7ff4/);
      expect(r.stdout).toContain('<namespace>_<pod>_<uid>/coredns/0.log');
    }
    // without --redact the names are printed as given
    expect(run(['--ndjson', log, other]).stdout).toContain(uid);
  });
});

describe('item 14: --redact in every output mode', () => {
  it('report, --explain, --json and --ndjson print no node name, instance id or host under another TLD', () => {
    const line =
      'Mar 04 10:31:12 Worker-7 kubelet[2301]: E0304 10:31:12.551902 2301 kubelet.go:1] "Eviction failed" node="worker-7" ' +
      'providerID="gce://my-project-123/us-central1-a/gke-pool-1-abcd" err="write /var/lib/worker-7/registry.acme.co.uk/x: no space left on device"';
    const secrets = /worker-7|my-project-123|gke-pool-1-abcd|acme/i;
    for (const mode of [[], ['--explain'], ['--json'], ['--ndjson']]) {
      const r = run(['--redact', ...mode, '-'], `${line}\n`);
      expect(r.code, mode.join(' ')).toBe(0);
      expect(r.stdout, mode.join(' ')).not.toMatch(secrets);
    }
    expect(run(['--json', '-'], `${line}\n`).stdout).toMatch(secrets);
  });
});

describe('sibling of item 16: reads that could wait forever on the thread pool', () => {
  let kmsgReadable = false;
  try {
    closeSync(openSync('/dev/kmsg', 'r'));
    kmsgReadable = true;
  } catch {
    // not readable here
  }
  it.skipIf(!kmsgReadable).each([
    ['as a file argument', ['/dev/kmsg'], 'ignore'],
    ['as stdin', [], 'kmsg'],
  ] as const)('an idle character device (/dev/kmsg) %s: SIGINT ends the CLI [skipped when /dev/kmsg is not readable]', async (_name, args, stdin) => {
    const stdio = stdin === 'kmsg' ? openSync('/dev/kmsg', 'r') : 'ignore';
    const cli = spawn(process.execPath, [CLI, ...args], { stdio: [stdio, 'pipe', 'pipe'] });
    if (typeof stdio === 'number') closeSync(stdio);
    try {
      await waitUntilOpen(cli.pid!, '/dev/kmsg');
      await new Promise((r) => setTimeout(r, 700));
      cli.kill('SIGINT');
      const res = await exitOf(cli, 4000);
      expect(res, 'the CLI did not exit after SIGINT (read(2) blocked on the thread pool)').not.toBe('timeout');
      expect(res).toMatchObject({ code: 130 });
    } finally {
      cli.kill('SIGKILL');
    }
  });

  it.skipIf(!hasMkfifo)('export -o a FIFO with no reader: one line, exit 2, at once (was: blocked in open(2))', () => {
    const fifo = join(TMP, 'out.fifo');
    spawnSync('mkfifo', [fifo]);
    const r = run(['export', 'npd', '-o', fifo]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /out\.fifo: a FIFO with no reader$/);
  });
});

describe('siblings found, not fixed here', () => {
  it.todo(
    'a record open at the end of one file (a YAML or JSON document, a klog `key=<` block) absorbs the next file’s lines: the CLI has no way to end the framer’s state between files through the public Classifier (needs e.g. a boundary method)',
  );
});
