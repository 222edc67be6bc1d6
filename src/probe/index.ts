/**
 * `enospc/probe`: measure, on the affected node, the limits and usage that decide between the
 * causes of ENOSPC, and weigh a diagnosis with them. Node only; it reads files under /proc and
 * /sys and calls statfs, and never writes anything. Without root it reads what it can and lists
 * what it could not in `unreadable`.
 * @module
 */
import { readdirSync, readFileSync, readlinkSync, statfsSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CAUSES } from '../generated/rules.js';
import { CAUSE_IDS } from '../ids.js';
import { OPPOSE_WEIGHT, SUPPORT_PROBABILITY } from '../engine/strength.js';
import type { CauseId, Diagnosis, Finding, Remediation, Strength } from '../schema.js';

/** One measurement, with what it says about one cause. */
export interface Reading {
  /** Stable id of what was measured, e.g. `inotify-watches`, `statfs-inodes:/var/lib/kubelet`. */
  readonly id: string;
  readonly cause: CauseId;
  /** `supports` when the usage is at (or near) its limit, `opposes` when far below, else `neutral`. */
  readonly effect: 'supports' | 'opposes' | 'neutral';
  readonly strength: Strength;
  /** Usage and limit as read (null when the reading is a setting, not a count). */
  readonly used: number | null;
  readonly limit: number | null;
  /** The reading as one line for people: what, where, how much of how much. */
  readonly text: string;
  /** The file or call it came from. */
  readonly source: string;
}

/** A source the probe could not read, and why (permission, missing file, no such controller). */
export interface Unreadable {
  readonly source: string;
  readonly reason: string;
}

/** What `probe` measured. */
export interface ProbeResult {
  readonly readings: readonly Reading[];
  readonly unreadable: readonly Unreadable[];
  /** Whether the probe ran with uid 0 (some per-process readings need it). */
  readonly root: boolean;
}

/** Options of `probe`. */
export interface ProbeOptions {
  /** Paths whose filesystems to statfs (e.g. the paths named in the evidence); a few defaults are added. */
  readonly paths?: readonly string[];
  /** Set to false to statfs only `paths`, not the default kubelet/runtime/log paths. Default true. */
  readonly defaultPaths?: boolean;
  /** Root of the proc filesystem. Default `/proc`. */
  readonly proc?: string;
  /** Root of sysfs. Default `/sys`. */
  readonly sys?: string;
}

const DEFAULT_PATHS = ['/', '/var/lib/kubelet', '/var/lib/containerd', '/var/lib/docker', '/var/lib/containers', '/var/log', '/tmp', '/dev/shm'];
const WALK_CAP = 20_000;

const known = new Set<string>(CAUSE_IDS);
/** A cause id that may not exist in this build (added by a later release); readings for it are dropped. */
const cause = (id: string): CauseId | undefined => (known.has(id) ? (id as CauseId) : undefined);

function pct(used: number, limit: number): string {
  return limit > 0 ? `${Math.round((used / limit) * 100)} %` : 'limit 0';
}

/** Usage against a limit: at the limit supports decisively, near it strongly, far below opposes. */
function judge(used: number, limit: number, opposeBelow = 0.5): Pick<Reading, 'effect' | 'strength'> {
  if (limit <= 0 || used >= limit) return { effect: 'supports', strength: 'decisive' };
  if (used >= limit * 0.9) return { effect: 'supports', strength: 'strong' };
  if (used < limit * opposeBelow) return { effect: 'opposes', strength: 'moderate' };
  return { effect: 'neutral', strength: 'weak' };
}

class Reader {
  readonly readings: Reading[] = [];
  readonly unreadable: Unreadable[] = [];
  constructor(
    readonly proc: string,
    readonly sys: string,
  ) {}

