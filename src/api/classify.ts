import { RULES, CAUSES, RULE_ANCHORS } from '../generated/rules.js';
import { ERRNO_TABLE } from '../generated/errno-table.js';
import { createAccumulator } from '../engine/diagnose.js';
import { matchRecord, prepareRules, type PreparedRules, type RuleHit } from '../engine/match.js';
import { explainsRecord } from '../engine/explained.js';
import { redactEvidence } from '../engine/redact.js';
import { compareStrength } from '../engine/strength.js';
import type { CauseInfo, CompiledRule } from '../engine/types.js';
import { createFramer, recordFromLine } from '../input/frame.js';
import { createScanner, type ScanFramer } from '../input/scan.js';
import type { LogRecord } from '../input/record.js';
import type { CauseId, Diagnosis, Evidence, RuleMatch } from '../schema.js';

/** Default cap on one record's length, in characters, before matching. */
export const DEFAULT_RECORD_LIMIT = 16_384;

/** Options shared by every entry point (`classify`, `createClassifier`, `matchLine`, the stream adapters). */
export interface ClassifyOptions {
  /** Extra compiled rules (from `compileRules` in `enospc/rules`), run with the built-ins. */
  readonly rules?: readonly CompiledRule[];
  /** Set to false to run only `rules`. Default true. */
  readonly builtinRules?: boolean;
  /** Findings below this confidence are dropped; `cause` is null when none is left. Default 0. */
  readonly minConfidence?: number;
  /** Mask hostnames, IPs, pod UIDs, container ids and namespaces in evidence. Default false. */
  readonly redact?: boolean;
  /** Records longer than this many characters are matched on their first part. Default 16384. */
  readonly recordLimit?: number;
  /**
   * Called for every record that matched a rule, as it is read, with the record's best match
   * (what `matchLine` would return). For pipelines that tag records while a diagnosis builds up.
   */
  readonly onMatch?: (match: RecordMatch) => void;
}

/** A record that matched, as passed to `onMatch`. */
export interface RecordMatch extends RuleMatch {
  /** 1-based line number of the record in the input. */
  readonly line: number;
  /** The record's raw text (capped, redacted when `redact` is set). */
  readonly raw: string;
}

/** Text in any supported format, as a string or UTF-8 bytes. */
export type ClassifyInput = string | Uint8Array | ArrayBuffer;

let defaultPrepared: PreparedRules | undefined;
let causeMap: Map<CauseId, CauseInfo> | undefined;
const customPrepared = new WeakMap<readonly CompiledRule[], PreparedRules>();

let builtinAnchors: Map<CompiledRule, readonly string[]> | undefined;

/** The generated anchors of the built-in rules, keyed by rule object (see prepareRules). */
function anchorHints(): Map<CompiledRule, readonly string[]> {
  builtinAnchors ??= new Map(RULES.map((r) => [r, RULE_ANCHORS[r.id] ?? []]));
  return builtinAnchors;
}

function causesById(): Map<CauseId, CauseInfo> {
  causeMap ??= new Map(CAUSES.map((c) => [c.id, c]));
  return causeMap;
}

function isRuleArray(v: unknown): v is readonly CompiledRule[] {
  return Array.isArray(v) && v.every((r) => typeof r === 'object' && r !== null && typeof (r as CompiledRule).source === 'string');
}

/** Options with every value checked: anything malformed falls back to its default, never throws. */
interface Resolved {
  readonly prepared: PreparedRules;
  readonly minConfidence: number;
  readonly redact: boolean;
  readonly recordLimit: number;
  readonly onMatch: ((match: RecordMatch) => void) | undefined;
}

let defaultResolved: Resolved | undefined;

function resolve(options: unknown): Resolved {
  // No options (the common matchLine call): reuse one object, so rejecting a line allocates nothing.
  if (options === undefined) return (defaultResolved ??= resolveNew(undefined));
  return resolveNew(options);
}

