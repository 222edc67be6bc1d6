/**
 * What the exporters share: which rules a line-at-a-time matcher can carry, and the translation of
 * a compiled rule's ECMAScript pattern source into the Go/RE2 syntax that
 * node-problem-detector and Loki compile, adapted from "the normalised message" to "the raw line".
 */
import type { CauseInfo, CompiledRule } from '../engine/types.js';
import { CAUSES, RULES } from '../generated/rules.js';

/**
 * Why a rule could not be translated; the exporters turn it into a skipped-rule entry.
 *
 * @param message - The reason.
 * @example
 * ```ts
 * try { toRe2('a(?=b)'); } catch (e) { if (e instanceof Re2TranslationError) console.log(e.message); }
 * ```
 */
export class Re2TranslationError extends Error {
  override readonly name = 'Re2TranslationError';
}

/** RE2 (Go and C++) refuse counted repetitions above this. */
const MAX_REPEAT = 1000;
/**
 * RE2 compiles a counted repeat by copying its atom, so `.{0,1000}` costs a thousand instructions;
 * alternations of such gaps exhaust re2-wasm's 16 MiB heap and bloat Go programs. Bounds above this
 * are widened to open-ended repeats, which RE2 still runs in linear time.
 */
const WIDEN_ABOVE = 100;

const ANCHOR_NOTE = '^/$ anchor the raw line, not the message inside its envelope';

/** A double quote that survives any number of Go `%q` / JSON quoting levels: `"`, `\"`, `\\\"`, … */
const QUOTE = '\\\\*"';
/** The backslashes before a quote on /dev/kmsg, which prints each of them as `\x5c`. */
const KMSG_BACKSLASHES = '(?:\\\\|\\\\x5c)*';
const KMSG_QUOTE = `${KMSG_BACKSLASHES}"`;
/** What `\s` also matches on /dev/kmsg: the escapes of tab, newline, vertical tab, form feed and carriage return. */
const KMSG_SPACE = '\\\\x0[9a-d]';
/** `\b`, or the `\xNN` of a control or non-ASCII byte (not a word character in Go's ASCII `\b`) just before. */
const KMSG_BOUNDARY = '(?:\\b|\\\\x[0-9a-f]{2})';

/** JS escapes that mean something; any other escaped letter or digit is an identity escape in JS. */
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S']);
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { t: '\\t', n: '\\n', r: '\\r', f: '\\f', v: '\\v' };
const CONTROL_CODES: Readonly<Record<string, number>> = { t: 9, n: 10, r: 13, f: 12, v: 11 };

/**
 * Whether /dev/kmsg prints a byte as `\xNN`: the kernel's printk escapes every byte below a space,
 * from DEL up (so each byte of a non-ASCII UTF-8 character) and the backslash itself, with `%02x`
 * (kernel/printk/printk.c, the extended-record text writer behind devkmsg_read), and NPD's kmsg
 * watcher (go-kmsg-parser as vendored in NPD v0.8.21) passes the text on without unescaping it.
 */
function kmsgEscapes(code: number): boolean {
  return code < 0x20 || code >= 0x7f || code === 0x5c;
}

