/**
 * Prefilter anchors that are necessary by construction: literal factors read off a rule pattern's
 * syntax tree (regex-syntax.ts) such that every string the pattern matches contains at least one
 * member of the set. The prefilter (engine/match.ts, engine/automaton.ts) skips a record whose raw
 * text contains no anchor of any rule, folding ASCII case only, so a factor here is lowercase
 * printable ASCII and leaves out the characters the normaliser may have produced from something
 * else in the raw text: `"` and `\` (quoting undone), `'` (typographic apostrophes), `<`, `>`,
 * `&` (Go's JSON encoder writes them as `\u003c`…). A class with few members contributes each
 * (`[- ]`), anything wider (`\d`, `.`, a long range) ends the factor. `\s` reads as one space:
 * patterns run on the normalised message, where every whitespace run is one space; the raw text
 * has that space too except where normalisation rewrote whitespace (a tab, a line break inside a
 * record, an escaped `\n`), the premise the keyword anchors rested on before. So a chosen set is
 * also checked against every `match` example of the rule, raw as a log has it.
 *
 * The analysis keeps, per node, its exact strings when they are few, the strings every match
 * starts and ends with, and the factor sets it requires; concatenation adds the factors across
 * each junction, alternation unions one chosen set per branch. Which set is "best" is the caller's
 * ranking: at build time the rarest on real healthy text, at compile time the longest.
 */
import type { Alternative, CharacterClass, Element, Pattern } from '@eslint-community/regexpp/ast';
import { parseRuleSource } from './regex-syntax.js';

/** A set of lowercase literals, sorted and distinct: a record contains at least one. */
export type FactorSet = readonly string[];

/** Lower is better, compared element by element. */
export type Rank = (set: FactorSet) => readonly number[];

/** The shortest factor worth anchoring on: shorter ones occur on most lines anyway. */
export const MIN_ANCHOR_LENGTH = 3;

/** Most strings one node's exact / prefix / suffix set holds before the analysis lets it go. */
const SET_LIMIT = 32;
/** Widest character class still read as its members. */
const CLASS_LIMIT = 10;

interface Info {
  /** Every string the node matches, when there are at most SET_LIMIT of them; else null. */
  readonly exact: FactorSet | null;
  /** Every match starts with one of these (`''` when nothing is known). */
  readonly pre: FactorSet;
  /** Every match ends with one of these. */
  readonly suf: FactorSet;
  /** Factor sets every match contains one member of (empty while `exact` says it all). */
  readonly req: readonly FactorSet[];
}

const NOTHING: FactorSet = [''];
const EMPTY: Info = { exact: NOTHING, pre: NOTHING, suf: NOTHING, req: [] };
/** A part the analysis reads nothing from (one unusable char, `\d+`, a backreference). */
const UNKNOWN: Info = { exact: null, pre: NOTHING, suf: NOTHING, req: [] };

function usable(c: string): boolean {
  const code = c.charCodeAt(0);
  return c.length === 1 && code >= 0x20 && code < 0x7f && !`"\\'<>&`.includes(c);
}

function set(xs: Iterable<string>): FactorSet {
  return [...new Set(xs)].sort();
}

function cross(a: FactorSet, b: FactorSet): FactorSet | null {
  if (a.length * b.length > SET_LIMIT) return null;
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return set(out);
}

function union(sets: readonly FactorSet[]): FactorSet | null {
  const out = set(sets.flat());
  return out.length > SET_LIMIT ? null : out;
}

/** The factor sets an info stands for. */
function required(i: Info): readonly FactorSet[] {
  return i.exact !== null ? [i.exact] : i.req;
}

function concat(a: Info, b: Info): Info {
  const exact = a.exact !== null && b.exact !== null ? cross(a.exact, b.exact) : null;
  if (exact !== null) return { exact, pre: exact, suf: exact, req: [] };
  const pre = a.exact !== null ? (cross(a.exact, b.pre) ?? a.pre) : a.pre;
  const grown = b.exact !== null ? cross(a.suf, b.exact) : null;
  const suf = grown ?? b.suf;
  const req = [...required(a), ...required(b)];
  // A suffix that grew is the junction itself, still growing: it is offered once it stops (at the
  // next junction, or as the whole pattern's suffix), not once per char.
  if (grown === null) {
    const junction = cross(a.suf, b.pre);
    if (junction !== null) req.push(junction);
    else req.push(a.suf, b.pre);
  }
  return { exact: null, pre, suf, req };
}

