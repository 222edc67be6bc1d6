/**
 * Variants of a labelled case that must keep its cause: other ids, paths of the same class, host
 * names, time stamps and time stamp formats, every envelope the product reads, one more or one less
 * level of quoting, CRLF, and a message nested one envelope deeper.
 *
 * Every random choice comes from fast-check, sampled with a seed derived from the run's base seed
 * (FC_SEED, see fast-check-seed.ts), the case id and the variant kind, so a run is reproducible and a
 * key `<case id> <kind>` names one variant text.
 */
import fc from 'fast-check';
import { healthyLine, prng } from '../../bench/lines.js';

/** A case as the generator needs it. */
export interface VariantSource {
  readonly id: string;
  readonly text: string;
  readonly format?: string;
}

export interface Variant {
  readonly kind: string;
  readonly text: string;
}

const HEX = '0123456789abcdef'.split('');
const hexArb = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });
const uuidArb: fc.Arbitrary<string> = fc.uuid({ version: 4 });

const hostArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `ip-10-${a}-${b}-${c}`),
  fc.integer({ min: 1, max: 99 }).map((n) => `worker-${n}`),
  hexArb(6).map((h) => `k8s-node-${h}`),
  fc.tuple(hexArb(8), hexArb(4)).map(([a, b]) => `gke-pool-1-${a}-${b}`),
  fc.integer({ min: 1, max: 40 }).map((n) => `node${n}.cluster.internal`),
);
const pidArb = fc.integer({ min: 2, max: 4_194_303 });
/** A shift of time stamps: about a year either way, in seconds. */
const deltaArb = fc.integer({ min: -400 * 86400, max: 400 * 86400 }).filter((d) => Math.abs(d) > 3600);
const userArb = fc.constantFrom('alice', 'bob', 'dev', 'jenkins', 'runner', 'ops', 'wang', 'tanaka');
const nameArb = fc.constantFrom('frontend', 'billing', 'ingest', 'webapp', 'reports', 'agent', 'site');
const wordArb = fc.constantFrom('cache', 'scratch', 'blobs', 'work', 'shared', 'spool');

function seedOf(base: number, ...parts: string[]): number {
  let h = base | 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) h = Math.imul(h ^ p.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x7f, 0x01000193);
  }
  return h >>> 0;
}

function sampleOne<T>(arb: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arb, { seed, numRuns: 1 })[0] as T;
}

/** A source of fresh values, deterministic per (seed, case, kind). */
class Draw {
  private n = 0;
  constructor(private readonly seed: number) {}
  take<T>(arb: fc.Arbitrary<T>): T {
    return sampleOne(arb, seedOf(this.seed, String(this.n++)));
  }
}

// ---------------------------------------------------------------------------------------------
// Substitutions that keep every occurrence consistent

function substitute(text: string, re: RegExp, fresh: (old: string) => string): string {
  const map = new Map<string, string>();
  return text.replace(re, (m) => {
    let v = map.get(m);
    if (v === undefined) {
      v = fresh(m);
      map.set(m, v);
    }
    return v;
  });
}