/** The `\xNN` text /dev/kmsg prints for a character, as a Go regexp (lower-case hex, as printk writes it). */
function kmsgEscaped(code: number): string {
  return [...new TextEncoder().encode(String.fromCodePoint(code))].map((b) => `\\\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/** A literal atom that also accepts its /dev/kmsg escape, grouped so that a quantifier takes both. */
function kmsgLiteral(text: string, code: number): string {
  return `(?:${text}|${kmsgEscaped(code)})`;
}

function hex(code: number): string {
  return `\\x{${code.toString(16).toUpperCase()}}`;
}

/** A literal character written so that Go reads it as itself, inside or outside a class. */
function literal(ch: string, inClass: boolean): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return hex(code);
  if (/[A-Za-z\d]/.test(ch)) return ch;
  if (inClass) return /[\]\\^\-[]/.test(ch) ? `\\${ch}` : ch;
  return /[\\.+*?()|[\]{}^$]/.test(ch) ? `\\${ch}` : ch;
}

interface Escape {
  /** Go text for the escape. */
  readonly text: string;
  /** Source characters consumed after the backslash. */
  readonly length: number;
  /** The escape stands for a literal double quote. */
  readonly quote: boolean;
  /** The code point when the escape stands for one literal character. */
  readonly code?: number;
}

/** Reads the escape starting after the backslash at `source[i]`. */
function readEscape(source: string, i: number, inClass: boolean): Escape {
  const c = source[i];
  if (c === undefined) throw new Re2TranslationError('pattern ends with a lone backslash');
  if (CLASS_ESCAPES.has(c)) return { text: `\\${c}`, length: 1, quote: false };
  if (c === 'b' || c === 'B') {
    // In a class, JS \b is a backspace; outside it is a word boundary (ASCII in both engines).
    return { text: inClass ? (c === 'b' ? hex(8) : 'B') : `\\${c}`, length: 1, quote: false };
  }
  const control = CONTROL_ESCAPES[c];
  if (control !== undefined) return { text: control, length: 1, quote: false, code: CONTROL_CODES[c] ?? 0 };
  if (c === '0' && !/\d/.test(source[i + 1] ?? '')) return { text: hex(0), length: 1, quote: false, code: 0 };
  if (/[1-9]/.test(c)) {
    if (inClass) throw new Re2TranslationError(`octal escape \\${c} in a class`);
    throw new Re2TranslationError(`backreference \\${c} has no RE2 equivalent`);
  }
  if (c === 'x' && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
    const code = parseInt(source.slice(i + 1, i + 3), 16);
    return { text: code === 0x22 ? '"' : hex(code), length: 3, quote: code === 0x22, code };
  }
  if (c === 'u' && /^[0-9A-Fa-f]{4}$/.test(source.slice(i + 1, i + 5))) {
    const code = parseInt(source.slice(i + 1, i + 5), 16);
    return { text: code === 0x22 ? '"' : hex(code), length: 5, quote: code === 0x22, code };
  }
  if (c === 'c' && /^[A-Za-z]$/.test(source[i + 1] ?? '')) {
    const code = (source.codePointAt(i + 1) ?? 0) % 32;
    return { text: hex(code), length: 2, quote: false, code };
  }
  if (c === 'k' && !inClass && source[i + 1] === '<') throw new Re2TranslationError('named backreference has no RE2 equivalent');
  // Identity escape: JS reads `\a`, `\z`, `\/`, `\"` as the character itself; Go gives some
  // letters other meanings (\a bell, \z end of text, \pN classes), so write the plain literal.
  const ch = String.fromCodePoint(source.codePointAt(i) ?? 0);
  return { text: literal(ch, inClass), length: ch.length, quote: ch === '"', code: ch.codePointAt(0) ?? 0 };
}

/** The tolerant quote, grouped when a quantifier at `next` follows so that it applies to all of it. */
function quoteAt(source: string, next: number, quote: string): string {
  return /^[*+?{]/.test(source[next] ?? '') ? `(?:${quote})` : quote;
}

/** Reads a `{n}`, `{n,}` or `{n,m}` quantifier at `source[i]`, or null when `{` is a literal (JS without the u flag). */
function readBraces(source: string, i: number): { min: number; max: number | null; length: number } | null {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (m === null) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
  return { min, max, length: m[0].length };
}

/** How to translate a pattern. */
export interface Re2Options {
  /**
   * The pattern reads /dev/kmsg text, where the kernel prints control bytes, the bytes of non-ASCII
   * characters and the backslash as `\xNN`: every literal such character also accepts that escape.
   */
  readonly kmsg?: boolean | undefined;
}

/** The result of translating one pattern. */
export interface Re2Pattern {
  /** Go/RE2 syntax, without flags and without any anchoring added by a target. */
  readonly body: string;
  /** Changes that widen what the pattern accepts, for readers of the export (e.g. a widened repeat). */
  readonly notes: readonly string[];
}

/**
 * Translates an ECMAScript pattern source (from a compiled rule) into Go/RE2 syntax for raw log lines.
 *
 * - Literal double quotes match any quoting level (`\\*"`), because the raw line still carries the
 *   `\"` / `\\\"` that enospc's normaliser peels before its own matching; for the same reason a
 *   `=` may be followed by a quote (`err=…` in the message is `err="…"` in a klog or logrus line).
 * - Groups become non-capturing (the targets only test for a match).
 * - JS-only escapes (`\uXXXX`, `\cX`, identity escapes of letters) are rewritten; counted repeats
 *   above 100 are widened to open-ended ones: RE2 copies a counted repeat's atom, so large bounds
 *   bloat the program, while an open-ended repeat stays linear in RE2.
 * - `^` and `$` stay: they anchor the raw line rather than the message inside its envelope, which
 *   can only make the export miss a line, never match one the rule would not.
 *
 * @param source - A compiled rule's `source`.
 * @returns The RE2 body and notes on any widening.
 * @throws {Re2TranslationError} when the pattern has no faithful RE2 equivalent on raw lines.
 * @example
 * ```ts
 * toRe2('dir "(/[^"]+)"').body // 'dir \\\\*"(?:/[^"]+)\\\\*"'
 * ```
 */
export function toRe2(source: string, options: Re2Options = {}): Re2Pattern {
  const kmsg = options.kmsg === true;
  const quote = kmsg ? KMSG_QUOTE : QUOTE;
  const out: string[] = [];
  const notes: string[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\\') {
      const e = readEscape(source, i + 1, false);
      i += 1 + e.length;
      if (e.quote) out.push(quoteAt(source, i, quote));
      else if (kmsg && e.code !== undefined && kmsgEscapes(e.code)) out.push(kmsgLiteral(e.text, e.code));
      else if (kmsg && e.text === '\\s') out.push(`(?:\\s|${KMSG_SPACE})`);
      // An escape ends in a hex digit, a word character, where the original byte was not one: a
      // word boundary right after it is there in the message but not in the printed text.
      else if (kmsg && e.text === '\\b') out.push(KMSG_BOUNDARY);
      else out.push(e.text);
      continue;
    }
    if (c === '[') {
      const cls = readClass(source, i);
      const text = cls.quote ? `(?:${kmsg ? KMSG_BACKSLASHES : '\\\\*'}${cls.text})` : cls.text;
      out.push(kmsg && cls.kmsg.length > 0 ? `(?:${text}|${cls.kmsg.join('|')})` : text);
      i += cls.length;
      continue;
    }
    if (c === '(') {
      if (source[i + 1] !== '?') {
        out.push('(?:');
        i += 1;
        continue;
      }
      const kind = source[i + 2];
      if (kind === ':') {
        out.push('(?:');
        i += 3;
        continue;
      }
      if (kind === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
        const end = source.indexOf('>', i);
        if (end === -1) throw new Re2TranslationError('unterminated group name');
        out.push('(?:');
        i = end + 1;
        continue;
      }
      throw new Re2TranslationError(`group "(?${kind ?? ''}" (lookaround or modifier) has no faithful RE2 equivalent`);
    }
    if (c === '{') {
      const q = readBraces(source, i);
      if (q === null) {
        out.push('\\{');
        i += 1;
        continue;
      }
      let text = source.slice(i, i + q.length);
      if (q.min > MAX_REPEAT) throw new Re2TranslationError(`repeat ${text} exceeds RE2's limit of ${MAX_REPEAT}`);
      if (q.max !== null && q.max > WIDEN_ABOVE) {
        const widened = `{${q.min},}`;
        notes.push(`repeat ${text} widened to ${widened} (RE2 copies counted repeats; open-ended stays linear)`);
        text = widened;
      }
      out.push(text);
      i += q.length;
      continue;
    }
    if (c === '^' || c === '$') {
      // Kept: on a raw line they hold at the line's ends, so an anchored rule can only miss lines
      // whose envelope (klog header, logrus fields) surrounds the message, never match more.
      if (!notes.includes(ANCHOR_NOTE)) notes.push(ANCHOR_NOTE);
      out.push(c);
      i += 1;
      continue;
    }
    if (c === '"') {
      i += 1;
      out.push(quoteAt(source, i, quote));
      continue;
    }
    if (c === '=' && !/^[*+?{]/.test(source[i + 1] ?? '')) {
      // `key=value` in the normalised message is `key="value"` (klog, logrus) on the raw line.
      out.push(`=(?:${quote})?`);
      i += 1;
      continue;
    }
    if (c === '}') {
      out.push('\\}');
      i += 1;
      continue;
    }
    // Operators and literals that Go reads as JS does: | ) . * + ? and plain characters.
    const ch = String.fromCodePoint(source.codePointAt(i) ?? 0);
    const code = ch.codePointAt(0) ?? 0;
    if (/[|).*+?]/.test(ch)) out.push(ch);
    else out.push(kmsg && kmsgEscapes(code) ? kmsgLiteral(literal(ch, false), code) : literal(ch, false));
    i += ch.length;
  }
  const body = out.join('');
  if (body === '') throw new Re2TranslationError('empty pattern');
  return { body, notes };
}

/** Reads a character class at `source[i]` (which is `[`) and writes it in Go syntax. */
function readClass(source: string, start: number): { text: string; length: number; quote: boolean; kmsg: string[] } {
  let i = start + 1;
  let negated = false;
  if (source[i] === '^') {
    negated = true;
    i++;
  }
  const parts: string[] = [];
  /** Code points of the members, a range as [from, to], for the /dev/kmsg escapes of a positive class. */
  const members: [number, number][] = [];
  let hasQuote = false;
  let closed = false;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === ']') {
      closed = true;
      i++;
      break;
    }
    if (c === '\\') {
      const e = readEscape(source, i + 1, true);
      if (e.quote) {
        hasQuote = true;
        parts.push('"');
      } else parts.push(e.text);
      if (e.code !== undefined) addMember(members, parts, e.code);
      else if (e.text === '\\s') members.push([9, 13]);
      i += 1 + e.length;
      continue;
    }
    const ch = String.fromCodePoint(source.codePointAt(i) ?? 0);
    if (ch === '"') hasQuote = true;
    // A `-` between two members is a range in both dialects; anywhere else it is literal.
    if (ch === '-' && parts.length > 0 && source[i + 1] !== ']') parts.push('-');
    else {
      parts.push(literal(ch, true));
      addMember(members, parts, ch.codePointAt(0) ?? 0);
    }
    i += ch.length;
  }
  if (!closed) throw new Re2TranslationError('unterminated character class');
  if (parts.length === 0) {
    // JS `[]` matches nothing and `[^]` matches anything; Go has no empty class.
    return { text: negated ? '(?s:.)' : '[^\\x00-\\x{10FFFF}]', length: i - start, quote: false, kmsg: [] };
  }
  return { text: `[${negated ? '^' : ''}${parts.join('')}]`, length: i - start, quote: hasQuote && !negated, kmsg: negated ? [] : kmsgAlternatives(members) };
}