/** Drops members that contain another member (finding the shorter one finds the record). */
export function minimalSet(s: FactorSet): FactorSet {
  return s.filter((x) => !s.some((y) => y !== x && x.includes(y)));
}

function valid(s: FactorSet): boolean {
  return s.length > 0 && s.every((x) => x.length >= MIN_ANCHOR_LENGTH);
}

function better(rank: Rank, a: FactorSet, b: FactorSet): boolean {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const d = (ra[i] ?? 0) - (rb[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return a.join('\u0000') < b.join('\u0000');
}

function commonPrefix(s: FactorSet): string {
  let p = s[0]!;
  for (const x of s) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function commonSuffix(s: FactorSet): string {
  let p = s[0]!;
  for (const x of s) while (!x.endsWith(p)) p = p.slice(1);
  return p;
}

/**
 * The best word (space-separated part) of a factor, or the factor: any substring of a necessary
 * factor is necessary too, and one without spaces does not depend on how the raw text spaced it.
 */
function bestWord(rank: Rank, factor: string): string {
  let b = factor;
  for (const w of factor.split(' ')) if (w.length >= MIN_ANCHOR_LENGTH && w !== b && better(rank, [w], [b])) b = w;
  return b;
}

/**
 * Every anchor-worthy factor set an info offers, minimal and distinct: each as read (members
 * trimmed of edge spaces, which the raw text may have as a tab or a line break), and each with
 * every member replaced by its best word.
 */
function candidates(rank: Rank, i: Info): FactorSet[] {
  const seen = new Set<string>();
  const out: FactorSet[] = [];
  const offer = (s: FactorSet): void => {
    if (!valid(s)) return;
    const m = minimalSet(set(s));
    const key = m.join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(m);
  };
  for (const s of [...required(i), i.pre, i.suf]) {
    // What every member starts or ends with is necessary too (`: no space…`, `err=no space…`
    // share `no space left on device`, the part a raw line spells the same way).
    if (s.length > 1) {
      offer([commonPrefix(s).trim()]);
      offer([commonSuffix(s).trim()]);
    }
    const trimmed = s.map((x) => x.trim());
    if (!valid(trimmed)) continue;
    offer(trimmed);
    offer(trimmed.map((x) => bestWord(rank, x)));
  }
  return out;
}

function best(rank: Rank, sets: readonly FactorSet[]): FactorSet | undefined {
  let b: FactorSet | undefined;
  for (const s of sets) if (b === undefined || better(rank, s, b)) b = s;
  return b;
}

function alternation(rank: Rank, branches: readonly Info[]): Info {
  if (branches.length === 1) return branches[0]!;
  const exacts = branches.map((b) => b.exact);
  const exact = exacts.every((e) => e !== null) ? union(exacts as FactorSet[]) : null;
  if (exact !== null) return { exact, pre: exact, suf: exact, req: [] };
  const pre = union(branches.map((b) => b.pre)) ?? NOTHING;
  const suf = union(branches.map((b) => b.suf)) ?? NOTHING;
  const picks = branches.map((b) => best(rank, candidates(rank, b)));
  const req: FactorSet[] = [];
  if (picks.every((p) => p !== undefined)) {
    const u = union(picks as FactorSet[]);
    if (u !== null) req.push(u);
  }
  return { exact: null, pre, suf, req };
}

function classInfo(c: CharacterClass): Info {
  if (c.negate) return UNKNOWN;
  const chars: string[] = [];
  for (const e of c.elements) {
    if (e.type === 'Character') chars.push(String.fromCodePoint(e.value));
    else if (e.type === 'CharacterClassRange') {
      if (e.max.value - e.min.value >= CLASS_LIMIT) return UNKNOWN;
      for (let v = e.min.value; v <= e.max.value; v++) chars.push(String.fromCodePoint(v));
    } else if (e.type === 'CharacterSet' && e.kind === 'space' && !e.negate) chars.push(' ');
    else return UNKNOWN;
  }
  const lower = set(chars.map((ch) => ch.toLowerCase()));
  if (lower.length === 0 || lower.length > CLASS_LIMIT || !lower.every(usable)) return UNKNOWN;
  return { exact: lower, pre: lower, suf: lower, req: [] };
}

function sequence(rank: Rank, parts: readonly Info[]): Info {
  let acc = EMPTY;
  for (const p of parts) acc = concat(acc, p);
  return acc;
}

function alternativeInfo(rank: Rank, a: Alternative): Info {
  return sequence(rank, a.elements.map((e) => elementInfo(rank, e)));
}

function elementInfo(rank: Rank, e: Element): Info {
  switch (e.type) {
    case 'Character': {
      const c = String.fromCodePoint(e.value).toLowerCase();
      return usable(c) ? { exact: [c], pre: [c], suf: [c], req: [] } : UNKNOWN;
    }
    case 'CharacterClass':
      return classInfo(e);
    case 'CharacterSet':
      return e.kind === 'space' && !e.negate ? { exact: [' '], pre: [' '], suf: [' '], req: [] } : UNKNOWN;
    case 'Group':
    case 'CapturingGroup':
      return alternation(rank, e.alternatives.map((a) => alternativeInfo(rank, a)));
    case 'Assertion':
      // Zero-width: a match is the concatenation of what is around it. A lookaround's own text
      // is not part of the match, so nothing is read from it.
      return EMPTY;
    case 'Quantifier': {
      if (e.max === 0) return EMPTY;
      const child = elementInfo(rank, e.element);
      if (e.min === 0) {
        if (e.max === 1 && child.exact !== null) {
          const exact = union([child.exact, NOTHING]);
          if (exact !== null) return { exact, pre: exact, suf: exact, req: [] };
        }
        return UNKNOWN;
      }
      // Each copy's claims hold for whichever copy is first, last or in between, so a range is
      // read as "the first `min` copies, then anything, then one more copy".
      const parts = e.min <= 3 ? Array.from({ length: e.min }, () => child) : [child, UNKNOWN, child];
      if (e.max > e.min) parts.push(UNKNOWN, child);
      return sequence(rank, parts);
    }
    default:
      // CharacterSet (\d, \s, \w, .), Backreference, anything newer: nothing to read.
      return UNKNOWN;
  }
}

function patternInfo(rank: Rank, p: Pattern): Info {
  return alternation(rank, p.alternatives.map((a) => alternativeInfo(rank, a)));
}

/**
 * Every factor set of at least MIN_ANCHOR_LENGTH chars the pattern requires (one per junction,
 * prefix, suffix; alternations contribute the best-ranked union), minimal and distinct; the
 * caller picks among them.
 *
 * @param source - A compiled rule source (matched with the `i` flag).
 * @param rank - How to choose between the branches of an alternation.
 */
export function necessaryFactorSets(source: string, rank: Rank): FactorSet[] {
  return candidates(rank, patternInfo(rank, parseRuleSource(source)));
}

/** Spaces in the member with most: each is a place where the raw text may have had other whitespace. */
export function maxSpaces(s: FactorSet): number {
  return Math.max(...s.map((x) => x.split(' ').length - 1));
}

/**
 * The choice without a corpus (custom rules at compile time): the longest (by the shortest
 * member), then fewer spaces, then fewer members.
 */
export const byLength: Rank = (s) => [-Math.min(...s.map((x) => x.length)), maxSpaces(s), s.length];

/**
 * The anchors for a rule: the best-ranked necessary factor set whose members every one of
 * `examples` (the rule's matching examples, raw as a log has them) contains one of; undefined
 * when the pattern requires no factor of MIN_ANCHOR_LENGTH chars or more.
 */
export function chooseAnchors(source: string, rank: Rank = byLength, examples: readonly string[] = []): FactorSet | undefined {
  const lower = examples.map((x) => x.toLowerCase());
  const sound = necessaryFactorSets(source, rank).filter((s) => lower.every((x) => s.some((a) => x.includes(a))));
  return best(rank, sound);
}
