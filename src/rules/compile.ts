import { createRequire } from 'node:module';
import XRegExp from 'xregexp';
import { CauseSchema, RuleSchema, type CauseDefinition, type RuleDefinition } from '../schema.js';
import { matchRecord, prepareRules } from '../engine/match.js';
import type { CauseInfo, CompiledRule } from '../engine/types.js';
import { frameText } from '../input/frame.js';
import { RuleError } from './error.js';
import { checkSubset } from './subset.js';
import { analyseRedos, confirmLinearInV8, type AttackPattern } from './redos.js';
import { chooseAnchors } from './anchors.js';

/** The most rule definitions one compileRules call takes (the built-in set has ~120). */
export const MAX_RULES = 10_000;

/** Longest record text the compiler accepts in an example; matches the classifier's default cap. */
const EXAMPLE_LIMIT = 16_384;

function describeZodPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(rule)' : path.map(String).join('.');
}

interface ZodIssueLike {
  readonly code?: string;
  readonly path?: readonly PropertyKey[];
  readonly message?: string;
  readonly keys?: readonly string[];
}

/**
 * The field path and reason for a zod issue. A misspelt field (`patern:`) is reported at the
 * misspelt key itself, not at the object that holds it, so the message points at the line to fix.
 */
function describeIssue(issue: ZodIssueLike | undefined): { field: string; reason: string } {
  const path = issue?.path ?? [];
  if (issue?.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0) {
    return { field: describeZodPath([...path, issue.keys[0]!]), reason: `unknown field${issue.keys.length > 1 ? ` (also: ${issue.keys.slice(1).join(', ')})` : ''}` };
  }
  return { field: describeZodPath(path), reason: issue?.message ?? 'invalid' };
}

/**
 * Compiles one xregexp free-spacing pattern into an ECMAScript/RE2 source with its group names.
 * Rejects (with {@link RuleError}) a pattern outside RE2 ∩ ECMAScript, one that matches the empty
 * string, and one the structural ReDoS analyser finds super-linear.
 *
 * @param id - The rule id, for error messages.
 * @param pattern - The pattern in xregexp free-spacing syntax.
 * @returns The RE2-compatible source, its flags and its capture group names in order.
 * @throws {RuleError} naming the rule and `pattern`.
 * @example
 * ```ts
 * compilePattern('my-rule', '(?<path> /\\S{1,100} ) : \\s no \\s space').groups; // ['path']
 * ```
 */
