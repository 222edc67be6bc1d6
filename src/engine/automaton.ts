/**
 * The prefilter's search for every anchor at once: an Aho–Corasick automaton compiled to a flat
 * DFA table, ASCII case folded. One table load per byte, no backtracking and no allocation.
 *
 * Why not one `/a|b|…/gi` regex: with 66 anchors, several of them short and common-lettered,
 * V8's irregexp gets no Boyer–Moore skip and tries every alternative at every position (≈4.7 ns
 * a byte here, 70 % of the CLI's time on a sparse log). The DFA runs at ≈2 ns a byte, reads the
 * bytes in place (no latin1 string of the chunk first) and is exact, so hits need no re-check.
 *
 * Scope: ASCII letters fold case; any other char, ASCII or not, matches only itself. Anchors are
 * stored as UTF-8 bytes (the localized strerror texts `设备上没有空间`, `Gerät`), so the byte search
 * needs no decoding; the text search feeds a char ≥ 0x80 as its UTF-8 bytes. With ASCII anchors only
 * (every rule's own keyword), bytes and chars ≥ 0x80 simply return to the root state.
 */

/** Byte ranges at least this long are searched in two lanes (see inBytes). */
const TWO_LANES_MIN = 1 << 12;

/**
 * From this shortest-anchor length on, a skip search (see skipBytes) beats the lanes: a window of
 * `m` bytes is mostly passed with one load (issue 13 measured 2.4× at 8 bytes).
 */
const SKIP_MIN = 8;

/** Rows beyond this would not fit the 16-bit table; such rule sets keep the regex. */
const MAX_ROWS = 0xfffe;

export interface AnchorAutomaton {
  /** Index of the last byte of the first anchor occurrence in `b[from, end)`, or -1. */
  inBytes(b: Uint8Array, from: number, end: number): number;
  /** Index of the last char of the first anchor occurrence in `s[from, end)`, or -1. */
  inText(s: string, from: number, end: number): number;
  /** Whether `s` contains any anchor. */
  test(s: string): boolean;
}

/**
 * Builds the automaton for `anchors` (ASCII letters matched case-insensitively, other chars
 * exactly), or returns undefined when an anchor is empty or the table would be too large: the
 * caller keeps its regex then.
 */
export function buildAnchorAutomaton(anchors: readonly string[]): AnchorAutomaton | undefined {
  if (anchors.length === 0) return undefined;
  let wide = false;
  const words: number[][] = [];
  for (const a of anchors) {
    if (a.length === 0) return undefined;
    const bytes = utf8Bytes(a);
    if (bytes.length !== a.length) wide = true;
    words.push(bytes);
  }
  const { kids, order, fail, ends, nodes } = buildTrie(words, 256);
  // A node whose own text or any suffix is an anchor accepts. The search stops there, so accepting
  // nodes get no row and every transition into one goes to the shared ACCEPT id.
  const accepting = new Uint8Array(nodes);
  const row = new Int32Array(nodes).fill(-1);
  let rows = 0;
  for (const n of order) {
    accepting[n] = ends[n] !== undefined || (n !== 0 && accepting[fail[n]!] === 1) ? 1 : 0;
    if (accepting[n] === 0) {
      row[n] = rows++;
      if (rows > MAX_ROWS) return undefined;
    }
  }
  const ACCEPT = rows;
  let longest = 0;
  for (const w of words) longest = Math.max(longest, w.length);
  const table = new Uint16Array(rows * 256);
  // δ(n, c) = child if any, else δ(fail(n), c): copy the failure state's row, then the children.
  for (const n of order) {
    if (accepting[n] === 1) continue;
    const base = row[n]! * 256;
    if (n !== 0) table.copyWithin(base, row[fail[n]!]! * 256, row[fail[n]!]! * 256 + (wide ? 256 : 128));
    const ks = kids[n]!;
    for (let j = 0; j < ks.length; j += 2) table[base + ks[j]!] = accepting[ks[j + 1]!] === 1 ? ACCEPT : row[ks[j + 1]!]!;
    table.copyWithin(base + 65, base + 97, base + 123); // A-Z as a-z
  }

  let shortest = Infinity;
  for (const w of words) shortest = Math.min(shortest, w.length);
  // The shift table holds distances below 256.
  const m = Math.min(shortest, 255);
  const shift = m >= SKIP_MIN ? skipTable(words, m) : undefined;
  const inBytes =
    shift !== undefined
      ? (b: Uint8Array, from: number, to: number): number => skipBytes(table, ACCEPT, shift, FOLD, m, b, from, to)
      : (b: Uint8Array, from: number, to: number): number => searchBytes(table, ACCEPT, b, from, to);
  function inText(str: string, from: number, to: number): number {
    const T = table;
    let s = 0;
    for (let i = from; i < to; i++) {
      const c = str.charCodeAt(i);
      if (c < 0x80) s = T[(s << 8) | c]!;
      else if (!wide) s = 0;
      else {
        let cp = c;
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < to) {
          const d = str.charCodeAt(i + 1);
          if (d >= 0xdc00 && d < 0xe000) {
            cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
            i++;
          }
        }
        s = stepCodePoint(T, ACCEPT, s, cp);
      }
      if (s === ACCEPT) return i;
    }
    return -1;
  }
  return {
    inBytes,
    inText,
    test: wide
      ? (str) => testWideText(table, ACCEPT, longest, str, inText)
      : shift !== undefined
        ? (str) => skipText(table, ACCEPT, shift, FOLD, m, str)
        : (str) => testText(table, ACCEPT, longest, str),
  };
}

