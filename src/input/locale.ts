/**
 * Localized text: glibc's strerror messages and the coreutils / util-linux wrappers around them, as
 * the tools print them on a node whose LANG is not English (`mkdir: 无法创建目录 "/x": 设备上没有空间`),
 * mapped back to the English text the rules are written for (`mkdir: cannot create directory "/x":
 * No space left on device`). The translations are data (rules/locales/*.yaml, taken from the
 * projects' translation catalogs, compiled into src/generated/locales.ts); this module turns each
 * `msgstr` into a search pattern and its `msgid` into the replacement.
 */
import { LOCALE_ENGLISH, LOCALE_PACKED } from '../generated/locales.js';
import { buildAnchorAutomaton, type AnchorAutomaton } from '../engine/automaton.js';
// Circular with normalise.ts (which calls translateLocalized): only used inside functions.
import { cleanText } from './normalise.js';

/** One translated message: `msgstr` (printf format, as in the catalog) is what `msgid` prints as in `locale`. */
export interface LocaleMessage {
  readonly locale: string;
  readonly domain: string;
  readonly msgid: string;
  readonly msgstr: string;
}

/** One message to look for: its key (and context), and its pattern once a line has the key. */
export interface Entry {
  readonly message: LocaleMessage;
  readonly key: string;
  /** A literal the line must also contain (a df header's localized `Mounted on`), or undefined. */
  readonly context: string | undefined;
  /** Compiled on first use; null when the message cannot be searched safely. */
  compiled?: Translation | null;
}

let entries: Entry[] | undefined;

/**
 * The messages to look for, as src/generated/locales.ts lists them (already chosen and ordered by
 * {@link prepareEntries} at build time): one line each, `<locale>\t<English index>\t<msgstr>\t<key offset,length>\t<m>`.
 */
function entryList(): Entry[] {
  if (entries !== undefined) return entries;
  const out: Entry[] = [];
  const mounted = new Map<string, string>();
  const rows: string[][] = LOCALE_PACKED.split('\n').map((l) => l.split('\t'));
  for (const f of rows) {
    if (f.length < 5) continue;
    const english = LOCALE_ENGLISH[Number(f[1])] ?? '';
    const t = english.indexOf('\t');
    const [at, len] = f[3]!.split(',').map(Number) as [number, number];
    const key = f[2]!.slice(at, at + len);
    if (english.slice(t + 1) === 'Mounted on') mounted.set(f[0]!, key);
    out.push({ message: { locale: f[0]!, domain: english.slice(0, t), msgid: english.slice(t + 1), msgstr: f[2]! }, key, context: f[4] === 'm' ? f[0] : undefined });
  }
  // `context` held the locale until every `Mounted on` key was known (none: a context no line has).
  for (const e of out) if (e.context !== undefined) (e as { context: string | undefined }).context = mounted.get(e.context) ?? '\u0000';
  return (entries = out);
}

/**
 * Chooses and orders the messages to look for (run at build time by scripts/render-locales.ts):
 * one per distinct text after normalisation, df's column titles only with their locale's
 * `Mounted on` as context, longest first (`系统中打开的文件过多`, ENFILE, before `打开的文件过多`, EMFILE,
 * inside it); messages without a key are left out.
 */
export function prepareEntries(messages: readonly LocaleMessage[]): { message: LocaleMessage; key: string; context: string | undefined }[] {
  const out: { message: LocaleMessage; key: string; context: string | undefined; length: number }[] = [];
  const seen = new Set<string>();
  for (const m of messages) {
    let context: string | undefined;
    if (DF_TITLES.has(m.msgid)) {
      const mounted = messages.find((o) => o.locale === m.locale && o.msgid === 'Mounted on');
      context = mounted === undefined ? undefined : messageKey(mounted.msgstr);
      if (context === undefined || context === '') continue;
    }
    // The same text in two catalogs (or two locales, or with another apostrophe) is translated once, by the first entry.
    const text = `${cleanText(m.msgstr)}\u0000${context ?? ''}`;
    if (seen.has(text)) continue;
    seen.add(text);
    const key = messageKey(m.msgstr);
    if (key !== '') out.push({ message: m, key, context, length: utf8Length(m.msgstr) });
  }
  // A stable sort: equal lengths keep the catalog order.
  out.sort((a, b) => b.length - a.length);
  return out.map(({ message, key, context }) => ({ message, key, context }));
}

