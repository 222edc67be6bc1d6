/**
 * journalctl output: the `short` family (`short`, `short-precise`, `short-iso(-precise)`,
 * `short-unix`, `short-monotonic`, `short-full`, `with-unit`, and bare `ident[pid]: msg`), `verbose`,
 * `export`, and the JSON modes (`json`, `json-pretty`, `json-seq`, `json-sse`; framed by frame.ts,
 * decoded here). The RFC 3164-like syslog file layout shares the `short` prefix and is told apart by
 * its space-padded day.
 */
import type { Fields } from '../schema.js';
import {
  componentName,
  digitsAt,
  isDigit,
  isoFromEpoch,
  newFields,
  own,
  setPid,
  setStr,
  syslogSeverity,
  toCount,
} from './common.js';

export interface ShortPrefix {
  fields: Fields;
  /** Index where the message starts (also the indentation of continuation lines). */
  start: number;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;
}

/**
 * Month token of `%b` in any locale (journalctl formats its time with the node's LC_TIME): `Nov`,
 * `Dez`, `janv.`, `déc.`, `дек`, `kvě`, `Eyl`, `9月` (zh, ja), `9월` (ko). Returns its end, or -1.
 */
function monthEnd(s: string, i: number): number {
  let k = i;
  const stop = Math.min(s.length, i + 8);
  while (k < stop && s[k] !== ' ') k++;
  const len = k - i;
  if (len < 2 || len > 6 || s[k] !== ' ') return -1;
  const first = s.charCodeAt(i);
  if (isLetter(first)) {
    for (let j = i; j < k; j++) {
      const c = s.charCodeAt(j);
      if (!isLetter(c) && !(c === 46 && j === k - 1)) return -1;
    }
    return k;
  }
  // CJK locales: "9月", "12月" (zh, ja), "9월" (ko)
  const d = digitsAt(s, i, 2);
  const unit = s.charCodeAt(i + d);
  return d > 0 && d === len - 1 && (unit === 0x6708 || unit === 0xc6d4) ? k : -1;
}

/** `hh:mm:ss` plus an optional fraction at `i`: its end, or -1. */
function clockEnd(s: string, i: number): number {
  if (digitsAt(s, i, 2) !== 2 || s[i + 2] !== ':' || digitsAt(s, i + 3, 2) !== 2 || s[i + 5] !== ':' || digitsAt(s, i + 6, 2) !== 2) {
    return -1;
  }
  let k = i + 8;
  if (s[k] === '.' || s[k] === ',') {
    const f = digitsAt(s, k + 1, 9);
    if (f === 0) return -1;
    k += 1 + f;
  }
  return k;
}

/** ISO date-time with offset at `i` (`2023-11-14T10:23:45.123456+00:00`): its end, or -1. */
export function isoEnd(s: string, i: number, sep = 'T'): number {
  if (digitsAt(s, i, 4) !== 4 || s[i + 4] !== '-' || digitsAt(s, i + 5, 2) !== 2 || s[i + 7] !== '-') return -1;
  if (digitsAt(s, i + 8, 2) !== 2 || s[i + 10] !== sep) return -1;
  let k = clockEnd(s, i + 11);
  if (k < 0 || s[i + 19] === ',') return -1;
  if (s[k] === 'Z') return k + 1;
  if (s[k] === '+' || s[k] === '-') {
    if (digitsAt(s, k + 1, 2) !== 2) return -1;
    k += 3;
    if (s[k] === ':') k++;
    if (digitsAt(s, k, 2) !== 2) return -1;
    return k + 2;
  }
  return -1;
}

type Stamp = { end: number; kind: 'month' | 'month-padded' | 'iso' | 'unix' | 'monotonic' | 'full' };

