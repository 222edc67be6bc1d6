/**
 * Large file inputs run in a worker thread (src/cli/main.ts, WORKER_MIN_BYTES); the threshold is
 * lowered here through ENOSPC_WORKER_MIN_BYTES so small fixtures take that path. It must be
 * invisible: the same stdout, stderr and exit status as the inline run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

const CLI = join(ROOT, 'dist', 'cli.cjs');
const TMP = mkdtempSync(join(tmpdir(), 'enospc-cli-worker-'));
const LINE = 'inotify_add_watch /sys/fs/cgroup/memory/x: no space left on device';
const WORKER = { ...process.env, NO_COLOR: '1', ENOSPC_WORKER_MIN_BYTES: '0' };
const INLINE = { ...process.env, NO_COLOR: '1', ENOSPC_WORKER_MIN_BYTES: '1e15' };

function run(args: string[], env: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI worker path for large inputs', () => {
  const log = join(TMP, 'mixed.log');
  writeFileSync(
    log,
    [
      'Mar 04 10:30:58 node-a kubelet[2301]: I0304 10:30:58.280275    2301 kubelet.go:1] "SyncLoop ADD" source="api"',
      `Mar 04 10:30:59 node-a kubelet[2301]: E0304 10:30:59.280275    2301 raw.go:146] Failed to watch directory "/sys/fs/cgroup/memory": ${LINE}`,
      'Mar 04 10:31:00 node-a kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode.',
      '',
    ].join('\n'),
  );
  const healthy = join(TMP, 'healthy.log');
  writeFileSync(healthy, 'Mar 04 10:31:00 node-a kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode.\n');

  for (const mode of [[], ['--json'], ['--ndjson'], ['--explain']]) {
    it(`gives the inline run's output and status (${mode.join(' ') || 'report'})`, () => {
      for (const file of [log, healthy]) {
        const viaWorker = run([...mode, file], WORKER);
        const inline = run([...mode, file], INLINE);
        expect(viaWorker).toEqual(inline);
        expect(inline.code).toBe(file === log ? 0 : 1);
      }
    });
  }

  it('several files, file:line locations', () => {
    const viaWorker = run(['--ndjson', healthy, log], WORKER);
    expect(viaWorker).toEqual(run(['--ndjson', healthy, log], INLINE));
    expect(JSON.parse(viaWorker.stdout.split('\n')[0]!)).toMatchObject({ file: log, line: 2 });
  });

  it('errors stay one line with exit 2 (a missing file among large ones)', () => {
    const r = run([log, join(TMP, 'nope.log')], WORKER);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nope\.log: no such file/);
  });

  it('SIGINT while the worker reads: exit 130, one line, no stack trace', async () => {
    const big = join(TMP, 'slow.log');
    writeFileSync(big, `${LINE}\n`.repeat(600_000)); // ~40 MB of matching records: seconds of work
    const child = spawn(process.execPath, [CLI, big], { stdio: ['ignore', 'pipe', 'pipe'], env: WORKER });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(err).toBe('enospc: interrupted (SIGINT)\n');
  });

  it('a reader that leaves early (`| head -1`): exit 0, nothing on stderr', async () => {
    const big = join(TMP, 'big.log');
    writeFileSync(big, `${LINE}\n`.repeat(100_000));
    const status = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, '--ndjson', big], { stdio: ['ignore', 'pipe', 'pipe'], env: WORKER });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => resolve({ code, err }));
    });
    expect(status).toEqual({ code: 0, err: '' });
  });
});

/** Runs the CLI with `chunks` written to a pipe on its stdin, `gapMs` apart; resolves on exit. */
function runPiped(args: string[], env: NodeJS.ProcessEnv, chunks: string[], gapMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    let i = 0;
    const next = (): void => {
      if (i === chunks.length) return void child.stdin.end();
      child.stdin.write(chunks[i++]!);
      setTimeout(next, gapMs);
    };
    next();
  });
}

describe('CLI worker output', () => {
  it.skipIf(!existsSync('/proc/self/status'))('--ndjson from a worker fed by stdin: memory does not grow with the output', async () => {
    const n = 400_000;
    const input = `${LINE}\n`.repeat(n); // ~27 MB in, ~100 MB of --ndjson out
    const child = spawn(process.execPath, [CLI, '--ndjson'], { stdio: ['pipe', 'pipe', 'pipe'], env: WORKER });
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // exited between two polls
      }
    }, 50);
    let lines = 0;
    child.stdout.on('data', (d: Buffer) => {
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
    });
    child.stdin.end(input);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearInterval(poll);
    expect(code).toBe(0);
    expect(lines).toBe(n);
    // Sent through worker stdio (messages to the main thread, which was also feeding stdin), the
    // output queued up: 560-710 MB peak RSS on a 104.9 MB dense log. Written by the worker: ~90 MB.
    expect(peakKiB).toBeGreaterThan(0);
    expect(peakKiB / 1024).toBeLessThan(200);
  });
});