  text(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      this.unreadable.push({ source: path, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
      return undefined;
    }
  }

  num(path: string): number | undefined {
    const t = this.text(path);
    if (t === undefined) return undefined;
    const n = Number(t.trim().split(/\s+/)[0]);
    return Number.isFinite(n) ? n : undefined;
  }

  add(id: string, causeId: string, r: Omit<Reading, 'id' | 'cause'>): void {
    const c = cause(causeId);
    if (c !== undefined) this.readings.push({ id, cause: c, ...r });
  }

  pids(): string[] {
    try {
      return readdirSync(this.proc).filter((e) => /^\d+$/.test(e));
    } catch (e) {
      this.unreadable.push({ source: this.proc, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
      return [];
    }
  }
}

function uidOf(r: Reader, pid: string): string | undefined {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(join(r.proc, pid, 'status'), 'utf8'));
    return m?.[1];
  } catch {
    return undefined;
  }
}

function inotify(r: Reader): void {
  const watchLimit = r.num(join(r.proc, 'sys/user/max_inotify_watches')) ?? r.num(join(r.proc, 'sys/fs/inotify/max_user_watches'));
  const instLimit = r.num(join(r.proc, 'sys/user/max_inotify_instances')) ?? r.num(join(r.proc, 'sys/fs/inotify/max_user_instances'));
  const watches = new Map<string, number>();
  const instances = new Map<string, number>();
  let denied = 0;
  let procs = 0;
  for (const pid of r.pids()) {
    let fds: string[];
    try {
      fds = readdirSync(join(r.proc, pid, 'fd'));
    } catch {
      denied++;
      continue;
    }
    procs++;
    let uid: string | undefined;
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(join(r.proc, pid, 'fd', fd));
      } catch {
        continue;
      }
      if (link !== 'anon_inode:inotify') continue;
      uid ??= uidOf(r, pid) ?? '?';
      instances.set(uid, (instances.get(uid) ?? 0) + 1);
      try {
        const info = readFileSync(join(r.proc, pid, 'fdinfo', fd), 'utf8');
        const n = info.split('\n').filter((l) => l.startsWith('inotify wd:')).length;
        watches.set(uid, (watches.get(uid) ?? 0) + n);
      } catch {
        /* the process exited */
      }
    }
  }
  if (denied > 0) r.unreadable.push({ source: `${r.proc}/*/fd`, reason: `${denied} of ${denied + procs} processes not readable (run as root to count every watch)` });
  const top = (m: Map<string, number>): [string, number] => [...m.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
  if (watchLimit !== undefined) {
    const [uid, n] = top(watches);
    r.add('inotify-watches', 'inotify-watch-exhaustion', {
      ...judge(n, watchLimit),
      used: n,
      limit: watchLimit,
      text: `inotify watches: ${n > 0 ? `uid ${uid} holds ${n}` : 'no process holds any'} of max_user_watches ${watchLimit} (${pct(n, watchLimit)}), counted in ${procs} processes' fdinfo`,
      source: '/proc/sys/user/max_inotify_watches, /proc/*/fdinfo',
    });
  }
  if (instLimit !== undefined) {
    const [uid, n] = top(instances);
    r.add('inotify-instances', 'inotify-instance-exhaustion', {
      ...judge(n, instLimit),
      used: n,
      limit: instLimit,
      text: `inotify instances: ${n > 0 ? `uid ${uid} holds ${n}` : 'no process holds any'} of max_user_instances ${instLimit} (${pct(n, instLimit)})`,
      source: '/proc/sys/user/max_inotify_instances, /proc/*/fd',
    });
  }
}

function walkDirs(root: string, visit: (dir: string) => void): number {
  let seen = 0;
  const stack = [root];
  while (stack.length > 0 && seen < WALK_CAP) {
    const dir = stack.pop() as string;
    seen++;
    visit(dir);
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) stack.push(join(dir, e.name));
    } catch {
      /* vanished or unreadable */
    }
  }
  return seen;
}