/** The UTF-8 bytes of `s` (a lone surrogate as U+FFFD, as TextEncoder does). */
function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    let c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** The state after the UTF-8 bytes of code point `cp` (≥ 0x80), or ACCEPT once an anchor ends inside it. */
function stepCodePoint(T: Uint16Array, ACCEPT: number, s: number, cp: number): number {
  let c = cp;
  if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
  if (c < 0x800) {
    s = T[(s << 8) | (0xc0 | (c >> 6))]!;
    return s === ACCEPT ? s : T[(s << 8) | (0x80 | (c & 63))]!;
  }
  if (c < 0x10000) {
    s = T[(s << 8) | (0xe0 | (c >> 12))]!;
    if (s === ACCEPT) return s;
    s = T[(s << 8) | (0x80 | ((c >> 6) & 63))]!;
    return s === ACCEPT ? s : T[(s << 8) | (0x80 | (c & 63))]!;
  }
  s = T[(s << 8) | (0xf0 | (c >> 18))]!;
  if (s === ACCEPT) return s;
  s = T[(s << 8) | (0x80 | ((c >> 12) & 63))]!;
  if (s === ACCEPT) return s;
  s = T[(s << 8) | (0x80 | ((c >> 6) & 63))]!;
  return s === ACCEPT ? s : T[(s << 8) | (0x80 | (c & 63))]!;
}

/**
 * testText for automata with non-ASCII anchors: the same two ASCII lanes, and one exact pass
 * from the start as soon as either lane meets a char ≥ 0x80 (rare in the logs read; a line with
 * one costs at most a second pass).
 */
function testWideText(
  T: Uint16Array,
  ACCEPT: number,
  longest: number,
  str: string,
  inText: (s: string, from: number, to: number) => number,
): boolean {
  const n = str.length;
  const mid = n >> 1;
  const start2 = mid - longest + 1;
  if (n < 4 * longest || start2 <= 0) return inText(str, 0, n) >= 0;
  let s = 0;
  let t = 0;
  let j = start2;
  for (let i = 0; i < mid; i++, j++) {
    const c = str.charCodeAt(i);
    const d = str.charCodeAt(j);
    if ((c | d) >= 0x80) return inText(str, 0, n) >= 0;
    s = T[(s << 8) | c]!;
    t = T[(t << 8) | d]!;
    if (s === ACCEPT || t === ACCEPT) return true;
  }
  for (; j < n; j++) {
    const d = str.charCodeAt(j);
    if (d >= 0x80) return inText(str, start2, n) >= 0;
    t = T[(t << 8) | d]!;
    if (t === ACCEPT) return true;
  }
  return false;
}

