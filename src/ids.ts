/**
 * The closed vocabularies of enospc as plain constants (no zod), so the default entry can use them
 * at run time; src/schema.ts builds its zod enums from these.
 */

/** Every cause enospc can name. Renaming one is a breaking change. */
export const CAUSE_IDS = [
  'inotify-watch-exhaustion',
  'inotify-instance-exhaustion',
  'cgroup-leak',
  'cpuset-empty',
  'disk-full',
  'inode-exhaustion',
  'mount-limit',
  'ipc-limit',
  'thinpool-full',
  'shm-full',
  'keyring-quota',
  'pid-exhaustion',
  'namespace-limit',
  'pty-limit',
  'project-quota-full',
  'bpf-map-full',
  // Last: the tie-break rank in src/engine/diagnose.ts puts the generic cause after every named one.
  'unknown-enospc',
] as const;

/** Every strength level, strongest first. */
export const STRENGTHS = ['decisive', 'strong', 'moderate', 'weak'] as const;

/** Format names a record can be recognised as. */
export const FORMATS = [
  'plain',
  'klog',
  'klog-json',
  'journal',
  'journal-json',
  'journal-verbose',
  'syslog',
  'dmesg',
  'logrus',
  'logrus-json',
  'kubectl-events',
  'kubectl-describe',
  'event-json',
  'event-yaml',
  'cri-log',
  'docker-json',
  'node-error',
] as const;
