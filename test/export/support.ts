/**
 * Helpers for the exporter tests: a rule's own examples (read from its YAML file, not copied),
 * the line each target would see, and RE2 (re2-wasm, the C++ engine) with explicit freeing.
 */
import { readFileSync } from 'node:fs';
import { RE2 } from 're2-wasm';
import { parse } from 'yaml';

const SIGNALS = new URL('../../rules/signals/', import.meta.url);

/** One example of one rule, labelled by the list it came from. */
export interface Example {
  readonly rule: string;
  readonly label: 'match' | 'noMatch';
  readonly index: number;
  readonly text: string;
}

/** Every example of a rule, as written in `rules/signals/<id>.yaml`. */
export function examplesOf(id: string): Example[] {
  const def = parse(readFileSync(new URL(`${id}.yaml`, SIGNALS), 'utf8')) as { examples: { match: string[]; noMatch: string[] } };
  return [
    ...def.examples.match.map((text, index) => ({ rule: id, label: 'match' as const, index, text })),
    ...def.examples.noMatch.map((text, index) => ({ rule: id, label: 'noMatch' as const, index, text })),
  ];
}

/** The line a target sees for an example, or why the example cannot be one such line. */
export type Prepared = { readonly line: string } | { readonly skip: string };

function multiRecord(text: string, target: string): string | null {
  const lines = text.trim().split('\n').length;
  return lines > 1 ? `multi-record example (${lines} lines): ${target} matches one record at a time` : null;
}

/** `Jul 18 15:20:58 host ident[pid]: ` (short, short-precise) or the short-iso form of the same. */
const JOURNAL_PREFIX =
  /^(?:[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) \S+ [^\s:[]+(?:\[\d+\])?: /;
/** dmesg's `[  123.456789] ` timestamp, which /dev/kmsg records do not carry. */
const DMESG_PREFIX = /^\[ *\d+\.\d+\] /;

/**
 * What NPD matches for an example: the journal entry's MESSAGE (no syslog-style prefix; from
 * `journalctl -o json` the MESSAGE field) or the kmsg record's text (no dmesg timestamp),
 * whitespace-trimmed as NPD's watchers do.
 */
export function npdLine(text: string): Prepared {
  const multi = multiRecord(text, 'NPD (bufferSize 1)');
  if (multi !== null) return { skip: multi };
  let line = text.trim();
  if (line.startsWith('{')) {
    try {
      const doc = JSON.parse(line) as { MESSAGE?: unknown };
      if (typeof doc.MESSAGE === 'string') line = doc.MESSAGE;
    } catch {
      // Not JSON: a klog-json or logrus-json line is itself the MESSAGE.
    }
  }
  return { line: line.replace(JOURNAL_PREFIX, '').replace(DMESG_PREFIX, '').trim() };
}

/** What Loki's line filter sees: the whole line as the agent shipped it. */
export function lokiLine(text: string): Prepared {
  const multi = multiRecord(text, 'a Loki line filter');
  return multi !== null ? { skip: multi } : { line: text.trim() };
}

/**
 * Why a match example cannot match as one raw line although the rule matches it in enospc: a JSON
 * log object (klog-json, logrus-json, zap) whose message enospc assembles from several members
 * (`msg` + `err=…`), when the rule's own pattern does not match the raw line either. Null otherwise.
 */
export function assembledFromJson(line: string, pattern: RegExp): string | null {
  if (!line.startsWith('{') || pattern.test(line)) return null;
  try {
    const doc = JSON.parse(line) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  } catch {
    return null;
  }
  return 'JSON log object: enospc joins its msg and error members into one message; the raw line keeps them apart';
}

/**
 * Compiles `pattern` with RE2 (re2-wasm needs the `u` flag), runs `fn`, and frees the compiled
 * program: re2-wasm's heap is fixed at 16 MiB and its objects are not garbage-collected.
 */
export function withRe2<T>(pattern: string, fn: (re: RE2) => T): T {
  const re = new RE2(pattern, 'u');
  try {
    return fn(re);
  } finally {
    (re as unknown as { wrapper?: { delete?: () => void } }).wrapper?.delete?.();
  }
}

/**
 * Compiled RE2 programs kept for a group of tests and freed together: compiling once per pattern
 * keeps the suite fast (a case-insensitive pattern with bounded repeats takes re2-wasm ~0.3 s).
 */
export interface Re2Pool {
  get(pattern: string): RE2;
  free(): void;
}

/** A new, empty {@link Re2Pool}. */
export function re2Pool(): Re2Pool {
  const compiled = new Map<string, RE2>();
  return {
    get(pattern) {
      let re = compiled.get(pattern);
      if (re === undefined) {
        re = new RE2(pattern, 'u');
        compiled.set(pattern, re);
      }
      return re;
    },
    free() {
      for (const re of compiled.values()) (re as unknown as { wrapper?: { delete?: () => void } }).wrapper?.delete?.();
      compiled.clear();
    },
  };
}

/** NPD's match: `pattern + "\z"` searched in the buffer (the lines joined with "\n"). */
export function npdMatches(pool: Re2Pool, pattern: string, buffer: readonly string[]): boolean {
  return pool.get(`${pattern}\\z`).test(buffer.join('\n'));
}

/**
 * Constructs that C++ RE2 (re2-wasm) accepts or that re2-wasm rewrites, but that Go's regexp (NPD,
 * Loki) rejects or reads differently; an exported pattern must contain none.
 */
export function goDialectProblems(pattern: string): string[] {
  const problems: string[] = [];
  if (/\(\?<(?![=!])/.test(pattern)) problems.push('(?<name> needs Go 1.22; use (?: or (?P<');
  if (/\(\?<?[=!]/.test(pattern)) problems.push('lookaround');
  if (/(?<!\\)(?:\\\\)*\\[upPkCgGhHiIjJlLNoOXyY]/.test(pattern)) problems.push('escape Go does not know or reads differently');
  for (const m of pattern.matchAll(/(?<!\\)\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(m[1]) > 1000 || Number(m[2] ?? 0) > 1000) problems.push(`repeat ${m[0]} above 1000`);
  }
  return problems;
}

/** A duration Go's time.ParseDuration reads (NPD's `lookback`). */
export const GO_DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;

/** A Prometheus duration (rule `for`, LogQL ranges). */
export const PROM_DURATION = /^(?:0|(?:\d+(?:ms|s|m|h|d|w|y))+)$/;