/**
 * Two lanes in lockstep over the two halves of a long range, split after a '\n': each step is a
 * load that depends on the previous one, so two independent chains keep the CPU busier (≈1.4
 * instead of ≈2 ns a byte here). Exact: no anchor has a '\n', so the state after one is the root,
 * which is where the second lane starts; a second-lane hit is returned only once the first lane
 * has none. No calls inside (a call site without type feedback made TurboFan deoptimise it), and the
 * table and accepting id are parameters, not closure slots.
 */
function searchBytes(T: Uint16Array, ACCEPT: number, b: Uint8Array, from: number, to: number): number {
  let mid = to;
  if (to - from >= TWO_LANES_MIN) {
    const nl = b.indexOf(10, from + ((to - from) >> 1));
    if (nl >= 0 && nl + 1 < to) mid = nl + 1;
  }
  let s = 0;
  let t = 0;
  let i = from;
  let j = mid;
  let second = -1;
  if (mid < to) {
    const steps = Math.min(mid - from, to - mid);
    for (let k = 0; k < steps; k++, i++, j++) {
      s = T[(s << 8) | b[i]!]!;
      t = T[(t << 8) | b[j]!]!;
      if (s === ACCEPT || t === ACCEPT) break;
    }
    if (i < mid && j < to) {
      // stopped on a hit (not at the end of the steps)
      if (s === ACCEPT) return i;
      second = j;
      i++;
    }
  }
  for (; i < mid; i++) {
    s = T[(s << 8) | b[i]!]!;
    if (s === ACCEPT) return i;
  }
  if (second >= 0) return second;
  for (; j < to; j++) {
    t = T[(t << 8) | b[j]!]!;
    if (t === ACCEPT) return j;
  }
  return -1;
}

/**
 * A skip search for anchor sets whose shortest anchor has `m` ≥ SKIP_MIN bytes (Wu–Manber over
 * the anchors' first `m` bytes, in blocks of two: with a hundred anchors nearly every single byte
 * ends some anchor's prefix, while few pairs do). `shift[pair]` is how far a window of `m` bytes may
 * move when its last two bytes are `pair` (0 when the pair could end an anchor's first `m` bytes).
 * Then the DFA runs from the root at the window's start until it is back at the root: no anchor
 * starts before the window (the invariant of every shift), and a root state means none of the
 * bytes read starts one that is still open. Exact.
 */
function skipBytes(T: Uint16Array, ACCEPT: number, shift: Uint8Array, fold: Uint8Array, m: number, b: Uint8Array, from: number, to: number): number {
  let i = from;
  const last = m - 1;
  while (i + m <= to) {
    const sh = shift[(fold[b[i + last - 1]!]! << 8) | fold[b[i + last]!]!]!;
    if (sh !== 0) {
      i += sh;
      continue;
    }
    let s = 0;
    do {
      s = T[(s << 8) | b[i]!]!;
      if (s === ACCEPT) return i;
      i++;
    } while (s !== 0 && i < to);
  }
  return -1;
}

/** The same skip search over a string's chars (ASCII-only anchor sets: a char ≥ 0x80 is in none). */
function skipText(T: Uint16Array, ACCEPT: number, shift: Uint8Array, fold: Uint8Array, m: number, str: string): boolean {
  const to = str.length;
  let i = 0;
  const last = m - 1;
  while (i + m <= to) {
    const c = str.charCodeAt(i + last - 1);
    const d = str.charCodeAt(i + last);
    // a char ≥ 0x80 is in no anchor: no anchor's prefix ends at or just after it
    const sh = (c | d) < 0x80 ? shift[(fold[c]! << 8) | fold[d]!]! : d < 0x80 ? m - 1 : m;
    if (sh !== 0) {
      i += sh;
      continue;
    }
    let s = 0;
    do {
      const x = str.charCodeAt(i);
      s = x < 0x80 ? T[(s << 8) | x]! : 0;
      if (s === ACCEPT) return true;
      i++;
    } while (s !== 0 && i < to);
  }
  return false;
}

