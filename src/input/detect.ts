/**
 * Per-line detection: which envelope a physical line is in (journal, syslog, dmesg, CRI), which
 * producer wrote its payload (klog, logrus/logfmt, JSON loggers, Node.js), and how the lines after it
 * may continue it. Also the cheap test for lines that change the framer's state (table headers,
 * `Events:`/`Conditions:`, JSON/YAML documents, journal verbose/export entries).
 */
import type { Fields, Format } from '../schema.js';
import { head, indentOf, isObject, newFields } from './common.js';
import type { Draft } from './common.js';
import { parseCri } from './cri.js';
import { innerMonotonic, parseDmesg } from './dmesg.js';
import { jsonDrafts, parseJsonBounded } from './event-json.js';
import { isYamlStart } from './event-yaml.js';
import { isJournalNote, isExportStart, parseBareIdent, parseShort, verboseHeader } from './journal.js';
import { applyKlogHeader, isKlogJson, klogHeader, klogJsonText, klogMessage } from './klog.js';
import { conditionRow, describeHeader, headerlessDescribeRow, sectionStart } from './kubectl-describe.js';
import type { Section } from './kubectl-describe.js';
import { eventsHeader, headerlessEventRow } from './kubectl-events.js';
import type { Layout } from './columns.js';
import { stripAnsi } from './normalise.js';
import { isLogrusJson, logfmtText, logrusJsonText, looksLogfmt, ttyStart } from './logrus.js';
import { applyNodeError, nodeError } from './node-error.js';
import { parseSyslog } from './syslog.js';

/** How the lines after a record may continue it. */
export type Mode =
  | 'none'
  /** journald/syslog: lines indented to the message column */
  | 'indent'
  /** bare klog: lines without a header, `key=<` blocks, stack frames */
  | 'klog'
  /** Node.js errors and plain text: `    at …` frames and the `{ errno: … }` block */
  | 'stack'
  /** CRI `P` partial lines */
  | 'cri';

type Producer = 'klog' | 'logfmt' | 'tty' | 'json' | 'node' | 'plain';

/** A record started by one physical line, not yet finished (continuation lines may follow). */
export interface LineDraft {
  fields: Fields;
  /** Payload text (before producer parsing and normalisation). */
  body: string;
  /** Text already final (table rows); the producer is not run. */
  text?: string;
  event?: boolean;
  /** The payload is inside an envelope: the producer sets `inner`, not `format`. */
  enveloped: boolean;
  mode: Mode;
  /** For 'indent': the column continuation lines start at. */
  indent: number;
  /** For 'cri': stream and whether the line was partial. */
  stream?: string;
  partial?: boolean;
  /** Nothing was recognised: a plain line (klog records absorb these). */
  plain: boolean;
  /** Producer of a bare line, decided on its first line; enveloped payloads decide at the end. */
  producer?: Producer;
}

/** Producers recognised by a prefix: klog header, logfmt, logrus TTY, JSON. */
function prefixProducer(s: string, p: number): Producer | undefined {
  if (klogHeader(s, p) !== undefined) return 'klog';
  if (looksLogfmt(s, p)) return 'logfmt';
  if (ttyStart(s, p) >= 0) return 'tty';
  if (s[p] === '{') return 'json';
  return undefined;
}

function producerOf(s: string): Producer {
  if (s.includes('\x1b')) s = stripAnsi(s);
  return prefixProducer(s, indentOf(s)) ?? (nodeError(s) !== undefined ? 'node' : 'plain');
}

function mark(f: Fields, enveloped: boolean, format: Format, inner: string): void {
  if (enveloped) f.inner = inner;
  else f.format = format;
}

