/**
 * `kubectl get events` / `kubectl events` tables, every header generation:
 * `LAST SEEN TYPE REASON OBJECT MESSAGE` (≥ 1.14, and `kubectl events` with `22m (x11 over 72m)`),
 * `LAST SEEN TYPE REASON KIND MESSAGE` (1.12–1.13), the `-o wide` layout with FIRST SEEN / COUNT /
 * NAME after MESSAGE, the old `LASTSEEN FIRSTSEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE
 * MESSAGE` layouts, `NAMESPACE` in front (`-A`), and rows without a header (`--no-headers`).
 */
import type { Draft } from './common.js';
import { eventDraft, isAge, parseHeader, splitByContent, splitRow } from './columns.js';
import type { Column, Layout, Role } from './columns.js';

const NAMES = new Map<string, Role>([
  ['NAMESPACE', 'namespace'],
  ['LAST SEEN', 'age'],
  ['LASTSEEN', 'age'],
  ['FIRST SEEN', 'first'],
  ['FIRSTSEEN', 'first'],
  ['COUNT', 'count'],
  ['NAME', 'name'],
  ['KIND', 'kind'],
  ['SUBOBJECT', 'subobject'],
  ['TYPE', 'type'],
  ['REASON', 'reason'],
  ['OBJECT', 'object'],
  ['SOURCE', 'source'],
  ['MESSAGE', 'message'],
]);

/** Header of an events table (`LAST SEEN   TYPE …`), or undefined. `p` is the first non-blank index. */
export function eventsHeader(line: string, p: number): Layout | undefined {
  const c = line[p];
  if (c !== 'L' && c !== 'N') return undefined;
  if (!line.startsWith('LAST', p) && !line.startsWith('NAMESPACE', p)) return undefined;
  const layout = parseHeader(line, NAMES, 'kubectl-events');
  if (layout === undefined) return undefined;
  const roles = layout.columns.map((col) => col.role);
  const first = roles[0] === 'namespace' ? roles[1] : roles[0];
  if (first !== 'age' || !roles.includes('message') || !roles.includes('reason')) return undefined;
  return layout;
}

/** One row under a known header, or undefined when the line is not a row of it. */
export function eventsRow(line: string, layout: Layout): Draft | undefined {
  const cells = splitRow(line, layout);
  if (cells === undefined || cells.message === undefined) return undefined;
  return eventDraft(cells, 'kubectl-events');
}

function cols(...roles: Role[]): Column[] {
  return roles.map((role) => ({ role, start: 0 }));
}

const HEADERLESS: readonly Column[][] = [
  cols('age', 'type', 'reason', 'object', 'message'),
  cols('namespace', 'age', 'type', 'reason', 'object', 'message'),
  cols('age', 'first', 'count', 'name', 'kind', 'subobject', 'type', 'reason', 'source', 'message'),
];

/** A `kubectl get events` row pasted without its header, or undefined. */
export function headerlessEventRow(line: string, p: number): Draft | undefined {
  const sp = line.indexOf(' ', p);
  if (sp < 0) return undefined;
  const first = line.slice(p, sp);
  const firstIsAge = isAge(first);
  for (const columns of HEADERLESS) {
    if (columns[0]?.role === 'age' && !firstIsAge) continue;
    const cells = splitByContent(line, columns);
    if (cells === undefined) continue;
    if (cells.object !== undefined && !cells.object.includes('/')) continue;
    if (cells.namespace !== undefined && !/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(cells.namespace)) continue;
    return eventDraft(cells, 'kubectl-events');
  }
  return undefined;
}
