/**
 * Kernel ring buffer: `dmesg` (`[ 3812.123242] …`, with `[  T11]` caller ids), `dmesg -T`
 * (`[Tue Nov 14 10:23:45 2023] …`, any locale), `dmesg --time-format iso`, `dmesg -x`
 * (`kern  :err   : [ … ] …`), `dmesg -r` (`<3>[ … ] …`) and raw `/dev/kmsg` (`3,1234,3812123242,-;…`).
 */
import type { Fields } from '../schema.js';
import { digitsAt, newFields, setPid, syslogSeverity } from './common.js';
import type { Draft } from './common.js';

/** `[ 3812.123242]` at `i`: index after `]`, or -1. */
function monotonicAt(s: string, i: number): number {
  if (s[i] !== '[') return -1;
  let k = i + 1;
  while (s[k] === ' ' && k - i < 16) k++;
  const a = digitsAt(s, k, 12);
  if (a === 0 || s[k + a] !== '.') return -1;
  const b = digitsAt(s, k + a + 1, 9);
  if (b === 0 || s[k + a + 1 + b] !== ']') return -1;
  return k + a + 1 + b + 1;
}

/** `[  T11]` / `[ C1]` printk caller id after the time stamp. */
function callerAt(s: string, i: number): number {
  if (s[i] !== '[') return i;
  let k = i + 1;
  while (s[k] === ' ' && k - i < 12) k++;
  if (s[k] !== 'T' && s[k] !== 'C') return i;
  const d = digitsAt(s, k + 1, 10);
  return d > 0 && s[k + 1 + d] === ']' ? k + 2 + d : i;
}

/** `[Tue Nov 14 10:23:45 2023]` (`-T`, any locale): index after `]`, or -1. */
function ctimeAt(s: string, i: number): number {
  if (s[i] !== '[') return -1;
  const close = s.indexOf(']', i + 1);
  if (close < 0 || close - i > 48 || close - i < 16) return -1;
  const inner = s.slice(i + 1, close);
  return /\d{1,2}:\d{2}:\d{2} \d{4}$/.test(inner) && /^\S/.test(inner) ? close + 1 : -1;
}

/** `ident[pid]: ` at the start of a kernel message (userspace writing to /dev/kmsg). */
const KMSG_IDENT = /^([\w.@()-]{1,64})\[(\d{1,10})\]: /;

function draft(s: string, at: number, time: string | undefined, severity: string | undefined): Draft {
  const f: Fields = newFields('dmesg');
  if (time !== undefined) f.time = time;
  if (severity !== undefined) f.severity = severity;
  let body = s.slice(at);
  const m = KMSG_IDENT.exec(body.length > 96 ? body.slice(0, 96) : body);
  if (m !== null && m[1] !== undefined) {
    f.component = m[1];
    setPid(f, m[2]);
    body = body.slice(m[0].length);
  } else f.component = 'kernel';
  return { text: body, fields: f };
}

function skipSpace(s: string, i: number): number {
  return s[i] === ' ' ? i + 1 : i;
}

const FACILITIES = /^([a-z]{2,8})\s*:([a-z]{3,7})\s*: /;

/** Parses a dmesg line, or returns undefined. `s` is the line from its first non-blank character. */
export function parseDmesg(s: string): Draft | undefined {
  const c = s[0];
  if (c === '[') {
    const m = monotonicAt(s, 0);
    if (m > 0) return draft(s, skipSpace(s, callerAt(s, m)), s.slice(1, m - 1).trim(), undefined);
    const t = ctimeAt(s, 0);
    if (t > 0) return draft(s, skipSpace(s, t), s.slice(1, t - 1), undefined);
    return undefined;
  }
  if (c === '<') {
    const close = s.indexOf('>');
    if (close < 2 || close > 4 || digitsAt(s, 1, 3) !== close - 1) return undefined;
    const m = monotonicAt(s, close + 1);
    if (m < 0) return undefined;
    return draft(s, skipSpace(s, callerAt(s, m)), s.slice(close + 2, m - 1).trim(), syslogSeverity(Number(s.slice(1, close))));
  }
  if (c !== undefined && c >= '0' && c <= '9') {
    // --time-format iso: 2023-11-14T10:23:45,123456+00:00
    if (s[4] === '-' && s[10] === 'T' && s[19] === ',') {
      const sp = s.indexOf(' ', 19);
      if (sp > 0 && sp < 40 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2},\d+[+-]\d{2}:?\d{2}$/.test(s.slice(0, sp))) {
        return draft(s, sp + 1, s.slice(0, sp), undefined);
      }
      return undefined;
    }
    // /dev/kmsg: prio,seq,usec,flags;message
    const semi = s.indexOf(';');
    if (semi > 0 && semi < 64 && /^\d{1,3},\d+,\d+,[-+c][^;]*$/.test(s.slice(0, semi))) {
      const parts = s.slice(0, semi).split(',');
      const usec = Number(parts[2]);
      return draft(s, semi + 1, (usec / 1e6).toFixed(6), syslogSeverity(Number(parts[0])));
    }
    return undefined;
  }
  if (c !== undefined && c >= 'a' && c <= 'z') {
    // dmesg -x: "kern  :err   : [ 3812.1382] …"
    const m = FACILITIES.exec(s.length > 40 ? s.slice(0, 40) : s);
    if (m === null || m[2] === undefined) return undefined;
    let at = m[0].length;
    let time: string | undefined;
    const t = monotonicAt(s, at);
    if (t > 0) {
      time = s.slice(at + 1, t - 1).trim();
      at = skipSpace(s, callerAt(s, t));
    }
    const d = draft(s, at, time, m[2]);
    d.fields.facility = m[1] ?? '';
    return d;
  }
  return undefined;
}

/** Index after a leading `[ 123.456] ` inside a kernel message carried by syslog/journald, or 0. */
export function innerMonotonic(s: string): number {
  const m = monotonicAt(s, 0);
  return m > 0 ? skipSpace(s, m) : 0;
}
