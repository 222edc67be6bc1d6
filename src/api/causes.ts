import { CAUSES } from '../generated/rules.js';
import type { CauseInfo } from '../engine/types.js';

/**
 * Every cause enospc can name, with its title, summary and remediation (frozen).
 * @example
 * ```ts
 * causes.map((c) => c.id); // ['cgroup-leak', 'cpuset-empty', ...]
 * ```
 */
export const causes: readonly CauseInfo[] = CAUSES;
