import { RULES, CAUSES, RULE_ANCHORS } from '../generated/rules.js';
import { ERRNO_TABLE } from '../generated/errno-table.js';
import { localizedKeys } from '../input/locale.js';
import { createAccumulator } from '../engine/diagnose.js';
import { matchRecord, prepareRules, type PreparedRules, type RuleHit } from '../engine/match.js';
import { explainsRecord } from '../engine/explained.js';
import { redactEvidence } from '../engine/redact.js';
import { compareStrength } from '../engine/strength.js';
import type { CauseInfo, CompiledRule } from '../engine/types.js';
import { MAX_LINE, createFramer, recordFromLine } from '../input/frame.js';
import { createScanner, type ScanFramer } from '../input/scan.js';
import type { LogRecord } from '../input/record.js';
import type { CauseId, Diagnosis, Evidence, RuleMatch } from '../schema.js';
import { CAUSE_IDS, STRENGTHS } from '../ids.js';

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
  /**
   * Stops a stream adapter (`classifyStream` and the others in `enospc/stream`) early: once it is
   * aborted no more is read, and the promise resolves with the diagnosis of what was read so far.
   */
  readonly signal?: AbortSignal;
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
/**
 * Prepared custom rules per `rules` array, with the signature of the rules they were prepared
 * from: an array changed after first use (push, splice, a rule edited in place) is prepared again,
 * not served from a stale cache keyed on the array's identity alone.
 */
const customPrepared = new WeakMap<
  object,
  { readonly signature: string; readonly builtin: boolean; readonly prepared: PreparedRules; readonly frozen: readonly unknown[] | undefined }
>();

/** Whether a rule object and everything in it is frozen (compileRules' output): then it cannot change in place. */
function deepFrozen(r: unknown): boolean {
  if (typeof r !== 'object' || r === null || !Object.isFrozen(r)) return false;
  for (const k of ['keywords', 'groups', 'numeric', 'where', 'requires', 'anchors']) {
    const v = read(r, k);
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) return false;
    if (k === 'numeric' && typeof v === 'object' && v !== null) for (const c of Object.values(v)) if (typeof c === 'object' && c !== null && !Object.isFrozen(c)) return false;
    if (k === 'where' && typeof v === 'object' && v !== null) for (const c of Object.values(v)) if (typeof c === 'object' && c !== null && !Object.isFrozen(c)) return false;
  }
  return true;
}

/**
 * The prepared rules cached for `rules` when it still holds the same frozen rule objects: the
 * per-call check is then a comparison of identities, not a copy and a signature (matchLine is
 * called per record).
 */
function cachedFrozen(rules: unknown, builtin: boolean): PreparedRules | undefined {
  if (typeof rules !== 'object' || rules === null) return undefined;
  const c = customPrepared.get(rules);
  if (c === undefined || c.frozen === undefined || c.builtin !== builtin) return undefined;
  try {
    const a = rules as readonly unknown[];
    if (!Array.isArray(a) || a.length !== c.frozen.length) return undefined;
    for (let i = 0; i < a.length; i++) if (a[i] !== c.frozen[i]) return undefined;
  } catch {
    return undefined;
  }
  return c.prepared;
}

/** The elements of `rules` when every one is deep-frozen, else undefined. */
function frozenElements(rules: unknown): unknown[] | undefined {
  try {
    const a = rules as readonly unknown[];
    if (!Array.isArray(a)) return undefined;
    const out = [...a];
    return out.every(deepFrozen) ? out : undefined;
  } catch {
    return undefined;
  }
}

let builtinAnchors: Map<CompiledRule, readonly string[]> | undefined;

/**
 * The generated anchors of the built-in rules, keyed by rule object (see prepareRules), each with
 * the keys of the localized texts (src/input/locale.ts): normalisation writes English text only
 * where the raw line, which the prefilter reads, has one of them.
 */
