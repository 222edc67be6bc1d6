/**
 * ReDoS gate for the built-in rules. Verdicts come from recheck (native backend), cached in
 * test/fixtures/redos-cache.json keyed by hash(source, flags, recheck version): CI re-runs recheck
 * only for a pattern that changed, and then fails asking for the cache to be refreshed with
 * `npx tsx scripts/redos-check.ts`.
 *
 * recheck reports bounded gaps (`[^\n]{0,200}?`, `.{0,600}?`) as polynomial: the work per start
 * position is bounded by the gap, so matching is linear in the input, with the gap as a constant.
 * Such patterns are listed below with a reason, and each is confirmed
 * linear in V8 by timing recheck's own attack string at n and 4n pumps (linear ≈ 4×, quadratic
 * ≈ 16×; the bound is 8×, fastest of 5 runs, best of 3 tries, from 16 KiB — the default record cap — upward).
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/generated/rules.js';
import { confirmLinearInV8, type AttackPattern } from '../../src/rules/redos.js';
import { cacheKey, readCache, recheckOne, recheckVersion, type CachedVerdict } from '../../scripts/redos-check.js';

const GAP = 'bounded gap(s) between literals: per start position the work is bounded by the gap length, so matching is linear in the input; recheck counts bounded repetition as polynomial';

/**
 * Reviewed: patterns recheck calls vulnerable (or could not decide) that are linear. Every entry
 * needs a reason; `attack` is given where recheck produced none (a timeout), built by hand from the
 * pattern's worst case (its literals repeated without the closing errno).
 */
const ALLOW: Record<string, { reason: string; attack?: AttackPattern }> = {
  'cannot-mount-enospc': { reason: `${GAP}: (?:[^:\\n]|:[^\\s:]){0,400} (branches start with disjoint characters)` },
  'cgroup-mkdir-memory-enomem': { reason: `${GAP}: lazy [^\\s…]{0,200}? then cgroup/memory then [^\\s…]{0,N}` },
  'cgroup-mkdir-memory-enospc': {
    reason: `${GAP}; recheck timed out (alternation of three forms); hand-made attack below`,
    attack: { pumps: [{ prefix: 'mkdir /', pump: 'cgroup/memory/' }], suffix: '\u0000' },
  },
  'cgroup-procs-write-cpuset-enospc': { reason: `${GAP}: [^\\s:'"]{0,300}? cpuset [^\\s:'"]{0,N}?` },
  'cgroup-procs-write-enospc': { reason: `${GAP}: [^\\s:'"]{0,N}? before /cgroup.procs or /tasks` },
  'clone-enospc': { reason: `${GAP}: \\([^)\\n]{0,2000}\\) (strace argument list)` },
  'dev-shm-enospc': { reason: `${GAP}: /dev/shm path {0,1024} then [^":]{0,160}?` },
  'devmapper-enospc': { reason: `${GAP}: .{0,600}?` },
  'docker-build-copy-enospc': { reason: `${GAP}: .{0,600}?` },
  'epoll-ctl-enospc': { reason: `${GAP}: [^\\n]{0,200}?` },
  'ext4-directory-index-full': { reason: `${GAP}: [^\\n]{0,200}?` },
  'ext4-directory-index-full-not-disk': { reason: `${GAP}: [^\\n]{0,200}?` },
  'fanotify-mark-enospc': { reason: `${GAP}: [^\\n]{0,200}?` },
  'fsnotify-watcher-too-many-open-files': { reason: `${GAP}: [^:\\n]{0,300}?` },
  'image-gc-over-high-threshold': { reason: `${GAP}: .{1,200}?` },
  'image-layer-eio': { reason: `${GAP}: .{0,600}?` },
  'image-layer-enospc': { reason: `${GAP}: .{0,600}?` },
  'inotify-add-watch-enospc': { reason: `${GAP}: path [^\\s:]{0,N} or strace \\([^)\\n]{0,N}\\)` },
  'inotify-context-emfile': { reason: `${GAP}: [^\\n]{0,200}?` },
  'inotify-context-enospc': { reason: `${GAP}: [^\\n]{0,200}?` },
  'inotify-init-emfile': { reason: `${GAP}: [^\\n]{0,200}?` },
  'journald-journal-enospc': { reason: `${GAP}: [^:]{0,60}? journal [^:]{0,200}` },
  'mount-syscall-enospc': {
    reason: `${GAP}: mount paths, MS_* flags [^:\\n]{0,200} and runc's data=[^\\n]{0,N}?; recheck timed out (six forms); hand-made attack below`,
    attack: { pumps: [{ prefix: '', pump: 'mount src=a, dst=/b, flags=MS_BIND, data=x: ' }], suffix: '\n' },
  },
  'mounting-to-rootfs-enospc': { reason: `${GAP}: .{0,2000}?` },
  'mount-rootfs-enospc': { reason: `${GAP}: quoted paths and [^\\n]{0,N}?` },
  'mq-open-enospc': { reason: `${GAP}: [^\\n]{0,200}?` },
  'nccl-shm-enospc': { reason: `${GAP}: two [^\\n]{0,200}? gaps` },
  'prometheus-compaction-enospc': { reason: `${GAP}: .{0,600}?` },
  'runc-systemd-start-unit-enospc': {
    reason: `${GAP}: [^\\n]{0,N}? after the unit name; recheck timed out; hand-made attack below`,
    attack: { pumps: [{ prefix: '', pump: 'unable to start unit "a.slice" ' }], suffix: '\n' },
  },
  'sem-open-enospc': { reason: `${GAP}: [^\\n]{0,200}?` },
  'shm-open-enospc': { reason: `${GAP}: [^\\n]{0,200}?` },
  'semget-enospc': { reason: `${GAP}: [^\\n]{0,200}?` },
  'session-key-disk-quota-exceeded': {
    reason: `${GAP}: [^\\n]{0,100}?; recheck timed out (five anchors); hand-made attack below`,
    attack: { pumps: [{ prefix: '', pump: 'create keyring `k` keyctl add_key ' }], suffix: '\n' },
  },
  'criu-cgroup-move-cpuset-enospc': { reason: `${GAP}: [^\\s()]{0,300}? cpuset [^\\s()]{0,N}` },
  'fluent-bit-in-tail-errno-24': { reason: `${GAP}: [^\\s\\]]{0,300}? before plugins/in_tail/ then [^\\s:\\]]{1,300}` },
  'rust-io-error-os-24-watcher': { reason: `${GAP}: [^\\n]{0,300}?` },
  'rust-io-error-os-28-watcher': { reason: `${GAP}: [^\\n]{0,300}?` },
  'tmpfs-volume-write-enospc': { reason: `${GAP}: [^\\s:]{0,N} after /..` },
  'tmpfs-volume-write-enospc-not-disk': { reason: `${GAP}: [^\\s:]{0,N} after /..` },
  'watch-call-enospc': { reason: `${GAP}: [^:\\n]{0,300}?` },
  'write-path-enospc': {
    reason: `${GAP}: one path [^\\s":]{0,1000} then a fixed-length suffix alternation (not ending in /dev/full); recheck timed out on a loaded machine; hand-made attack below`,
    attack: { pumps: [{ prefix: '', pump: 'write /a' }], suffix: '\n' },
  },
  'wiredtiger-error-28': { reason: `${GAP}: [^\\n]{0,400}? then [^\\n]{0,200}?` },
  'bpf-map-full-message': { reason: `${GAP}: [^\\n]{0,200}? between the map name and "is full" / the errno text` },
  'bpf-map-update-enospc': { reason: `${GAP}: [^\\n]{0,200}? map name, then [^\\n]{0,300}? before the errno text` },
  'clone-new-namespace-enospc': { reason: `${GAP}: strace argument list [^)\\n]{0,1000} around CLONE_NEW*` },
  'create-enospc-under-size-quota': { reason: `${GAP}: [^\\n]{0,300}? after create` },
  'failed-to-unshare-namespaces-enospc': { reason: `${GAP}: [\\w\\s()-]{1,80} namespace list` },
  'project-quota-enospc': { reason: `${GAP}: [^\\n]{0,300}? between the quota name and the errno text` },
  'ptmx-open-enospc': { reason: `${GAP}: [^\\n]{0,300}? after /dev/ptmx` },
  'unshare-enospc': { reason: `${GAP}: strace \\([^)\\n]{0,300}\\) or a CLONE_NEW flag list {1,200}` },
  'write-enospc-under-size-quota': { reason: `${GAP}: [^\\n]{0,300}? after write` },
};

