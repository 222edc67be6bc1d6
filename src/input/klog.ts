/**
 * klog (kubelet, kube-proxy, other Kubernetes components): the text header
 * `Lmmdd hh:mm:ss.uuuuuu pid file:line] msg`, the structured form (`"msg" key="value" key=<` blocks)
 * and the JSON form (`{"ts":…,"msg":…,"err":…}`).
 */
import type { Fields } from '../schema.js';
import { digitsAt, fillStr, isoFromEpoch, own, quotedEnd, setPid, setStr, str } from './common.js';

export interface KlogHeader {
  severity: string;
  /** `mmdd hh:mm:ss.uuuuuu` as printed (klog has no year). */
  time: string;
  pid: number;
  caller: string;
  /** Index where the message starts. */
  start: number;
}

const SEVERITY: Record<string, string> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };

/** Parses a klog header at `p`, or returns undefined. Only looks at the first ~300 characters. */
export function klogHeader(s: string, p = 0): KlogHeader | undefined {
  const sev = s[p];
  if (sev !== 'I' && sev !== 'W' && sev !== 'E' && sev !== 'F') return undefined;
  if (digitsAt(s, p + 1, 4) !== 4 || s[p + 5] !== ' ') return undefined;
  const t = p + 6;
  if (digitsAt(s, t, 2) !== 2 || s[t + 2] !== ':' || digitsAt(s, t + 3, 2) !== 2 || s[t + 5] !== ':') return undefined;
  if (digitsAt(s, t + 6, 2) !== 2 || s[t + 8] !== '.') return undefined;
  const frac = digitsAt(s, t + 9, 9);
  if (frac === 0) return undefined;
  let k = t + 9 + frac;
  const timeEnd = k;
  let spaces = 0;
  while (s[k] === ' ' && spaces < 16) {
    k++;
    spaces++;
  }
  if (spaces === 0) return undefined;
  const pidLen = digitsAt(s, k, 10);
  if (pidLen === 0 || s[k + pidLen] !== ' ') return undefined;
  const pid = Number.parseInt(s.slice(k, k + pidLen), 10);
  k += pidLen + 1;
  const callerStart = k;
  const stop = Math.min(s.length, k + 256);
  while (k < stop && s[k] !== ']' && s[k] !== ' ') k++;
  if (s[k] !== ']') return undefined;
  const caller = s.slice(callerStart, k);
  const colon = caller.lastIndexOf(':');
  if (colon <= 0 || digitsAt(caller, colon + 1) !== caller.length - colon - 1 || colon === caller.length - 1) return undefined;
  k++;
  if (k < s.length && s[k] !== ' ') return undefined;
  return {
    severity: SEVERITY[sev] ?? 'info',
    time: `${s.slice(p + 1, p + 5)} ${s.slice(t, timeEnd)}`,
    pid,
    caller,
    start: Math.min(s.length, k + 1),
  };
}

/** Fills fields from a klog header without overriding what an outer envelope already set. */
export function applyKlogHeader(f: Fields, h: KlogHeader): void {
  f.severity = h.severity;
  if (f.time === undefined) f.time = h.time;
  setPid(f, h.pid);
  setStr(f, 'caller', h.caller);
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 47;
}

/** Length of a `key=` token at `i` (key chars then `=`), or 0. */
function keyAt(s: string, i: number): number {
  let k = i;
  const stop = Math.min(s.length, i + 128);
  while (k < stop && isKeyChar(s.charCodeAt(k))) k++;
  return k > i && s.charCodeAt(k) === 61 ? k - i : 0;
}

/**
 * The message of a klog record (the text after the header, possibly spanning lines). Structured
 * records become `msg key=value …` with the outer quotes of each value removed (inner escapes stay
 * for the normaliser) and `key=<` blocks joined; anything else is returned as it is.
 */
