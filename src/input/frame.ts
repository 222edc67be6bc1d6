/**
 * The framer: splits text that arrives in any chunking into physical lines, groups them into
 * records (multi-line klog messages, journald continuations, Node.js stack traces, CRI partials,
 * kubectl tables and sections, JSON and YAML documents, journal verbose/export entries), detects the
 * format of each record independently (so mixed pastes work) and peels it to a normalised message.
 */
import { indentOf, isObject, newFields, own, toRecord } from './common.js';
import type { Draft } from './common.js';
import { defaultLayout, describeHeader, describeRow, isDashes } from './kubectl-describe.js';
import type { Section } from './kubectl-describe.js';
import type { Layout } from './columns.js';
import { parseCri } from './cri.js';
import { finishLine, jsonLineDrafts, jsonValueDrafts, parseLine, peel, starter } from './detect.js';
import type { LineDraft, Starter } from './detect.js';
import { JsonScanner, jsonDrafts, objectDrafts, parseJson } from './event-json.js';
import type { NodeDraft } from './event-json.js';
import { yamlDrafts, yamlLine } from './event-yaml.js';
import { eventsRow } from './kubectl-events.js';
import { JournalEntry, isJournalJson, journalFields } from './journal.js';
import { isStackFrame } from './node-error.js';
import { splitFlattenedDf } from './df-flat.js';
import type { Framer, FramerOptions, LogRecord } from './record.js';

/** JSON and YAML documents are buffered up to this many characters, then read line by line. */
const DOC_CAP = 8 * 1024 * 1024;
/** A record absorbs at most this many continuation lines / characters. */
const OPEN_MAX_LINES = 1000;
const OPEN_MAX_CHARS = 1024 * 1024;

interface Buffered {
  text: string;
  n: number;
}

interface Open {
  draft: LineDraft;
  line: number;
  raws: string[];
  extra: string[];
  chars: number;
  /** Inside a klog `key=<` block. */
  block: boolean;
  /** Inside a Node.js `{ errno: … }` block. */
  props: boolean;
  /**
   * A CRI `P` line that `accept` rejected: its words may be cut at the split, so the joined
   * record is offered to `accept` when it is complete.
   */
  deferred?: boolean;
}

/** A CRI partial (`… stdout P …`) line, by the first char and then the prefix. */
function criPartial(line: string): boolean {
  const c = line.charCodeAt(0);
  return c >= 48 && c <= 57 && parseCri(line)?.partial === true;
}

type State =
  | { kind: 'json'; lines: Buffered[]; scanner: JsonScanner; chars: number; from: number }
  | { kind: 'yaml'; lines: Buffered[]; chars: number; keys: Set<string> }
  | { kind: 'events'; layout: Layout }
  | { kind: 'section'; section: Section; layout: Layout | undefined; phase: 'header' | 'dashes' | 'rows' }
  | { kind: 'journal'; verbose: boolean; entry: JournalEntry; lines: Buffered[]; chars: number; time: string | undefined }
  | { kind: 'docker'; entry: Record<string, unknown>; logs: string[]; raws: string[]; n: number; chars: number };

/**
 * A docker `json-file` entry whose `log` has no trailing newline: dockerd split a line over 16 KiB and
 * the rest follows in the next entries of the same stream. Returns the parsed entry, or undefined.
 */
function dockerPartial(v: unknown): Record<string, unknown> | undefined {
  if (!isObject(v)) return undefined;
  const log = own(v, 'log');
  if (typeof log !== 'string' || log.endsWith('\n') || (own(v, 'stream') === undefined && own(v, 'time') === undefined)) return undefined;
  return v;
}