const HEX64 = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g;
/** Short (12-hex) container ids, with at least one letter and one digit so words stay. */
const HEX12 = /(?<![\w-])(?=[0-9a-f]{0,11}[a-f])(?=[0-9a-f]{0,11}[0-9])[0-9a-f]{12}(?![\w-])/g;
const UUID = /(?<![0-9a-fA-F])[0-9a-fA-F]{8}([-_])[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{12}(?![0-9a-fA-F])/g;

function containerIds(text: string, d: Draw): string {
  let t = substitute(text, HEX64, () => d.take(hexArb(64)));
  t = substitute(t, HEX12, () => d.take(hexArb(12).filter((h) => /[a-f]/.test(h) && /\d/.test(h))));
  return t;
}

function podUids(text: string, d: Draw): string {
  const map = new Map<string, string>();
  return text.replace(UUID, (m, sep: string) => {
    const key = m.toLowerCase().replaceAll('_', '-');
    let v = map.get(key);
    if (v === undefined) {
      v = d.take(uuidArb);
      map.set(key, v);
    }
    const out = sep === '_' ? v.replaceAll('-', '_') : v;
    return m === m.toUpperCase() && /[A-F]/.test(m) ? out.toUpperCase() : out;
  });
}

function pids(text: string, d: Draw): string {
  const map = new Map<string, string>();
  const fresh = (old: string): string => {
    let v = map.get(old);
    if (v === undefined) {
      v = String(d.take(pidArb));
      map.set(old, v);
    }
    return v;
  };
  // ident[pid]:  (journal, syslog)
  let t = text.replace(/(?<=[\w.@-]\[)(\d{1,7})(?=\]: )/g, (m) => fresh(m));
  // klog header pid, keeping the column width when it can
  t = t.replace(/(?<=(?:^|[\s":])[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{1,9})( +)(\d{1,7})(?= [\w./-]+:\d+\] )/gm, (_m, sp: string, pid: string) => {
    const v = fresh(pid);
    return ' '.repeat(Math.max(1, sp.length + pid.length - v.length)) + v;
  });
  // pid=123, "pid 123", _PID
  t = t.replace(/(?<=\b(?:pid[= ]|PID[= ]|"_PID":"))(\d{2,7})\b/g, (m) => fresh(m));
  return t;
}

function inodes(text: string, d: Draw): string {
  const num = fc.integer({ min: 12, max: 99_999_999 });
  const map = new Map<string, string>();
  return text.replace(/(?<=\b(?:inode #?|ino[= ]|inode=|inode )\s?)(\d{2,12})\b/gi, (m) => {
    let v = map.get(m);
    if (v === undefined) {
      v = String(d.take(num));
      map.set(m, v);
    }
    return v;
  });
}

// ---------------------------------------------------------------------------------------------
// Paths of the same class

/** Overlay / container storage: other layer ids and another file under the same layer root. */
function overlayPaths(text: string, d: Draw): string {
  const file = fc.constantFrom('usr/lib/x86_64-linux-gnu/libssl.so.3', 'opt/app/data/blob-0042.bin', 'var/cache/apt/archives/partial/tzdata.deb', 'usr/share/zoneinfo/UTC', 'srv/www/static/main.js');
  let t = text.replace(/(\/var\/lib\/docker\/overlay2\/)([0-9a-f]{64})(-init)?(\/(?:diff|merged|work)\/)([^\s"'\\:,)]+)/g, (_m, root: string, _id: string, init: string | undefined, sub: string, rest: string) => {
    return `${root}${d.take(hexArb(64))}${init ?? ''}${sub}${rest.includes('/') ? d.take(file) : rest}`;
  });
  t = t.replace(/(\/var\/lib\/docker\/overlay2\/)([0-9a-f]{64})(?![0-9a-f])/g, (_m, root: string) => `${root}${d.take(hexArb(64))}`);
  t = t.replace(/(\/var\/lib\/docker\/overlay2\/l\/)([A-Z0-9]{26})/g, (_m, root: string) => `${root}${d.take(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('')), minLength: 26, maxLength: 26 }))}`);
  t = t.replace(/(snapshotter\.v1\.overlayfs\/snapshots\/)(\d+)/g, (_m, root: string) => `${root}${d.take(fc.integer({ min: 1, max: 99999 }))}`);
  t = t.replace(/(\/var\/lib\/containers\/storage\/overlay\/)([0-9a-f]{64})/g, (_m, root: string) => `${root}${d.take(hexArb(64))}`);
  return t;
}

/** Leaf names that carry meaning: controllers, slices, the runtime's parents. */
const CGROUP_KEEP = /^(?:kubepods|burstable|besteffort|guaranteed|docker|system|user|machine|init|lxc|memory|cpu|cpuacct|cpuset|pids|blkio|devices|freezer|hugetlb|net_cls|net_prio|perf_event|rdma|misc|unified|systemd|crio|containerd|libpod_parent|pod[0-9a-f_-]{32,40})$/;

/** cgroupfs: another pod uid, container id and QoS class under the same controller and file. */
function cgroupPaths(text: string, d: Draw): string {
  if (!/\/sys\/fs\/cgroup\/|kubepods/.test(text)) return text;
  let t = podUids(text, d);
  t = substitute(t, HEX64, () => d.take(hexArb(64)));
  const qos = d.take(fc.constantFrom('burstable', 'besteffort'));
  t = t.replace(/(kubepods[/-])(burstable|besteffort)(?=[/.-])/g, (_m, pre: string) => `${pre}${qos}`);
  t = t.replace(/kubepods-(burstable|besteffort)\.slice/g, `kubepods-${qos}.slice`);
  // cgroups of no particular name (`/sys/fs/cgroup/memory/8`, `…/cpuset/mydocker-cgroup/tasks`): other names
  const leaf = d.take(fc.integer({ min: 1, max: 999 }));
  const renamed = new Map<string, string>();
  t = t.replace(/(?<=\/sys\/fs\/cgroup\/[a-z_,]{2,40}\/)((?:[\w.-]{1,80}\/){0,6}[\w.-]{1,80})/g, (path: string) =>
    path
      .split('/')
      .map((name) => {
        if (CGROUP_KEEP.test(name) || name.includes('.') || /^[0-9a-f]{64}$/.test(name) || /^(?:tasks|notify_on_release|release_agent)$/.test(name)) return name;
        const v = /^\d+$/.test(name) ? String(leaf) : `job-${leaf}`;
        renamed.set(name, v);
        return v;
      })
      .join('/'),
  );
  for (const [name, v] of renamed) if (name.length >= 4) t = t.replace(new RegExp(`(?<![\\w./-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/-])`, 'g'), v);
  return t;
}

/** kubelet pod directories: another pod uid and volume name. */
function kubeletPaths(text: string, d: Draw): string {
  if (!text.includes('/var/lib/kubelet/pods/')) return text;
  let t = podUids(text, d);
  const vol = d.take(nameArb);
  t = t.replace(/(\/volumes\/kubernetes\.io~(?:empty-dir|configmap|secret|projected)\/)([\w.-]+)/g, (_m, pre: string) => `${pre}${vol}-vol`);
  return t;
}

const STOP = new Set(['cni', 'containerd', 'nvidia', 'local', 'app', 'node_modules', 'src', '.git', '.cache', 'tmp', 'cache', 'log', 'logs', 'var', 'lib', 'bin', 'etc', 'proc', 'sys', 'dev', 'run', 'shm']);

/** An ordinary filesystem: another user, project or directory under the same root. */
function homePaths(text: string, d: Draw): string {
  const user = d.take(userArb);
  const proj = d.take(nameArb);
  const word = d.take(wordArb);
  let t = text.replace(/(?<=(?:^|[\s"'=(:])\/(?:home|Users)\/)([A-Za-z][\w.-]{0,30})(?=\/|[\s"':,)]|$)/gm, (m) => (STOP.has(m) ? m : user));
  t = t.replace(/(?<=[A-Za-z]:\\Users\\)([A-Za-z][\w.-]{0,30})(?=\\)/g, user);
  t = t.replace(/(?<=(?:^|[\s"'=(:])\/(?:app|workspace|srv|data|code|root|builds|github\/workspace|bitnami|opt|usr\/src\/app|opt\/app|var\/lib\/jenkins\/workspace)\/)([A-Za-z][\w-]{2,30})(?=\/)/gm, (m) => (STOP.has(m) ? m : proj));
  t = t.replace(/(?<=(?:^|[\s"'=(:])\/mnt\/)([A-Za-z][\w-]{2,30})(?=\/)/gm, (m) => (STOP.has(m) ? m : word));
  return t;
}

/** Shared memory: another file of the same kind under /dev/shm, another POSIX segment number. */
function shmNames(text: string, d: Draw): string {
  let t = substitute(text, /(?<=\/PostgreSQL\.)\d{3,10}\b/g, () => String(d.take(fc.integer({ min: 1000, max: 2147483647 }))));
  t = t.replace(/(?<=\/dev\/shm\/)(sem\.)?([\w.-]{1,80})/g, (_m, sem: string | undefined, name: string) =>
    /^PostgreSQL\.\d+$/.test(name) ? name : `${sem ?? ''}${/\d/.test(name) ? name.replace(/\d+/g, () => String(d.take(fc.integer({ min: 1, max: 99999 })))) : `${name}-${d.take(fc.integer({ min: 1, max: 999 }))}`}`,
  );
  return t;
}

/** Block devices and device-mapper minors: another number of the same kind. */
function devices(text: string, d: Draw): string {
  const n = (): number => d.take(fc.integer({ min: 0, max: 40 }));
  let t = substitute(text, /(?<=\bdm-)\d{1,3}\b/g, () => String(n()));
  t = substitute(t, /(?<=\bthin: 25\d:)\d{1,3}(?=:)/g, () => String(n()));
  t = substitute(t, /(?<=(?:^|[\s(/])(?:sd|xvd|vd))[a-h](?=\d{0,2}\b)/gm, () => d.take(fc.constantFrom('a', 'b', 'c', 'd', 'e')));
  t = substitute(t, /(?<=\bmmcblk)\d(?=p\d)/g, () => String(d.take(fc.integer({ min: 0, max: 3 }))));
  t = substitute(t, /(?<=\bnvme)\d(?=n\d)/g, () => String(d.take(fc.integer({ min: 0, max: 7 }))));
  return t;
}

/** Pod names of a ReplicaSet (`web-7d4b9c5f6-x2x8z`) and of a StatefulSet or DaemonSet (`agent-x2x8z`): other hashes. */
function podNames(text: string, d: Draw): string {
  const alnum = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'bcdfghjklmnpqrstvwxz2456789'.split('')), minLength: n, maxLength: n });
  let t = substitute(text, /(?<=\b[a-z][a-z0-9]{1,30}(?:-[a-z][a-z0-9]{1,30}){0,3}-)[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, (old) => {
    const [rs, pod] = old.split('-') as [string, string];
    return `${d.take(alnum(rs.length))}-${d.take(alnum(pod.length))}`;
  });
  t = substitute(t, /(?<=\bpod\/[a-z][a-z0-9]{1,30}(?:-[a-z][a-z0-9]{1,30}){0,3}-)[a-z0-9]{5}\b/g, () => d.take(alnum(5)));
  return t;
}

/** Log files: another pod directory under /var/log/pods, another machine id under /var/log/journal. */
function logPaths(text: string, d: Draw): string {
  let t = text.replace(/(?<=\/var\/log\/pods\/)([a-z0-9-]{1,63})_([a-z0-9.-]{1,253})_([0-9a-f-]{36})(?=\/)/g, () => `${d.take(nameArb)}_${d.take(nameArb)}-0_${d.take(uuidArb)}`);
  t = substitute(t, /(?<=\/var\/log\/journal\/)[0-9a-f]{32}\b/g, () => d.take(hexArb(32)));
  t = t.replace(/(?<=\/var\/log\/containers\/)[a-z0-9-]{1,63}_[a-z0-9-]{1,63}_[a-z0-9-]{1,63}-(?=[0-9a-f]{64}\.log)/g, () => `${d.take(nameArb)}-0_${d.take(nameArb)}_main-`);
  return substitute(t, /(?<=\/var\/log\/containers\/[\w.-]{1,200}-)[0-9a-f]{64}(?=\.log)/g, () => d.take(hexArb(64)));
}

// ---------------------------------------------------------------------------------------------
// Host names

/** Hosts as the envelopes print them: journal/syslog prefixes, event sources. */
function hostsOf(text: string): Set<string> {
  const out = new Set<string>();
  const prefixes = [
    /^(?:<\d{1,3}>)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)|[A-Z][a-z]{2} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [A-Z]{2,5}) ([\w][\w.-]{1,62}) [\w.@/()-]{1,64}(?:\[\d+\])?: /gm,
    /^<\d{1,3}>1 \S+ ([\w][\w.-]{1,62}) /gm,
    /\bkubelet, ([\w][\w.-]{1,62})/g,
    /\{kubelet ([\w][\w.-]{1,62})\}/g,
    /"(?:_HOSTNAME|host)":"([\w][\w.-]{1,62})"/g,
    /\bnode\/([\w][\w.-]{1,62})/g,
    // shell prompts: `[root@master-29 ~]#`, `kir@ubu2004:~/git$`, `dan@docker /depot $`
    /^\[?[\w.-]{1,32}@([\w][\w.-]{1,62})[ :][^\n]{0,80}?[#$] /gm,
  ];
  for (const re of prefixes) for (const m of text.matchAll(re)) if (m[1] !== undefined && !/^\d+$/.test(m[1])) out.add(m[1]);
  return out;
}

function hosts(text: string, d: Draw): string {
  let t = text;
  for (const h of hostsOf(text)) {
    const esc = h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const v = d.take(hostArb);
    t = t.replace(new RegExp(`(?<![\\w.-])${esc}(?![\\w-])`, 'g'), v);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Time stamps

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number): string => String(n).padStart(2, '0');

function shifted(y: number, mo: number, da: number, h: number, mi: number, s: number, delta: number): Date {
  return new Date(Date.UTC(y, mo, da, h, mi, s) + delta * 1000);
}

/** Shifts every time stamp by the same amount, each in its own format and width. */
function shiftTimes(text: string, delta: number): string {
  // ISO 8601 (CRI, docker, logrus, short-iso, RFC 5424, event JSON)
  let t = text.replace(/\b(\d{4})-(\d\d)-(\d\d)([T ])(\d\d):(\d\d):(\d\d)/g, (_m, y, mo, da, sep: string, h, mi, s) => {
    const x = shifted(+y, +mo - 1, +da, +h, +mi, +s, delta);
    return `${x.getUTCFullYear()}-${p2(x.getUTCMonth() + 1)}-${p2(x.getUTCDate())}${sep}${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
  });
  // Go's log package, fluent-bit: "2024/02/22 16:14:01"
  t = t.replace(/\b(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\b/g, (_m, y, mo, da, h, mi, s) => {
    const x = shifted(+y, +mo - 1, +da, +h, +mi, +s, delta);
    return `${x.getUTCFullYear()}/${p2(x.getUTCMonth() + 1)}/${p2(x.getUTCDate())} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
  });
  // dmesg -T / ctime: "Tue Nov 14 10:23:45 2023"
  t = t.replace(/\b(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\d{4})\b/g, (_m, _w, mo: string, da: string, h, mi, s, y) => {
    const x = shifted(+y, MONTHS.indexOf(mo), +da.trim(), +h, +mi, +s, delta);
    const day = da.startsWith(' ') ? String(x.getUTCDate()).padStart(2, ' ') : p2(x.getUTCDate());
    return `${DAYS[x.getUTCDay()]} ${MONTHS[x.getUTCMonth()]} ${day} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())} ${x.getUTCFullYear()}`;
  });
  // RFC 1123 (kubectl describe conditions): "Mon, 20 Apr 2026 06:13:09 +0000"
  t = t.replace(/\b(Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d\d):(\d\d):(\d\d)/g, (_m, _w, da, mo: string, y, h, mi, s) => {
    const x = shifted(+y, MONTHS.indexOf(mo), +da, +h, +mi, +s, delta);
    return `${DAYS[x.getUTCDay()]}, ${p2(x.getUTCDate())} ${MONTHS[x.getUTCMonth()]} ${x.getUTCFullYear()} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
  });
  // journal short / syslog: "Nov 14 10:23:45", "Nov  4 10:23:45" (no year: 2023 assumed)
  t = t.replace(/(?<![\w,] ?)(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?! \d{4})/g, (_m, mo: string, da: string, h, mi, s) => {
    const x = shifted(2023, MONTHS.indexOf(mo), +da.trim(), +h, +mi, +s, delta);
    const day = da.startsWith(' ') ? String(x.getUTCDate()).padStart(2, ' ') : p2(x.getUTCDate());
    return `${MONTHS[x.getUTCMonth()]} ${day} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
  });
  // klog header: "E1114 10:23:45.123456"
  t = t.replace(/(?<=(?:^|[\s":\]])[IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)(?=\.\d)/gm, (_m, mo, da, h, mi, s) => {
    const x = shifted(2023, +mo - 1, +da, +h, +mi, +s, delta);
    return `${p2(x.getUTCMonth() + 1)}${p2(x.getUTCDate())} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
  });
  // dmesg / short-monotonic: "[ 3812.123242]" (same width)
  t = t.replace(/(?<=^(?:<\d>)?\[)( *)(\d{1,12})(?=\.\d{1,9}\])/gm, (_m, sp: string, secs: string) => {
    const v = String(Math.max(1, (Number(secs) + Math.abs(delta)) % 10 ** Math.max(secs.length, 5)));
    return ' '.repeat(Math.max(0, sp.length + secs.length - v.length)) + v;
  });
  // epoch numbers in JSON: klog "ts", journal __REALTIME_TIMESTAMP (µs)
  t = t.replace(/(?<="ts":)(\d{10})(?=[.,}])/g, (m) => String(Number(m) + delta));
  t = t.replace(/(?<="ts":)(\d{13})(?=[.,}])/g, (m) => String(Number(m) + delta * 1000));
  t = t.replace(/(?<="__REALTIME_TIMESTAMP":")(\d{16})(?=")/g, (m) => String(BigInt(m) + BigInt(delta) * 1_000_000n));
  return t;
}

// ---------------------------------------------------------------------------------------------
// Time stamp formats of the journal / syslog / dmesg envelopes

/** `Nov 14 10:23:45[.frac] host ident[pid]: ` at the start of a line (journal short, syslog file). */
const SHORT = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d)(\.\d{6})? (?=[\w][\w.-]{0,62} [\w.@/()-]{1,64}(?:\[\d+\])?: )/;

type ShortStyle = 'short' | 'short-precise' | 'short-iso' | 'short-iso-precise' | 'short-unix' | 'short-full';

function shortStamp(x: Date, style: ShortStyle, frac: string): string {
  const clock = `${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
  const date = `${x.getUTCFullYear()}-${p2(x.getUTCMonth() + 1)}-${p2(x.getUTCDate())}`;
  switch (style) {
    case 'short':
      return `${MONTHS[x.getUTCMonth()]} ${p2(x.getUTCDate())} ${clock}`;
    case 'short-precise':
      return `${MONTHS[x.getUTCMonth()]} ${p2(x.getUTCDate())} ${clock}.${frac}`;
    case 'short-iso':
      return `${date}T${clock}+0000`;
    case 'short-iso-precise':
      return `${date}T${clock}.${frac}+0000`;
    case 'short-unix':
      return `${Math.floor(x.getTime() / 1000)}.${frac}`;
    case 'short-full':
      return `${DAYS[x.getUTCDay()]} ${date} ${clock} UTC`;
  }
}

/** Rewrites every journal-short line to another short mode; continuation lines keep the message column. */
function shortFormat(text: string, style: ShortStyle, frac: string): string | undefined {
  const lines = text.split('\n');
  let changed = false;
  let shift = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = SHORT.exec(line);
    if (m === null) {
      if (shift !== 0 && /^\s/.test(line)) lines[i] = shift > 0 ? ' '.repeat(shift) + line : line.slice(Math.min(-shift, line.length - line.trimStart().length));
      else shift = 0;
      continue;
    }
    const [all, mo, da, h, mi, s] = m as unknown as [string, string, string, string, string, string];
    const x = new Date(Date.UTC(2023, MONTHS.indexOf(mo), Number(da.trim()), +h, +mi, +s));
    const stamp = shortStamp(x, style, (m[6] ?? '.000000').slice(1).padEnd(6, '0') === '000000' ? frac : (m[6] as string).slice(1));
    shift = stamp.length + 1 - all.length;
    lines[i] = `${stamp} ${line.slice(all.length)}`;
    changed = true;
  }
  return changed ? lines.join('\n') : undefined;
}

/** dmesg `[ 3812.123242] ` lines to `dmesg -T` or `--time-format iso`. */
function dmesgFormat(text: string, style: 'ctime' | 'iso', base: Date): string | undefined {
  let changed = false;
  const out = text.replace(/^\[ *(\d{1,12})\.(\d{1,9})\] /gm, (_m, secs: string, frac: string) => {
    changed = true;
    const x = new Date(base.getTime() + Number(secs) * 1000);
    if (style === 'iso') {
      return `${x.getUTCFullYear()}-${p2(x.getUTCMonth() + 1)}-${p2(x.getUTCDate())}T${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())},${frac.padEnd(6, '0').slice(0, 6)}+00:00 `;
    }
    return `[${DAYS[x.getUTCDay()]} ${MONTHS[x.getUTCMonth()]} ${String(x.getUTCDate()).padStart(2, ' ')} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())} ${x.getUTCFullYear()}] `;
  });
  return changed ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Envelopes

/** A single record's payload with what its envelope said. */
interface Payload {
  text: string;
  ident: string;
  pid: number | undefined;
  kernel: boolean;
  /** The line had an envelope of its own (journal, syslog, dmesg, CRI, docker). */
  outer?: boolean;
}

/** `%b` as glibc prints it in a few locales (journalctl and syslog follow LC_TIME). */
const LOCALE_MONTHS: Record<string, readonly string[]> = {
  de: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'],
  fr: ['janv.', 'févr.', 'mars', 'avril', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  zh: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
  ru: ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
};

const IDENT_BY_FORMAT: Record<string, string> = {
  klog: 'kubelet',
  dockerd: 'dockerd',
  containerd: 'containerd',
  crio: 'crio',
  runc: 'runc',
  'node-app': 'node',
  dmesg: 'kernel',
};

/** Peels the outer envelope of a line by its own reading of the shapes (not the product's). */
function unwrap(line: string, format: string | undefined): Payload {
  const fallback = IDENT_BY_FORMAT[format ?? ''] ?? 'app';
  let m = /^(?:<\d{1,3}>)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)) [\w][\w.-]{0,62} ([\w.@/()-]{1,64}?)(?:\[(\d+)\])?: (.*)$/.exec(line);
  if (m !== null) {
    const ident = (m[1] as string).replace(/\.service$/, '');
    let text = m[3] as string;
    const kernel = ident === 'kernel';
    if (kernel) text = text.replace(/^\[ *\d+\.\d+\] /, '');
    return { text, ident, pid: m[2] === undefined ? undefined : Number(m[2]), kernel, outer: true };
  }
  m = /^\[ *\d{1,12}\.\d{1,9}\] (.*)$/.exec(line);
  if (m !== null) return { text: m[1] as string, ident: 'kernel', pid: undefined, kernel: true, outer: true };
  m = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d) (?:stdout|stderr) F (.*)$/.exec(line);
  if (m !== null) return { text: m[1] as string, ident: fallback, pid: undefined, kernel: false, outer: true };
  if (line.startsWith('{"log":')) {
    try {
      const o = JSON.parse(line) as { log?: unknown };
      if (typeof o.log === 'string') return { text: o.log.replace(/\n$/, ''), ident: fallback, pid: undefined, kernel: false, outer: true };
    } catch {
      // not docker json-file after all
    }
  }
  return { text: line, ident: fallback, pid: undefined, kernel: fallback === 'kernel' };
}

type Producer = 'klog' | 'logfmt' | 'json' | 'plain';

function producerOf(s: string): Producer {
  if (/^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [\w./-]+:\d+\]/.test(s)) return 'klog';
  if (/^(?:time|level|ts|t|lvl)=/.test(s) || /^[A-Z]{4}\[[^\]]{1,40}\]/.test(s)) return 'logfmt';
  if (s.startsWith('{')) return 'json';
  return 'plain';
}

/** Go `%q` of a string (the escaping of `err="…"`, `msg="…"`). */
export function goQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

interface Env {
  date: Date;
  host: string;
  pid: number;
  frac: string;
}

function iso(x: Date, frac: string): string {
  return `${x.toISOString().slice(0, 19)}.${frac}`;
}

function journalShort(p: Payload, e: Env, style: ShortStyle): string {
  return `${shortStamp(e.date, style, e.frac)} ${e.host} ${p.ident}${p.kernel ? '' : `[${p.pid ?? e.pid}]`}: ${p.text}`;
}

function journalJson(p: Payload, e: Env, message: string): string {
  const us = BigInt(e.date.getTime()) * 1000n + BigInt(Number(e.frac.slice(0, 3)));
  return JSON.stringify({
    __REALTIME_TIMESTAMP: String(us),
    _HOSTNAME: e.host,
    SYSLOG_IDENTIFIER: p.ident,
    ...(p.kernel ? { _TRANSPORT: 'kernel' } : { _PID: String(p.pid ?? e.pid), _TRANSPORT: 'stdout' }),
    PRIORITY: '3',
    MESSAGE: message,
  });
}

function klogText(e: Env, msg: string): string {
  const x = e.date;
  return `E${p2(x.getUTCMonth() + 1)}${p2(x.getUTCDate())} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}.${e.frac} ${String(e.pid % 100000).padStart(7, ' ')} util.go:123] ${msg}`;
}

function klogJson(e: Env, msg: string, err?: string): string {
  return JSON.stringify({ ts: e.date.getTime() + 0.123, caller: 'util/util.go:123', msg, ...(err === undefined ? {} : { err }) });
}

function logfmt(e: Env, msg: string, err?: string): string {
  return `time="${iso(e.date, e.frac)}+00:00" level=error msg=${goQuote(msg)}${err === undefined ? '' : ` error=${goQuote(err)}`}`;
}

/**
 * The envelope variants of a single-record payload. A multi-line record (`multi`: a stack trace, a klog
 * message with continuation lines) gets the envelopes that carry it whole (JSON strings, journal
 * continuation indent) and the line-per-entry container logs.
 */
function envelopes(p: Payload, e: Env, multi: boolean, cut: number): Variant[] {
  const out: Variant[] = [];
  const producer = producerOf(p.text);
  const bare = producer === 'plain';
  out.push({ kind: 'env-journal-json', text: journalJson(p, e, p.text) });
  if (bare && !p.kernel) {
    out.push({ kind: 'env-klog-json', text: klogJson(e, 'Operation failed', p.text) });
    out.push({ kind: 'env-logrus-json', text: JSON.stringify({ level: 'error', msg: p.text, time: `${iso(e.date, e.frac)}Z` }) });
  }
  const at = `${DAYS[e.date.getUTCDay()]} ${e.date.toISOString().slice(0, 10)} ${e.date.toISOString().slice(11, 19)}.${e.frac} UTC`;
  const idFields = p.kernel ? ['_TRANSPORT=kernel', 'SYSLOG_IDENTIFIER=kernel'] : ['_TRANSPORT=stdout', `SYSLOG_IDENTIFIER=${p.ident}`, `_PID=${p.pid ?? e.pid}`];
  if (!p.text.includes('\n')) {
    const us = String(BigInt(e.date.getTime()) * 1000n + BigInt(Number(e.frac.slice(0, 3))));
    out.push({ kind: 'env-journal-verbose', text: [`${at} [s=0639a1;i=4f2a1;b=6c7c02;m=1dcd6500;t=60a1f3;x=d3e5aa]`, ...['PRIORITY=3', ...idFields, `_HOSTNAME=${e.host}`, `MESSAGE=${p.text}`].map((l) => `    ${l}`)].join('\n') });
    out.push({ kind: 'env-journal-export', text: [`__CURSOR=s=0639a1;i=4f2a1`, `__REALTIME_TIMESTAMP=${us}`, 'PRIORITY=3', ...idFields, `_HOSTNAME=${e.host}`, `MESSAGE=${p.text}`, ''].join('\n') });
  }
  out.push({ kind: 'env-journal-json-bytes', text: journalJson(p, e, p.text).replace(/"MESSAGE":("(?:[^"\\]|\\.)*")\}$/, (_m, q: string) => `"MESSAGE":${JSON.stringify([...new TextEncoder().encode(JSON.parse(q) as string)])}}`) });
  out.push({ kind: 'env-journal-json-pretty', text: JSON.stringify(JSON.parse(journalJson(p, e, p.text)), null, 2) });
  if (multi) {
    const lines = p.text.split('\n');
    const head = `${shortStamp(e.date, 'short', e.frac)} ${e.host} ${p.ident}[${p.pid ?? e.pid}]: `;
    out.push({ kind: 'env-journal-short', text: [head + lines[0], ...lines.slice(1).map((l) => ' '.repeat(head.length) + l)].join('\n') });
    const criTime = `${iso(e.date, e.frac)}123Z`;
    out.push({ kind: 'env-cri', text: lines.map((l) => `${criTime} stderr F ${l}`).join('\n') });
    out.push({ kind: 'env-docker-json', text: lines.map((l) => JSON.stringify({ log: `${l}\n`, stream: 'stderr', time: criTime })).join('\n') });
    return out;
  }
  out.push({ kind: 'env-journal-short-unix', text: journalShort(p, e, 'short-unix') });
  const tagged = `${p.ident}${p.kernel ? '' : `[${p.pid ?? e.pid}]`}: ${p.text}`;
  out.push({ kind: 'env-journal-short-monotonic', text: `[${String(e.pid % 90000).padStart(6, ' ')}.${e.frac}] ${e.host} ${tagged}` });
  out.push({ kind: 'env-journal-no-hostname', text: `${shortStamp(e.date, 'short', e.frac)} ${tagged}` });
  if (!p.kernel) out.push({ kind: 'env-journal-with-unit', text: `${shortStamp(e.date, 'short-full', e.frac)} ${e.host} ${p.ident}.service[${p.pid ?? e.pid}]: ${p.text}` });
  // one locale per case, drawn: every locale is covered over the corpus
  const [loc, months] = Object.entries(LOCALE_MONTHS)[e.pid % Object.keys(LOCALE_MONTHS).length] as [string, readonly string[]];
  out.push({ kind: `env-journal-short-${loc}`, text: `${months[e.date.getUTCMonth()]} ${p2(e.date.getUTCDate())} ${shortStamp(e.date, 'short', e.frac).slice(-8)} ${e.host} ${tagged}` });
  out.push({ kind: 'env-journal-json-seq', text: `\x1e${journalJson(p, e, p.text)}` });
  out.push({ kind: 'env-journal-json-sse', text: `data: ${journalJson(p, e, p.text)}\n` });
  out.push({ kind: 'env-journal-short-full', text: journalShort(p, e, 'short-full') });
  if (!p.kernel) out.push({ kind: 'env-journal-bare', text: `${p.ident}[${p.pid ?? e.pid}]: ${p.text}` });
  out.push({ kind: 'env-journal-short', text: journalShort(p, e, 'short') });
  out.push({ kind: 'env-journal-short-iso', text: journalShort(p, e, 'short-iso') });
  out.push({ kind: 'env-journal-short-precise', text: journalShort(p, e, 'short-precise') });
  const x = e.date;
  // a syslog file's day is space-padded: a day below 10 tells it from journalctl
  const stamp = `${MONTHS[x.getUTCMonth()]}  ${1 + (x.getUTCDate() % 9)} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
  const tag = p.kernel ? 'kernel:' : `${p.ident}[${p.pid ?? e.pid}]:`;
  out.push({ kind: 'env-syslog', text: `${stamp} ${e.host} ${tag} ${p.text}` });
  out.push({ kind: 'env-syslog-pri', text: `<${p.kernel ? 3 : 27}>${stamp} ${e.host} ${tag} ${p.text}` });
  out.push({ kind: 'env-syslog-5424', text: `<${p.kernel ? 3 : 27}>1 ${iso(e.date, e.frac.slice(0, 3))}Z ${e.host} ${p.ident} ${p.kernel ? '-' : (p.pid ?? e.pid)} - - ${p.text}` });
  if (p.kernel) {
    const mono = `${String(e.pid % 90000).padStart(5, ' ')}.${e.frac}`;
    out.push({ kind: 'env-dmesg', text: `[${mono}] ${p.text}` });
    out.push({ kind: 'env-dmesg-x', text: `kern  :err   : [${mono}] ${p.text}` });
    out.push({ kind: 'env-dmesg-kmsg', text: `3,${e.pid % 10000},${(e.pid % 90000) * 1000000 + Number(e.frac)},-;${p.text}` });
    out.push({ kind: 'env-journal-kernel', text: `${shortStamp(e.date, 'short', e.frac)} ${e.host} kernel: [${mono}] ${p.text}` });
    return out;
  }
  const criTime = `${iso(e.date, e.frac)}123Z`;
  out.push({ kind: 'env-cri', text: `${criTime} stderr F ${p.text}` });
  out.push({ kind: 'env-cri-offset', text: `${iso(e.date, e.frac)}123+00:00 stdout F ${p.text}` });
  if (p.text.length >= 4) {
    const k = 1 + (cut % (p.text.length - 2));
    out.push({ kind: 'env-cri-split', text: `${criTime} stderr P ${p.text.slice(0, k)}\n${criTime} stderr F ${p.text.slice(k)}` });
  }
  out.push({ kind: 'env-docker-json', text: JSON.stringify({ log: `${p.text}\n`, stream: 'stderr', time: criTime }) });
  out.push({ kind: 'env-docker-json-crlf', text: JSON.stringify({ log: `${p.text}\r\n`, stream: 'stderr', time: criTime }) });
  if (p.text.length >= 4) {
    // json-file splits a long line too: entries without the trailing newline continue in the next one
    const k = 1 + (cut % (p.text.length - 2));
    out.push({ kind: 'env-docker-json-split', text: [JSON.stringify({ log: p.text.slice(0, k), stream: 'stderr', time: criTime }), JSON.stringify({ log: `${p.text.slice(k)}\n`, stream: 'stderr', time: criTime })].join('\n') });
  }
  if (producer !== 'json') {
    // a line over 16 KiB (the message, then a long dump) is split by the runtime at 16384 bytes
    const long = `${p.text} spec=${'{"name":"sidecar","image":"registry.example.com/team/sidecar:1.4.2"},'.repeat(300)}`;
    const k = 16384 - new TextEncoder().encode(p.text).length + p.text.length;
    if (k > p.text.length) {
      out.push({ kind: 'env-cri-16k', text: `${criTime} stderr P ${long.slice(0, k)}\n${criTime} stderr F ${long.slice(k)}` });
      out.push({ kind: 'env-docker-json-16k', text: [JSON.stringify({ log: long.slice(0, k), stream: 'stderr', time: criTime }), JSON.stringify({ log: `${long.slice(k)}\n`, stream: 'stderr', time: criTime })].join('\n') });
    }
  }
  if (bare) {
    out.push({ kind: 'env-klog', text: klogText(e, p.text) });
    out.push({ kind: 'env-logrus', text: logfmt(e, p.text) });
    out.push({ kind: 'env-logrus-tty', text: `ERRO[0042] ${p.text}` });
    out.push({ kind: 'env-describe-row', text: `Events:\n  Type     Reason  Age   From     Message\n  ----     ------  ----  ----     -------\n  Warning  Failed  12s   kubelet  ${p.text}` });
    out.push({ kind: 'env-events-row-namespace', text: `NAMESPACE   LAST SEEN   TYPE      REASON   OBJECT                 MESSAGE\ndefault     12s         Warning   Failed   pod/web-7d4b9c-x2x8z   ${p.text}` });
    out.push({ kind: 'env-events-row-kubectl-events', text: `LAST SEEN            TYPE      REASON   OBJECT                 MESSAGE\n22m (x11 over 72m)   Warning   Failed   Pod/web-7d4b9c-x2x8z   ${p.text}` });
    out.push({ kind: 'env-gokit', text: `level=error ts=${iso(e.date, e.frac.slice(0, 3))}Z caller=main.go:123 msg="operation failed" err=${goQuote(p.text)}` });
    out.push({ kind: 'env-events-row', text: `LAST SEEN   TYPE      REASON   OBJECT                 MESSAGE\n12s         Warning   Failed   pod/web-7d4b9c-x2x8z   ${p.text}` });
    // one more level of quoting: the message as a quoted err="…" value
    out.push({ kind: 'quote-err', text: klogText(e, `"Operation failed" err=${goQuote(p.text)}`) });
    out.push({ kind: 'quote-err-logrus', text: logfmt(e, 'Operation failed', p.text) });
  }
  // nested one envelope deeper: logfmt inside klog JSON inside a journal export
  if (bare || producer === 'logfmt') {
    const inner = producer === 'logfmt' ? p.text : logfmt(e, p.text);
    out.push({ kind: 'nested-journal-klogjson-logfmt', text: journalJson({ ...p, ident: 'kubelet' }, e, klogJson(e, 'Operation failed', inner)) });
    out.push({ kind: 'nested-journal-klog-logfmt', text: journalShort({ text: klogText(e, `"Operation failed" err=${goQuote(inner)}`), ident: 'kubelet', pid: e.pid, kernel: false }, e, 'short') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Quoting depth

/** Each run of k backslashes before `"` becomes 2k+1 (one more `%q`), or (k-1)/2 (one less). */
function requote(text: string, deeper: boolean): string | undefined {
  if (!/\\+"/.test(text)) return undefined;
  let ok = true;
  const out = text.replace(/\\+(?=")/g, (m) => {
    const k = m.length;
    if (deeper) return '\\'.repeat(2 * k + 1);
    if (k % 2 === 0) ok = false;
    return '\\'.repeat((k - 1) / 2);
  });
  return ok ? out : undefined;
}

/** `err="…"`, `error="…"`, `msg="…"` values printed bare, one level of quoting less inside. */
function unquoteValues(text: string): string | undefined {
  let changed = false;
  const out = text.replace(/(?<=(?:^|\s)(?:err|error|msg)=)"((?:[^"\\\n]|\\.){0,20000})"(?=\s|$)/gm, (_m, v: string) => {
    changed = true;
    return v.replace(/\\(.)/g, (_e, ch: string) => (ch === 'n' ? ' ' : ch === 't' ? ' ' : ch));
  });
  return changed ? out : undefined;
}

// ---------------------------------------------------------------------------------------------

/** Lines that make the case one record a plain reader can wrap: a single non-empty line. */
function singleLine(text: string): string | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length === 1 ? (lines[0] as string).trim() : undefined;
}

/** A shell prompt (`$ df -h`, `[root@node ~]# dmesg`, `user@host:~$ …`): a paste of a session, not of a log. */
const PROMPT = /^\s*(?:[$#>%]\s|\[[^\]]{1,80}\][#$]|[\w.-]{1,40}@[\w.-]{1,60}[: ][^$#]{0,80}[$#]\s|\S{1,40} [~/][^$#]{0,80}[$#]\s)/;

const CRLF_TOO = new Set(['env-journal-verbose', 'env-journal-export', 'env-journal-json-pretty', 'env-events-row', 'env-describe-row', 'env-cri-split', 'nested-journal-klogjson-logfmt']);

const TABLE_FORMATS = new Set(['kubectl-events', 'kubectl-describe', 'event-json', 'event-yaml', 'tool-output']);

/** Every applicable variant of a case, one per kind, each different from the case text. */
export function variantsOf(c: VariantSource, baseSeed: number): Variant[] {
  const draw = (kind: string): Draw => new Draw(seedOf(baseSeed, c.id, kind));
  const out: Variant[] = [];
  const add = (kind: string, text: string | undefined): void => {
    if (text !== undefined && text !== c.text && !out.some((v) => v.text === text)) out.push({ kind, text });
  };
  const t = c.text;
  add('id-container', containerIds(t, draw('id-container')));
  add('id-pod', podUids(t, draw('id-pod')));
  add('id-pid', pids(t, draw('id-pid')));
  add('id-inode', inodes(t, draw('id-inode')));
  add('id-device', devices(t, draw('id-device')));
  add('path-overlay', overlayPaths(t, draw('path-overlay')));
  add('path-cgroup', cgroupPaths(t, draw('path-cgroup')));
  add('path-kubelet', kubeletPaths(t, draw('path-kubelet')));
  add('path-home', homePaths(t, draw('path-home')));
  add('id-podname', podNames(t, draw('id-podname')));
  add('path-log', logPaths(t, draw('path-log')));
  add('path-shm', shmNames(t, draw('path-shm')));
  add('host', hosts(t, draw('host')));
  add('time-shift', shiftTimes(t, draw('time-shift').take(deltaArb)));
  const frac = draw('time-format').take(fc.integer({ min: 0, max: 999_999 })).toString().padStart(6, '0');
  for (const style of ['short-precise', 'short-iso', 'short-iso-precise', 'short-unix', 'short-full'] as const) add(`time-${style}`, shortFormat(t, style, frac));
  const boot = new Date(Date.UTC(2023, 10, 14, 8, 0, 0));
  add('time-dmesg-ctime', dmesgFormat(t, 'ctime', boot));
  add('time-dmesg-iso', dmesgFormat(t, 'iso', boot));
  add('crlf', `${t.replace(/\r?\n/g, '\r\n')}\r\n`);
  {
    // the case inside a healthy node's journal (the baseline's line shapes), as an excerpt is pasted
    const rand = prng(draw('context').take(fc.integer({ min: 1, max: 2 ** 31 - 1 })));
    const healthy = (k: number): string[] => Array.from({ length: 4 }, (_, i) => healthyLine(rand, 3600 * k + i * 7));
    add('context', [...healthy(1), '', t, '', ...healthy(2)].join('\n'));
  }
  // pasted from an issue: inside a Markdown code fence, with blank lines around
  add('fenced', `\n\`\`\`console\n${t}\n\`\`\`\n\n`);
  if (c.format === 'kubectl-describe' || c.format === 'kubectl-events') {
    // a table whose column padding the paste collapsed
    add('table-collapsed', t.replace(/(?<=\S)[ \t]{2,}(?=\S)/g, ' '));
  }
  // a terminal copy keeps the padding at the end of lines
  add('trailing-space', t.replace(/(?<=\S)$/gm, '   '));
  {
    // another incident of the same class: every id, path, host and time at once
    const d = draw('mix');
    let m = shiftTimes(hosts(logPaths(homePaths(kubeletPaths(cgroupPaths(overlayPaths(podNames(inodes(pids(containerIds(t, d), d), d), d), d), d), d), d), d), d), d.take(deltaArb));
    m = podUids(devices(m, d), d);
    add('mix', m);
  }
  const json = /^\s*[{[]/m.test(t) || c.format === 'event-yaml';
  if (!json) {
    add('quote-deeper', requote(t, true));
    add('quote-shallower', requote(t, false));
    add('quote-unquoted', unquoteValues(t));
  }
  if (!TABLE_FORMATS.has(c.format ?? '')) {
    const d = draw('envelope');
    const env: Env = {
      date: new Date(Date.UTC(2023, 10, 14, 10, 23, 45) + d.take(deltaArb) * 1000),
      host: d.take(hostArb),
      pid: d.take(pidArb),
      frac,
    };
    const cut = d.take(fc.nat());
    const one = singleLine(t);
    if (one !== undefined) {
      const vs = envelopes(unwrap(one, c.format), env, false, cut);
      for (const v of vs) add(v.kind, v.text);
      // one of the multi-line envelopes as a Windows paste (drawn per case)
      const multi = vs.filter((v) => CRLF_TOO.has(v.kind));
      const w = multi[cut % Math.max(1, multi.length)];
      if (w !== undefined) add(`${w.kind}+crlf`, `${w.text.replace(/\n/g, '\r\n')}\r\n`);
    } else if (t.split('\n').every((l) => l.trim() === '' || unwrap(l.trim(), c.format).outer === true)) {
      // a paste of one envelope, line by line: the same records in another envelope
      const ps = t.split('\n').filter((l) => l.trim() !== '').map((l) => unwrap(l.trim(), c.format));
      const criTime = `${iso(env.date, frac)}123Z`;
      add('lines-journal-json', ps.map((q) => journalJson(q, env, q.text)).join('\n'));
      add('lines-syslog-5424', ps.map((q) => `<${q.kernel ? 3 : 27}>1 ${iso(env.date, frac.slice(0, 3))}Z ${env.host} ${q.ident} ${q.kernel ? '-' : (q.pid ?? env.pid)} - - ${q.text}`).join('\n'));
      if (ps.every((q) => q.kernel)) add('lines-dmesg', ps.map((q, i) => `[${String(1000 + i).padStart(5, ' ')}.${frac}] ${q.text}`).join('\n'));
      else add('lines-cri', ps.map((q) => `${criTime} stderr F ${q.text}`).join('\n'));
    } else if (!t.split('\n').some((l) => PROMPT.test(l) || unwrap(l.trim(), c.format).outer === true || /^\s*(?:\{\s*"|\[\s*[{"\]])/.test(l))) {
      // a program's lines as its container or unit logged them, line by line
      const lines = t.split('\n').filter((l) => l.trim() !== '');
      const ident = IDENT_BY_FORMAT[c.format ?? ''] ?? 'app';
      const criTime = `${iso(env.date, frac)}123Z`;
      add('lines-cri', lines.map((l) => `${criTime} stderr F ${l}`).join('\n'));
      add('lines-journal-short', lines.map((l) => `${shortStamp(env.date, 'short', frac)} ${env.host} ${ident}[${env.pid}]: ${l}`).join('\n'));
    }
    if (one === undefined && (c.format === 'node-app' || c.format === 'klog')) {
      // a multi-line record (stack trace, klog continuation) travels whole only inside JSON strings
      const lines = t.split('\n');
      if (lines.length <= 40 && lines.slice(1).every((l) => /^\s/.test(l) || /^[}{]/.test(l) || l.trim() === '')) {
        for (const v of envelopes({ text: t.trimEnd(), ident: IDENT_BY_FORMAT[c.format] ?? 'app', pid: undefined, kernel: false }, env, true, cut)) add(v.kind, v.text);
      }
    }
  }
  return out;
}

/** At most `max` of a case's variants, chosen by the seed; kinds stay in their generation order. */
export function sampleVariants(c: VariantSource, baseSeed: number, max: number): Variant[] {
  const all = variantsOf(c, baseSeed);
  if (all.length <= max) return all;
  const keep = new Set(sampleOne(fc.shuffledSubarray(all.map((_, i) => i), { minLength: max, maxLength: max }), seedOf(baseSeed, c.id, 'sample')));
  return all.filter((_, i) => keep.has(i));
}

/** The run's base seed: FC_SEED (default 20261127), or a fresh one with FC_SEED=random. */
export function baseSeed(): number {
  const raw = process.env.FC_SEED;
  if (raw === 'random') return Math.floor(Math.random() * 2 ** 31);
  return raw === undefined || raw === '' ? 20261127 : Number(raw);
}