type Part = { readonly lit: string } | { readonly arg: number };

// A printf conversion as gettext formats use them (`%s`, `%2$s`, `%m`, `%.0s`, `%lu`); `%%` is a literal.
const CONVERSION = /%(?:(\d{1,2})\$)?[-+ #0']{0,4}\d{0,3}(?:\.\d{0,3})?(?:hh|ll|[hljztL])?([sdiuxXcmp%])/g;

/** A format string as literal parts and conversions; `%m` (the errno text, no argument) is argument 0. */
export function formatParts(fmt: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  let next = 1;
  let lit = '';
  CONVERSION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CONVERSION.exec(fmt)) !== null) {
    lit += fmt.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[2] === '%') {
      lit += '%';
      continue;
    }
    if (lit !== '') parts.push({ lit });
    lit = '';
    parts.push({ arg: m[2] === 'm' ? 0 : m[1] !== undefined ? Number(m[1]) : next++ });
  }
  lit += fmt.slice(last);
  if (lit !== '') parts.push({ lit });
  return parts;
}

/** Whether normalisation (cleanText) may change the char: spaces other than ' ', quotes, full-width forms, controls. */
function changedByCleaning(c: number): boolean {
  if (c < 0x20 || c === 0x7f || c === 0x22 || c === 0x27 || c === 0x60 || c === 0x23) return true;
  if (c < 0x80) return false;
  return (
    c <= 0xa0 ||
    c === 0xab ||
    c === 0xbb ||
    (c >= 0x2000 && c <= 0x206f) ||
    (c >= 0x3000 && c <= 0x3003) ||
    (c >= 0x300c && c <= 0x300f) ||
    (c >= 0xff01 && c <= 0xff5e) ||
    c === 0xfeff ||
    c === 0x1680
  );
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Anchors longer than this many UTF-8 bytes are cut (at a char boundary): a shorter piece is still sound. */
const KEY_BYTES = 12;

/**
 * The literal every line printing `msgstr` contains verbatim, before and after normalisation: the
 * longest piece (in UTF-8 bytes) of its literal parts without a char normalisation may change,
 * cut to {@link KEY_BYTES}. Empty when the message has no such piece.
 */
export function messageKey(msgstr: string): string {
  let best = '';
  let bestLen = 0;
  for (const p of formatParts(msgstr)) {
    if (!('lit' in p)) continue;
    let run = '';
    const flush = (): void => {
      const t = run.trim();
      const n = utf8Length(t);
      if (n > bestLen) {
        best = t;
        bestLen = n;
      }
      run = '';
    };
    for (const ch of p.lit) {
      if (changedByCleaning(ch.codePointAt(0)!)) flush();
      else run += ch;
    }
    flush();
  }
  if (bestLen <= KEY_BYTES) return best;
  let cut = '';
  for (const ch of best) {
    if (utf8Length(cut + ch) > KEY_BYTES) break;
    cut += ch;
  }
  return cut.trim();
}

/** df's column titles: read only on a line that also has the localized `Mounted on` (a df header). */
const DF_TITLES = new Set(['Filesystem', 'Size', 'Used', 'Avail', 'Use%', 'Inodes', 'IUsed', 'IFree', 'IUse%', 'Mounted on']);

interface Translation {
  readonly key: string;
  /** A literal the original line must also contain (the header's localized `Mounted on`), or undefined. */
  readonly context: string | undefined;
  readonly re: RegExp;
  /** The msgid's parts with the captured conversions (group numbers) and the ones left in place dropped. */
  readonly out: readonly ({ readonly lit: string } | { readonly group: number })[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// A conversion at either end of a reordered message: one quoted (`'x'`, `"x"`, old coreutils `` `x' ``) or space-free token.
const TOKEN = `('[^']{0,400}'|"[^"]{0,400}"|\`[^']{0,400}'|[^\\s'"\`]{1,400})`;
// A conversion between two literals.
const MIDDLE = '(.{1,400}?)';

/**
 * Compiles one message: `clean` is the normalisation the text will have had (so full-width
 * punctuation in the catalog reads as it will in the line). Undefined when the message cannot be
 * found safely (no literal text, or no key).
 */
export function compileMessage(m: LocaleMessage, clean: (s: string) => string, context?: string): Translation | undefined {
  const key = messageKey(m.msgstr);
  if (key === '') return undefined;
  const src = formatParts(clean(m.msgstr));
  const dst = formatParts(m.msgid);
  const same = (a: Part | undefined, b: Part | undefined): boolean => a !== undefined && b !== undefined && 'arg' in a && 'arg' in b && a.arg === b.arg;
  // A conversion at the same end of both texts stays where it is, outside the match.
  if (same(src[0], dst[0])) {
    src.shift();
    dst.shift();
  }
  if (same(src[src.length - 1], dst[dst.length - 1])) {
    src.pop();
    dst.pop();
  }
  if (!src.some((p) => 'lit' in p)) return undefined;
  const group = new Map<number, number>();
  let source = '';
  const droppedEnd = src.length > 0 && 'lit' in src[src.length - 1]! && m.msgstr.length > 0 && formatParts(m.msgstr).slice(-1).some((p) => 'arg' in p);
  src.forEach((p, i) => {
    // Next to an argument, a space may be missing in pasted CJK text (`无法创建目录（"/x"）`); before
    // an argument left in place, only when a quote or bracket opens it (so `chyba při zápisu:`
    // stays `write error:`, not `error writing :`).
    if ('lit' in p) {
      let lit = escapeRegExp(p.lit);
      // A text with an ASCII letter at an edge is not read inside a longer word (`Disp` in `Display`).
      if (i === 0 && /^[A-Za-z]/.test(p.lit)) lit = `(?<![A-Za-z])${lit}`;
      if (i === src.length - 1 && /[A-Za-z]$/.test(p.lit)) lit = `${lit}(?![A-Za-z])`;
      if (i > 0) lit = lit.replace(/^ /, ' ?');
      if (i < src.length - 1) lit = lit.replace(/ $/, ' ?');
      else if (droppedEnd) lit = lit.replace(/ $/, '(?: |(?=["\'(`]))');
      source += lit;
    }
    else {
      group.set(p.arg, group.size + 1);
      // A leading token starts a word (after a space, `:`, `(`, `,` or the line start): so the search
      // tries one start per word, not one per char of a long run (linear time).
      source += i === 0 ? `(?<![^\\s:(,;])${TOKEN}` : i === src.length - 1 ? TOKEN : MIDDLE;
    }
  });
  const out = dst.map((p) => ('lit' in p ? p : { group: group.get(p.arg) ?? 0 }));
  return { key, context, re: new RegExp(source, 'g'), out };
}

let prefilter: AnchorAutomaton | undefined | null;

/**
 * Replaces every localized strerror text and tool wrapper in an already cleaned line by its English
 * original. Returns `s` itself when there is none (the common case: one automaton pass).
 */
export function translateLocalized(s: string): string {
  const list = entryList();
  if (prefilter === undefined) prefilter = buildAnchorAutomaton([...new Set(list.map((e) => e.key))]) ?? null;
  if (prefilter !== null && !prefilter.test(s)) return s;
  let out = s;
  for (const e of list) {
    if (!out.includes(e.key) || (e.context !== undefined && !s.includes(e.context))) continue;
    if (e.compiled === undefined) e.compiled = compileMessage(e.message, cleanText, e.context) ?? null;
    const tr = e.compiled;
    if (tr === null) continue;
    tr.re.lastIndex = 0;
    out = out.replace(tr.re, (...args: unknown[]) => {
      let r = '';
      for (const p of tr.out) r += 'lit' in p ? p.lit : p.group > 0 ? ((args[p.group] as string | undefined) ?? '') : '';
      return r;
    });
  }
  // An English text may bring its own space next to one the line already has (`line 1: ` + ` echo`).
  return out === s ? s : out.replace(/ {2,}/g, ' ').trim();
}

/**
 * What the prefilter must let through for the localized texts to be read: each message's key (its
 * `Mounted on` key for df's column titles), ASCII lowercased (the prefilter folds ASCII case only).
 */
export function localizedKeys(): readonly string[] {
  return [...new Set(entryList().map((e) => (e.context ?? e.key).replace(/[A-Z]/g, (c) => c.toLowerCase())))].sort();
}