/** The time stamp of a `short`-family line. */
function stampAt(s: string): Stamp | undefined {
  const c = s.charCodeAt(0);
  if (c === 91) {
    // short-monotonic / short-delta: "[  512.004211]" or "[  512.004211 <    0.000313>]"
    let k = 1;
    while (s[k] === ' ' && k < 16) k++;
    const a = digitsAt(s, k, 12);
    if (a === 0 || s[k + a] !== '.' || digitsAt(s, k + a + 1, 9) !== 6) return undefined;
    k += a + 7;
    if (s[k] === ' ' && s[k + 1] === '<') {
      const close = s.indexOf('>]', k);
      if (close < 0 || close - k > 24) return undefined;
      k = close + 1;
    }
    return s[k] === ']' && s[k + 1] === ' ' ? { end: k + 1, kind: 'monotonic' } : undefined;
  }
  if (isDigit(c)) {
    const iso = isoEnd(s, 0);
    if (iso > 0) return { end: iso, kind: 'iso' };
    const d = digitsAt(s, 0, 11);
    if ((d === 9 || d === 10) && s[d] === '.' && digitsAt(s, d + 1, 7) === 6) return { end: d + 7, kind: 'unix' };
  }
  // short-full / with-unit: "Tue 2023-11-14 10:23:45 UTC"
  if (c >= 65 && c <= 90 && s[3] === ' ' && isDigit(s.charCodeAt(4)) && s[8] === '-') {
    const k = clockEnd(s, 15);
    if (s[14] === ' ' && k > 0 && s[k] === ' ' && /^[A-Z][a-z]{2} \d{4}-\d{2}-\d{2}$/.test(s.slice(0, 14))) {
      let z = k + 1;
      const stop = Math.min(s.length, z + 40);
      while (z < stop && s[z] !== ' ') z++;
      if (z > k + 1 && s[z] === ' ') return { end: z, kind: 'full' };
    }
    return undefined;
  }
  const m = monthEnd(s, 0);
  if (m < 0) return undefined;
  let k = m + 1;
  let padded = false;
  if (s[k] === ' ') {
    padded = true;
    k++;
  }
  const d = digitsAt(s, k, 2);
  if (d === 0 || (padded && d !== 1) || s[k + d] !== ' ') return undefined;
  const e = clockEnd(s, k + d + 1);
  if (e < 0) return undefined;
  return { end: e, kind: padded ? 'month-padded' : 'month' };
}

/** `ident[pid]:` or `ident:` at `i`: index after the colon, or -1. Sets component and pid. */
function identAt(s: string, i: number, f: Fields | undefined, needPid: boolean): number {
  let k = i;
  const stop = Math.min(s.length, i + 96);
  while (k < stop) {
    const c = s.charCodeAt(k);
    if (c === 32 || c === 58 || c === 91 || c === 93 || c === 9) break;
    k++;
  }
  if (k === i) return -1;
  const ident = s.slice(i, k);
  let pid: string | undefined;
  if (s[k] === '[') {
    const d = digitsAt(s, k + 1, 10);
    if (d === 0 || s[k + 1 + d] !== ']') return -1;
    pid = s.slice(k + 1, k + 1 + d);
    k += d + 2;
  } else if (needPid && ident !== 'kernel') return -1;
  if (s[k] !== ':' || (k + 1 < s.length && s[k + 1] !== ' ')) return -1;
  if (f !== undefined) {
    f.component = componentName(ident);
    if (pid !== undefined) setPid(f, pid);
  }
  return k + 1;
}

/**
 * Parses the `short`-family prefix `<time> <host> <ident>[<pid>]: `, or returns undefined. `s` is the
 * line from its first non-blank character. The space-padded day of classic syslog files gives
 * format `syslog`; everything else is `journal`.
 */
export function parseShort(s: string): ShortPrefix | undefined {
  const st = stampAt(s);
  if (st === undefined || s[st.end] !== ' ') return undefined;
  const f: Fields = newFields(st.kind === 'month-padded' ? 'syslog' : 'journal');
  let i = st.end + 1;
  // no host: "Nov 12 15:15:41 kernel: …" (never for short-monotonic, which dmesg lines resemble)
  const monotonic = st.kind === 'monotonic';
  let after = monotonic ? -1 : identAt(s, i, f, false);
  if (after < 0) {
    if (s[i] === ' ' && !monotonic) i++;
    else {
      let h = i;
      const stop = Math.min(s.length, i + 256);
      while (h < stop && s[h] !== ' ') h++;
      if (h === i || s[h] !== ' ' || s[h - 1] === ':') return undefined;
      f.host = s.slice(i, h);
      i = h + 1;
    }
    after = identAt(s, i, f, monotonic);
    if (after < 0) return undefined;
  }
  f.time = s.slice(0, st.end);
  return { fields: f, start: s[after] === ' ' ? after + 1 : after };
}

/** Bare `ident[pid]: msg` (a journal line whose time and host were cut off). */
export function parseBareIdent(s: string): ShortPrefix | undefined {
  const f: Fields = newFields('journal');
  const after = identAt(s, 0, f, true);
  if (after < 0 || f.pid === undefined) return undefined;
  return { fields: f, start: s[after] === ' ' ? after + 1 : after };
}

/** Skippable journalctl chatter: `-- Logs begin at …`, `-- Boot …`, `-- No entries --`, … */
export function isJournalNote(s: string, p: number): boolean {
  if (!s.startsWith('-- ', p)) return false;
  const rest = s.slice(p + 3, p + 20);
  return (
    rest.startsWith('Logs begin') ||
    rest.startsWith('Journal begins') ||
    rest.startsWith('Boot ') ||
    rest.startsWith('Reboot') ||
    rest.startsWith('No entries') ||
    rest.startsWith('cursor:') ||
    rest.startsWith('Subject:')
  );
}

// ---------------------------------------------------------------------------------------------
// Journal fields (verbose, export, JSON)

let utf8: TextDecoder | undefined;