const VERSION = recheckVersion();
const CACHE = readCache();

interface Row {
  readonly id: string;
  readonly source: string;
  readonly flags: string;
  readonly cached: CachedVerdict | undefined;
}

const ROWS: Row[] = RULES.map((r) => ({ id: r.id, source: r.source, flags: r.flags, cached: CACHE.entries[cacheKey(r.source, r.flags, VERSION)] }));

describe('ReDoS: built-in patterns (recheck verdicts, cached)', () => {
  it('every built-in pattern has a cached verdict for this recheck version', async () => {
    const missing = ROWS.filter((r) => r.cached === undefined);
    // Check the misses once, one at a time (concurrent recheck runs give unknowns), so the
    // failure says what recheck thinks; the cache itself is only written by the script.
    const fresh: string[] = [];
    for (const r of missing) {
      const v = await recheckOne(r.id, r.source, r.flags);
      fresh.push(`${r.id}: ${v.status} (${v.complexity})`);
    }
    expect(fresh, 'patterns missing from test/fixtures/redos-cache.json: run `npx tsx scripts/redos-check.ts` and commit the cache').toEqual([]);
  }, 600_000);

  it('no pattern is vulnerable or unknown unless allow-listed with a reason', () => {
    const bad = ROWS.filter((r) => r.cached !== undefined && r.cached.status !== 'safe' && ALLOW[r.id] === undefined).map(
      (r) => `${r.id}: ${r.cached!.status} (${r.cached!.complexity})`,
    );
    expect(bad).toEqual([]);
    for (const [id, a] of Object.entries(ALLOW)) expect(a.reason.length, id).toBeGreaterThan(20);
  });

  it('allow-list entries all name built-in rules', () => {
    const ids = new Set(RULES.map((r) => r.id));
    expect(Object.keys(ALLOW).filter((id) => !ids.has(id))).toEqual([]);
  });

  const allowed = ROWS.filter((r) => r.cached !== undefined && r.cached.status !== 'safe' && ALLOW[r.id] !== undefined);
  it.each(allowed.map((r) => [r.id, r] as const))('%s is linear in V8 on its attack string (n → 4n)', (_id, r) => {
    const attack = ALLOW[r.id]!.attack ?? r.cached!.attack;
    expect(attack, `${r.id}: no attack string; add one to the allow-list entry`).toBeDefined();
    // Up to three tries: noise on a busy machine (GC, another test file) only ever inflates one
    // timing; a quadratic pattern stays near 16× on every try.
    let res = confirmLinearInV8(new RegExp(r.source, r.flags), attack!);
    for (let k = 0; k < 2 && res.ratio >= 8; k++) res = confirmLinearInV8(new RegExp(r.source, r.flags), attack!);
    expect(res.ratio, `${r.id}: ${res.msAtN.toFixed(2)} ms at n=${res.n}, ${res.msAt4N.toFixed(2)} ms at 4n`).toBeLessThan(8);
  });
});
