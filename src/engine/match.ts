import type { Fields } from '../schema.js';
import type { CompiledRule } from './types.js';
import type { AnchorSearch } from '../input/scan.js';
import { applyTable, classesOf, type CompiledErrnoTable } from './table.js';
import { readErrno, type ErrnoReading } from './errno.js';
import { buildAnchorAutomaton, buildKeywordAutomaton, type AnchorAutomaton, type KeywordAutomaton } from './automaton.js';

/** A rule that fired on one record, with the record's fields merged with the rule's named groups. */
export interface RuleHit {
  readonly rule: CompiledRule;
  readonly fields: Fields;
}

/** A rule set prepared for matching: regexes compiled on first use, keyword index for the prefilter. */
export interface PreparedRules {
  readonly rules: readonly CompiledRule[];
  readonly byId: ReadonlyMap<string, CompiledRule>;
  /** The errno decision table, consulted for records no phrase rule explained (see applyTable). */
  readonly table: CompiledErrnoTable | undefined;
  /** Test on raw text: could any rule match a record containing it? */
  readonly mayMatch: (raw: string) => boolean;
  /**
   * The same test as a search over whole chunks (src/input/scan.ts), or undefined when every line
   * is a candidate (a rule without keywords).
   */
  scanner(): AnchorSearch | undefined;
  /** Compiled RegExp per rule, built lazily. */
  regex(rule: CompiledRule): RegExp;
  /** Rules indexed by one keyword each (see {@link keywordIndex}), built lazily. */
  index(): KeywordIndex;
}

/**
 * Every rule indexed by one of its keywords (the one fewest rules share): a record can only pass a
 * rule's keyword test if that keyword occurs in it, so one scan of the lowercased message for all
 * index keys finds every rule worth trying.
 */
export interface KeywordIndex {
  /** All index keys, longest first, as one global regex (no `i`: it runs on the lowercased text). */
  readonly keys: RegExp;
  /** Key text → its position in `contains` / `rules`. */
  readonly slot: ReadonlyMap<string, number>;
  /** Per key: the keys it contains (itself included), i.e. the keys present wherever it is. */
  readonly contains: readonly (readonly number[])[];
  /** Per key: positions in `prepared.rules` of the rules indexed by it. */
  readonly rules: readonly (readonly number[])[];
  /** Positions of rules without keywords: tried on every record. */
  readonly always: readonly number[];
  /** Per rule: its keywords other than its index key (which is known to occur once it is a candidate). */
  readonly rest: readonly (readonly string[])[];
  /** Per rule: its compiled regex, once tried (the same object `prepared.regex` returns). */
  readonly compiled: (RegExp | undefined)[];
  /** Scratch: per-key stamp of the last record it was seen in. */
  readonly seen: Uint32Array;
  stamp: number;
  /** Every rule keyword in one automaton, when all are lowercase ASCII (see {@link WordIndex}). */
  readonly words: WordIndex | undefined;
}

/**
 * Every rule keyword in one automaton: finds the keywords present in one pass over the message,
 * without lowercasing it (see matchRecord).
 */
export interface WordIndex {
  readonly automaton: KeywordAutomaton;
  /** Per keyword id: positions of the rules indexed by it. */
  readonly rules: readonly (readonly number[])[];
  /** Per rule: ids of its keywords other than its index key. */
  readonly rest: readonly Int32Array[];
  readonly seen: Uint32Array;
  /** Scratch: the ids marked for the current record. */
  readonly found: Int32Array;
}