const PROMPT = /^(?:[$%>]\s|#|\[[^\]\n]{1,120}\][$#]|[\w.*@-]{1,80}(?::\S{0,200}?)?(?: [~\w./-]{1,80})? ?[$#]\s|~\S{0,200}?[$#]\s)/;

/** A shell prompt line (`$ df -h`, `[root@node ~]# dmesg`): never a continuation. */
function isPrompt(line: string): boolean {
  return PROMPT.test(line.length > 400 ? line.slice(0, 400) : line);
}

/** `Mounting command: mount`, `Output: …`: a labelled line of a multi-line klog message. */
const LABELLED = /^[A-Z][\w.-]{0,30}(?: [\w.-]{1,30}){0,3}: /;

/**
 * Whether a header-less line is shaped like the rest of a klog message rather than unrelated text:
 * indented, labelled (`Output: …`), a goroutine dump, or after a line ending with a colon.
 */
function klogContinues(o: Open, line: string, p: number): boolean {
  if (p > 0) return true;
  if (LABELLED.test(line.length > 80 ? line.slice(0, 80) : line) || line.startsWith('goroutine ')) return true;
  const prev = o.raws[o.raws.length - 1] as string;
  let e = prev.length;
  while (e > 0 && (prev.charCodeAt(e - 1) === 32 || prev.charCodeAt(e - 1) === 13)) e--;
  return e > 0 && prev.charCodeAt(e - 1) === 58;
}

function opensBlock(line: string): boolean {
  const t = line.endsWith('\r') ? line.slice(0, -1) : line;
  return t.endsWith('=<');
}

function jsonish(c: string | undefined): boolean {
  return (
    c === '{' ||
    c === '}' ||
    c === '[' ||
    c === ']' ||
    c === '"' ||
    c === ',' ||
    c === '-' ||
    c === 't' ||
    c === 'f' ||
    c === 'n' ||
    (c !== undefined && c >= '0' && c <= '9')
  );
}

/**
 * Physical lines are read up to this many chars and the rest of a longer line is dropped: a 255 MB
 * line took 3 GB to frame and parse whole, while a record is only ever matched up to `recordLimit`
 * chars of its message (so such a line's record is also counted as truncated).
 */
export const MAX_LINE = 1 << 20;

class TextFramer implements Framer {
  lines = 0;
  records = 0;
  unreadable = 0;
  private readonly accept: ((raw: string) => boolean) | undefined;
  private partial: string[] = [];
  /** Chars in `partial` (kept within MAX_LINE). */
  private partialLen = 0;
  private pendingCR = false;
  private started = false;
  private out: LogRecord[] = [];
  private open: Open | undefined;
  private state: State | undefined;
  /** A parse made while testing a continuation, reused when the line turns out to start a record. */
  private cached: { line: string; draft: LineDraft } | undefined;

  constructor(options?: FramerOptions) {
    const accept = options?.accept;
    this.accept = typeof accept === 'function' ? accept : undefined;
  }

  push(text: string): LogRecord[] {
    if (typeof text === 'string' && text.length > 0) {
      try {
        this.split(text);
      } catch {
        this.recover();
      }
    }
    return this.take();
  }

  end(): LogRecord[] {
    try {
      if (this.partial.length > 0) {
        const line = this.partial.join('');
        this.partial = [];
        this.partialLen = 0;
        this.lines++;
        this.handle(line, this.lines, false);
      }
      for (let guard = 0; this.state !== undefined && guard < 8; guard++) this.endState();
      this.state = undefined;
      this.flushOpen();
    } catch {
      this.recover();
    }
    return this.take();
  }

  /**
   * True when the next line will be read afresh: no document, table, open record or partial line
   * is pending. Only then may the scanner (scan.ts) skip a line without handing it over.
   */
  idle(): boolean {
    return this.state === undefined && this.open === undefined && this.partial.length === 0 && !this.pendingCR;
  }

  /**
   * Counts lines the scanner skipped as `handle` would have (each non-blank one is a record that
   * `accept` rejected), so stats and the line numbers of later records stay exact.
   */
  skip(lines: number, records: number): void {
    this.started = true;
    this.lines += lines;
    this.records += records;
  }

  private take(): LogRecord[] {
    const r = this.out;
    this.out = [];
    return r;
  }

  /**
   * After an internal error: what was being assembled is yielded as it was read (raw text as the
   * message), counted as unreadable, and reading carries on with the next line. Never dropped.
   */
  private recover(): void {
    const st = this.state;
    const o = this.open;
    this.state = undefined;
    this.open = undefined;
    this.cached = undefined;
    if (o !== undefined) this.fallback(o.line, o.raws.join('\n'));
    if (st !== undefined && 'lines' in st) for (const b of st.lines) this.fallback(b.n, b.text);
  }

  /** A record read as plain text after its parser failed (see recover). */
  private fallback(n: number, raw: string, message = raw): void {
    this.unreadable++;
    const cap = (t: string): string => (t.length > MAX_LINE ? t.slice(0, MAX_LINE) : t);
    const text = cap(message).replace(/\s+/g, ' ').trim();
    if (this.accept !== undefined && !this.accepts(text)) return;
    this.out.push({ line: n, raw: cap(raw), message: text, fields: newFields('plain') });
  }

  private split(text: string): void {
    const n = text.length;
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(i) === 10) i++;
    }
    // One LF search per line, and CR looked for only inside the line: a search position carried
    // across the whole chunk made V8 slow to a crawl on multi-MB chunks (seen on Node 20).
    while (i < n) {
      const e = text.indexOf('\n', i);
      const seg = e < 0 ? (i === 0 ? text : text.slice(i)) : text.slice(i, e);
      let r = seg.indexOf('\r');
      if (r < 0) {
        if (e < 0) this.keep(seg);
        else this.line(seg);
      } else {
        let from = 0;
        while (r >= 0) {
          if (e >= 0 && r === seg.length - 1) break; // CRLF
          this.line(seg.slice(from, r));
          from = r + 1;
          r = seg.indexOf('\r', from);
        }
        if (e >= 0) this.line(seg.slice(from, seg.charCodeAt(seg.length - 1) === 13 ? seg.length - 1 : seg.length));
        else if (from === seg.length) this.pendingCR = true;
        else this.keep(seg.slice(from));
      }
      if (e < 0) return;
      i = e + 1;
    }
  }

  /** Appends a piece of a line still without its end to `partial`, up to MAX_LINE chars in all. */
  private keep(piece: string): void {
    const room = MAX_LINE - this.partialLen;
    if (room <= 0) return;
    const kept = piece.length > room ? piece.slice(0, room) : piece;
    this.partial.push(kept);
    this.partialLen += kept.length;
  }

  /** A complete physical line (the chunk's piece, joined to what was pending). */
  private line(piece: string): void {
    let line = piece.length > MAX_LINE ? piece.slice(0, MAX_LINE) : piece;
    if (this.partial.length > 0) {
      this.keep(piece);
      line = this.partial.join('');
      this.partial = [];
      this.partialLen = 0;
    }
    this.lines++;
    const n = this.lines;
    const before = this.out.length;
    try {
      this.handle(line, n, false);
    } catch {
      this.recover();
      // The line that failed, unless it was yielded or is part of what recover yielded.
      if (!this.out.slice(before).some((r) => r.line === n)) this.fallback(n, line);
    }
  }

  private accepts(text: string): boolean {
    if (this.accept === undefined) return true;
    try {
      return this.accept(text) !== false;
    } catch {
      return true;
    }
  }

  /** One physical line (or a replayed one: then no multi-line document may start). */
  private handle(line: string, n: number, replay: boolean): void {
    if (this.state !== undefined && this.feed(line, n)) return;
    if (this.open !== undefined) {
      if (this.continues(this.open, line)) return;
      this.flushOpen();
    }
    const p = indentOf(line);
    if (p >= line.length) return;
    const st = starter(line, p);
    if (st !== undefined && this.begin(st, line, n, replay)) return;
    this.records++;
    const cached = this.cached;
    this.cached = undefined;
    let deferred = false;
    if (!this.accepts(line)) {
      if (!criPartial(line)) return;
      deferred = true;
    }
    const draft = cached !== undefined && cached.line === line ? cached.draft : parseLine(line);
    if (draft.mode === 'none') {
      this.emit(n, line, finishLine(draft, []));
      return;
    }
    this.open = { draft, line: n, raws: [line], extra: [], chars: line.length, block: draft.mode === 'klog' && opensBlock(line), props: false };
    if (deferred) this.open.deferred = true;
  }

  private emit(n: number, raw: string, d: Draft): void {
    let rec: LogRecord;
    try {
      rec = toRecord(n, raw, d);
    } catch {
      this.fallback(n, raw, d.text);
      return;
    }
    this.yieldRecord(rec);
  }

  /**
   * Yields a record, or the lines of the df table a paste flattened into it (see df-flat.ts): each
   * piece is read as the line df printed, under the record's line number and fields. Pieces the
   * prefilter rejects are dropped as their own lines would have been.
   */
  private yieldRecord(rec: LogRecord): void {
    const pieces = splitFlattenedDf(rec.message);
    if (pieces === undefined) {
      this.out.push(rec);
      return;
    }
    for (const piece of pieces) {
      if (this.accept !== undefined && !this.accepts(piece)) continue;
      this.out.push({ line: rec.line, raw: piece, message: piece, fields: { ...rec.fields } });
    }
  }

  /** A record from a structured source: decoded first, then offered to `accept`. */
  private structured(n: number, raw: string, d: Draft): void {
    this.records++;
    let rec: LogRecord;
    try {
      rec = toRecord(n, raw, d);
    } catch {
      this.fallback(n, raw, d.text);
      return;
    }
    if (this.accept !== undefined && !this.accepts(rec.message)) return;
    this.yieldRecord(rec);
  }

  private flushOpen(): void {
    const o = this.open;
    if (o === undefined) return;
    this.open = undefined;
    if (o.deferred === true && !this.accepts(o.draft.body + o.extra.join(''))) return;
    this.emit(o.line, o.raws.length === 1 ? (o.raws[0] as string) : o.raws.join('\n'), finishLine(o.draft, o.extra));
  }

  private add(o: Open, raw: string, text: string): void {
    o.raws.push(raw);
    o.extra.push(text);
    o.chars += raw.length;
  }

  /** Whether `line` continues the open record (and if so, absorbs it). */
  private continues(o: Open, line: string): boolean {
    if (o.raws.length >= OPEN_MAX_LINES || o.chars >= OPEN_MAX_CHARS) return false;
    switch (o.draft.mode) {
      case 'indent': {
        const ind = o.draft.indent;
        if (ind < 8 || line.length <= ind) return false;
        for (let k = 0; k < ind; k++) if (line.charCodeAt(k) !== 32) return false;
        if (line.charCodeAt(ind) === 32 && indentOf(line) >= line.length) return false;
        this.add(o, line, line.slice(ind));
        return true;
      }
      case 'klog': {
        if (o.block) {
          this.add(o, line, line);
          if (line.startsWith(' >') || line === '>') o.block = opensBlock(line);
          return true;
        }
        if (isStackFrame(line)) {
          this.add(o, line, line);
          return true;
        }
        const p = indentOf(line);
        if (p >= line.length || !klogContinues(o, line, p) || starter(line, p) !== undefined || isPrompt(line)) return false;
        const d = parseLine(line);
        if (!d.plain) {
          this.cached = { line, draft: d };
          return false;
        }
        this.add(o, line, line);
        o.block = opensBlock(line);
        return true;
      }
      case 'stack': {
        if (o.props) {
          this.add(o, line, line);
          if (line.trimStart().startsWith('}')) o.props = false;
          return true;
        }
        if (!isStackFrame(line)) return false;
        this.add(o, line, line);
        if (line.trimEnd().endsWith('{')) o.props = true;
        return true;
      }
      case 'cri': {
        const c = parseCri(line);
        if (c === undefined || c.stream !== o.draft.stream) return false;
        this.add(o, line, line.slice(c.start));
        if (!c.partial) this.flushOpen();
        return true;
      }
      default:
        return false;
    }
  }

  /** Starts a state for a state-changing line. False when the line is to be read as a record after all. */
  private begin(st: Starter, line: string, n: number, replay: boolean): boolean {
    switch (st.kind) {
      case 'skip':
        return true;
      case 'json': {
        const scanner = new JsonScanner();
        scanner.scan(line, 0, st.from);
        if (scanner.failed) return false;
        if (scanner.closedAt >= 0) {
          if (line.slice(scanner.closedAt).trim() !== '') return false;
          const value = parseJson(line.slice(st.from, scanner.closedAt));
          const part = replay ? undefined : dockerPartial(value);
          if (part !== undefined) {
            this.state = { kind: 'docker', entry: part, logs: [own(part, 'log') as string], raws: [line], n, chars: line.length };
            return true;
          }
          const drafts = jsonValueDrafts(value);
          if (drafts.length === 0) return false;
          for (const d of drafts) this.structured(n, line, d);
          return true;
        }
        if (replay) return false;
        this.state = { kind: 'json', lines: [{ text: line, n }], scanner, chars: line.length, from: st.from };
        return true;
      }
      case 'yaml':
        if (replay) return false;
        this.startYaml(line, n);
        return true;
      case 'events':
        this.state = { kind: 'events', layout: st.layout };
        return true;
      case 'section':
        this.state = { kind: 'section', section: st.section, layout: st.layout, phase: st.layout === undefined ? 'header' : 'dashes' };
        return true;
      case 'verbose':
        this.state = { kind: 'journal', verbose: true, entry: new JournalEntry(), lines: [{ text: line, n }], chars: line.length, time: st.time };
        return true;
      case 'export': {
        const entry = new JournalEntry();
        entry.add(line);
        this.state = { kind: 'journal', verbose: false, entry, lines: [{ text: line, n }], chars: line.length, time: undefined };
        return true;
      }
      default:
        return false;
    }
  }

  private startYaml(line: string, n: number): void {
    const key = yamlLine(line);
    this.state = { kind: 'yaml', lines: [{ text: line, n }], chars: line.length, keys: new Set(typeof key === 'string' ? [key] : []) };
  }

  /** Feeds a line to the current state. False when the state ended and the line is not its own. */
  private feed(line: string, n: number): boolean {
    const st = this.state as State;
    switch (st.kind) {
      case 'docker': {
        if (this.feedDocker(st, line)) return true;
        this.state = undefined;
        this.finishDocker(st);
        return false;
      }
      case 'json': {
        const p = indentOf(line);
        if (p < line.length && !jsonish(line[p])) {
          this.state = undefined;
          this.replay(st.lines);
          return false;
        }
        st.lines.push({ text: line, n });
        st.chars += line.length + 1;
        if (st.chars > DOC_CAP) {
          this.state = undefined;
          this.replay(st.lines);
          return true;
        }
        st.scanner.scan(line, st.lines.length - 1);
        if (st.scanner.failed) {
          this.state = undefined;
          this.replay(st.lines);
          return true;
        }
        if (st.scanner.closedAt >= 0) {
          this.state = undefined;
          const rest = line.slice(st.scanner.closedAt).trim();
          if (rest !== '' && rest !== ',') this.replay(st.lines);
          else this.finishJson(st);
        }
        return true;
      }
      case 'yaml': {
        const more = yamlLine(line);
        if (more === false) {
          this.state = undefined;
          this.finishYaml(st.lines);
          return false;
        }
        if (typeof more === 'string') {
          if (st.keys.has(more) && st.lines.length === 1 && !this.accepts((st.lines[0] as Buffered).text)) {
            // The same key on the next line (`items:` again and again): the first line was a
            // one-line record the prefilter rejects, as the replay below would find; the new line
            // takes its place in the same state, without building a document for each line.
            this.records++;
            st.lines[0] = { text: line, n };
            st.chars = line.length;
            return true;
          }
          if (st.keys.has(more)) {
            // the same top-level key again: the next object was pasted right after this one
            this.state = undefined;
            this.finishYaml(st.lines);
            this.flushOpen();
            this.state = undefined;
            this.startYaml(line, n);
            return true;
          }
          st.keys.add(more);
        } else if (line.startsWith('---')) st.keys.clear();
        st.lines.push({ text: line, n });
        st.chars += line.length + 1;
        if (st.chars >= DOC_CAP) {
          this.state = undefined;
          this.replay(st.lines);
        }
        return true;
      }
      case 'events': {
        if (indentOf(line) >= line.length) {
          this.state = undefined;
          return true;
        }
        const d = eventsRow(line, st.layout);
        if (d === undefined) {
          this.state = undefined;
          return false;
        }
        this.structured(n, line, d);
        return true;
      }
      case 'section': {
        const p = indentOf(line);
        if (p >= line.length) {
          if (st.phase !== 'header') this.state = undefined;
          return true;
        }
        if (st.phase === 'header') {
          const h = describeHeader(line, p);
          st.phase = 'rows';
          if (h !== undefined && h.section === st.section) {
            st.layout = h.layout;
            st.phase = 'dashes';
            return true;
          }
        }
        if (st.phase === 'dashes') {
          st.phase = 'rows';
          if (isDashes(line, p)) return true;
        }
        const d = describeRow(line, st.section, st.layout ?? defaultLayout(st.section));
        if (d === undefined) {
          this.state = undefined;
          return false;
        }
        this.structured(n, line, d);
        return true;
      }
      case 'journal': {
        if (st.chars > DOC_CAP) {
          this.state = undefined;
          this.finishJournal(st);
          return false;
        }
        st.chars += line.length + 1;
        if (st.verbose) {
          if (line.startsWith('    ') || line.startsWith('\t')) {
            const body = line.trimStart();
            if (!st.entry.add(body)) st.entry.append(body);
            st.lines.push({ text: line, n });
            return true;
          }
          this.state = undefined;
          this.finishJournal(st);
          return false;
        }
        if (line.trim() === '') {
          this.state = undefined;
          this.finishJournal(st);
          return true;
        }
        if (st.entry.add(line)) {
          st.lines.push({ text: line, n });
          return true;
        }
        this.state = undefined;
        this.finishJournal(st);
        return false;
      }
      default:
        return false;
    }
  }

  /** Continues a split docker entry with the next entry of its stream; the one with the newline ends it. */
  private feedDocker(st: Extract<State, { kind: 'docker' }>, line: string): boolean {
    const p = indentOf(line);
    const t = line.trim();
    if (line[p] !== '{' || !t.endsWith('}') || st.chars + line.length > OPEN_MAX_CHARS || st.raws.length >= OPEN_MAX_LINES) return false;
    const v = parseJson(t);
    if (!isObject(v) || typeof own(v, 'log') !== 'string' || own(v, 'stream') !== own(st.entry, 'stream')) return false;
    st.logs.push(own(v, 'log') as string);
    st.raws.push(line);
    st.chars += line.length + 1;
    if (dockerPartial(v) === undefined) {
      this.state = undefined;
      this.finishDocker(st);
    }
    return true;
  }

  private finishDocker(st: Extract<State, { kind: 'docker' }>): void {
    const joined: Record<string, unknown> = { ...st.entry };
    Object.defineProperty(joined, 'log', { value: st.logs.join(''), enumerable: true, writable: true, configurable: true });
    for (const d of jsonValueDrafts(joined)) this.structured(st.n, st.raws.join('\n'), d);
  }

  /** End of input inside a state. */
  private endState(): void {
    const st = this.state;
    this.state = undefined;
    if (st === undefined) return;
    if (st.kind === 'json') this.replay(st.lines);
    else if (st.kind === 'yaml') this.finishYaml(st.lines);
    else if (st.kind === 'journal') this.finishJournal(st);
    else if (st.kind === 'docker') this.finishDocker(st);
  }

  /** Reads buffered lines again one by one (a document that turned out not to be one). */
  private replay(lines: readonly Buffered[]): void {
    for (const b of lines) this.handle(b.text, b.n, true);
  }

  private finishJson(st: Extract<State, { kind: 'json' }>): void {
    const lines = st.lines;
    const first = lines[0] as Buffered;
    const texts = lines.map((b, i) => (i === 0 ? b.text.slice(st.from) : b.text));
    const value = parseJson(texts.join('\n'));
    if (value === undefined) {
      this.replay(lines);
      return;
    }
    const rawOf = (a: number, b: number): string => lines.slice(a, b + 1).map((x) => x.text).join('\n');
    // Built once: records found outside `items` (or in nested arrays) all carry the whole document,
    // and rebuilding it per record made an 800-event document take 1 s (4,000 events: 67 s).
    let wholeText: string | undefined;
    const whole = (): string => (wholeText ??= rawOf(0, lines.length - 1));
    let elements: unknown[] | undefined;
    if (Array.isArray(value)) elements = value;
    else {
      const items = own(value, 'items');
      if (Array.isArray(items) && !isJournalJson(value as Record<string, unknown>)) elements = items;
    }
    const spans = st.scanner.elements;
    const found: { d: NodeDraft; n: number; raw: () => string }[] = [];
    if (elements !== undefined) {
      const objects = elements.filter(isObject);
      const aligned = objects.length === spans.length;
      let k = 0;
      for (const el of elements) {
        if (!isObject(el)) {
          for (const d of objectDrafts(el, 'event-json')) found.push({ d, n: first.n, raw: whole });
          continue;
        }
        const span = aligned ? spans[k] : undefined;
        k++;
        const n = span !== undefined ? (lines[span.start] as Buffered).n : first.n;
        const raw = span !== undefined ? () => rawOf(span.start, span.end) : whole;
        for (const d of jsonDrafts(el, peel)) found.push({ d, n, raw });
      }
    } else {
      for (const d of jsonDrafts(value, peel)) found.push({ d, n: first.n, raw: whole });
    }
    if (found.length === 0) {
      this.replay(lines);
      return;
    }
    for (const f of found) this.structured(f.n, f.raw(), f.d);
  }

  private finishYaml(lines: readonly Buffered[]): void {
    // One line (`items:` again and again) holds no object with a message: read it as a line
    // without parsing a document for it (1e6 such lines took 8–16× benign text).
    if (lines.length === 1) {
      this.replay(lines);
      return;
    }
    const texts = lines.map((b) => b.text);
    const drafts = yamlDrafts(texts);
    if (drafts.length === 0) {
      this.replay(lines);
      return;
    }
    const first = lines[0] as Buffered;
    // Built once: every object of a flow sequence (`items: [ {...}, ... ]`) has no span of its own.
    let whole: string | undefined;
    for (const { draft, span } of drafts) {
      if (span === undefined) this.structured(first.n, (whole ??= texts.join('\n')), draft);
      else this.structured((lines[span[0]] as Buffered).n, texts.slice(span[0], span[1] + 1).join('\n'), draft);
    }
  }

  private finishJournal(st: Extract<State, { kind: 'journal' }>): void {
    const first = st.lines[0];
    if (first === undefined) return;
    const f = newFields('journal-verbose');
    if (st.time !== undefined) f.time = st.time;
    const message = journalFields((k) => st.entry.get(k), f);
    this.structured(first.n, st.lines.map((b) => b.text).join('\n'), { text: peel(message, f), fields: f });
  }
}