/** Bytes with ASCII capitals as lowercase, every other byte as itself. */
const FOLD = (() => {
  const f = new Uint8Array(256);
  for (let c = 0; c < 256; c++) f[c] = c >= 65 && c <= 90 ? c + 32 : c;
  return f;
})();

/**
 * The shift table over byte pairs (ASCII case folded): for each pair, the distance from its last
 * place in any anchor's first `m` bytes to the window's end; `m - 1` for a pair in none (a window
 * whose last byte is an anchor's first byte must not be passed).
 */
function skipTable(words: readonly (readonly number[])[], m: number): Uint8Array {
  const shift = new Uint8Array(1 << 16).fill(m - 1);
  for (const w of words) {
    for (let j = 0; j + 1 < m; j++) {
      const pair = (FOLD[w[j]!]! << 8) | FOLD[w[j + 1]!]!;
      const d = m - 2 - j;
      if (d < shift[pair]!) shift[pair] = d;
    }
  }
  return shift;
}

/**
 * Whether `str` has any anchor: for a long string, two lanes in lockstep (see searchBytes), the
 * second starting `longest - 1` chars before the middle so an anchor across it is still seen whole.
 */
function testText(T: Uint16Array, ACCEPT: number, longest: number, str: string): boolean {
  const n = str.length;
  const mid = n >> 1;
  const start2 = mid - longest + 1;
  let s = 0;
  let t = 0;
  let i = 0;
  if (n >= 4 * longest && start2 > 0) {
    let j = start2;
    for (; i < mid; i++, j++) {
      const c = str.charCodeAt(i);
      const d = str.charCodeAt(j);
      s = c < 0x80 ? T[(s << 8) | c]! : 0;
      t = d < 0x80 ? T[(t << 8) | d]! : 0;
      if (s === ACCEPT || t === ACCEPT) return true;
    }
    for (; j < n; j++) {
      const d = str.charCodeAt(j);
      t = d < 0x80 ? T[(t << 8) | d]! : 0;
      if (t === ACCEPT) return true;
    }
    return false;
  }
  for (; i < n; i++) {
    const c = str.charCodeAt(i);
    s = c < 0x80 ? T[(s << 8) | c]! : 0;
    if (s === ACCEPT) return true;
  }
  return false;
}

/**
 * Every occurrence of a set of lowercase ASCII keywords, in one pass: the rule matcher's keyword
 * test (engine/match.ts). Same construction as the anchor automaton, but it reports every keyword
 * ending at each position (its own and its suffixes'), and it reads chars, folding ASCII case.
 */
export interface KeywordAutomaton {
  /**
   * Marks `seen[k] = stamp` for every keyword k occurring in `s` and appends each newly seen k to
   * `found`; returns how many were appended, or -1 as soon as a char ≥ 0x80 is met (the caller
   * then lowercases with full Unicode rules, which ASCII folding cannot reproduce).
   */
  mark(s: string, seen: Uint32Array, stamp: number, found: Int32Array): number;
}

/**
 * Builds the keyword automaton (keyword ids are positions in `keywords`), or undefined when a
 * keyword is empty, not lowercase ASCII, or the table would not fit 15-bit state ids.
 */