function keywordIndex(rules: readonly CompiledRule[]): KeywordIndex {
  const share = new Map<string, number>();
  for (const r of rules) for (const k of new Set(r.keywords)) share.set(k, (share.get(k) ?? 0) + 1);
  const keyOf: (string | undefined)[] = rules.map((r) => {
    let best: string | undefined;
    for (const k of r.keywords) {
      if (best === undefined) best = k;
      else {
        const d = (share.get(k) ?? 0) - (share.get(best) ?? 0);
        if (d < 0 || (d === 0 && k.length > best.length)) best = k;
      }
    }
    return best;
  });
  const keys = [...new Set(keyOf.filter((k): k is string => k !== undefined))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const slot = new Map<string, number>();
  keys.forEach((k, i) => slot.set(k, i));
  const contains = keys.map((k) => keys.flatMap((o, j) => (k.includes(o) ? [j] : [])));
  const byKey: number[][] = keys.map(() => []);
  const always: number[] = [];
  keyOf.forEach((k, i) => {
    if (k === undefined) always.push(i);
    else byKey[slot.get(k)!]!.push(i);
  });
  // An empty keyword occurs everywhere: its rules are tried on every record.
  const empty = slot.get('');
  if (empty !== undefined) {
    always.push(...byKey[empty]!);
    always.sort((a, b) => a - b);
    byKey[empty] = [];
  }
  const rest = rules.map((r, i) => r.keywords.filter((k) => k !== keyOf[i]));
  const source = keys.filter((k) => k !== '').map(escapeRegExp).join('|');
  return {
    words: keywordAutomaton(rules, keyOf),
    keys: new RegExp(source === '' ? '$^' : source, 'g'),
    slot,
    contains,
    rules: byKey,
    always,
    rest,
    compiled: rules.map(() => undefined),
    seen: new Uint32Array(keys.length),
    stamp: 0,
  };
}

function keywordAutomaton(rules: readonly CompiledRule[], keyOf: readonly (string | undefined)[]): WordIndex | undefined {
  const words = [...new Set(rules.flatMap((r) => r.keywords))];
  // An empty keyword (its rules go to `always`) has no place in an automaton: keep the regex path.
  if (words.includes('')) return undefined;
  const automaton = buildKeywordAutomaton(words);
  if (automaton === undefined) return undefined;
  const id = new Map(words.map((w, i) => [w, i]));
  const byWord: number[][] = words.map(() => []);
  keyOf.forEach((k, i) => {
    if (k !== undefined) byWord[id.get(k)!]!.push(i);
  });
  return {
    automaton,
    rules: byWord,
    rest: rules.map((r, i) => Int32Array.from(new Set(r.keywords.filter((k) => k !== keyOf[i]).map((k) => id.get(k)!)))),
    seen: new Uint32Array(words.length),
    found: new Int32Array(words.length),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A rule's anchors: literals of which every record the rule matches contains at least one. The
 * built-in rules come with anchors chosen at build time (factors their patterns require, rarest in
 * real healthy logs, see scripts/render-rules.ts); a compiled custom rule carries its own (the
 * longest such factor); any other rule is anchored on its longest keyword.
 */
function anchorsOf(rule: CompiledRule, hints: ReadonlyMap<CompiledRule, readonly string[]> | undefined): readonly string[] {
  const hinted = hints?.get(rule);
  if (hinted !== undefined && hinted.length > 0) return hinted;
  if (rule.anchors !== undefined && rule.anchors.length > 0) return rule.anchors;
  let best = rule.keywords[0] ?? '';
  for (const k of rule.keywords) if (k.length > best.length) best = k;
  return [best];
}

/** Distinct anchors minus those containing another: the shorter one already finds them. */
function minimal(all: readonly string[]): string[] {
  const uniq = [...new Set(all)];
  return uniq.filter((a) => !uniq.some((b) => b !== a && a.includes(b))).sort();
}

/**
 * Prepares rules for matching; does no regex work until a record needs it.
 *
 * @param hints - Anchors per rule object (the built-in rules' generated RULE_ANCHORS); matched by
 *   identity, so a custom rule reusing a built-in id is anchored on its own keywords.
 * @param table - The errno decision table to apply to records no phrase rule explained.
 */
export function prepareRules(
  rules: readonly CompiledRule[],
  hints?: ReadonlyMap<CompiledRule, readonly string[]>,
  table?: CompiledErrnoTable,
): PreparedRules {
  const byId = new Map<string, CompiledRule>();
  for (const r of rules) byId.set(r.id, r);
  const cache = new Map<string, RegExp>();
  let test: ((raw: string) => boolean) | undefined;
  let search: AnchorSearch | undefined;
  let everything = false;
  let idx: KeywordIndex | undefined;
  function build(): void {
    if (test !== undefined || everything) return;
    const anchors = minimal(rules.flatMap((r) => anchorsOf(r, hints)));
    if (anchors.includes('')) {
      everything = true;
      return;
    }
    // ASCII anchors (every built-in one): the DFA. Otherwise one case-insensitive alternation.
    const dfa: AnchorAutomaton | undefined = buildAnchorAutomaton(anchors);
    if (dfa !== undefined) {
      test = dfa.test;
      search = dfa;
      return;
    }
    const source = anchors.length === 0 ? '$^' : anchors.map(escapeRegExp).join('|');
    const once = new RegExp(source, 'i');
    const scan = new RegExp(source, 'gi');
    test = (raw) => once.test(raw);
    search = {
      inText(s, from, end) {
        scan.lastIndex = from;
        const m = scan.exec(s);
        return m === null || scan.lastIndex > end ? -1 : scan.lastIndex - 1;
      },
    };
  }
  return {
    rules,
    byId,
    table,
    mayMatch(raw) {
      build();
      return everything || test!(raw);
    },
    scanner() {
      build();
      return everything ? undefined : search;
    },
    index() {
      return (idx ??= keywordIndex(rules));
    },
    regex(rule) {
      let re = cache.get(rule.id);
      if (re === undefined) {
        re = new RegExp(rule.source, rule.flags);
        cache.set(rule.id, re);
      }
      return re;
    },
  };
}

/** The value of capture group `name` (the last defined one, when several groups share the name). */
function groupValue(names: readonly string[], m: RegExpExecArray, name: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < names.length; i++) if (names[i] === name && m[i + 1] !== undefined) v = m[i + 1];
  return v;
}

function numericHolds(rule: CompiledRule, m: RegExpExecArray): boolean {
  if (rule.numeric === undefined) return true;
  for (const [name, cond] of Object.entries(rule.numeric)) {
    const value = Number(groupValue(rule.groups, m, name));
    if (!Number.isFinite(value)) return false;
    if (cond.gte !== undefined && value < cond.gte) return false;
    if (cond.lte !== undefined && value > cond.lte) return false;
  }
  return true;
}

function whereHolds(rule: CompiledRule, fields: Fields): boolean {
  const where = rule.where;
  if (where === undefined) return true;
  if (where.format !== undefined && !where.format.includes(fields.format)) return false;
  if (where.reason !== undefined && (fields.reason === undefined || !where.reason.includes(fields.reason))) return false;
  return true;
}

const NUMERIC_GROUP = new Set(['count', 'pid', 'num', 'number', 'percent', 'used', 'free', 'total', 'limit', 'value', 'mounts']);

/**
 * Runs every rule on one record's normalised message (already capped by the caller).
 * `lower` is `message.toLowerCase()` if the caller has it; it is computed only when needed.
 */
export function matchRecord(prepared: PreparedRules, message: string, lower: string | undefined, fields: Fields): RuleHit[] {
  const idx = prepared.index();
  let stamp = ++idx.stamp;
  if (stamp === 0xffffffff) {
    idx.seen.fill(0);
    idx.words?.seen.fill(0);
    stamp = idx.stamp = 1;
  }
  const words = idx.words;
  let hits: RuleHit[] | undefined;
  if (words !== undefined) {
    const n = words.automaton.mark(message, words.seen, stamp, words.found);
    if (n >= 0) hits = matchCandidates(prepared, idx, wordCandidates(idx, words, stamp, n), message, fields);
  }
  hits ??= matchCandidates(prepared, idx, keyCandidates(idx, lower ?? message.toLowerCase(), stamp), message, fields);
  // What no phrase rule explained gets the cause its errno, operation and path imply.
  if (prepared.table === undefined) return hits;
  return withOperation(prepared.table, applyTable(prepared.table, hits, message, fields), message);
}

/**
 * A disk-full hit naming a path gets the class of the failing operation (`opClass`: create, mkdir,
 * write…) when the errno table did not already give it: whether the call needed a new inode decides
 * what a mount with blocks free means (src/engine/mounts.ts).
 */
function withOperation(table: CompiledErrnoTable, hits: RuleHit[], message: string): RuleHit[] {
  let reading: ErrnoReading | undefined | null;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    if (h.rule.cause !== 'disk-full' || h.rule.effect !== 'supports' || typeof h.fields.path !== 'string' || 'opClass' in h.fields) continue;
    if (reading === undefined) reading = readErrno(message) ?? null;
    if (reading === null) return hits;
    const op = classesOf(table, reading).op;
    if (op !== 'none' && op !== 'other') hits[i] = { rule: h.rule, fields: { ...h.fields, opClass: op } as RuleHit['fields'] };
  }
  return hits;
}

/** Rules whose keywords all occur, from the automaton's marks; undefined when there are none. */
function wordCandidates(idx: KeywordIndex, words: WordIndex, stamp: number, found: number): number[] | undefined {
  let cand: number[] | undefined;
  const seen = words.seen;
  for (let f = 0; f < found; f++) {
    const rs = words.rules[words.found[f]!]!;
    for (let r = 0; r < rs.length; r++) {
      const ri = rs[r]!;
      const rest = words.rest[ri]!;
      let ok = true;
      for (let j = 0; j < rest.length; j++) {
        if (seen[rest[j]!] !== stamp) {
          ok = false;
          break;
        }
      }
      if (ok) (cand ??= []).push(ri);
    }
  }
  if (idx.always.length > 0) (cand ??= []).push(...idx.always);
  return cand;
}

/** The same from the index keys' regex over the lowercased message, then each rule's other keywords. */
function keyCandidates(idx: KeywordIndex, lower: string, stamp: number): number[] | undefined {
  const seen = idx.seen;
  let cand: number[] | undefined;
  const re = idx.keys;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(lower)) !== null) {
    // Longest key first, so any key starting here is contained in the one that matched.
    const k = idx.slot.get(m[0])!;
    re.lastIndex = m.index + 1;
    if (seen[k] === stamp) continue;
    for (const j of idx.contains[k]!) {
      if (seen[j] === stamp) continue;
      seen[j] = stamp;
      const rs = idx.rules[j]!;
      if (rs.length > 0) {
        cand ??= [];
        for (let r = 0; r < rs.length; r++) cand.push(rs[r]!);
      }
    }
  }
  if (idx.always.length > 0) (cand ??= []).push(...idx.always);
  if (cand === undefined) return undefined;
  let kept = 0;
  for (const ri of cand) {
    let ok = true;
    for (const k of idx.rest[ri]!) {
      if (!lower.includes(k)) {
        ok = false;
        break;
      }
    }
    if (ok) cand[kept++] = ri;
  }
  cand.length = kept;
  return cand;
}