function memcg(r: Reader): void {
  const t = r.text(join(r.proc, 'cgroups'));
  if (t === undefined) return;
  const line = t.split('\n').find((l) => l.startsWith('memory\t'));
  if (line === undefined) return;
  const [, , n, enabled] = line.split('\t');
  const count = Number(n);
  if (enabled !== '1' || !Number.isFinite(count)) return;
  const limit = 65_535;
  const v1 = join(r.sys, 'fs/cgroup/memory');
  const visible = existsSync(v1) ? walkDirs(v1, () => {}) : undefined;
  const zombie = visible !== undefined && count > visible * 2 && count > 1000;
  const j = judge(count, limit, 0.3);
  r.add('memory-cgroups', 'cgroup-leak', {
    effect: zombie && j.effect !== 'supports' ? 'supports' : j.effect,
    strength: zombie && j.effect !== 'supports' ? 'moderate' : j.strength,
    used: count,
    limit,
    text: `memory cgroups: ${count} of 65535 ids (${pct(count, limit)})${visible !== undefined ? `, ${visible} visible as directories${zombie ? ' — the rest are removed cgroups still holding an id' : ''}` : ''}`,
    source: '/proc/cgroups',
  });
}

function mountPoint(mountinfo: string, path: string): { point: string; fstype: string } | undefined {
  let best: { point: string; fstype: string } | undefined;
  for (const l of mountinfo.split('\n')) {
    const f = l.split(' ');
    const point = f[4];
    const dash = f.indexOf('-');
    if (point === undefined || dash < 0) continue;
    if ((path === point || path.startsWith(point.endsWith('/') ? point : `${point}/`)) && (best === undefined || point.length >= best.point.length)) {
      best = { point, fstype: f[dash + 1] ?? '?' };
    }
  }
  return best;
}