/**
 * Creates an incremental framer: `push` chunks in any split (a line, a CRLF or a character may
 * straddle chunks) and get the same records as for the whole text.
 *
 * @param options - `accept`: the prefilter, called on raw physical lines of line-oriented records
 *   and on the decoded message of structured ones (JSON, YAML, tables).
 * @returns A framer with `push`, `end`, and `lines`/`records` counters.
 * @example
 * ```ts
 * const f = createFramer();
 * const recs = [...f.push('Nov 14 10:23:45 node-a kubelet[2301]: E1114 …\n'), ...f.end()];
 * ```
 */
export function createFramer(options?: FramerOptions): Framer {
  return new TextFramer(options);
}

/**
 * Frames a whole text at once.
 *
 * @param text - Log text in any supported format, or a mix.
 * @param options - Framer options (the `accept` prefilter).
 * @returns The records, in input order.
 * @example
 * ```ts
 * frameText('  Warning  Failed  5m1s (x3397 over 17h)  kubelet  Error: …')[0]?.fields.count; // 3397
 * ```
 */
export function frameText(text: string, options?: FramerOptions): LogRecord[] {
  const f = createFramer(options);
  const out = f.push(typeof text === 'string' ? text : '');
  for (const r of f.end()) out.push(r);
  return out;
}