export function buildKeywordAutomaton(keywords: readonly string[]): KeywordAutomaton | undefined {
  for (const k of keywords) {
    if (k.length === 0) return undefined;
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c > 0x7f || (c >= 65 && c <= 90)) return undefined;
    }
  }
  const trie = buildTrie(
    keywords.map((k) => Array.from({ length: k.length }, (_, i) => k.charCodeAt(i))),
    128,
  );
  if (trie.nodes >= 0x8000) return undefined;
  const { kids, nodes, order, fail } = trie;
  // Outputs per node: its own keyword ids, then its failure node's (already complete, shallower).
  const outs: number[][] = [];
  for (let n = 0; n < nodes; n++) outs.push(trie.ends[n] ?? []);
  for (const n of order) if (n !== 0 && outs[fail[n]!]!.length > 0) outs[n] = [...outs[n]!, ...outs[fail[n]!]!];
  const outStart = new Int32Array(nodes + 1);
  for (let n = 0; n < nodes; n++) outStart[n + 1] = outStart[n]! + outs[n]!.length;
  const outList = new Int32Array(outStart[nodes]!);
  for (let n = 0; n < nodes; n++) outList.set(outs[n]!, outStart[n]!);
  // Entries are (node << 1) | hasOutput; the row of entry v starts at (v >> 1) << 7.
  const table = new Uint16Array(nodes * 128);
  const entry = (n: number): number => (n << 1) | (outs[n]!.length > 0 ? 1 : 0);
  for (const n of order) {
    const base = n * 128;
    if (n !== 0) table.copyWithin(base, fail[n]! * 128, fail[n]! * 128 + 128);
    const ks = kids[n]!;
    for (let j = 0; j < ks.length; j += 2) table[base + ks[j]!] = entry(ks[j + 1]!);
    table.copyWithin(base + 65, base + 97, base + 123); // A-Z as a-z
  }
  return {
    mark(str, seen, stamp, found) {
      const T = table;
      let v = 0;
      let nf = 0;
      for (let i = 0; i < str.length; i++) {
        const c = str.charCodeAt(i);
        if (c >= 0x80) return -1;
        v = T[((v >>> 1) << 7) | c]!;
        if ((v & 1) !== 0) {
          const n = v >>> 1;
          for (let j = outStart[n]!, e = outStart[n + 1]!; j < e; j++) {
            const k = outList[j]!;
            if (seen[k] !== stamp) {
              seen[k] = stamp;
              found[nf++] = k;
            }
          }
        }
      }
      return nf;
    },
  };
}

interface Trie {
  /** Per node, its children as [char, node, char, node, …] (chars lowercased). */
  readonly kids: readonly (readonly number[])[];
  readonly nodes: number;
  /** Word ids ending at each node. */
  readonly ends: (number[] | undefined)[];
  /** Nodes breadth first, root first. */
  readonly order: readonly number[];
  /** Failure link: the node of the longest proper suffix that is in the trie. */
  readonly fail: Int32Array;
}

/**
 * The Aho–Corasick trie with failure links over words given as code arrays below `width` (chars
 * for the keyword automaton, UTF-8 bytes for the anchor automaton); ASCII capitals are folded.
 */
function buildTrie(words: readonly (readonly number[])[], width: 128 | 256): Trie {
  // Children are looked up in each node's short `kids` list (the root's in a direct table): no
  // nodes × width array, whose allocation cost more than the rest of the build for large anchor sets.
  const root = new Int32Array(width);
  const ends: (number[] | undefined)[] = [undefined];
  const kids: number[][] = [[]];
  const childOf = (n: number, c: number): number => {
    if (n === 0) return root[c]!;
    const ks = kids[n]!;
    for (let j = 0; j < ks.length; j += 2) if (ks[j] === c) return ks[j + 1]!;
    return 0;
  };
  let nodes = 1;
  for (let id = 0; id < words.length; id++) {
    const w = words[id]!;
    let n = 0;
    for (let i = 0; i < w.length; i++) {
      let c = w[i]!;
      if (c >= 65 && c <= 90) c += 32;
      let next = childOf(n, c);
      if (next === 0) {
        next = nodes++;
        if (n === 0) root[c] = next;
        kids[n]!.push(c, next);
        kids.push([]);
        ends.push(undefined);
      }
      n = next;
    }
    (ends[n] ??= []).push(id);
  }
  // Breadth first: a node's failure node is shallower, so it is final before the node is reached.
  const fail = new Int32Array(nodes);
  const order: number[] = [0];
  for (let head = 0; head < order.length; head++) {
    const n = order[head]!;
    const ks = kids[n]!;
    for (let j = 0; j < ks.length; j += 2) {
      const c = ks[j]!;
      const t = ks[j + 1]!;
      if (n !== 0) {
        // fail(t) = δ(fail(n), c): follow failure links until a node has a c-child
        let f = fail[n]!;
        while (f !== 0 && childOf(f, c) === 0) f = fail[f]!;
        fail[t] = childOf(f, c);
      }
      order.push(t);
    }
  }
  return { kids, nodes, ends, order, fail };
}