function resolveNew(options: unknown): Resolved {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const extra = isRuleArray(o.rules) ? o.rules : undefined;
  const builtin = o.builtinRules !== false;
  let prepared: PreparedRules;
  if (extra === undefined || extra.length === 0) {
    prepared = builtin ? (defaultPrepared ??= prepareRules(RULES, anchorHints(), ERRNO_TABLE)) : prepareRules([]);
  } else {
    const key = extra;
    const cached = builtin ? customPrepared.get(key) : undefined;
    if (cached !== undefined) prepared = cached;
    else {
      const ids = new Set(extra.map((r) => r.id));
      // The decision table is built-in data: it comes with the built-in rules.
      prepared = prepareRules(builtin ? [...RULES.filter((r) => !ids.has(r.id)), ...extra] : extra, anchorHints(), builtin ? ERRNO_TABLE : undefined);
      if (builtin) customPrepared.set(key, prepared);
    }
  }
  const min = typeof o.minConfidence === 'number' && o.minConfidence >= 0 && o.minConfidence <= 1 ? o.minConfidence : 0;
  const limit =
    typeof o.recordLimit === 'number' && Number.isInteger(o.recordLimit) && o.recordLimit >= 256 ? o.recordLimit : DEFAULT_RECORD_LIMIT;
  const onMatch = typeof o.onMatch === 'function' ? (o.onMatch as (match: RecordMatch) => void) : undefined;
  return { prepared, minConfidence: min, redact: o.redact === true, recordLimit: limit, onMatch };
}

/** A classifier fed in chunks: memory stays bounded whatever the input size. */
export interface Classifier {
  /** Feeds the next chunk (text or UTF-8 bytes; a multi-byte character may straddle chunks). */
  write(chunk: string | Uint8Array): void;
  /** Ends the input and returns the diagnosis. Calling it again returns the same result. */
  end(): Diagnosis;
}

/**
 * Creates a classifier for input that arrives in chunks.
 *
 * @param options - The same options as {@link classify}.
 * @returns An object with `write(chunk)` and `end()`.
 * @example
 * ```ts
 * const c = createClassifier();
 * for await (const chunk of process.stdin) c.write(chunk);
 * console.log(c.end().cause);
 * ```
 */
export function createClassifier(options?: ClassifyOptions): Classifier {
  const opts = resolve(options);
  const framer = createFramer({ accept: opts.prepared.mayMatch }) as ScanFramer;
  const acc = createAccumulator(causesById(), {
    minConfidence: opts.minConfidence,
    redact: opts.redact ? redactEvidence : undefined,
  });
  // Lines without an anchor are counted by the scanner and never decoded or framed.
  const scanner = createScanner(framer, opts.prepared.scanner(), (records) => process(records));
  let bytes = 0;
  let candidates = 0;
  let matched = 0;
  let truncated = 0;
  let result: Diagnosis | undefined;

  function process(records: readonly LogRecord[]): void {
    for (const rec of records) {
      candidates++;
      let message = rec.message;
      if (message.length > opts.recordLimit) {
        message = message.slice(0, opts.recordLimit);
        truncated++;
      }
      const hits = matchRecord(opts.prepared, message, undefined, rec.fields);
      if (hits.length === 0) continue;
      matched++;
      const raw = rec.raw.length > opts.recordLimit ? `${rec.raw.slice(0, opts.recordLimit)}…` : rec.raw;
      acc.add(rec.line, raw, hits);
      if (opts.onMatch !== undefined) {
        const best = bestHit(hits);
        if (best !== undefined) opts.onMatch(toRecordMatch(best, rec.line, raw, opts.redact));
      }
    }
  }

  return {
    write(chunk) {
      if (result !== undefined) return;
      if (typeof chunk === 'string') {
        bytes += byteLength(chunk);
        scanner.write(chunk);
      } else if (chunk instanceof Uint8Array) {
        bytes += chunk.byteLength;
        scanner.write(chunk);
      }
    },
    end() {
      if (result !== undefined) return result;
      scanner.end();
      result = acc.finish({
        bytes,
        lines: framer.lines,
        records: framer.records,
        candidates,
        matched,
        truncated,
        recordLimit: opts.recordLimit,
      });
      return result;
    },
  };
}

function byteLength(s: string): number {
  const B = (globalThis as { Buffer?: { byteLength(s: string, enc: string): number } }).Buffer;
  if (B !== undefined) return B.byteLength(s, 'utf8');
  return new TextEncoder().encode(s).byteLength;
}

