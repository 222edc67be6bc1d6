/**
 * CRI container log files (`/var/log/pods/…/N.log`, what `kubectl logs` reads):
 * `<RFC3339Nano> <stdout|stderr> <P|F> <line>`. `P` marks a partial line that continues in the next
 * entry of the same stream; the framer joins them.
 */
import { isoEnd } from './journal.js';

export interface CriLine {
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  /** Index where the content starts. */
  start: number;
}

/** Parses the CRI prefix, or returns undefined. */
export function parseCri(s: string): CriLine | undefined {
  const t = isoEnd(s, 0);
  if (t < 0 || s[t] !== ' ') return undefined;
  let stream: 'stdout' | 'stderr';
  if (s.startsWith('stdout ', t + 1)) stream = 'stdout';
  else if (s.startsWith('stderr ', t + 1)) stream = 'stderr';
  else return undefined;
  const tag = s[t + 8];
  if ((tag !== 'P' && tag !== 'F') || (t + 9 < s.length && s[t + 9] !== ' ')) return undefined;
  return { time: s.slice(0, t), stream, partial: tag === 'P', start: Math.min(s.length, t + 10) };
}
