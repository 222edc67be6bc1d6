/**
 * JSON inputs. Kubernetes objects: `kubectl get events -o json` (core/v1 and events.k8s.io/v1,
 * lists and single objects) and, by the same walk, node/pod conditions and container state messages
 * from `kubectl get node|pod -o json`. Log lines: journalctl `-o json`/`json-pretty`/`json-seq`/
 * `json-sse`, klog JSON, logrus/zap JSON and docker `json-file`. Parsing uses JSON.parse, whose
 * `__proto__` keys are plain data; parsed keys are only ever read, never assigned onto our objects.
 */
import type { Fields, Format } from '../schema.js';
import { isObject, newFields, own, setCount, setStr, str } from './common.js';
import type { Draft } from './common.js';
import { isKlogJson, klogJsonText } from './klog.js';
import { isJournalJson, journalJson } from './journal.js';
import { isLogrusJson, logrusJsonText } from './logrus.js';

/** A draft plus the object it came from (for line numbers in multi-line documents). */
export interface NodeDraft extends Draft {
  node: object;
}

const MAX_DEPTH = 64;
const MAX_NODES = 200_000;

function objectRef(o: unknown): { kind?: string; name?: string; namespace?: string } | undefined {
  if (!isObject(o)) return undefined;
  const r: { kind?: string; name?: string; namespace?: string } = {};
  const kind = str(own(o, 'kind'));
  const name = str(own(o, 'name'));
  const namespace = str(own(o, 'namespace'));
  if (kind !== undefined) r.kind = kind;
  if (name !== undefined) r.name = name;
  if (namespace !== undefined) r.namespace = namespace;
  return r;
}

function first(...vs: unknown[]): string | undefined {
  for (const v of vs) if (typeof v === 'string' && v.length > 0) return v;
  return undefined;
}

function isEvent(o: Record<string, unknown>): boolean {
  if (isObject(own(o, 'involvedObject')) || isObject(own(o, 'regarding'))) return true;
  const message = own(o, 'message') ?? own(o, 'note');
  if (typeof message !== 'string') return false;
  if (own(o, 'kind') === 'Event') return true;
  return (
    typeof own(o, 'reason') === 'string' &&
    (own(o, 'source') !== undefined ||
      own(o, 'reportingController') !== undefined ||
      own(o, 'reportingComponent') !== undefined ||
      own(o, 'eventTime') !== undefined ||
      own(o, 'firstTimestamp') !== undefined ||
      own(o, 'series') !== undefined ||
      own(o, 'count') !== undefined ||
      own(o, 'deprecatedCount') !== undefined)
  );
}

/** Draft of a core/v1 or events.k8s.io/v1 Event object. */
function eventObjectDraft(o: Record<string, unknown>, format: Format): Draft {
  const f: Fields = newFields(format);
  setStr(f, 'type', own(o, 'type'));
  setStr(f, 'reason', own(o, 'reason'));
  const ref = objectRef(own(o, 'involvedObject')) ?? objectRef(own(o, 'regarding'));
  if (ref?.name !== undefined) f.object = ref.kind !== undefined ? `${ref.kind}/${ref.name}` : ref.name;
  setStr(f, 'namespace', ref?.namespace ?? str(own(own(o, 'metadata'), 'namespace')));
  const source = own(o, 'source');
  const deprecatedSource = own(o, 'deprecatedSource');
  setStr(
    f,
    'component',
    first(own(source, 'component'), own(o, 'reportingController'), own(o, 'reportingComponent'), own(deprecatedSource, 'component')),
  );
  setStr(f, 'host', first(own(source, 'host'), own(o, 'reportingInstance'), own(deprecatedSource, 'host')));
  const series = own(o, 'series');
  setCount(f, own(series, 'count') ?? own(o, 'count') ?? own(o, 'deprecatedCount'));
  setStr(
    f,
    'time',
    first(
      own(o, 'lastTimestamp'),
      own(series, 'lastObservedTime'),
      own(o, 'eventTime'),
      own(o, 'deprecatedLastTimestamp'),
      own(o, 'firstTimestamp'),
      own(o, 'deprecatedFirstTimestamp'),
    ),
  );
  const text = first(own(o, 'message'), own(o, 'note')) ?? '';
  return { text, fields: f, event: true };
}

function isCondition(o: Record<string, unknown>): boolean {
  const status = own(o, 'status');
  return (
    typeof own(o, 'type') === 'string' &&
    (status === 'True' || status === 'False' || status === 'Unknown') &&
    (own(o, 'reason') !== undefined ||
      own(o, 'message') !== undefined ||
      own(o, 'lastTransitionTime') !== undefined ||
      own(o, 'lastHeartbeatTime') !== undefined)
  );
}

function conditionObjectDraft(o: Record<string, unknown>, format: Format): Draft {
  const f: Fields = newFields(format);
  const type = str(own(o, 'type'));
  const status = str(own(o, 'status'));
  const reason = str(own(o, 'reason'));
  const message = str(own(o, 'message'));
  setStr(f, 'condition', type);
  setStr(f, 'status', status);
  setStr(f, 'reason', reason);
  setStr(f, 'time', first(own(o, 'lastTransitionTime'), own(o, 'lastHeartbeatTime'), own(o, 'lastProbeTime')));
  const text = [type, status, reason, message].filter((x) => x !== undefined && x !== '').join(' ');
  return { text, fields: f };
}

/**
 * Walks a parsed Kubernetes object (or list) and drafts a record for each Event, each condition
 * and each other object that carries a `reason` with a `message` (pod status, container states).
 */