export function compilePattern(id: string, pattern: string): { source: string; flags: string; groups: string[] } {
  let re: RegExp;
  try {
    re = XRegExp(pattern, 'xi');
  } catch (e) {
    throw new RuleError(id, 'pattern', e instanceof Error ? e.message : String(e));
  }
  const meta = (re as RegExp & { xregexp?: { captureNames?: (string | null)[] | null } }).xregexp;
  const groups = (meta?.captureNames ?? []).map((n) => n ?? '');
  // xregexp separates tokens with empty groups `(?:)`; they are noise for RE2 exports and readers.
  // Keep one only where a quantifier follows it, since removing it would re-target the quantifier.
  const source = re.source.replace(/\(\?:\)(?![*+?{])/g, '');
  try {
    new RegExp(source, 'i');
  } catch (e) {
    throw new RuleError(id, 'pattern', e instanceof Error ? e.message : String(e));
  }
  const problem = checkSubset(source);
  if (problem !== null) throw new RuleError(id, 'pattern', problem);
  if (new RegExp(source, 'i').test('')) throw new RuleError(id, 'pattern', 'matches the empty string');
  // Classifying must never hang: a super-linear pattern is refused when it is loaded, not found
  // out on a long line in production.
  const redos = analyseRedos(source, 'i');
  if (redos !== null) throw new RuleError(id, 'pattern', `may take super-linear time (ReDoS): ${redos.reason}`);
  return { source, flags: 'i', groups };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

function ruleIdOf(def: unknown, index: number): string {
  if (typeof def === 'object' && def !== null && 'id' in def && typeof (def as { id: unknown }).id === 'string') {
    const id = (def as { id: string }).id;
    if (id.length > 0 && id.length < 200) return id;
  }
  return `#${index}`;
}

/** Options for {@link compileRules}. */
export interface CompileOptions {
  /** Rules already loaded (e.g. the built-ins) that `requires` may refer to and ids must not clash with. */
  readonly existing?: readonly CompiledRule[];
  /** Check that every example matches (or does not match) its own rule. Default true. */
  readonly checkExamples?: boolean;
  /**
   * ReDoS checking. `'structural'` (the default, always on) is a fast analysis of the pattern's
   * shape. `'recheck'` also asks the `recheck` package (not a dependency of enospc: install it
   * yourself) and refuses a pattern it finds vulnerable, unless timing the attack string recheck
   * reports shows linear growth in this engine (recheck over-reports bounded gaps like `.{0,N}?`).
   * When recheck cannot be loaded, `'recheck'` behaves as `'structural'`.
   */
  readonly redos?: 'structural' | 'recheck';
}

type RecheckSync = (source: string, flags: string, params?: object) => {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type: string; degree?: number };
  attack?: AttackPattern;
};

let recheckSync: RecheckSync | null | undefined;

/** Loads recheck lazily and only when asked: it is an optional peer, never imported on the default path. */
function loadRecheck(): RecheckSync | null {
  if (recheckSync !== undefined) return recheckSync;
  try {
    const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
    recheckSync = (req('recheck') as { checkSync: RecheckSync }).checkSync;
  } catch {
    recheckSync = null;
  }
  return recheckSync;
}

function deepCheck(id: string, source: string, flags: string): void {
  const checkSync = loadRecheck();
  if (checkSync === null) return;
  // One regex at a time (checkSync blocks): concurrent recheck runs give unknowns.
  const d = checkSync(source, flags, { timeout: 10_000 });
  if (d.status !== 'vulnerable') return;
  const what = d.complexity?.type === 'polynomial' ? `polynomial (degree ${d.complexity.degree ?? '?'})` : (d.complexity?.type ?? 'super-linear');
  if (d.complexity?.type === 'polynomial' && d.attack !== undefined && confirmLinearInV8(new RegExp(source, flags), d.attack).linear) return;
  throw new RuleError(id, 'pattern', `may take super-linear time (ReDoS): recheck finds it ${what}`);
}

/**
 * Validates rule definitions and compiles them into rules the classifier can run.
 *
 * @param defs - Rule definitions, e.g. parsed from YAML files with the shape of `rules/signals/*.yaml`.
 * @param options - Rules already loaded, and whether to check examples.
 * @returns The compiled rules, in the order given.
 * @throws {RuleError} naming the rule id and the field, on the first problem found.
 * @example
 * ```ts
 * import { compileRules } from 'enospc/rules';
 * const rules = compileRules([myRule]);
 * classify(text, { rules });
 * ```
 */
export function compileRules(defs: readonly unknown[], options: CompileOptions = {}): CompiledRule[] {
  if (!Array.isArray(defs)) throw new RuleError('#0', '(rules)', 'expected an array of rule definitions');
  if (defs.length > MAX_RULES) throw new RuleError('#0', '(rules)', `${defs.length} rule definitions; compileRules takes at most ${MAX_RULES}`);
  const existing = options.existing ?? [];
  const ids = new Set(existing.map((r) => r.id));
  const out: CompiledRule[] = [];
  defs.forEach((def, index) => {
    const id = ruleIdOf(def, index);
    const parsed = RuleSchema.safeParse(def);
    if (!parsed.success) {
      const { field, reason } = describeIssue(parsed.error.issues[0] as ZodIssueLike | undefined);
      throw new RuleError(id, field, reason);
    }
    const rule = parsed.data;
    if (ids.has(rule.id)) throw new RuleError(rule.id, 'id', 'duplicate rule id');
    ids.add(rule.id);
    for (const k of rule.keywords) {
      if (/["\\]/.test(k)) throw new RuleError(rule.id, 'keywords', `"${k}" must not contain quotes or backslashes (raw text may escape them)`);
    }
    const { source, flags, groups } = compilePattern(rule.id, rule.pattern);
    if (options.redos === 'recheck') deepCheck(rule.id, source, flags);
    for (const name of Object.keys(rule.numeric ?? {})) {
      if (!groups.includes(name)) throw new RuleError(rule.id, `numeric.${name}`, 'no capture group of that name in pattern');
    }
    const compiled: CompiledRule = {
      id: rule.id,
      cause: rule.cause,
      effect: rule.effect,
      strength: rule.strength,
      status: rule.status,
      keywords: rule.keywords,
      source,
      flags,
      groups,
      ...(rule.numeric !== undefined ? { numeric: rule.numeric } : {}),
      ...(rule.where !== undefined ? { where: rule.where } : {}),
      ...(rule.requires !== undefined ? { requires: rule.requires } : {}),
      ...(rule.fallback === true ? { fallback: true } : {}),
      ...anchorsField(source, rule.examples.match),
    };
    if (options.checkExamples !== false) checkExamples(compiled, rule.examples);
    // Frozen, deeply: a compiled rule is data that cannot change after the classifier prepared it
    // (classify then recognises the same rules by identity, cheaply).
    out.push(deepFreeze(compiled));
  });
  const all = new Set([...existing.map((r) => r.id), ...out.map((r) => r.id)]);
  for (const r of out) {
    r.requires?.forEach((req, i) => {
      if (!all.has(req)) throw new RuleError(r.id, `requires.${i}`, `unknown rule "${req}"`);
    });
  }
  return out;
}

/**
 * The prefilter anchors of a compiled rule: the longest literal factor set its pattern requires
 * that each `match` example contains (no corpus to rank on at compile time); none when the
 * pattern requires no factor of 3 chars, and the prefilter then uses the longest keyword.
 */
function anchorsField(source: string, examples: readonly string[]): { anchors?: readonly string[] } {
  const anchors = chooseAnchors(source, undefined, examples);
  return anchors === undefined ? {} : { anchors };
}

/** True when any record framed from `text` is matched by `rule` alone. */
export function ruleMatchesText(rule: CompiledRule, text: string): boolean {
  const prepared = prepareRules([rule]);
  for (const rec of frameText(text)) {
    const message = rec.message.length > EXAMPLE_LIMIT ? rec.message.slice(0, EXAMPLE_LIMIT) : rec.message;
    if (matchRecord(prepared, message, message.toLowerCase(), rec.fields).length > 0) return true;
  }
  return false;
}

function checkExamples(rule: CompiledRule, examples: { match: string[]; noMatch: string[] }): void {
  examples.match.forEach((ex, i) => {
    if (!ruleMatchesText(rule, ex)) throw new RuleError(rule.id, `examples.match.${i}`, 'not matched by the rule');
  });
  examples.noMatch.forEach((ex, i) => {
    if (ruleMatchesText(rule, ex)) throw new RuleError(rule.id, `examples.noMatch.${i}`, 'matched by the rule');
  });
}

/**
 * Validates cause definitions (the shape of `rules/causes/*.yaml`).
 *
 * @param defs - Parsed cause files.
 * @returns The causes with defaults applied.
 * @throws {RuleError} naming the cause id and the field.
 * @example
 * ```ts
 * const [cause] = compileCauses([parseRuleYaml(text, 'causes/disk-full.yaml')]);
 * ```
 */
export function compileCauses(defs: readonly unknown[]): CauseInfo[] {
  return defs.map((def, index) => {
    const id = ruleIdOf(def, index);
    const parsed = CauseSchema.safeParse(def);
    if (!parsed.success) {
      const { field, reason } = describeIssue(parsed.error.issues[0] as ZodIssueLike | undefined);
      throw new RuleError(id, field, reason);
    }
    return parsed.data;
  });
}

export type { RuleDefinition, CauseDefinition };
