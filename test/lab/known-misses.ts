/**
 * Lab fixtures the rules do not classify right yet, with the reason: shown as `it.todo`, never as a
 * pass. Remove an entry when its fixture classifies right (test/lab/lab.test.ts fails until you do).
 */
export const KNOWN_MISSES: Readonly<Record<string, string>> = {
  'pid-exhaustion-runc-busybox':
    "busybox sh 'can't fork: Resource temporarily unavailable' with only kernel.pid_max (room) beside it: by the labelling policy a bare fork EAGAIN is none; the container's pids.events reading is not in the paste",
  'shm-full-python-fallocate':
    'bare Python OSError from posix_fallocate (no path in the message); the df -h /dev/shm reading beside it is not tied to the failing call, so the errno stays unknown-enospc',
};