export function objectDrafts(value: unknown, format: Format): NodeDraft[] {
  const out: NodeDraft[] = [];
  let budget = MAX_NODES;
  const visit = (v: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || --budget < 0) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    if (!isObject(v)) return;
    if (isEvent(v)) {
      out.push({ ...eventObjectDraft(v, format), node: v });
      return;
    }
    if (isCondition(v)) {
      out.push({ ...conditionObjectDraft(v, format), node: v });
      return;
    }
    const message = own(v, 'message');
    const reason = own(v, 'reason');
    if (typeof message === 'string' && message.length > 0 && typeof reason === 'string') {
      const f = newFields(format);
      setStr(f, 'reason', reason);
      out.push({ text: message, fields: f, node: v });
    }
    for (const k of Object.keys(v)) visit(v[k], depth + 1);
  };
  visit(value, 0);
  return out;
}

/** A docker `json-file` line: `{"log":"…\n","stream":"stderr","time":"…"}`. */
function isDockerJson(o: Record<string, unknown>): boolean {
  return typeof own(o, 'log') === 'string' && (own(o, 'stream') !== undefined || own(o, 'time') !== undefined);
}

/** Peels a payload carried inside a JSON envelope (journal MESSAGE, docker `log`). */
export type Peel = (body: string, f: Fields) => string;

/**
 * Drafts for one parsed JSON value from a line or document: log-line shapes first (journal, docker,
 * klog, logrus), then Kubernetes objects. Empty when the shape is not recognised.
 */
export function jsonDrafts(value: unknown, peel: Peel): NodeDraft[] {
  if (isObject(value)) {
    if (isJournalJson(value)) {
      const f = newFields('journal-json');
      const message = journalJson(value, f);
      return [{ text: peel(message, f), fields: f, node: value }];
    }
    if (isDockerJson(value)) {
      const f = newFields('docker-json');
      setStr(f, 'time', own(value, 'time'));
      setStr(f, 'stream', own(value, 'stream'));
      let log = own(value, 'log') as string;
      if (log.endsWith('\n')) log = log.slice(0, log.endsWith('\r\n') ? -2 : -1);
      return [{ text: peel(log, f), fields: f, node: value }];
    }
    if (isKlogJson(value)) {
      const f = newFields('klog-json');
      return [{ text: klogJsonText(value, f), fields: f, node: value }];
    }
    if (isLogrusJson(value)) {
      const f = newFields('logrus-json');
      return [{ text: logrusJsonText(value, f), fields: f, node: value }];
    }
  }
  if (Array.isArray(value)) {
    const out: NodeDraft[] = [];
    for (const x of value) {
      if (isObject(x) && (isJournalJson(x) || isDockerJson(x) || isKlogJson(x) || isLogrusJson(x))) out.push(...jsonDrafts(x, peel));
      else out.push(...objectDrafts(x, 'event-json'));
    }
    return out;
  }
  return objectDrafts(value, 'event-json');
}

/** Parses JSON text; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Deepest bracket nesting of JSON text (outside strings), stopping once it exceeds `max`. */
function nesting(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

/** Like parseJson, but refuses documents nested deeper than any real log or Kubernetes object. */
export function parseJsonBounded(text: string): unknown {
  return nesting(text, MAX_NESTING) > MAX_NESTING ? undefined : parseJson(text);
}

// ---------------------------------------------------------------------------------------------
// Multi-line JSON documents: a bracket scanner that knows when the document closes and where the
// elements of the top-level array (or of `items`) start and end, for line numbers.

export interface ElementSpan {
  start: number;
  end: number;
}

const MAX_NESTING = 512;

export class JsonScanner {
  /** Open brackets, innermost last. */
  private stack: number[] = [];
  private inString = false;
  private escaped = false;
  private key = '';
  private collecting = false;
  /** Depth whose direct `{` children are tracked as elements, or -1. */
  private listDepth = -1;
  readonly elements: ElementSpan[] = [];
  /** Set when the document closed: the index in the last line just after the closing bracket. */
  closedAt = -1;
  failed = false;

  /** Scans one line (`index` is the line's position in the document). */
  scan(line: string, index: number, from = 0): void {
    const n = line.length;
    for (let i = from; i < n; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) {
          this.inString = false;
          this.collecting = false;
        } else if (this.collecting && this.key.length < 16) this.key += line[i];
        continue;
      }
      if (c === 34) {
        this.inString = true;
        if (this.stack.length === 1 && this.stack[0] === 123) {
          this.collecting = true;
          this.key = '';
        }
      } else if (c === 123 || c === 91) {
        if (this.stack.length >= MAX_NESTING) {
          this.failed = true;
          return;
        }
        if (c === 123 && this.stack.length === this.listDepth) this.elements.push({ start: index, end: index });
        this.stack.push(c);
        if (c === 91) {
          if (this.stack.length === 1) this.listDepth = 1;
          else if (this.stack.length === 2 && this.stack[0] === 123 && this.key === 'items' && this.listDepth < 0) this.listDepth = 2;
        }
      } else if (c === 125 || c === 93) {
        const open = this.stack.pop();
        if (open === undefined || (c === 125 ? open !== 123 : open !== 91)) {
          this.failed = true;
          return;
        }
        if (c === 125 && this.stack.length === this.listDepth) {
          const last = this.elements[this.elements.length - 1];
          if (last !== undefined) last.end = index;
        }
        if (this.stack.length === 0) {
          this.closedAt = i + 1;
          return;
        }
      }
    }
    // JSON strings never span lines
    if (this.inString) this.failed = true;
  }
}
