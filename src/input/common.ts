/** Small helpers shared by the format modules. */
import type { Fields, Format } from '../schema.js';
import { normalise, stripCombined } from './normalise.js';
import type { LogRecord } from './record.js';

/** Header detection never looks further than this into a line. */
export const HEAD = 4096;

/** The first few KB of a line: what detection regexes may see. */
export function head(line: string): string {
  return line.length > HEAD ? line.slice(0, HEAD) : line;
}

/** A record's text before normalisation, with the fields its envelope gave. */
export interface Draft {
  text: string;
  fields: Fields;
  /** Event messages: drop the `(combined from similar events): ` prefix after normalising. */
  event?: boolean;
}

export function newFields(format: Format): Fields {
  return { format };
}

/** Sets a string field when the value is a non-empty string. Keys are always literals of ours. */
export function setStr(f: Fields, key: string, v: unknown): void {
  if (typeof v === 'string' && v.length > 0) f[key] = v;
}

/** Sets a string field only when it is not set yet. */
export function fillStr(f: Fields, key: string, v: unknown): void {
  if (f[key] === undefined) setStr(f, key, v);
}

/** Parses a non-negative integer from a number or a decimal string. */
export function toCount(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v)) return Number.parseInt(v, 10);
  return undefined;
}

export function setCount(f: Fields, v: unknown): void {
  const n = toCount(v);
  if (n !== undefined) f.count = n;
}

export function setPid(f: Fields, v: unknown): void {
  const n = toCount(v);
  if (n !== undefined && f.pid === undefined) f.pid = n;
}

/** Unit or identifier as a component name: `kubelet.service` → `kubelet`. */
export function componentName(v: string): string {
  return v.endsWith('.service') ? v.slice(0, -8) : v;
}

const SYSLOG_SEVERITY = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** Severity name for a syslog priority (0–7, or a full PRI where the low 3 bits are the level). */
export function syslogSeverity(pri: number): string {
  return SYSLOG_SEVERITY[pri & 7] ?? 'info';
}

/** Builds the record: normalises the text once, at the end. */
export function toRecord(line: number, raw: string, d: Draft): LogRecord {
  const m = normalise(d.text);
  return { line, raw, message: d.event === true ? stripCombined(m) : m, fields: d.fields };
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Count of consecutive ASCII digits at `i`. */
export function digitsAt(s: string, i: number, max = 20): number {
  let k = 0;
  while (k < max && isDigit(s.charCodeAt(i + k))) k++;
  return k;
}

/** Index of the first character that is not a space or tab. */
export function indentOf(s: string): number {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Index after a Go/JSON double-quoted string starting at `i` (which must be `"`), or -1 if it does not close. */
export function quotedEnd(s: string, i: number): number {
  const n = s.length;
  let k = i + 1;
  while (k < n) {
    const c = s.charCodeAt(k);
    if (c === 92) k += 2;
    else if (c === 34) return k + 1;
    else k++;
  }
  return -1;
}

/** Own property of a parsed object, never an inherited one. */
export function own(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  return Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** ISO time from a count of microseconds (journald) or milliseconds since the epoch. */
export function isoFromEpoch(v: number, unit: 'us' | 'ms' | 's'): string | undefined {
  if (!Number.isFinite(v) || v <= 0) return undefined;
  const ms = unit === 'us' ? v / 1000 : unit === 's' ? v * 1000 : v;
  if (ms > 8.64e15) return undefined;
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString();
  if (unit === 'us') {
    const micro = Math.round((ms - whole) * 1000);
    if (micro > 0 && micro < 1000) return `${iso.slice(0, -1)}${String(micro).padStart(3, '0')}Z`;
  }
  return iso;
}
