/**
 * Ties an ENOSPC on a path to the df reading of the mount that holds it, as an expert reads a paste
 * with both: `touch: cannot touch '/mnt/f/x': No space left on device` beside a df -h row of
 * `/mnt/f` at 1 % says the blocks did not run out there, and a create that fails on a mount with
 * blocks free is the inodes (or a limit standing in for them), not the disk.
 *
 * The mount that holds a path is the longest mount point that is a prefix of it at a `/` boundary
 * (how the kernel's mount table resolves it, bind mounts aside). Readings come from the df row
 * context rules (df-usage-row for blocks, df-inodes-row for inodes), which capture `mount` and
 * `percent`.
 */
import type { CompiledRule } from './types.js';

/** A mount with this Use% or less has room (df-usage-free's threshold: a fifth of the blocks free). */
export const ROOM_PERCENT = 80;
/** A mount whose df -i shows less than this IUse% has inodes left (df-inodes-full's threshold). */
export const INODES_FULL_PERCENT = 95;
/** Operation classes (rules/errno-table.yaml) that need a new inode. */
export const CREATE_OPS: ReadonlySet<string> = new Set(['create', 'mkdir']);
/** Readings and failing paths kept per input: a paste has a few tables; a log has few distinct paths. */
export const MAX_MOUNTS = 4096;
export const MAX_PATHS = 256;

function reasoned(id: string, cause: CompiledRule['cause'], effect: CompiledRule['effect']): CompiledRule {
  return Object.freeze({ id, cause, effect, strength: 'moderate', status: 'experimental', keywords: Object.freeze([]), source: '', flags: '', groups: Object.freeze([]) });
}

/** A create failed on a mount df shows with blocks free: evidence against disk-full. */
export const PATH_ON_MOUNT_WITH_ROOM = reasoned('path-on-mount-with-room', 'disk-full', 'opposes');
/**
 * A create (open with O_CREAT, mkdir, touch) failed on a mount df shows with blocks free and no
 * df -i reading of it with inodes left: the inodes ran out.
 */
export const CREATE_ON_MOUNT_WITH_ROOM = reasoned('path-on-mount-with-room/inode-exhaustion', 'inode-exhaustion', 'supports');

/**
 * `path` with the symlinks every current distribution has resolved: /var/run and /var/lock point
 * into /run (FHS 3.0, systemd's tmpfiles.d/var.conf), so a df row of /run is the one that holds them.
 */
export function resolvedPath(path: string): string {
  if (path === '/var/run' || path.startsWith('/var/run/')) return `/run${path.slice(8)}`;
  if (path === '/var/lock' || path.startsWith('/var/lock/')) return `/run/lock${path.slice(9)}`;
  return path;
}

/** The longest of `mounts` that holds `path`, or undefined. */
export function mountOf(path: string, mounts: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const m of mounts) {
    const holds = m === '/' ? path.startsWith('/') : path === m || (path.startsWith(m) && path.charCodeAt(m.length) === 47);
    if (holds && (best === undefined || m.length > best.length)) best = m;
  }
  return best;
}

/** The df row context rules this reasoning reads, with the ids of the evidence it makes from them. */
export const MOUNT_READERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'df-usage-row': [PATH_ON_MOUNT_WITH_ROOM.id, CREATE_ON_MOUNT_WITH_ROOM.id],
  'df-inodes-row': [CREATE_ON_MOUNT_WITH_ROOM.id, PATH_ON_MOUNT_WITH_ROOM.id],
});