describe('CLI worker path for stdin', () => {
  const DEFAULT: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete DEFAULT.ENOSPC_WORKER_MIN_BYTES;
  const text = [
    'Mar 04 10:30:58 node-a kubelet[2301]: I0304 10:30:58.280275    2301 kubelet.go:1] "SyncLoop ADD" source="api"',
    `Mar 04 10:30:59 node-a kubelet[2301]: E0304 10:30:59.280275    2301 raw.go:146] Failed to watch directory "/sys/fs/cgroup/memory": ${LINE}`,
    'Mar 04 10:31:00 node-a kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode.',
    '',
  ].join('\n');

  for (const mode of [[], ['--json'], ['--ndjson']]) {
    it(`gives the inline run's output and status (${mode.join(' ') || 'report'}, ENOSPC_WORKER_MIN_BYTES=0)`, () => {
      const viaWorker = spawnSync(process.execPath, [CLI, ...mode], { input: text, encoding: 'utf8', env: WORKER, timeout: 60_000 });
      const inline = spawnSync(process.execPath, [CLI, ...mode], { input: text, encoding: 'utf8', env: INLINE, timeout: 60_000 });
      expect({ code: viaWorker.status, out: viaWorker.stdout, err: viaWorker.stderr }).toEqual({ code: inline.status, out: inline.stdout, err: inline.stderr });
      expect(inline.status).toBe(0);
    });
  }

  it('a stdin still open after the peek (a slow writer) reaches the worker whole, split mid-line and all', async () => {
    // The default thresholds: nothing ends within 200 ms, so the worker takes over with a read in flight.
    const chunks = [text.slice(0, 50), text.slice(50, 200), text.slice(200), `${LINE}\n`];
    const slow = await runPiped(['--ndjson'], DEFAULT, chunks, 150);
    const inline = spawnSync(process.execPath, [CLI, '--ndjson'], { input: chunks.join(''), encoding: 'utf8', env: INLINE });
    expect(slow).toEqual({ code: 0, stdout: inline.stdout, stderr: '' });
    expect(slow.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { line: number }).line)).toEqual([2, 4]);
  });

  it('more than the peek (4 MiB) through a pipe: the same diagnosis as the file inline', async () => {
    const healthy = 'Mar 04 10:31:00 node-a kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode.\n';
    const body = healthy.repeat(30_000) + text + healthy.repeat(30_000) + `${LINE}\n`; // ~6 MB
    const file = join(TMP, 'six.log');
    writeFileSync(file, body);
    const piped = await runPiped(['--json'], DEFAULT, [body.slice(0, 3_000_000), body.slice(3_000_000)], 0);
    const inline = run(['--json', file], INLINE);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual(JSON.parse(inline.stdout));
  });

  it('stdin redirected from a file and from /dev/null', () => {
    const file = join(TMP, 'redirect.log');
    writeFileSync(file, text);
    for (const env of [DEFAULT, WORKER]) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" --json < "${file}"`], { encoding: 'utf8', env });
      expect(r.status).toBe(0);
      expect((JSON.parse(r.stdout) as { cause: string }).cause).toBe('inotify-watch-exhaustion');
      const empty = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" < /dev/null`], { encoding: 'utf8', env });
      expect(empty.status).toBe(1);
      expect(empty.stderr).toBe('');
    }
  });

  it('the worker failing while stdin stays open: exit 2, one line, no hang', async () => {
    const child = spawn(process.execPath, [CLI, '--rules', join(TMP, 'no-such-dir')], { stdio: ['pipe', 'pipe', 'pipe'], env: WORKER });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.write(`${LINE}\n`); // and never end it
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^enospc: --rules /);
  });

  it('SIGINT while the worker reads an open stdin: exit 130, one line', async () => {
    const child = spawn(process.execPath, [CLI], { stdio: ['pipe', 'pipe', 'pipe'], env: WORKER });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.write(`${LINE}\n`);
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(err).toBe('enospc: interrupted (SIGINT)\n');
  });
});
