/**
 * `kubectl describe` sections: `Events:` (current `Type Reason Age From Message`, the pre-1.8
 * `FirstSeen LastSeen Count From SubObjectPath Type Reason Message`, and the 2015-era
 * `Time From SubobjectPath Reason Message`) and node/pod `Conditions:` (`Type Status
 * LastHeartbeatTime LastTransitionTime Reason Message`). Rows pasted without their header are
 * recognised too (`Warning  Failed  5m1s (x3397 over 17h)  kubelet, node  …`, `DiskPressure True …`).
 */
import type { Draft } from './common.js';
import { conditionDraft, eventDraft, isAge, parseHeader, splitByContent, splitRow } from './columns.js';
import type { Column, Layout, Role } from './columns.js';

const EVENT_NAMES = new Map<string, Role>([
  ['Type', 'type'],
  ['Reason', 'reason'],
  ['Age', 'age'],
  ['From', 'source'],
  ['Message', 'message'],
  ['FirstSeen', 'first'],
  ['LastSeen', 'age'],
  ['Count', 'count'],
  ['SubObjectPath', 'subobject'],
  ['SubobjectPath', 'subobject'],
  ['Time', 'age'],
]);

const CONDITION_NAMES = new Map<string, Role>([
  ['Type', 'condition'],
  ['Status', 'status'],
  ['LastHeartbeatTime', 'time'],
  ['LastTransitionTime', 'transition'],
  ['LastProbeTime', 'time'],
  ['Reason', 'reason'],
  ['Message', 'message'],
]);

export type Section = 'events' | 'conditions';

/** `Events:` / `Conditions:` section start. `Events:  <none>` is reported as 'none'. */
export function sectionStart(line: string, p: number): Section | 'none' | undefined {
  const c = line[p];
  if (c === 'E' && line.startsWith('Events:', p)) {
    const rest = line.slice(p + 7).trim();
    if (rest === '') return 'events';
    return rest === '<none>' ? 'none' : undefined;
  }
  if (c === 'C' && line.startsWith('Conditions:', p) && line.slice(p + 11).trim() === '') return 'conditions';
  return undefined;
}

/** A describe Events or Conditions header line, or undefined. */
export function describeHeader(line: string, p: number): { section: Section; layout: Layout } | undefined {
  const c = line[p];
  if (c !== 'T' && c !== 'F') return undefined;
  if (line.startsWith('Type', p) && /^Type\s+Status(?:\s|$)/.test(line.slice(p, p + 40))) {
    const layout = parseHeader(line, CONDITION_NAMES, 'kubectl-describe');
    return layout === undefined ? undefined : { section: 'conditions', layout };
  }
  if (!line.startsWith('Type', p) && !line.startsWith('FirstSeen', p) && !line.startsWith('Time', p)) return undefined;
  const layout = parseHeader(line, EVENT_NAMES, 'kubectl-describe');
  if (layout === undefined) return undefined;
  const roles = layout.columns.map((col) => col.role);
  if (!roles.includes('message') || !roles.includes('reason') || (!roles.includes('age') && !roles.includes('first'))) return undefined;
  return { section: 'events', layout };
}

/** The `----  ------` line under a describe header. */
export function isDashes(line: string, p: number): boolean {
  return line.startsWith('---', p) && /^[-\s]+$/.test(line.length > 400 ? line.slice(0, 400) : line);
}

function cols(...roles: Role[]): Column[] {
  return roles.map((role) => ({ role, start: 0 }));
}

const DEFAULT_EVENTS: Layout = { columns: cols('type', 'reason', 'age', 'source', 'message'), aligned: false, format: 'kubectl-describe' };
const DEFAULT_CONDITIONS: Layout = {
  columns: cols('condition', 'status', 'time', 'transition', 'reason', 'message'),
  aligned: false,
  format: 'kubectl-describe',
};

export function defaultLayout(section: Section): Layout {
  return section === 'events' ? DEFAULT_EVENTS : DEFAULT_CONDITIONS;
}

/** One row of a describe section, or undefined when the line is not one. */
export function describeRow(line: string, section: Section, layout: Layout): Draft | undefined {
  const cells = splitRow(line, layout);
  if (cells === undefined) {
    if (section === 'conditions' && layout.columns.length > 2) return conditionRow(line);
    return undefined;
  }
  if (section === 'conditions') return cells.condition === undefined || cells.status === undefined ? undefined : conditionDraft(cells, 'kubectl-describe');
  if (cells.message === undefined) return undefined;
  return eventDraft(cells, 'kubectl-describe');
}

const OLD_EVENTS = [
  cols('first', 'age', 'count', 'source', 'subobject', 'type', 'reason', 'message'),
  cols('age', 'source', 'subobject', 'reason', 'message'),
];

/** A describe Events row without its header (current or pre-1.8 layout), or undefined. */
export function headerlessDescribeRow(line: string, p: number): Draft | undefined {
  const c = line[p];
  if (c === 'N' || c === 'W') {
    if (!line.startsWith('Normal', p) && !line.startsWith('Warning', p)) return undefined;
    const cells = splitByContent(line, DEFAULT_EVENTS.columns);
    return cells === undefined ? undefined : eventDraft(cells, 'kubectl-describe');
  }
  const sp = line.indexOf(' ', p);
  if (sp < 0 || !isAge(line.slice(p, sp))) return undefined;
  const first = OLD_EVENTS[0] as Column[];
  const cells = splitByContent(line, first);
  if (cells === undefined || (cells.source !== undefined && !cells.source.startsWith('{') && !cells.source.includes(','))) return undefined;
  return eventDraft(cells, 'kubectl-describe');
}

const CONDITION_TYPES = /^(?:[A-Z][A-Za-z]*Pressure|Ready|NetworkUnavailable|OutOfDisk|KernelDeadlock|ReadonlyFilesystem|FrequentKubeletRestart|FrequentDockerRestart|FrequentContainerdRestart|CorruptDockerOverlay2|ContainerRuntimeProblem|KubeletProblem|PodScheduled|Initialized|ContainersReady|PodReadyToStartContainers)$/;

/** A `DiskPressure  True  …` condition row without its header, or undefined. */
export function conditionRow(line: string, p = 0): Draft | undefined {
  let i = p;
  while (line[i] === ' ' || line[i] === '\t') i++;
  let e = i;
  while (e < line.length && e - i < 40 && line[e] !== ' ' && line[e] !== '\t') e++;
  if (!CONDITION_TYPES.test(line.slice(i, e))) return undefined;
  const cells = splitByContent(line, DEFAULT_CONDITIONS.columns) ?? splitByContent(line, cols('condition', 'status', 'reason', 'message'));
  if (cells === undefined) {
    const short = splitByContent(line, cols('condition', 'status'));
    return short === undefined ? undefined : conditionDraft(short, 'kubectl-describe');
  }
  return conditionDraft(cells, 'kubectl-describe');
}