/** Records a class member's code point, closing a range when the part before it was a `-`. */
function addMember(members: [number, number][], parts: readonly string[], code: number): void {
  const last = members[members.length - 1];
  if (parts[parts.length - 2] === '-' && last !== undefined && last[0] === last[1]) last[1] = code;
  else members.push([code, code]);
}

/**
 * The /dev/kmsg escapes a positive class must also accept: one alternative per escaped member, and
 * for a range wider than a few characters any `\xNN` sequence of a UTF-8 character's length.
 */
function kmsgAlternatives(members: readonly [number, number][]): string[] {
  const out: string[] = [];
  for (const [from, to] of members) {
    if (to - from > 8) {
      if (to >= 0x7f || from < 0x20 || (from <= 0x5c && to >= 0x5c)) out.push('(?:\\\\x[0-9a-f]{2}){1,4}');
      continue;
    }
    for (let code = from; code <= to; code++) if (kmsgEscapes(code)) out.push(kmsgEscaped(code));
  }
  return [...new Set(out)];
}

/** A rule left out of an export, and why: the export's own account of what it cannot express. */
export interface SkippedRule {
  readonly id: string;
  readonly cause: CompiledRule['cause'];
  readonly reason: string;
}

/** A rule that made it into an export, with its pattern in RE2 syntax (no flags, no anchoring). */
export interface ExportedRule {
  readonly id: string;
  readonly cause: CompiledRule['cause'];
  readonly strength: CompiledRule['strength'];
  readonly re2: string;
  readonly notes: readonly string[];
}