/** Decodes a journal field value: a string, a byte array, null, or an array of those. */
function journalValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (!Array.isArray(v)) return undefined;
  if (v.length > 0 && v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
    utf8 ??= new TextDecoder('utf-8');
    return utf8.decode(Uint8Array.from(v as number[]));
  }
  const parts: string[] = [];
  for (const x of v) {
    const s = journalValue(x);
    if (s !== undefined && s.length > 0) parts.push(s);
  }
  return parts.join(' ');
}

/** Field getter over a decoded journal entry. */
export type JournalGet = (key: string) => string | undefined;

/** Fills the fields every journal mode shares; returns the MESSAGE (empty when null/absent). */
export function journalFields(get: JournalGet, f: Fields): string {
  const us = get('_SOURCE_REALTIME_TIMESTAMP') ?? get('__REALTIME_TIMESTAMP');
  if (f.time === undefined && us !== undefined && /^\d{1,20}$/.test(us)) setStr(f, 'time', isoFromEpoch(Number(us), 'us'));
  setStr(f, 'host', get('_HOSTNAME'));
  const ident = get('SYSLOG_IDENTIFIER') ?? get('_SYSTEMD_UNIT') ?? get('_COMM');
  if (ident !== undefined) setStr(f, 'component', componentName(ident));
  setStr(f, 'unit', get('_SYSTEMD_UNIT'));
  setPid(f, get('_PID') ?? get('SYSLOG_PID'));
  const pri = toCount(get('PRIORITY'));
  if (pri !== undefined && pri <= 7) f.severity = syslogSeverity(pri);
  setStr(f, 'transport', get('_TRANSPORT'));
  return get('MESSAGE') ?? '';
}

/** A journal JSON entry (`-o json` and friends): it has MESSAGE or the cursor/timestamp fields. */
export function isJournalJson(o: Record<string, unknown>): boolean {
  return own(o, 'MESSAGE') !== undefined || typeof own(o, '__CURSOR') === 'string' || typeof own(o, '__REALTIME_TIMESTAMP') === 'string';
}

/** Fields and MESSAGE of a journal JSON entry. */
export function journalJson(o: Record<string, unknown>, f: Fields): string {
  return journalFields((k) => journalValue(own(o, k)), f);
}

const KEY_LINE = /^([A-Z0-9_]{1,64})=/;

/** Verbose header `Tue 2023-11-14 10:23:45.123456 UTC [s=…;i=…]`: the printed time, or undefined. */
export function verboseHeader(s: string): string | undefined {
  if (s.length < 25 || s[3] !== ' ' || !isDigit(s.charCodeAt(4)) || s[8] !== '-') return undefined;
  const b = s.indexOf(' [s=', 20);
  if (b < 0 || b > 64 || !/^[A-Z][a-z]{2} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \S+$/.test(s.slice(0, b))) return undefined;
  return s.slice(0, b);
}

/** Accumulates one `verbose` or `export` entry: `KEY=value` lines. */
export class JournalEntry {
  readonly values = new Map<string, string>();
  private lastKey: string | undefined;
  /** A field name line without `=`: the export format's binary form follows. */
  private binaryKey: string | undefined;

  /** Adds a verbose/export field line (without indentation). Returns false when it is not one. */
  add(line: string): boolean {
    if (this.binaryKey !== undefined) {
      // 8-byte little-endian length, then the bytes; pasted text keeps them as characters
      const key = this.binaryKey;
      this.binaryKey = undefined;
      const prev = this.values.get(key);
      const value = line.length > 8 ? line.slice(8) : '';
      this.values.set(key, prev === undefined ? value : `${prev} ${value}`);
      this.lastKey = key;
      return true;
    }
    const m = KEY_LINE.exec(line.length > 80 ? line.slice(0, 80) : line);
    if (m !== null && m[1] !== undefined) {
      const key = m[1];
      const value = line.slice(m[0].length);
      const prev = this.values.get(key);
      this.values.set(key, prev === undefined ? value : `${prev} ${value}`);
      this.lastKey = key;
      return true;
    }
    if (/^[A-Z0-9_]{1,64}$/.test(line)) {
      this.binaryKey = line;
      return true;
    }
    return false;
  }

  /** Continuation of the last value (a multi-line verbose field). */
  append(text: string): void {
    if (this.lastKey === undefined) return;
    this.values.set(this.lastKey, `${this.values.get(this.lastKey) ?? ''}\n${text}`);
  }

  get(key: string): string | undefined {
    const v = this.values.get(key);
    if (v === undefined) return undefined;
    // verbose prints undecodable fields as "[12B blob data]"
    return /^\[\d+(?:\.\d+)?[KMG]?B? blob data\]$/.test(v) ? '' : v;
  }
}

/** Export format starts with the cursor or the realtime stamp. */
export function isExportStart(s: string): boolean {
  return s.startsWith('__CURSOR=') || s.startsWith('__REALTIME_TIMESTAMP=');
}