export function klogMessage(msg: string): string {
  if (msg.charCodeAt(0) !== 34) return msg;
  const end = quotedEnd(msg, 0);
  // klog quotes a structured message whole (`"msg" key=…`); a quote closed mid-word is the
  // message's own text (`"PG::DiskFull: … segment "/PostgreSQL.7267" to …"`)
  if (end < 0 || (end < msg.length && msg[end] !== ' ' && msg[end] !== '\n' && msg[end] !== '\r' && msg[end] !== '\t')) return msg;
  const parts: string[] = [msg.slice(1, end - 1)];
  const n = msg.length;
  let i = end;
  while (i < n) {
    while (i < n && (msg[i] === ' ' || msg[i] === '\n' || msg[i] === '\t' || msg[i] === '\r')) i++;
    if (i >= n) break;
    const kl = keyAt(msg, i);
    if (kl === 0) {
      parts.push(msg.slice(i));
      break;
    }
    const key = msg.slice(i, i + kl);
    i += kl + 1;
    if (msg.charCodeAt(i) === 34) {
      const e = quotedEnd(msg, i);
      if (e < 0) {
        parts.push(`${key}=${msg.slice(i + 1)}`);
        break;
      }
      parts.push(`${key}=${msg.slice(i + 1, e - 1)}`);
      i = e;
    } else if (msg[i] === '<' && (msg[i + 1] === '\n' || i + 1 >= n)) {
      // multi-line value: TAB-indented lines up to a line starting with " >"
      const lines: string[] = [];
      let k = i + 2;
      let closed = false;
      while (k < n) {
        let e = msg.indexOf('\n', k);
        if (e < 0) e = n;
        const ln = msg.slice(k, e);
        if (ln.startsWith(' >') || ln === '>') {
          i = k + (ln.startsWith(' >') ? 2 : 1);
          closed = true;
          break;
        }
        lines.push(ln.charCodeAt(0) === 9 ? ln.slice(1) : ln);
        k = e + 1;
      }
      if (!closed) i = n;
      parts.push(`${key}=${lines.join(' ')}`);
    } else {
      // bare value: runs to the next " key=" or line end
      let k = i;
      while (k < n) {
        const c = msg.charCodeAt(k);
        if (c === 10) break;
        if (c === 32 && keyAt(msg, k + 1) > 0) break;
        k++;
      }
      parts.push(`${key}=${msg.slice(i, k)}`);
      i = k;
    }
  }
  return parts.join(' ');
}

/** Keys of a klog/zap JSON line that are envelope, not message. */
const KLOG_JSON_META = new Set(['ts', 'caller', 'v', 'msg', 'err', 'level', 'logger']);

/** Renders a JSON value for a message: strings as they are, anything else as compact JSON. */
export function jsonValueText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    const s = JSON.stringify(v);
    return s === undefined ? '' : s.length > 4096 ? s.slice(0, 4096) : s;
  } catch {
    return '';
  }
}

/** klog JSON (`--logging-format=json`): numeric `ts` and a string `msg`. */
export function isKlogJson(o: Record<string, unknown>): boolean {
  return typeof own(o, 'ts') === 'number' && typeof own(o, 'msg') === 'string';
}

/** Text and fields of a klog JSON object: `msg err=… key=…`. */
export function klogJsonText(o: Record<string, unknown>, f: Fields): string {
  const ts = own(o, 'ts') as number;
  fillStr(f, 'time', isoFromEpoch(ts, ts > 1e11 ? 'ms' : 's'));
  const err = own(o, 'err');
  const level = str(own(o, 'level'));
  setStr(f, 'severity', level ?? (err !== undefined ? 'error' : 'info'));
  setStr(f, 'caller', own(o, 'caller'));
  const parts = [str(own(o, 'msg')) ?? ''];
  if (err !== undefined && err !== null) parts.push(`err=${jsonValueText(err)}`);
  for (const k of Object.keys(o)) {
    if (KLOG_JSON_META.has(k)) continue;
    parts.push(`${k}=${jsonValueText(o[k])}`);
  }
  return parts.join(' ');
}