/** Options every exporter accepts. */
export interface RuleSetOptions {
  /** Extra rules (e.g. from `compileRules`), exported with the built-in ones. */
  readonly rules?: readonly CompiledRule[] | undefined;
  /** Include the built-in rules. Default true; false exports only `rules`. */
  readonly builtins?: boolean | undefined;
}

/** The rule set to export: built-ins plus extras, ordered by cause then id so output is stable. */
export function ruleSet(options: RuleSetOptions): CompiledRule[] {
  const all = [...(options.builtins === false ? [] : RULES), ...(options.rules ?? [])];
  const seen = new Set<string>();
  for (const r of all) {
    if (seen.has(r.id)) throw new Error(`rule "${r.id}": defined twice (an extra rule cannot replace a built-in one)`);
    seen.add(r.id);
  }
  return all.sort((a, b) => (a.cause === b.cause ? (a.id < b.id ? -1 : 1) : a.cause < b.cause ? -1 : 1));
}

/**
 * Why a rule cannot be exported to a line-at-a-time matcher, or null when it can. Such a matcher
 * sees one line, knows nothing of the rest of the input, and turns every match into an alert.
 */
export function lineLevelObstacle(rule: CompiledRule): string | null {
  if (rule.effect === 'opposes') return 'opposes its cause: evidence against a cause cannot raise an alert or condition';
  if (rule.status === 'deprecated') return 'deprecated';
  if (rule.fallback === true) return 'fallback: counts only when no specific rule explained the record, which needs the whole input';
  if (rule.requires !== undefined) return `requires ${rule.requires.join(', ')} elsewhere in the same input: cross-record reasoning`;
  if (rule.numeric !== undefined) {
    return `numeric condition on ${Object.keys(rule.numeric).join(', ')}: the captured value must be compared, which a line filter cannot do`;
  }
  if (rule.strength === 'weak') return 'weak: not enough alone to name the cause; enospc only uses it together with other evidence';
  return null;
}

