/**
 * Syslog: RFC 5424 (`<34>1 2003-10-11T22:14:15.003Z host app procid msgid [sd] msg`) and RFC 3164
 * with its priority (`<34>Oct 11 22:14:15 host tag[pid]: msg`). Files written by rsyslog without the
 * priority share the journalctl `short` prefix and are parsed by journal.ts.
 */
import type { Fields } from '../schema.js';
import { componentName, digitsAt, newFields, setPid, syslogSeverity } from './common.js';
import type { Draft } from './common.js';
import { parseShort } from './journal.js';

/** Index after the RFC 5424 structured data at `i` (`-` or `[id k="v"]…`), or -1. */
function structuredDataEnd(s: string, i: number): number {
  if (s[i] === '-') return i + 1;
  let k = i;
  const stop = Math.min(s.length, i + 8192);
  while (k < stop && s[k] === '[') {
    k++;
    let inQuote = false;
    while (k < stop) {
      const c = s[k];
      if (c === '\\') k += 2;
      else if (c === '"') {
        inQuote = !inQuote;
        k++;
      } else if (c === ']' && !inQuote) break;
      else k++;
    }
    if (s[k] !== ']') return -1;
    k++;
  }
  return k > i ? k : -1;
}

function token(s: string, i: number): [string, number] | undefined {
  const sp = s.indexOf(' ', i);
  if (sp < 0 || sp - i > 255 || sp === i) return undefined;
  return [s.slice(i, sp), sp + 1];
}

/** Parses a line starting with `<PRI>`, or returns undefined. */
export function parseSyslog(s: string): (Draft & { start: number }) | undefined {
  if (s[0] !== '<') return undefined;
  const d = digitsAt(s, 1, 3);
  if (d === 0 || s[1 + d] !== '>') return undefined;
  const pri = Number(s.slice(1, 1 + d));
  if (pri > 191) return undefined;
  const p = 2 + d;
  const v = digitsAt(s, p, 2);
  if (v > 0 && s[p + v] === ' ') {
    // RFC 5424
    const f: Fields = newFields('syslog');
    f.severity = syslogSeverity(pri);
    let i = p + v + 1;
    const parts: string[] = [];
    for (let n = 0; n < 5; n++) {
      const t = token(s, i);
      if (t === undefined) return undefined;
      parts.push(t[0]);
      i = t[1];
    }
    const [time, host, app, procid] = parts;
    if (time !== '-' && time !== undefined) f.time = time;
    if (host !== '-' && host !== undefined) f.host = host;
    if (app !== '-' && app !== undefined) f.component = componentName(app);
    if (procid !== undefined && /^\d+$/.test(procid)) setPid(f, procid);
    const sd = structuredDataEnd(s, i);
    if (sd < 0) return undefined;
    let start = s[sd] === ' ' ? sd + 1 : sd;
    if (s.charCodeAt(start) === 0xfeff) start++;
    return { text: s.slice(start), fields: f, start };
  }
  // RFC 3164 with priority
  const rest = s.slice(p);
  const sh = parseShort(rest);
  if (sh === undefined) return undefined;
  sh.fields.format = 'syslog';
  sh.fields.severity = syslogSeverity(pri);
  return { text: rest.slice(sh.start), fields: sh.fields, start: p + sh.start };
}