function anchorHints(): Map<CompiledRule, readonly string[]> {
  if (builtinAnchors === undefined) {
    const localized = localizedKeys();
    builtinAnchors = new Map(RULES.map((r) => [r, [...(RULE_ANCHORS[r.id] ?? []), ...localized]]));
  }
  return builtinAnchors;
}

function causesById(): Map<CauseId, CauseInfo> {
  causeMap ??= new Map(CAUSES.map((c) => [c.id, c]));
  return causeMap;
}

/** `o[key]`, or undefined when reading it throws (a getter, a throwing or revoked Proxy). */
function read(o: unknown, key: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

const CAUSE_SET: ReadonlySet<string> = new Set(CAUSE_IDS);
const STRENGTH_SET: ReadonlySet<string> = new Set(STRENGTHS);
const EFFECTS: ReadonlySet<string> = new Set(['supports', 'opposes', 'context']);
/** Whether `new RegExp(source, flags)` compiles, per `flags + '/' + source` (bounded). */
const regexOk = new Map<string, boolean>();

function compiles(source: string, flags: string): boolean {
  const key = `${flags}/${source}`;
  let ok = regexOk.get(key);
  if (ok === undefined) {
    try {
      new RegExp(source, flags);
      ok = true;
    } catch {
      ok = false;
    }
    if (regexOk.size >= 1000) regexOk.clear();
    regexOk.set(key, ok);
  }
  return ok;
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const x = read(v, String(i));
    if (typeof x !== 'string') return undefined;
    out.push(x);
  }
  return out;
}

/**
 * A plain, checked copy of one element of `options.rules`, or undefined when it is not a usable
 * compiled rule (wrong types, a source that does not compile, unknown cause): such a rule is
 * skipped. Every field is read once, guarded, so no getter or Proxy can throw out of classify.
 */
function checkedRule(r: unknown): CompiledRule | undefined {
  try {
    if (typeof r !== 'object' || r === null) return undefined;
    const id = read(r, 'id');
    const cause = read(r, 'cause');
    const effect = read(r, 'effect');
    const strength = read(r, 'strength');
    const source = read(r, 'source');
    const rawFlags = read(r, 'flags');
    if (typeof id !== 'string' || id.length === 0 || typeof source !== 'string') return undefined;
    if (typeof cause !== 'string' || !CAUSE_SET.has(cause)) return undefined;
    if (typeof effect !== 'string' || !EFFECTS.has(effect)) return undefined;
    if (typeof strength !== 'string' || !STRENGTH_SET.has(strength)) return undefined;
    // `g`/`y` would make the shared regex stateful (lastIndex): matching drops them.
    const flags = rawFlags === undefined ? 'i' : typeof rawFlags === 'string' ? rawFlags.replace(/[gy]/g, '') : undefined;
    if (flags === undefined || !compiles(source, flags)) return undefined;
    const keywords = stringList(read(r, 'keywords'));
    const rawGroups = read(r, 'groups');
    const groups = rawGroups === undefined ? [] : stringList(rawGroups);
    if (keywords === undefined || groups === undefined) return undefined;
    const status = read(r, 'status');
    const rule: { -readonly [K in keyof CompiledRule]: CompiledRule[K] } = {
      id,
      cause: cause as CauseId,
      effect: effect as CompiledRule['effect'],
      strength: strength as CompiledRule['strength'],
      status: status === 'stable' || status === 'deprecated' ? status : 'experimental',
      keywords: keywords.map((k) => k.toLowerCase()),
      source,
      flags,
      groups,
    };
    const numeric = read(r, 'numeric');
    if (numeric !== undefined) {
      if (typeof numeric !== 'object' || numeric === null) return undefined;
      const out: Record<string, { gte?: number; lte?: number }> = {};
      for (const name of Object.keys(numeric)) {
        const cond = read(numeric, name);
        if (typeof cond !== 'object' || cond === null) return undefined;
        const gte = read(cond, 'gte');
        const lte = read(cond, 'lte');
        if ((gte !== undefined && typeof gte !== 'number') || (lte !== undefined && typeof lte !== 'number')) return undefined;
        out[name] = { ...(gte !== undefined ? { gte } : {}), ...(lte !== undefined ? { lte } : {}) };
      }
      rule.numeric = out;
    }
    const where = read(r, 'where');
    if (where !== undefined) {
      if (typeof where !== 'object' || where === null) return undefined;
      const format = read(where, 'format');
      const reason = read(where, 'reason');
      const formats = format === undefined ? undefined : stringList(format);
      const reasons = reason === undefined ? undefined : stringList(reason);
      if ((format !== undefined && formats === undefined) || (reason !== undefined && reasons === undefined)) return undefined;
      rule.where = { ...(formats !== undefined ? { format: formats as never } : {}), ...(reasons !== undefined ? { reason: reasons } : {}) };
    }
    const requires = read(r, 'requires');
    if (requires !== undefined) {
      const req = stringList(requires);
      if (req === undefined) return undefined;
      rule.requires = req;
    }
    if (read(r, 'fallback') === true) rule.fallback = true;
    const anchors = read(r, 'anchors');
    if (anchors !== undefined) {
      const list = stringList(anchors);
      if (list === undefined) return undefined;
      if (list.length > 0) rule.anchors = list.map((a) => a.toLowerCase());
    }
    return rule;
  } catch {
    return undefined;
  }
}