/** Tries the candidate rules' regexes, in rule order. */
function matchCandidates(prepared: PreparedRules, idx: KeywordIndex, cand: number[] | undefined, message: string, fields: Fields): RuleHit[] {
  const hits: RuleHit[] = [];
  if (cand === undefined) return hits;
  if (cand.length > 1) cand.sort((a, b) => a - b);
  const rules = prepared.rules;
  for (const ri of cand) {
    const rule = rules[ri]!;
    if (!whereHolds(rule, fields)) continue;
    const re = (idx.compiled[ri] ??= prepared.regex(rule));
    const hit = tryRule(re, rule, message, fields);
    if (hit !== undefined) hits.push(hit);
  }
  return hits;
}

function tryRule(re: RegExp, rule: CompiledRule, message: string, fields: Fields): RuleHit | undefined {
  const names = rule.groups;
  if (names.length === 0 && rule.numeric === undefined) {
    // Nothing to capture: `test` spares building the match array, and the record's fields are
    // shared by its hits (read-only to everything downstream).
    if (!re.test(message)) return undefined;
    return { rule, fields };
  }
  const m = re.exec(message);
  if (m === null) return undefined;
  if (!numericHolds(rule, m)) return undefined;
  const merged: Fields = { ...fields };
  for (let i = 0; i < names.length; i++) {
    const v = m[i + 1];
    const name = names[i]!;
    // Envelope fields (format, host, ...) win over a pattern's groups of the same name; among
    // groups sharing a name, the last defined one wins.
    if (v === undefined || name === '' || name in fields) continue;
    const asNumber = NUMERIC_GROUP.has(name) ? Number(v) : Number.NaN;
    (merged as Record<string, string | number>)[name] = Number.isFinite(asNumber) ? asNumber : v;
  }
  return { rule, fields: merged };
}
