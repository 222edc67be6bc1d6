/**
 * Runs a lab scenario (test/lab/scenarios.ts) and undoes what it made. The namespaces die with the
 * scenario's process; host objects (cgroups named enospc-lab-<token>) and scratch files are
 * removed here in `finally`, whatever the script did.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, accessSync, constants } from 'node:fs';
import { tmpdir, release } from 'node:os';
import { join } from 'node:path';
import type { Need, Scenario } from './scenarios.js';

/** One recorded run, as saved in test/fixtures/lab/<id>.json. */
export interface LabFixture {
  readonly id: string;
  readonly cause: string;
  readonly program: string;
  readonly version: string;
  readonly locale: string;
  readonly command: string;
  readonly what: string;
  /** 'output' or 'reading': see Scenario.decidedBy. */
  readonly decidedBy: 'output' | 'reading';
  /** What the program printed (stdout and stderr interleaved), verbatim. */
  readonly output: string;
  /** The readings taken next to it (df, ipcs, /proc), each after a `$ command` line. */
  readonly reading: string;
  /** What `probe_here` printed inside the scenario (paths from the evidence, the probe's result), if it ran. */
  readonly probe?: unknown;
  /** Exit status of each `run` in the scenario. */
  readonly exit: readonly number[];
  readonly kernel: string;
  readonly recorded: string;
}

const PRELUDE = `set +e
run() { "$@" >>"$LAB_OUT" 2>&1; echo $? >>"$LAB_RC"; }
py() { f="$LAB_DIR/$1.py"; printf '%s\\n' "\${2#$'\\n'}" >"$f"; shift 2; run /usr/bin/python3 "$f" "$@"; }
probe_here() { node "$LAB_TSX" "$LAB_PROBE" >"$LAB_DIR/probe.json" 2>"$LAB_DIR/probe.err"; }
reading() { printf '$ %s\\n' "$*" >>"$LAB_READ"; "$@" >>"$LAB_READ" 2>&1; }
`;

const CGROUP_ROOT = '/sys/fs/cgroup';
const cache = new Map<Need, boolean>();

function probeNeed(need: Need): boolean {
  if (need === 'root') return process.getuid?.() === 0;
  if (need === 'userns') {
    const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', '--ipc', '--fork', 'true'], { timeout: 10_000 });
    return r.status === 0;
  }
  if (need === 'cgroup-v1-pids' || need === 'cgroup-v1-cpuset') {
    const dir = join(CGROUP_ROOT, need === 'cgroup-v1-pids' ? 'pids' : 'cpuset');
    try {
      accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
      return process.getuid?.() === 0;
    } catch {
      return false;
    }
  }
  if (need === 'loop') return existsSync('/dev/loop-control') && spawnSync('losetup', ['-f']).status === 0;
  if (need.startsWith('bin:')) {
    const bin = need.slice(4);
    if (bin.startsWith('/')) return existsSync(bin);
    return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
  }
  if (need.startsWith('locale:')) {
    const want = need.slice(7).toLowerCase().replace('utf-8', 'utf8');
    const r = spawnSync('locale', ['-a'], { encoding: 'utf8' });
    return r.status === 0 && r.stdout.toLowerCase().split('\n').includes(want);
  }
  return false;
}

/** The needs of `s` this machine does not meet (empty when it can run). */
export function missing(s: Scenario): Need[] {
  return s.needs.filter((n) => {
    if (!cache.has(n)) cache.set(n, probeNeed(n));
    return !cache.get(n);
  });
}

/** Run `items` through `fn`, at most `limit` at a time, keeping the order of the results. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Kill what is left in this token's cgroups and remove them. */
function removeCgroups(token: string): void {
  if (!existsSync(CGROUP_ROOT)) return;
  for (const ctrl of readdirSync(CGROUP_ROOT)) {
    const dir = join(CGROUP_ROOT, ctrl);
    let entries: string[];
    try {
      entries = readdirSync(dir).filter((e) => e.startsWith(`enospc-lab-${token}`));
    } catch {
      continue;
    }
    for (const e of entries) {
      const cg = join(dir, e);
      for (let attempt = 0; attempt < 50; attempt++) {
        let pids: string[] = [];
        try {
          pids = readFileSync(join(cg, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
        } catch {
          /* gone */
        }
        for (const p of pids) {
          try {
            process.kill(Number(p), 'SIGKILL');
          } catch {
            /* exited */
          }
        }
        try {
          rmdirSync(cg);
          break;
        } catch {
          spawnSync('sleep', ['0.05']);
        }
      }
    }
  }
}

/** Detach loop devices still backed by `image` (mount -o loop sets autoclear; this is the safety net). */
function detachLoops(image: string): void {
  if (!existsSync(image)) return;
  const r = spawnSync('losetup', ['-j', image], { encoding: 'utf8' });
  for (const line of (r.stdout ?? '').split('\n')) {
    const dev = line.split(':')[0];
    if (dev?.startsWith('/dev/loop')) spawnSync('losetup', ['-d', dev]);
  }
}

function firstLine(cmd: string): string {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }, timeout: 10_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]?.trim() ?? '';
}

/** Run a command to its end (killed after `timeoutMs`), resolving with its status and stderr. */
function exec(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string }, timeoutMs: number): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

/** Run `s` for real and return what it recorded. Rejects when the scenario's own setup failed. */
export async function runScenario(s: Scenario): Promise<LabFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'enospc-lab-'));
  const token = `${process.pid}-${dir.slice(-6)}`;
  const w = join(dir, 'w');
  const out = join(dir, 'out');
  const rc = join(dir, 'rc');
  const read = join(dir, 'read');
  const locale = s.locale ?? 'C.UTF-8';
  try {
    spawnSync('mkdir', ['-p', w]);
    spawnSync('touch', [out, rc, read]);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      LANG: locale,
      LC_ALL: locale,
      W: w,
      TOKEN: token,
      LAB_OUT: out,
      LAB_RC: rc,
      LAB_READ: read,
      LAB_DIR: dir,
      LAB_TSX: join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      LAB_PROBE: join(import.meta.dirname, 'probe-here.ts'),
    };
    const script = PRELUDE + s.script;
    const argv =
      s.mode === 'userns'
        ? ['unshare', ['--user', '--map-root-user', '--mount', '--ipc', '--fork', 'bash', '-c', script]]
        : ['bash', ['-c', script]];
    const r = await exec(argv[0] as string, argv[1] as string[], { env, cwd: dir }, 30_000);
    const exit = readFileSync(rc, 'utf8').split('\n').filter(Boolean).map(Number);
    if (exit.length === 0) throw new Error(`scenario ${s.id}: setup failed before the program ran (status ${r.status}): ${r.stderr}`);
    return {
      id: s.id,
      cause: s.cause,
      program: s.program,
      version: firstLine(s.version),
      locale,
      command: s.command,
      what: s.what,
      decidedBy: s.decidedBy ?? 'output',
      output: readFileSync(out, 'utf8').replace(/\s+$/, ''),
      reading: readFileSync(read, 'utf8').replace(/\s+$/, ''),
      exit,
      ...(existsSync(join(dir, 'probe.json')) ? { probe: JSON.parse(readFileSync(join(dir, 'probe.json'), 'utf8') || 'null') as unknown } : {}),
      kernel: release(),
      recorded: new Date().toISOString().slice(0, 10),
    };
  } finally {
    removeCgroups(token);
    detachLoops(`${w}.img`);
    // The tmpfs mounts were in the scenario's mount namespace; on the host $W is a plain directory.
    rmSync(dir, { recursive: true, force: true });
  }
}