function filesystems(r: Reader, paths: readonly string[], defaults: boolean): void {
  const mountinfo = r.text(join(r.proc, 'self/mountinfo')) ?? '';
  const seen = new Set<string>();
  const wanted = [...paths.map((p) => ({ p, named: true })), ...(defaults ? DEFAULT_PATHS.map((p) => ({ p, named: false })) : [])];
  for (const { p, named } of wanted) {
    let path = p;
    while (!existsSync(path) && path !== dirname(path)) path = dirname(path);
    if (!named && path !== p) continue;
    const mp = mountPoint(mountinfo, path);
    const key = mp?.point ?? path;
    if (seen.has(key)) continue;
    seen.add(key);
    let st: ReturnType<typeof statfsSync>;
    try {
      st = statfsSync(path);
    } catch (e) {
      r.unreadable.push({ source: `statfs ${path}`, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
      continue;
    }
    const where = `${key}${mp ? ` (${mp.fstype})` : ''}${named ? '' : ', a default path'}`;
    const shm = key === '/dev/shm' || key.startsWith('/dev/shm/');
    const blocksCause = shm ? 'shm-full' : 'disk-full';
    if (st.blocks > 0) {
      const used = st.blocks - st.bavail;
      const j = judge(used, st.blocks, named ? 0.8 : 0);
      const strength: Strength = j.effect === 'supports' && !named ? 'strong' : j.strength;
      r.add(`statfs-blocks:${key}`, blocksCause, {
        effect: j.effect,
        strength: j.effect === 'opposes' ? 'moderate' : strength,
        used,
        limit: st.blocks,
        text: `blocks on ${where}: ${pct(used, st.blocks)} used, ${((st.bavail * st.bsize) / 1048576).toFixed(1)} MiB available`,
        source: `statfs(${path})`,
      });
    }
    if (st.files > 0) {
      const used = st.files - st.ffree;
      const j = judge(used, st.files, named ? 0.8 : 0);
      r.add(`statfs-inodes:${key}`, 'inode-exhaustion', {
        effect: j.effect,
        strength: j.effect === 'supports' && !named ? 'strong' : j.strength,
        used,
        limit: st.files,
        text: `inodes on ${where}: ${used} of ${st.files} used (${pct(used, st.files)}), ${st.ffree} free`,
        source: `statfs(${path})`,
      });
    }
  }
}

function mounts(r: Reader): void {
  const max = r.num(join(r.proc, 'sys/fs/mount-max'));
  if (max === undefined) return;
  for (const who of ['self', '1']) {
    let t: string;
    try {
      t = readFileSync(join(r.proc, who, 'mountinfo'), 'utf8');
    } catch (e) {
      r.unreadable.push({ source: join(r.proc, who, 'mountinfo'), reason: (e as NodeJS.ErrnoException).code ?? String(e) });
      continue;
    }
    const n = t.split('\n').filter(Boolean).length;
    r.add(`mounts:${who}`, 'mount-limit', {
      ...judge(n, max, 0.5),
      used: n,
      limit: max,
      text: `mount table of ${who === 'self' ? 'this process' : 'pid 1'}: ${n} mounts of fs.mount-max ${max} (${pct(n, max)})`,
      source: `${r.proc}/${who}/mountinfo, /proc/sys/fs/mount-max`,
    });
  }
}

function ptys(r: Reader): void {
  const nr = r.num(join(r.proc, 'sys/kernel/pty/nr'));
  const max = r.num(join(r.proc, 'sys/kernel/pty/max'));
  if (nr !== undefined && max !== undefined) {
    r.add('pty-nr', 'pty-limit', { ...judge(nr, max, 0.5), used: nr, limit: max, text: `ptys: ${nr} of kernel.pty.max ${max} (${pct(nr, max)})`, source: '/proc/sys/kernel/pty/{nr,max}' });
  }
  const mi = r.text(join(r.proc, 'self/mountinfo')) ?? '';
  for (const l of mi.split('\n')) {
    const f = l.split(' ');
    const dash = f.indexOf('-');
    if (dash < 0 || f[dash + 1] !== 'devpts') continue;
    const m = /(?:^|,)max=(\d+)/.exec(f[dash + 3] ?? '');
    if (!m) continue;
    const limit = Number(m[1]);
    const point = f[4] ?? '/dev/pts';
    let used: number;
    try {
      used = readdirSync(point).filter((e) => /^\d+$/.test(e)).length;
    } catch {
      continue;
    }
    r.add(`devpts:${point}`, 'pty-limit', { ...judge(used, limit, 0.5), used, limit, text: `devpts instance at ${point}: ${used} of max=${limit} ptys (${pct(used, limit)})`, source: `${r.proc}/self/mountinfo, ${point}` });
  }
}

const NS_KINDS = ['user', 'mnt', 'pid', 'net', 'ipc', 'uts', 'cgroup', 'time'] as const;

function namespaces(r: Reader): void {
  const pids = r.pids();
  for (const kind of NS_KINDS) {
    const limit = r.num(join(r.proc, `sys/user/max_${kind}_namespaces`));
    if (limit === undefined) continue;
    const ids = new Set<string>();
    for (const pid of pids) {
      try {
        ids.add(readlinkSync(join(r.proc, pid, 'ns', kind === 'mnt' ? 'mnt' : kind)));
      } catch {
        /* not ours to read, or gone */
      }
    }
    const n = ids.size;
    const j = limit === 0 ? { effect: 'supports' as const, strength: 'decisive' as const } : judge(n, limit, 0.5);
    r.add(`namespaces-${kind}`, 'namespace-limit', {
      ...j,
      used: n,
      limit,
      text: `${kind} namespaces: ${n} seen of max_${kind}_namespaces ${limit}${limit === 0 ? ' — creating one always fails' : ` (${pct(n, limit)})`}`,
      source: `/proc/sys/user/max_${kind}_namespaces, /proc/*/ns/${kind}`,
    });
  }
}

function ipc(r: Reader): void {
  const count = (f: string): number | undefined => {
    const t = r.text(join(r.proc, 'sysvipc', f));
    return t === undefined ? undefined : Math.max(0, t.split('\n').filter(Boolean).length - 1);
  };
  const sem = r.text(join(r.proc, 'sys/kernel/sem'));
  const sets = count('sem');
  if (sem !== undefined && sets !== undefined) {
    const semmni = Number(sem.trim().split(/\s+/)[3]);
    if (Number.isFinite(semmni)) r.add('ipc-sem', 'ipc-limit', { ...judge(sets, semmni, 0.5), used: sets, limit: semmni, text: `System V semaphore sets: ${sets} of SEMMNI ${semmni} (${pct(sets, semmni)})`, source: '/proc/sysvipc/sem, /proc/sys/kernel/sem' });
  }
  for (const [file, knob, what] of [['msg', 'msgmni', 'message queues'], ['shm', 'shmmni', 'shared memory segments']] as const) {
    const n = count(file);
    const limit = r.num(join(r.proc, 'sys/kernel', knob));
    if (n !== undefined && limit !== undefined) {
      r.add(`ipc-${file}`, 'ipc-limit', { ...judge(n, limit, 0.5), used: n, limit, text: `System V ${what}: ${n} of kernel.${knob} ${limit} (${pct(n, limit)})`, source: `/proc/sysvipc/${file}, /proc/sys/kernel/${knob}` });
    }
  }
}

function keys(r: Reader): void {
  const t = r.text(join(r.proc, 'key-users'));
  if (t === undefined) return;
  let worst: { uid: string; keys: number; maxKeys: number; bytes: number; maxBytes: number; share: number } | undefined;
  for (const l of t.split('\n')) {
    const m = /^\s*(\d+):\s+\d+\s+\d+\/\d+\s+(\d+)\/(\d+)\s+(\d+)\/(\d+)/.exec(l);
    if (!m) continue;
    const [k, mk, b, mb] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
    const share = Math.max(mk > 0 ? k / mk : 0, mb > 0 ? b / mb : 0);
    if (worst === undefined || share > worst.share) worst = { uid: m[1] as string, keys: k, maxKeys: mk, bytes: b, maxBytes: mb, share };
  }
  if (worst === undefined) return;
  const j = judge(worst.share, 1, 0.5);
  r.add('key-quota', 'keyring-quota', {
    ...j,
    used: Math.round(worst.share * 1000) / 10,
    limit: 100,
    text: `key quota: uid ${worst.uid} holds ${worst.keys} of ${worst.maxKeys} keys and ${worst.bytes} of ${worst.maxBytes} bytes (${Math.round(worst.share * 100)} %)`,
    source: '/proc/key-users',
  });
}

function pids(r: Reader): void {
  const pidMax = r.num(join(r.proc, 'sys/kernel/pid_max'));
  const load = r.text(join(r.proc, 'loadavg'));
  const tasks = load === undefined ? undefined : Number(load.split(' ')[3]?.split('/')[1]);
  if (pidMax !== undefined && tasks !== undefined && Number.isFinite(tasks)) {
    r.add('pid-max', 'pid-exhaustion', { ...judge(tasks, pidMax, 0.5), used: tasks, limit: pidMax, text: `tasks: ${tasks} of kernel.pid_max ${pidMax} (${pct(tasks, pidMax)})`, source: '/proc/loadavg, /proc/sys/kernel/pid_max' });
  }
  const v1 = join(r.sys, 'fs/cgroup/pids');
  const v2 = join(r.sys, 'fs/cgroup');
  const root = existsSync(v1) ? v1 : existsSync(join(v2, 'cgroup.controllers')) ? v2 : undefined;
  if (root === undefined) {
    r.unreadable.push({ source: v1, reason: 'no pids controller mounted' });
    return;
  }
  let hit: { dir: string; current: number; max: number; events: number } | undefined;
  let limited = 0;
  walkDirs(root, (dir) => {
    let max: string;
    try {
      max = readFileSync(join(dir, 'pids.max'), 'utf8').trim();
    } catch {
      return;
    }
    if (max === 'max') return;
    limited++;
    let current = 0;
    let events = 0;
    try {
      current = Number(readFileSync(join(dir, 'pids.current'), 'utf8'));
      events = Number(/max (\d+)/.exec(readFileSync(join(dir, 'pids.events'), 'utf8'))?.[1] ?? 0);
    } catch {
      /* gone */
    }
    const m = Number(max);
    if (hit === undefined || current / m > hit.current / hit.max || (events > 0 && hit.events === 0)) hit = { dir, current, max: m, events };
  });
  if (hit !== undefined) {
    // One cgroup among many, maybe not the one that failed: at its limit is strong, a past refusal moderate.
    const full = hit.current >= hit.max * 0.9;
    const j = full || hit.events > 0 ? { effect: 'supports' as const, strength: full ? ('strong' as const) : ('moderate' as const) } : judge(hit.current, hit.max, 0);
    r.add('pids-cgroup', 'pid-exhaustion', {
      ...j,
      used: hit.current,
      limit: hit.max,
      text: `pids cgroup ${hit.dir.slice(root.length) || '/'}: ${hit.current} of pids.max ${hit.max}${hit.events > 0 ? `, the limit refused ${hit.events} forks (pids.events)` : ''} (the fullest of ${limited} limited cgroups)`,
      source: `${root}/**/pids.{max,current,events}`,
    });
  }
}

function cpusets(r: Reader): void {
  const root = join(r.sys, 'fs/cgroup/cpuset');
  if (!existsSync(join(root, 'cpuset.cpus'))) return;
  const empty: string[] = [];
  let n = 0;
  walkDirs(root, (dir) => {
    try {
      const cpus = readFileSync(join(dir, 'cpuset.cpus'), 'utf8').trim();
      n++;
      if (cpus === '') empty.push(dir.slice(root.length) || '/');
    } catch {
      /* gone */
    }
  });
  r.add('cpuset-empty', 'cpuset-empty', {
    effect: empty.length > 0 ? 'supports' : 'opposes',
    strength: empty.length > 0 ? 'strong' : 'moderate',
    used: empty.length,
    limit: n,
    text: empty.length > 0 ? `cpusets with no CPUs: ${empty.length} of ${n} (${empty.slice(0, 3).join(', ')}${empty.length > 3 ? ', …' : ''})` : `cpusets with no CPUs: none of ${n}`,
    source: `${root}/**/cpuset.cpus`,
  });
}

/**
 * Measures the limits and usage that decide between the causes of ENOSPC on this node. Reads
 * only; never throws (what it cannot read is listed in `unreadable`).
 * @param options - paths to statfs (e.g. from the evidence), and the proc/sys roots.
 * @returns every reading with the cause it speaks for or against.
 * @example
 * ```ts
 * import { probe } from 'enospc/probe';
 * probe({ paths: ['/var/lib/kubelet'] }).readings.filter((r) => r.effect === 'supports');
 * ```
 */
export function probe(options: ProbeOptions = {}): ProbeResult {
  const r = new Reader(options.proc ?? '/proc', options.sys ?? '/sys');
  for (const step of [inotify, memcg, (x: Reader) => filesystems(x, options.paths ?? [], options.defaultPaths !== false), mounts, ptys, namespaces, ipc, keys, pids, cpusets]) {
    try {
      step(r);
    } catch (e) {
      r.unreadable.push({ source: step.name || 'probe', reason: e instanceof Error ? e.message : String(e) });
    }
  }
  r.unreadable.push({ source: 'thin pool', reason: 'thin pool usage needs `lvs` or `dmsetup status`; the probe runs no programs' });
  return { readings: r.readings, unreadable: r.unreadable, root: process.getuid?.() === 0 };
}

/** Absolute paths named in a diagnosis' evidence (raw text and fields), for `probe({ paths })`. */
export function evidencePaths(d: Diagnosis): string[] {
  const out = new Set<string>();
  const re = /(?:^|[\s'"`(=:])(\/[\w.@+-]+(?:\/[\w.@+-]+){0,40})/g;
  for (const e of d.evidence) {
    for (const text of [e.raw, ...Object.values(e.fields).map(String)]) {
      for (const m of text.matchAll(re)) {
        const p = m[1] as string;
        if (!p.startsWith('/proc/') && !p.startsWith('/sys/') && !p.startsWith('/dev/pts')) out.add(p);
      }
    }
  }
  return [...out].slice(0, 32);
}

function remediationOf(id: CauseId): Remediation | null {
  const c = CAUSES.find((x) => x.id === id);
  if (!c) return null;
  return {
    cause: c.id,
    title: c.title,
    summary: c.summary,
    confirm: c.confirm.map((s) => ({ ...s, commands: [...s.commands] })),
    fix: c.fix.map((s) => ({ ...s, commands: [...s.commands] })),
    links: c.links.map((l) => ({ ...l })),
    lookalikes: [...c.lookalikes],
  };
}

/**
 * Weighs a diagnosis with what the probe measured: a reading at its limit supports its cause as a
 * rule of its strength would, one far below opposes it. Causes with a supporting reading and no
 * log evidence join the findings, also when the logs alone named no cause (a limit at its maximum
 * is evidence of its own). The
 * readings appear as rule hits named `probe:<reading id>` with 0 records.
 * @param d - a diagnosis from `classify`.
 * @param p - the result of `probe`.
 * @returns a new diagnosis, ranked again.
 * @example
 * ```ts
 * const d = applyProbe(classify(log), probe({ paths: evidencePaths(classify(log)) }));
 * ```
 */
export function applyProbe(d: Diagnosis, p: ProbeResult): Diagnosis {
  // A limit measured at its maximum is evidence of its own, even where the text alone named no
  // cause (a bare fork EAGAIN is no diagnosis, but next to pids.events refusals it is one).
  const byCause = new Map<CauseId, Finding>(d.findings.map((f) => [f.cause, { ...f, rules: [...f.rules] }]));
  // A cause has several limits (semaphore sets, queues, segments): one at its limit is the answer,
  // the others far below say nothing against it.
  const supported = new Set(p.readings.filter((r) => r.effect === 'supports').map((r) => r.cause));
  for (const r of p.readings) {
    if (r.effect === 'neutral' || (r.effect === 'opposes' && supported.has(r.cause))) continue;
    let f = byCause.get(r.cause);
    if (f === undefined) {
      if (r.effect !== 'supports') continue;
      const info = CAUSES.find((c) => c.id === r.cause);
      f = { cause: r.cause, title: info?.title ?? r.cause, confidence: 0, rules: [], supports: [], opposes: [] };
      byCause.set(r.cause, f);
    }
    const c = r.effect === 'supports' ? 1 - (1 - f.confidence) * (1 - SUPPORT_PROBABILITY[r.strength]) : f.confidence * (1 - OPPOSE_WEIGHT[r.strength]);
    byCause.set(r.cause, {
      ...f,
      confidence: Math.round(c * 1e4) / 1e4,
      rules: [...f.rules, { rule: `probe:${r.id}`, effect: r.effect, strength: r.strength, records: 0, occurrences: 0 }],
    });
  }
  const findings = [...byCause.values()].sort((a, b) => b.confidence - a.confidence);
  const top = findings[0];
  if (top === undefined) return d;
  return {
    ...d,
    cause: top.cause,
    confidence: top.confidence,
    findings,
    evidence: top.supports,
    remediation: top.cause === d.cause ? d.remediation : remediationOf(top.cause),
  };
}