/**
 * Diagnoses why a node says "no space left on device" from log text in any supported format.
 *
 * Pure and total: the same input gives the same output, and it never throws — input of the wrong
 * type gives an empty diagnosis (`cause: null`).
 *
 * @param input - Log text (kubelet, journalctl, kubectl events/describe, runtime logs, dmesg, or a mix), as a string or UTF-8 bytes.
 * @param options - Extra rules, minimum confidence, redaction, record length cap.
 * @returns The diagnosis: cause, confidence, findings, evidence and remediation.
 * @example
 * ```ts
 * const d = classify('kubelet[1]: E0718 raw.go:140] Failed to watch directory "/sys/fs/cgroup/memory": inotify_add_watch /sys/fs/cgroup/memory/x: no space left on device');
 * d.cause; // 'inotify-watch-exhaustion'
 * ```
 */
export function classify(input: ClassifyInput, options?: ClassifyOptions): Diagnosis {
  const c = createClassifier(options);
  try {
    if (typeof input === 'string') c.write(input);
    else if (input instanceof Uint8Array) c.write(input);
    else if (input instanceof ArrayBuffer) c.write(new Uint8Array(input));
  } catch {
    // Totality: a defect in a format parser must not take the caller down; what was read still counts.
  }
  return c.end();
}

function bestHit(hits: readonly RuleHit[]): RuleHit | undefined {
  const explained = hits.some((h) => explainsRecord(h.rule));
  let best: RuleHit | undefined;
  for (const h of hits) {
    if ((h.rule.fallback && explained) || h.rule.effect === 'context') continue;
    if (best === undefined) {
      best = h;
      continue;
    }
    const a = h.rule;
    const b = best.rule;
    // A rule with `requires` counts only if its context shows up elsewhere, which one record
    // cannot tell: an unconditional match ranks first, as classify would keep it on this line alone.
    const better =
      (a.effect === 'supports' ? 1 : 0) - (b.effect === 'supports' ? 1 : 0) ||
      (a.requires === undefined ? 1 : 0) - (b.requires === undefined ? 1 : 0) ||
      compareStrength(a.strength, b.strength) ||
      (a.id < b.id ? 1 : -1);
    if (better > 0) best = h;
  }
  return best;
}

function toRecordMatch(hit: RuleHit, line: number, raw: string, redact: boolean): RecordMatch {
  const ev: Evidence = { line, raw, rule: hit.rule.id, cause: hit.rule.cause, effect: hit.rule.effect, strength: hit.rule.strength, fields: hit.fields };
  const out = redact ? redactEvidence(ev) : ev;
  return { line, raw: out.raw, rule: out.rule, cause: out.cause, effect: out.effect, strength: out.strength, fields: out.fields };
}

/**
 * Returns the single best rule match for one log record, or null: the per-record path for
 * pipelines that tag each event. Lines no rule could match are rejected by the prefilter first.
 *
 * @param line - One log record (any supported line format).
 * @param options - The same options as {@link classify}.
 * @returns The rule id, cause, effect, strength and extracted fields, or null.
 * @example
 * ```ts
 * matchLine('tail: inotify resources exhausted')?.cause; // 'inotify-watch-exhaustion'
 * ```
 */
export function matchLine(line: string, options?: ClassifyOptions): RuleMatch | null {
  if (typeof line !== 'string' || line.length === 0) return null;
  try {
    const opts = resolve(options);
    const head = line.length > opts.recordLimit * 4 ? line.slice(0, opts.recordLimit * 4) : line;
    // A journald JSON record whose MESSAGE is a byte array hides its text from the raw prefilter.
    if (!opts.prepared.mayMatch(head) && !head.includes('"MESSAGE":[')) return null;
    const rec = recordFromLine(line, 1);
    const message = rec.message.length > opts.recordLimit ? rec.message.slice(0, opts.recordLimit) : rec.message;
    const best = bestHit(matchRecord(opts.prepared, message, undefined, rec.fields));
    if (best === undefined) return null;
    const { line: _line, raw: _raw, ...match } = toRecordMatch(best, 1, '', opts.redact);
    return match;
  } catch {
    return null;
  }
}

/**
 * Returns one cause's display and remediation data.
 *
 * @param id - A cause id.
 * @returns The cause's title, summary, confirm and fix steps, links and look-alikes, or undefined for an unknown id.
 * @example
 * ```ts
 * getCause('inotify-watch-exhaustion')?.fix[0]?.commands; // ['sysctl -w fs.inotify.max_user_watches=524288', …]
 * ```
 */
export function getCause(id: CauseId): CauseInfo | undefined {
  return causesById().get(id);
}
