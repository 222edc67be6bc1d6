/**
 * Large file inputs run in a worker thread (src/cli/main.ts, WORKER_MIN_BYTES); the threshold is
 * lowered here through ENOSPC_WORKER_MIN_BYTES so small fixtures take that path. It must be
 * invisible: the same stdout, stderr and exit status as the inline run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

const CLI = join(ROOT, 'dist', 'cli.js');
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
