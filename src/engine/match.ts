import type { Fields } from '../schema.js';
import type { CompiledRule } from './types.js';

/** A rule that fired on one record, with the record's fields merged with the rule's named groups. */
export interface RuleHit {
  readonly rule: CompiledRule;
  readonly fields: Fields;
}

/** A rule set prepared for matching: regexes compiled on first use, keyword index for the prefilter. */
export interface PreparedRules {
  readonly rules: readonly CompiledRule[];
  readonly byId: ReadonlyMap<string, CompiledRule>;
  /** Test on raw text: could any rule match a record containing it? */
  readonly mayMatch: (raw: string) => boolean;
  /**
   * The same test as a global regex for scanning whole chunks (src/input/scan.ts), or undefined
   * when every line is a candidate (a rule without keywords).
   */
  scanner(): RegExp | undefined;
  /** Compiled RegExp per rule, built lazily. */
  regex(rule: CompiledRule): RegExp;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A rule's anchors: literals of which every record the rule matches contains at least one. The
 * built-in rules come with anchors chosen at build time (the keyword rarest in healthy logs, see
 * scripts/render-rules.ts); any other rule is anchored on its longest keyword.
 */
function anchorsOf(rule: CompiledRule, hints: ReadonlyMap<CompiledRule, readonly string[]> | undefined): readonly string[] {
  const hinted = hints?.get(rule);
  if (hinted !== undefined && hinted.length > 0) return hinted;
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
 */
export function prepareRules(rules: readonly CompiledRule[], hints?: ReadonlyMap<CompiledRule, readonly string[]>): PreparedRules {
  const byId = new Map<string, CompiledRule>();
  for (const r of rules) byId.set(r.id, r);
  const cache = new Map<string, RegExp>();
  let test: RegExp | undefined;
  let scan: RegExp | undefined;
  let everything = false;
  function build(): void {
    if (test !== undefined || everything) return;
    const anchors = minimal(rules.flatMap((r) => anchorsOf(r, hints)));
    if (anchors.includes('')) {
      everything = true;
      return;
    }
    const source = anchors.length === 0 ? '$^' : anchors.map(escapeRegExp).join('|');
    test = new RegExp(source, 'i');
    scan = new RegExp(source, 'gi');
  }
  return {
    rules,
    byId,
    mayMatch(raw) {
      build();
      return everything || (test as RegExp).test(raw);
    },
    scanner() {
      build();
      return everything ? undefined : scan;
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

function numericHolds(rule: CompiledRule, groups: Record<string, string>): boolean {
  if (rule.numeric === undefined) return true;
  for (const [name, cond] of Object.entries(rule.numeric)) {
    const value = Number(groups[name]);
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

const NUMERIC_GROUP = /^(?:count|pid|num|number|percent|used|free|total|limit|value|mounts)$/;

/**
 * Runs every rule on one record's normalised message (already capped by the caller).
 * `lower` is `message.toLowerCase()`, computed once per record.
 */
export function matchRecord(prepared: PreparedRules, message: string, lower: string, fields: Fields): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of prepared.rules) {
    let ok = true;
    for (const k of rule.keywords) {
      if (!lower.includes(k)) {
        ok = false;
        break;
      }
    }
    if (!ok || !whereHolds(rule, fields)) continue;
    const m = prepared.regex(rule).exec(message);
    if (m === null) continue;
    const groups: Record<string, string> = Object.create(null) as Record<string, string>;
    rule.groups.forEach((name, i) => {
      const v = m[i + 1];
      if (v !== undefined && name !== '') groups[name] = v;
    });
    if (!numericHolds(rule, groups)) continue;
    const merged: Fields = { ...fields };
    for (const [k, v] of Object.entries(groups)) {
      // Envelope fields (format, host, ...) win over a pattern's groups of the same name.
      if (k in merged) continue;
      const asNumber = NUMERIC_GROUP.test(k) ? Number(v) : Number.NaN;
      (merged as Record<string, string | number>)[k] = Number.isFinite(asNumber) ? asNumber : v;
    }
    hits.push({ rule, fields: merged });
  }
  return hits;
}
