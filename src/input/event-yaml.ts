/**
 * `kubectl get events -o yaml` (core/v1 and events.k8s.io/v1, `List` documents and single objects)
 * and, by the same walk as JSON, conditions and state messages of other objects printed as YAML.
 */
import { objectDrafts } from './event-json.js';
import type { NodeDraft } from './event-json.js';
import { parseYaml } from './yaml.js';

/** Top-level keys of Kubernetes objects and lists: a column-0 line with one of them continues a document. */
const TOP_KEYS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'items',
  'spec',
  'status',
  'data',
  'action',
  'count',
  'eventTime',
  'firstTimestamp',
  'lastTimestamp',
  'involvedObject',
  'message',
  'reason',
  'related',
  'reportingComponent',
  'reportingInstance',
  'reportingController',
  'series',
  'source',
  'type',
  'note',
  'regarding',
  'deprecatedSource',
  'deprecatedCount',
  'deprecatedFirstTimestamp',
  'deprecatedLastTimestamp',
]);

function topKey(line: string): string | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 40 || (colon + 1 < line.length && line[colon + 1] !== ' ')) return undefined;
  return line.slice(0, colon);
}

/** A column-0 line that starts a YAML document: `apiVersion:`, `items:`, `- apiVersion:`, `action:`. */
export function isYamlStart(line: string): boolean {
  const c = line[0];
  if (c === 'a') return line.startsWith('apiVersion:') || line.startsWith('action:');
  if (c === 'i') return topKey(line) === 'items';
  if (c === '-') return line.startsWith('- apiVersion:') || line.startsWith('- action:');
  return false;
}

/**
 * Whether a line belongs to the YAML document being read: false when it does not, the key for a
 * top-level `key:` line (a repeated one starts the next document), true otherwise.
 */
export function yamlLine(line: string): string | boolean {
  const c = line[0];
  if (c === undefined || c === ' ' || c === '\t' || c === '#') return true;
  if (c === '-') return line === '-' || line.startsWith('- ') || line.startsWith('---');
  if (c === '.') return line.startsWith('...');
  const key = topKey(line);
  return key !== undefined && TOP_KEYS.has(key) ? key : false;
}

/** Drafts for the documents in `lines`, each with the 0-based span of the object it came from. */
export function yamlDrafts(lines: readonly string[]): { draft: NodeDraft; span: [number, number] | undefined }[] {
  const { docs, spans } = parseYaml(lines);
  const out: { draft: NodeDraft; span: [number, number] | undefined }[] = [];
  for (const doc of docs) {
    for (const d of objectDrafts(doc, 'event-yaml')) out.push({ draft: d, span: spans.get(d.node) });
  }
  return out;
}