/** Translates a rule that passed the target's checks, or returns why it could not be translated. */
export function translate(rule: CompiledRule, options: Re2Options = {}): ExportedRule | SkippedRule {
  try {
    const { body, notes } = toRe2(rule.source, options);
    return { id: rule.id, cause: rule.cause, strength: rule.strength, re2: body, notes };
  } catch (e) {
    if (e instanceof Re2TranslationError) return { id: rule.id, cause: rule.cause, reason: `pattern: ${e.message}` };
    throw e;
  }
}

/** The cause's display and remediation data, when the built-in set has it. */
export function causeInfo(id: CompiledRule['cause']): CauseInfo | undefined {
  return CAUSES.find((c) => c.id === id);
}

const ACRONYMS: Readonly<Record<string, string>> = { pid: 'PID', ipc: 'IPC', shm: 'SHM', enospc: 'ENOSPC' };

/** `inotify-watch-exhaustion` → `InotifyWatchExhaustion`, `pid-exhaustion` → `PIDExhaustion`. */
export function pascalCause(id: string): string {
  return id
    .split('-')
    .map((w) => ACRONYMS[w] ?? `${w.charAt(0).toUpperCase()}${w.slice(1)}`)
    .join('');
}

/** Default location of a cause's runbook: the `docs/causes/<id>.md` page shipped in the package. */
export const DEFAULT_RUNBOOK_URL = 'https://unpkg.com/enospc/docs/causes/{cause}.md';

/** The runbook URL of a cause from a `{cause}` template. */
export function runbookUrl(template: string, cause: string): string {
  return template.split('{cause}').join(cause);
}
