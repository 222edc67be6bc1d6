/**
 * Peeling and unescaping: turns a payload that went through any number of quoting layers (Go `%q`,
 * JSON strings, systemd unit escaping, rsyslog control escaping, terminal colour, copy-and-paste
 * damage) into one line of text the rules can match. Never lowercases.
 */

import { translateLocalized } from './locale.js';

let utf8: TextDecoder | undefined;

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function hexAt(s: string, i: number, len: number): number {
  if (i + len > s.length) return -1;
  let v = 0;
  for (let k = 0; k < len; k++) {
    const h = hex(s.charCodeAt(i + k));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/** Index after a run of backslashes starting at `i`. */
function runEnd(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) === 92) i++;
  return i;
}

/**
 * Undoes quoting at any depth: every run of backslashes before `"` becomes `"`, before `n`/`t`
 * a space, `\uXXXX`/`\UXXXXXXXX`/`\xNN` are decoded (consecutive `\xNN` bytes as UTF-8), and any
 * other run collapses to one backslash.
 */
export function unescapeRuns(s: string): string {
  let i = s.indexOf('\\');
  if (i < 0) return s;
  const n = s.length;
  // A string built by += (V8 ropes) rather than an array of pieces: a line of 10^6 `\"` runs
  // pushed two pieces per run and cost ~120 ms for 1 MB.
  let out = '';
  let last = 0;
  while (i >= 0) {
    if (i > last) out += s.slice(last, i);
    const j = runEnd(s, i);
    if (j >= n) {
      out += '\\';
      last = n;
      break;
    }
    const c = s.charCodeAt(j);
    let next = j + 1;
    switch (c) {
      case 34: // "
        out += '"';
        break;
      case 39: // '
        out += "'";
        break;
      case 110: // n
      case 116: // t
        out += ' ';
        break;
      case 47: // /
        out += '/';
        break;
      case 117: {
        // u
        const v = hexAt(s, j + 1, 4);
        if (v < 0) {
          out += '\\';
          next = j;
        } else {
          out += String.fromCharCode(v);
          next = j + 5;
        }
        break;
      }
      case 85: {
        // U
        const v = hexAt(s, j + 1, 8);
        if (v < 0 || v > 0x10ffff) {
          out += '\\';
          next = j;
        } else {
          out += String.fromCodePoint(v);
          next = j + 9;
        }
        break;
      }
      case 120: {
        // x: gather consecutive \xNN so multi-byte UTF-8 sequences decode as one character
        const first = hexAt(s, j + 1, 2);
        if (first < 0) {
          out += '\\';
          next = j;
          break;
        }
        const bytes = [first];
        next = j + 3;
        let ascii = first < 0x80;
        for (;;) {
          if (s.charCodeAt(next) !== 92) break;
          const k = runEnd(s, next);
          if (s.charCodeAt(k) !== 120) break;
          const b = hexAt(s, k + 1, 2);
          if (b < 0) break;
          bytes.push(b);
          if (b >= 0x80) ascii = false;
          next = k + 3;
        }
        // Spread arguments overflow the stack on a long run (130,000 `\x41` dropped the record).
        if (ascii && bytes.length <= 4096) out += String.fromCharCode(...bytes);
        else {
          utf8 ??= new TextDecoder('utf-8');
          out += utf8.decode(Uint8Array.from(bytes));
        }
        break;
      }
      default:
        out += '\\';
        next = j;
    }
    last = next;
    i = s.indexOf('\\', next);
  }
  if (last < n) out += s.slice(last);
  return out;
}