/** Runs the producer parser over a payload: the record text; fills fields. */
function produce(s: string, f: Fields, producer: Producer, enveloped: boolean): string {
  if (producer !== 'plain' && s.includes('\x1b')) s = stripAnsi(s);
  const p = indentOf(s);
  switch (producer) {
    case 'klog': {
      const h = klogHeader(s, p);
      if (h === undefined) return s;
      applyKlogHeader(f, h);
      mark(f, enveloped, 'klog', 'klog');
      return klogMessage(s.slice(h.start));
    }
    case 'logfmt': {
      const t = logfmtText(s, p, f);
      if (t === undefined) return s;
      mark(f, enveloped, 'logrus', 'logrus');
      return t;
    }
    case 'tty': {
      const start = ttyStart(s, p, f);
      mark(f, enveloped, 'logrus', 'logrus');
      return s.slice(start);
    }
    case 'json': {
      const t = s.trim();
      const v = s.length <= 1 << 24 && t.endsWith('}') ? parseJsonBounded(t) : undefined;
      if (isObject(v)) {
        if (isKlogJson(v)) {
          mark(f, enveloped, 'klog-json', 'klog-json');
          return klogJsonText(v, f);
        }
        if (isLogrusJson(v)) {
          mark(f, enveloped, 'logrus-json', 'logrus-json');
          return logrusJsonText(v, f);
        }
      }
      return s;
    }
    case 'node': {
      const e = nodeError(s);
      if (e !== undefined) {
        applyNodeError(f, e);
        mark(f, enveloped, 'node-error', 'node-error');
      }
      return s;
    }
    default:
      return s;
  }
}

/** Peels a payload found inside an envelope (journal MESSAGE, docker `log`, CRI content). */
export function peel(body: string, f: Fields): string {
  return produce(body, f, producerOf(body), true);
}

function enveloped(fields: Fields, body: string, mode: Mode, indent: number): LineDraft {
  if (fields.component === 'kernel') {
    const k = innerMonotonic(body);
    if (k > 0) body = body.slice(k);
  }
  return { fields, body, enveloped: true, mode, indent, plain: false };
}

function fromDraft(d: Draft): LineDraft {
  const out: LineDraft = { fields: d.fields, body: '', text: d.text, enveloped: false, mode: 'none', indent: 0, plain: false };
  if (d.event === true) out.event = true;
  return out;
}

/** Detects the envelope and producer of one physical line. Never throws. */
export function parseLine(raw: string): LineDraft {
  const line = raw.includes('\x1b') ? stripAnsi(raw) : raw;
  const p = indentOf(line);
  const s = p > 0 ? line.slice(p) : line;
  const c = s.charCodeAt(0);
  if (c === 60) {
    // <PRI>
    const sy = parseSyslog(s);
    if (sy !== undefined) return enveloped(sy.fields, sy.text, 'none', 0);
  }
  if (c >= 48 && c <= 57) {
    const cri = parseCri(s);
    if (cri !== undefined) {
      const f = newFields('cri-log');
      f.time = cri.time;
      f.stream = cri.stream;
      const d = enveloped(f, s.slice(cri.start), cri.partial ? 'cri' : 'none', 0);
      d.stream = cri.stream;
      d.partial = cri.partial;
      return d;
    }
  }
  const sh = c === 60 ? undefined : parseShort(s);
  if (sh !== undefined) return enveloped(sh.fields, s.slice(sh.start), 'indent', p + sh.start);
  const dm = parseDmesg(s);
  if (dm !== undefined) return enveloped(dm.fields, dm.text, 'none', 0);

  const producer = prefixProducer(s, 0);
  if (producer === 'json') {
    const d = jsonLineDrafts(s)[0];
    if (d !== undefined) return fromDraft(d);
  } else if (producer !== undefined) {
    return bareDraft(line, producer, producer === 'klog' ? 'klog' : 'none');
  }
  const bare = parseBareIdent(s);
  if (bare !== undefined) return enveloped(bare.fields, s.slice(bare.start), 'indent', p + bare.start);
  const h = head(line);
  const row = headerlessDescribeRow(h, p) ?? headerlessEventRow(h, p) ?? conditionRow(h, p);
  if (row !== undefined) {
    if (h.length < line.length) row.text += line.slice(h.length);
    return fromDraft(row);
  }
  if (nodeError(s) !== undefined) return bareDraft(line, 'node', 'stack');
  const d = bareDraft(line, 'plain', 'stack');
  d.plain = true;
  return d;
}

function bareDraft(line: string, producer: Producer, mode: Mode): LineDraft {
  return { fields: newFields('plain'), body: line, enveloped: false, mode, indent: 0, plain: false, producer };
}