/** The usable rules of `options.rules` (see checkedRule), first of each id; undefined when it is not an array. */
function checkedRules(v: unknown): CompiledRule[] | undefined {
  try {
    if (!Array.isArray(v)) return undefined;
    const out: CompiledRule[] = [];
    const seen = new Set<string>();
    const n = read(v, 'length');
    for (let i = 0; typeof n === 'number' && i < n; i++) {
      const r = checkedRule(read(v, String(i)));
      if (r === undefined || seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
    }
    return out;
  } catch {
    // Array.isArray throws on a revoked Proxy
    return undefined;
  }
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

function prepareCustom(key: object, extra: readonly CompiledRule[], builtin: boolean): PreparedRules {
  const signature = JSON.stringify(extra);
  const cached = customPrepared.get(key);
  const frozen = frozenElements(key);
  if (cached !== undefined && cached.builtin === builtin && cached.signature === signature) {
    if (frozen !== undefined && cached.frozen === undefined) customPrepared.set(key, { ...cached, frozen });
    return cached.prepared;
  }
  const ids = new Set(extra.map((r) => r.id));
  // The decision table is built-in data: it comes with the built-in rules.
  const prepared = prepareRules(builtin ? [...RULES.filter((r) => !ids.has(r.id)), ...extra] : extra, anchorHints(), builtin ? ERRNO_TABLE : undefined);
  customPrepared.set(key, { signature, builtin, prepared, frozen });
  return prepared;
}

function resolveNew(options: unknown): Resolved {
  const o = typeof options === 'object' && options !== null ? options : {};
  const rules = read(o, 'rules');
  const builtin = read(o, 'builtinRules') !== false;
  const fast = cachedFrozen(rules, builtin);
  const extra = fast === undefined ? checkedRules(rules) : undefined;
  let prepared: PreparedRules;
  if (fast !== undefined) prepared = fast;
  else if (extra === undefined || extra.length === 0) {
    prepared = builtin ? (defaultPrepared ??= prepareRules(RULES, anchorHints(), ERRNO_TABLE)) : prepareRules([]);
  } else prepared = prepareCustom(rules as object, extra, builtin);
  const minConfidence = read(o, 'minConfidence');
  const min = typeof minConfidence === 'number' && minConfidence >= 0 && minConfidence <= 1 ? minConfidence : 0;
  const recordLimit = read(o, 'recordLimit');
  const limit = typeof recordLimit === 'number' && Number.isInteger(recordLimit) && recordLimit >= 256 ? recordLimit : DEFAULT_RECORD_LIMIT;
  const onMatch = read(o, 'onMatch');
  return {
    prepared,
    minConfidence: min,
    redact: read(o, 'redact') === true,
    recordLimit: limit,
    onMatch: typeof onMatch === 'function' ? (onMatch as (match: RecordMatch) => void) : undefined,
  };
}

/** An AbortSignal from any realm: something with a boolean `aborted` and `addEventListener`. */
function isAbortSignal(v: unknown): v is AbortSignal {
  return typeof v === 'object' && v !== null && typeof read(v, 'aborted') === 'boolean' && typeof read(v, 'addEventListener') === 'function';
}

/** The options' AbortSignal, checked (for the stream adapters); undefined when there is none. */
export function signalOf(options: unknown): AbortSignal | undefined {
  const v = typeof options === 'object' && options !== null ? read(options, 'signal') : undefined;
  return isAbortSignal(v) ? v : undefined;
}

const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!.get!;
const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const sharedBufferLength =
  typeof SharedArrayBuffer === 'function' ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength')?.get : undefined;

/**
 * A Uint8Array (a Buffer too) from any realm (`vm` contexts, test runners with their own globals):
 * the typed-array brand, not `instanceof`, which is false across realms.
 */
export function isBytes(v: unknown): v is Uint8Array {
  try {
    return typedArrayTag.call(v) === 'Uint8Array';
  } catch {
    return false;
  }
}

/** An ArrayBuffer or SharedArrayBuffer from any realm (brand-checked through its byteLength getter). */
export function isArrayBuffer(v: unknown): v is ArrayBuffer {
  for (const get of [arrayBufferLength, sharedBufferLength]) {
    if (get === undefined) continue;
    try {
      get.call(v);
      return true;
    } catch {
      // not this kind
    }
  }
  return false;
}

/** A classifier fed in chunks: memory stays bounded whatever the input size. */
export interface Classifier {
  /**
   * Feeds the next chunk (text, or UTF-8 bytes as a Uint8Array or ArrayBuffer; a multi-byte
   * character may straddle chunks). Anything else is ignored.
   */
  write(chunk: string | Uint8Array | ArrayBuffer): void;
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
        if (best === undefined) continue;
        try {
          opts.onMatch(toRecordMatch(best, rec.line, raw, opts.redact));
        } catch {
          // The caller's callback failing is the caller's: the records after it are still read
          // and counted, and classify / classifyStream neither throw nor reject for it.
        }
      }
    }
  }

  return {
    write(chunk) {
      if (result !== undefined) return;
      try {
        if (typeof chunk === 'string') {
          bytes += byteLength(chunk);
          scanner.write(chunk);
        } else if (isBytes(chunk)) {
          bytes += chunk.byteLength;
          scanner.write(chunk);
        } else if (isArrayBuffer(chunk)) {
          const view = new Uint8Array(chunk);
          bytes += view.byteLength;
          scanner.write(view);
        }
      } catch {
        // Totality: a defect in a format parser must not take the caller down; what was read still counts.
      }
    },
    end() {
      if (result !== undefined) return result;
      try {
        scanner.end();
      } catch {
        // as in write
      }
      result = acc.finish({
        bytes,
        lines: framer.lines,
        records: framer.records,
        candidates,
        matched,
        truncated,
        recordLimit: opts.recordLimit,
        unreadable: framer.unreadable ?? 0,
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
  c.write(input);
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
    // The framer's cap on a physical line, for the prefilter and the parse alike: a line gets the
    // same answer here as from classify (a 30 MB journal-JSON line took 1.2 s whole, and the
    // prefilter read only the first 64 KiB, so a MESSAGE after a long field was missed).
    const capped = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
    // A journald JSON record whose MESSAGE is a byte array hides its text from the raw prefilter.
    if (!opts.prepared.mayMatch(capped) && !capped.includes('"MESSAGE":[')) return null;
    const rec = recordFromLine(capped, 1);
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