/** Whitespace and control characters: they all become (collapsed) spaces. */
function isSpaceLike(c: number): boolean {
  if (c <= 0x20) return c !== 0x1b;
  if (c < 0x7f) return false;
  if (c <= 0xa0) return true; // DEL, C1 controls, NBSP
  return (
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

function isZeroWidth(c: number): boolean {
  return c === 0x200b || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff;
}

/**
 * ASCII replacement for a typographic or CJK quote (`‘’“”„`, `«»`, `「」『』`), a full-width form
 * (`：` `（` `，` `Ａ` `１`) or an ideographic comma / full stop, or undefined. Colon, comma and
 * semicolon get a space after them, as the ASCII text they stand for would have.
 */
function plainQuote(c: number): string | undefined {
  if (c >= 0xff01 && c <= 0xff5e) {
    if (c === 0xff1a || c === 0xff0c || c === 0xff1b) return `${String.fromCharCode(c - 0xfee0)} `;
    return String.fromCharCode(c - 0xfee0);
  }
  switch (c) {
    case 0x3001:
      return ', ';
    case 0x3002:
      return '.';
    case 0x00ab:
    case 0x00bb:
    case 0x300c:
    case 0x300d:
    case 0x300e:
    case 0x300f:
      return '"';
    case 0x2018:
    case 0x2019:
    case 0x201a:
    case 0x201b:
    case 0x2032:
      return "'";
    case 0x201c:
    case 0x201d:
    case 0x201e:
    case 0x201f:
    case 0x2033:
      return '"';
    default:
      return undefined;
  }
}

/** Index after an ANSI escape sequence starting with ESC at `i`. */
function skipAnsi(s: string, i: number): number {
  const n = s.length;
  const c = s.charCodeAt(i + 1);
  if (c === 91) {
    // CSI: parameters, intermediates, one final byte
    let k = i + 2;
    const stop = Math.min(n, k + 64);
    while (k < stop) {
      const d = s.charCodeAt(k);
      if (d >= 0x40 && d <= 0x7e) return k + 1;
      if (d < 0x20 || d > 0x7e) return k;
      k++;
    }
    return k;
  }
  if (c === 93) {
    // OSC, ended by BEL or ESC \
    let k = i + 2;
    const stop = Math.min(n, k + 512);
    while (k < stop) {
      const d = s.charCodeAt(k);
      if (d === 7) return k + 1;
      if (d === 0x1b) return s.charCodeAt(k + 1) === 92 ? k + 2 : k;
      k++;
    }
    return k;
  }
  return Math.min(n, i + 2);
}

/** Removes ANSI escape sequences (colour codes), so prefixes such as `ERRO[0000]` can be recognised. */
export function stripAnsi(s: string): string {
  let i = s.indexOf('\x1b');
  if (i < 0) return s;
  let out = '';
  let last = 0;
  while (i >= 0) {
    out += s.slice(last, i);
    last = skipAnsi(s, i);
    i = s.indexOf('\x1b', last);
  }
  return out + s.slice(last);
}

/** rsyslog escapes control characters as `#ooo`: LF, TAB and CR read as spaces, ESC starts colour. */
function rsyslogEscape(s: string, i: number): 'space' | 'esc' | undefined {
  if (s.charCodeAt(i + 1) !== 48) return undefined;
  const a = s.charCodeAt(i + 2);
  const b = s.charCodeAt(i + 3);
  if (a === 49 && (b === 49 || b === 50 || b === 53)) return 'space';
  if (a === 51 && b === 51 && s.charCodeAt(i + 4) === 91) return 'esc';
  return undefined;
}

/**
 * Removes colour codes and zero-width characters, maps typographic quotes to ASCII, and collapses
 * every run of whitespace (including control characters, NBSP and rsyslog `#012`/`#011`) to one
 * space; the result is trimmed.
 */
export function cleanText(s: string): string {
  const n = s.length;
  const parts: string[] = [];
  // whether the output so far is empty / ends with a space (never read back from a growing string)
  let empty = true;
  let endsSpace = false;
  const emit = (t: string): void => {
    if (t.length === 0) return;
    parts.push(t);
    empty = false;
    endsSpace = t.charCodeAt(t.length - 1) === 0x20;
  };
  const dropTrailingSpace = (): void => {
    const last = parts.pop()!;
    const t = last.slice(0, -1);
    if (t.length > 0) parts.push(t);
    endsSpace = false;
    empty = parts.length === 0;
  };
  let run = 0;
  let prevSpace = true;
  let guillemetOpen = false;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c < 0x7f && c !== 0x23) {
      prevSpace = false;
      i++;
      continue;
    }
    if (c === 0x20 && !prevSpace && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d > 0x20 && d !== 0x23 && !isSpaceLike(d) && !isZeroWidth(d)) {
        prevSpace = true;
        i++;
        continue;
      }
    }
    let esc: 'space' | 'esc' | undefined;
    if (c === 0x23) {
      esc = rsyslogEscape(s, i);
      if (esc === undefined) {
        prevSpace = false;
        i++;
        continue;
      }
    }
    if (esc === 'space' || (esc === undefined && isSpaceLike(c))) {
      const head = s.slice(run, i);
      let j = i;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (isSpaceLike(d) || isZeroWidth(d)) j++;
        else if (d === 0x1b) j = skipAnsi(s, j);
        else if (d === 0x23 && rsyslogEscape(s, j) === 'space') j += 4;
        else break;
      }
      // The text before the run and its one space go out as one piece: a tab-separated line of
      // 10^5 words made 2·10^5 pieces, whose garbage grew faster than the line.
      const space = j < n && (head.length > 0 ? head.charCodeAt(head.length - 1) !== 0x20 : !empty && !endsSpace);
      emit(space ? `${head} ` : head);
      prevSpace = true;
      run = j;
      i = j;
      continue;
    }
    if (esc === 'esc' || c === 0x1b) {
      emit(s.slice(run, i));
      i = esc === 'esc' ? skipAnsi(s, i + 3) : skipAnsi(s, i);
      run = i;
      continue;
    }
    if (isZeroWidth(c)) {
      emit(s.slice(run, i));
      i++;
      run = i;
      continue;
    }
    const q = plainQuote(c);
    if (q !== undefined) {
      const guillemet = c === 0x00ab || c === 0x00bb;
      if (guillemet && guillemetOpen) {
        // French `« /x »`, German `»x«`: the space inside the pair is typography, not text
        let k = i;
        while (k > run && s.charCodeAt(k - 1) === 0x20) k--;
        emit(s.slice(run, k));
        if (endsSpace) dropTrailingSpace();
        emit(q);
      } else emit(s.slice(run, i) + q);
      i++;
      if (guillemet && !guillemetOpen) while (i < n && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0xa0 || s.charCodeAt(i) === 0x202f)) i++;
      if (guillemet) guillemetOpen = !guillemetOpen;
      run = i;
      prevSpace = q.charCodeAt(q.length - 1) === 0x20;
      continue;
    }
    prevSpace = false;
    i++;
  }
  if (run === 0) return s.length > 0 && (s.charCodeAt(0) === 0x20 || s.charCodeAt(n - 1) === 0x20) ? s.trim() : s;
  emit(s.slice(run));
  const out = parts.join('');
  return out.length > 0 && (out.charCodeAt(out.length - 1) === 0x20 || out.charCodeAt(0) === 0x20) ? out.trim() : out;
}

/**
 * The normalised form of a payload: quoting undone, cleaned, whitespace collapsed, and localized
 * strerror texts and tool wrappers (`设备上没有空间`, `无法创建目录 %s`) read as their English originals
 * (see locale.ts).
 */
export function normalise(s: string): string {
  return translateLocalized(cleanText(unescapeRuns(s)));
}

const COMBINED = '(combined from similar events): ';

/** Drops the event correlator's aggregation prefix from an (already normalised) event message. */
export function stripCombined(message: string): string {
  return message.startsWith(COMBINED) ? message.slice(COMBINED.length) : message;
}