/** Finishes a line record with its continuation lines (already stripped of envelope indentation). */
export function finishLine(d: LineDraft, extra: readonly string[]): Draft {
  if (d.text !== undefined) {
    const text = extra.length > 0 ? `${d.text}\n${extra.join('\n')}` : d.text;
    return d.event === true ? { text, fields: d.fields, event: true } : { text, fields: d.fields };
  }
  let body = d.body;
  if (extra.length > 0) body = d.mode === 'cri' ? body + extra.join('') : `${body}\n${extra.join('\n')}`;
  const producer = d.producer ?? producerOf(body);
  return { text: produce(body, d.fields, producer, d.enveloped), fields: d.fields };
}

/** Drafts of a JSON line (journal `-o json`, klog/logrus JSON, docker json-file, events). */
export function jsonLineDrafts(s: string): Draft[] {
  const t = s.trim();
  const last = t[t.length - 1];
  if (last !== '}' && last !== ']') return [];
  return jsonValueDrafts(parseJsonBounded(t));
}

/** Drafts of an already parsed JSON line. */
export function jsonValueDrafts(v: unknown): Draft[] {
  if (v === undefined || typeof v !== 'object' || v === null) return [];
  return jsonDrafts(v, peel);
}

// ---------------------------------------------------------------------------------------------
// State-changing lines

export type Starter =
  | { kind: 'skip' }
  | { kind: 'json'; from: number }
  | { kind: 'yaml' }
  | { kind: 'events'; layout: Layout }
  | { kind: 'section'; section: Section; layout?: Layout }
  | { kind: 'verbose'; time: string }
  | { kind: 'export' };

/**
 * Lines that start a table, a section, a structured document or a journal entry, or that are
 * skipped (journalctl notes). Decided by the first non-blank character, then a prefix test, so it
 * is cheap enough to run on every line, prefiltered or not.
 */
export function starter(line: string, p: number): Starter | undefined {
  const c = line[p];
  switch (c) {
    case '{':
    case '[':
    case '\x1e':
      return jsonStart(line, p);
    case 'd':
      if (line.startsWith('data:', p)) {
        let k = p + 5;
        while (line[k] === ' ') k++;
        if (line[k] === '{') return { kind: 'json', from: k };
      }
      return undefined;
    case '-':
      if (isJournalNote(line, p)) return { kind: 'skip' };
      return p === 0 && isYamlStart(line) ? { kind: 'yaml' } : undefined;
    case 'a':
    case 'i':
      return p === 0 && isYamlStart(line) ? { kind: 'yaml' } : undefined;
    case '_':
      return p === 0 && isExportStart(line) ? { kind: 'export' } : undefined;
    case 'E':
    case 'C': {
      const sec = sectionStart(line, p);
      if (sec === 'none') return { kind: 'skip' };
      return sec === undefined ? undefined : { kind: 'section', section: sec };
    }
    case 'L':
    case 'N': {
      const layout = eventsHeader(line, p);
      return layout === undefined ? undefined : { kind: 'events', layout };
    }
    case 'T':
    case 'F': {
      const h = describeHeader(line, p);
      if (h !== undefined) return { kind: 'section', section: h.section, layout: h.layout };
      break;
    }
    default:
  }
  if (p === 0 && c !== undefined && c >= 'A' && c <= 'Z') {
    const time = verboseHeader(line.length > 200 ? line.slice(0, 200) : line);
    if (time !== undefined) return { kind: 'verbose', time };
  }
  return undefined;
}

function jsonStart(line: string, p: number): Starter | undefined {
  let k = p;
  while (line[k] === '\x1e') k++;
  while (line[k] === ' ') k++;
  const c = line[k];
  if (c !== '{' && c !== '[') return undefined;
  let j = k + 1;
  while (line[j] === ' ' || line[j] === '\t') j++;
  const d = line[j];
  if (c === '{' ? d !== '"' && d !== '}' && d !== undefined && d !== '\r' : d !== '{' && d !== '[' && d !== '"' && d !== ']' && d !== undefined && d !== '\r') {
    return undefined;
  }
  return { kind: 'json', from: k };
}