/**
 * Parses one record of any line format (what `matchLine` receives). A string with line breaks is
 * framed as a whole and returned as one record.
 *
 * @param line - One log line.
 * @param lineNo - Its 1-based line number, reported in the record.
 * @returns The record (a `plain` one when no format is recognised).
 * @example
 * ```ts
 * recordFromLine('kubelet[1]: E0718 15:20:58.280275 1 raw.go:140] …: no space left on device', 1).fields.component; // 'kubelet'
 * ```
 */
export function recordFromLine(line: string, lineNo: number): LogRecord {
  const n = Number.isSafeInteger(lineNo) && lineNo > 0 ? lineNo : 1;
  let s = typeof line === 'string' ? line : '';
  try {
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    if (s.includes('\n') || s.includes('\r')) {
      const recs = frameText(s);
      const firstRec = recs[0];
      if (recs.length === 1 && firstRec !== undefined) return { ...firstRec, line: n + firstRec.line - 1 };
      if (firstRec !== undefined) {
        return { line: n, raw: s, message: recs.map((r) => r.message).join(' '), fields: firstRec.fields };
      }
      return { line: n, raw: s, message: '', fields: newFields('plain') };
    }
    const p = indentOf(s);
    const st: Starter | undefined = p < s.length ? starter(s, p) : undefined;
    if (st !== undefined && st.kind === 'json') {
      const d = jsonLineDrafts(s.slice(st.from))[0];
      if (d !== undefined) return toRecord(n, s, d);
    }
    return toRecord(n, s, finishLine(parseLine(s), []));
  } catch {
    return { line: n, raw: s, message: '', fields: newFields('plain') };
  }
}
