/**
 * logrus and other logfmt producers (containerd, CRI-O, dockerd, runc, go-kit programs such as
 * promtail): `time="…" level=error msg="…" error="…" key=value`, the TTY form `ERRO[0000] …`, and
 * logrus JSON (`{"level":…,"msg":…,"time":…}`).
 */
import type { Fields } from '../schema.js';
import { fillStr, own, quotedEnd, setStr, str } from './common.js';
import { jsonValueText } from './klog.js';

/** Keys that are envelope (they become fields), not message. */
const META = new Set(['time', 'ts', 't', 'level', 'lvl', 'msg']);
const FIRST_KEYS = new Set(['time', 'ts', 't', 'level', 'lvl']);

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

interface Pair {
  key: string;
  value: string;
}

/** Parses `key=value` pairs; `rest` is any trailing text that is not a pair. */
function parseLogfmt(s: string, from = 0): { pairs: Pair[]; rest: string } {
  const pairs: Pair[] = [];
  const n = s.length;
  let i = from;
  while (i < n) {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n) break;
    let k = i;
    const stop = Math.min(n, i + 128);
    while (k < stop && isKeyChar(s.charCodeAt(k))) k++;
    if (k === i || s[k] !== '=') return { pairs, rest: s.slice(i) };
    const key = s.slice(i, k);
    k++;
    if (s[k] === '"') {
      const e = quotedEnd(s, k);
      if (e < 0) {
        pairs.push({ key, value: s.slice(k + 1) });
        return { pairs, rest: '' };
      }
      pairs.push({ key, value: s.slice(k + 1, e - 1) });
      i = e;
    } else {
      let e = k;
      while (e < n && s[e] !== ' ' && s[e] !== '\t') e++;
      pairs.push({ key, value: s.slice(k, e) });
      i = e;
    }
  }
  return { pairs, rest: '' };
}

/** Cheap test: the text starts with `time=`, `level=`, `ts=`… the way logfmt producers start lines. */
export function looksLogfmt(s: string, p: number): boolean {
  const c = s[p];
  if (c !== 't' && c !== 'l') return false;
  const eq = s.indexOf('=', p);
  if (eq < 0 || eq - p > 5) return false;
  return FIRST_KEYS.has(s.slice(p, eq));
}

/**
 * Message and fields of a logfmt line: `msg` first, then every other pair as `key=value` (values
 * unquoted once; inner escapes are left to the normaliser). Undefined when it is not logfmt.
 */
export function logfmtText(s: string, p: number, f: Fields): string | undefined {
  const { pairs, rest } = parseLogfmt(s, p);
  if (pairs.length < 2 && !(pairs.length === 1 && rest === '')) return undefined;
  let msg = '';
  const other: string[] = [];
  for (const { key, value } of pairs) {
    if (key === 'msg') msg = value;
    else if (key === 'level' || key === 'lvl') setStr(f, 'severity', value);
    else if (key === 'time' || key === 'ts' || key === 't') {
      if (f.time === undefined) setStr(f, 'time', value);
    } else if (!META.has(key)) other.push(`${key}=${value}`);
  }
  if (rest.length > 0) other.push(rest);
  return other.length > 0 ? (msg.length > 0 ? `${msg} ${other.join(' ')}` : other.join(' ')) : msg;
}

const TTY_LEVELS: Record<string, string> = {
  TRAC: 'trace',
  DEBU: 'debug',
  INFO: 'info',
  WARN: 'warning',
  ERRO: 'error',
  FATA: 'fatal',
  PANI: 'panic',
};

/** The TTY form `ERRO[0000] message  key=value`: index where the message starts, or -1. */
export function ttyStart(s: string, p: number, f?: Fields): number {
  if (s[p + 4] !== '[') return -1;
  const level = TTY_LEVELS[s.slice(p, p + 4)];
  if (level === undefined) return -1;
  const close = s.indexOf(']', p + 5);
  if (close < 0 || close - p > 48) return -1;
  if (f !== undefined) {
    f.severity = level;
    if (f.time === undefined) setStr(f, 'time', s.slice(p + 5, close));
  }
  return s[close + 1] === ' ' ? close + 2 : close + 1;
}

/** logrus / zap JSON: a string `level` and a string `msg`. */
export function isLogrusJson(o: Record<string, unknown>): boolean {
  return typeof own(o, 'level') === 'string' && typeof own(o, 'msg') === 'string';
}

const JSON_META = new Set(['time', 'ts', 'level', 'msg', 'caller', 'logger']);

/** Text and fields of a logrus JSON object: `msg error=… key=…`. */
export function logrusJsonText(o: Record<string, unknown>, f: Fields): string {
  setStr(f, 'severity', own(o, 'level'));
  const t = own(o, 'time') ?? own(o, 'ts');
  if (typeof t === 'string') fillStr(f, 'time', t);
  setStr(f, 'caller', own(o, 'caller'));
  const parts = [str(own(o, 'msg')) ?? ''];
  const err = own(o, 'error');
  if (err !== undefined && err !== null) parts.push(`error=${jsonValueText(err)}`);
  for (const k of Object.keys(o)) {
    if (JSON_META.has(k) || k === 'error') continue;
    parts.push(`${k}=${jsonValueText(o[k])}`);
  }
  return parts.join(' ');
}
