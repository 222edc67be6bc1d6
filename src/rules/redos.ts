/**
 * A fast structural ReDoS analyser for rule patterns, run by `compileRules` on every pattern.
 *
 * It parses the compiled ECMAScript source into a small AST and looks for the shapes that make a
 * backtracking engine (V8's Irregexp) super-linear:
 *
 * 1. nested quantifiers (star height > 1): `(a+)+`, `(\w+\s?)*`, `(a{1,3}){0,400}`;
 * 2. a repeated alternation whose branches can start with the same character: `(a|aa)+`, `(\w|\d)*`;
 * 3. adjacent repeated atoms that can consume the same characters, with only optional items
 *    between them: `\s+\s*`, `\d+\.?\d+`, `[^"]{0,4096}[^:]{0,4096}` (bounded ones only when the
 *    product of their bounds is large);
 * 4. an unbounded repeat (`.*`, `.+`, `\S+`, `[^x]+`, `\d+`, …) followed later by something that
 *    can fail, at a position where the regex can also start inside the repeated run — unanchored
 *    search then retries the run from every start: `\s+$`, `/\S+: no space`, `.*error.*failed`.
 *
 * It is deliberately conservative (it may reject a linear pattern; rewrite it with a bounded
 * `{0,N}` or a literal anchor) and cheap (linear in the pattern), so it can run on every custom
 * rule at load time. Bounded repeats (`{0,4096}`) are accepted where their cost per start position
 * is a constant: with the per-record length cap, matching stays linear in the input.
 */

/** Characters as a 128-bit ASCII bitmap plus one bit for "some non-ASCII character". */
interface CharSet {
  readonly ascii: Uint32Array; // 4 words
  nonAscii: boolean;
  /** The non-ASCII characters in the set are only Unicode spaces (`\s`). */
  spaceOnly: boolean;
  /** No Unicode space is in the set (`[^\s]`, `\S`, ASCII-only sets). */
  noSpace: boolean;
  /** Every Unicode space is in the set (`\s`, `[\s'"]`, `.`). */
  allSpaces: boolean;
}

/** Non-ASCII characters `\s` matches, as ranges. */
const UNICODE_SPACES: readonly (readonly [number, number])[] = [
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

function hasUnicodeSpace(lo: number, hi: number): boolean {
  return UNICODE_SPACES.some(([a, b]) => lo <= b && hi >= a);
}

function emptySet(): CharSet {
  return { ascii: new Uint32Array(4), nonAscii: false, spaceOnly: false, noSpace: true, allSpaces: false };
}
function fullSet(): CharSet {
  return { ascii: Uint32Array.from([~0, ~0, ~0, ~0]), nonAscii: true, spaceOnly: false, noSpace: false, allSpaces: true };
}
function addCode(s: CharSet, c: number): void {
  if (c < 128) s.ascii[c >> 5]! |= 1 << (c & 31);
  else addNonAscii(s, c, c);
}
function addNonAscii(s: CharSet, lo: number, hi: number): void {
  s.nonAscii = true;
  s.spaceOnly = false;
  if (hasUnicodeSpace(lo, hi)) s.noSpace = false;
}
function addRange(s: CharSet, lo: number, hi: number): void {
  for (let c = lo; c <= Math.min(hi, 127); c++) addCode(s, c);
  if (hi >= 128) addNonAscii(s, Math.max(lo, 128), hi);
}
function union(a: CharSet, b: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i < 4; i++) out.ascii[i] = a.ascii[i]! | b.ascii[i]!;
  out.nonAscii = a.nonAscii || b.nonAscii;
  out.spaceOnly = out.nonAscii && (a.spaceOnly || !a.nonAscii) && (b.spaceOnly || !b.nonAscii);
  out.noSpace = a.noSpace && b.noSpace;
  out.allSpaces = a.allSpaces || b.allSpaces;
  return out;
}
function overlaps(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < 4; i++) if ((a.ascii[i]! & b.ascii[i]!) !== 0) return true;
  // `\s` and `[^\s]` share no character, ASCII or not.
  return a.nonAscii && b.nonAscii && !((a.spaceOnly && b.noSpace) || (b.spaceOnly && a.noSpace));
}
function complement(s: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i < 4; i++) out.ascii[i] = ~s.ascii[i]!;
  // A negated class matches almost every non-ASCII character.
  out.nonAscii = true;
  out.spaceOnly = false;
  // The complement of a set holding every Unicode space holds none, and the other way round.
  out.noSpace = s.allSpaces;
  out.allSpaces = s.noSpace;
  return out;
}
/** Case-insensitive matching: a letter stands for both cases. */
function foldCase(s: CharSet): CharSet {
  const out = union(s, emptySet());
  for (let c = 65; c <= 90; c++) {
    const up = (s.ascii[c >> 5]! >>> (c & 31)) & 1;
    const low = (s.ascii[(c + 32) >> 5]! >>> ((c + 32) & 31)) & 1;
    if (up === 1 || low === 1) {
      addCode(out, c);
      addCode(out, c + 32);
    }
  }
  return out;
}

const DIGIT = ((): CharSet => {
  const s = emptySet();
  addRange(s, 48, 57);
  return s;
})();
const WORD = ((): CharSet => {
  const s = emptySet();
  addRange(s, 48, 57);
  addRange(s, 65, 90);
  addRange(s, 97, 122);
  addCode(s, 95);
  return s;
})();
const SPACE = ((): CharSet => {
  const s = emptySet();
  for (const c of [9, 10, 11, 12, 13, 32]) addCode(s, c);
  // \u00a0, \u2028, \ufeff, …
  s.nonAscii = true;
  s.spaceOnly = true;
  s.noSpace = false;
  s.allSpaces = true;
  return s;
})();
const DOT = ((): CharSet => {
  const s = fullSet();
  s.ascii[0]! &= ~((1 << 10) | (1 << 13));
  return s;
})();

type Node =
  | { readonly kind: 'char'; readonly set: CharSet }
  | { readonly kind: 'assert'; readonly start: boolean }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly branches: readonly Node[] }
  | { readonly kind: 'quant'; readonly body: Node; readonly min: number; readonly max: number; readonly at: number };

class ParseError extends Error {}

/** Parses the ECMAScript regex subset rules use; unknown escapes are taken literally. */
function parse(source: string, ignoreCase: boolean): Node {
  let i = 0;
  const fold = (s: CharSet): CharSet => (ignoreCase ? foldCase(s) : s);

  function classEscape(): CharSet {
    // at source[i] === '\\'
    const c = source[i + 1] ?? '';
    i += 2;
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      default: {
        const s = emptySet();
        addCode(s, escapeCode(c));
        return s;
      }
    }
  }

  function escapeCode(c: string): number {
    switch (c) {
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'f':
        return 12;
      case 'v':
        return 11;
      case '0':
        return 0;
      case 'x': {
        const h = source.slice(i, i + 2);
        i += 2;
        return Number.parseInt(h, 16) || 0;
      }
      case 'u': {
        if (source[i] === '{') {
          const end = source.indexOf('}', i);
          const h = source.slice(i + 1, end);
          i = end + 1;
          return Number.parseInt(h, 16) || 0;
        }
        const h = source.slice(i, i + 4);
        i += 4;
        return Number.parseInt(h, 16) || 0;
      }
      case 'c':
        i++;
        return 1;
      default:
        return c.codePointAt(0) ?? 0;
    }
  }

  function parseClass(): CharSet {
    // at '['
    i++;
    let negate = false;
    if (source[i] === '^') {
      negate = true;
      i++;
    }
    let set = emptySet();
    while (i < source.length && source[i] !== ']') {
      let lo: number;
      if (source[i] === '\\') {
        const c = source[i + 1] ?? '';
        if ('dDwWsS'.includes(c)) {
          set = union(set, classEscape());
          continue;
        }
        i += 2;
        lo = c === 'b' ? 8 : escapeCode(c);
      } else {
        lo = source.codePointAt(i) ?? 0;
        i += lo > 0xffff ? 2 : 1;
      }
      if (source[i] === '-' && source[i + 1] !== ']' && i + 1 < source.length) {
        i++;
        let hi: number;
        if (source[i] === '\\') {
          const c = source[i + 1] ?? '';
          i += 2;
          hi = escapeCode(c);
        } else {
          hi = source.codePointAt(i) ?? 0;
          i += hi > 0xffff ? 2 : 1;
        }
        addRange(set, lo, hi);
      } else addCode(set, lo);
    }
    if (source[i] !== ']') throw new ParseError('unterminated character class');
    i++;
    set = fold(set);
    return negate ? complement(set) : set;
  }

  function parseAlt(): Node {
    const branches: Node[] = [parseSeq()];
    while (source[i] === '|') {
      i++;
      branches.push(parseSeq());
    }
    return branches.length === 1 ? branches[0]! : { kind: 'alt', branches };
  }

  function parseSeq(): Node {
    const items: Node[] = [];
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const at = i;
      let atom = parseAtom();
      for (;;) {
        const q = parseQuantifier();
        if (q === null) break;
        atom = { kind: 'quant', body: atom, min: q.min, max: q.max, at };
      }
      items.push(atom);
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  }

  function parseQuantifier(): { min: number; max: number } | null {
    const c = source[i];
    let q: { min: number; max: number } | null = null;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
      if (m === null) return null; // a literal '{', as ECMAScript (non-unicode) allows
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length;
      if (source[i] === '?') i++;
      return { min, max };
    }
    if (q === null) return null;
    i++;
    if (source[i] === '?') i++; // lazy: same worst case as greedy
    return q;
  }

  function parseAtom(): Node {
    const c = source[i]!;
    if (c === '(') {
      i++;
      let lookaround = false;
      if (source[i] === '?') {
        if (source[i + 1] === ':') i += 2;
        else if (source[i + 1] === '=' || source[i + 1] === '!') {
          i += 2;
          lookaround = true;
        } else if (source[i + 1] === '<' && (source[i + 2] === '=' || source[i + 2] === '!')) {
          i += 3;
          lookaround = true;
        } else if (source[i + 1] === '<') {
          const end = source.indexOf('>', i);
          if (end < 0) throw new ParseError('unterminated group name');
          i = end + 1;
        } else throw new ParseError('unknown group kind');
      }
      const body = parseAlt();
      if (source[i] !== ')') throw new ParseError('unbalanced parenthesis');
      i++;
      // A lookaround consumes nothing; it can fail, which is all the analysis needs to know.
      return lookaround ? { kind: 'assert', start: false } : body;
    }
    if (c === '[') return { kind: 'char', set: parseClass() };
    if (c === '.') {
      i++;
      return { kind: 'char', set: DOT };
    }
    if (c === '^' || c === '$') {
      i++;
      return { kind: 'assert', start: c === '^' };
    }
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (n === 'b' || n === 'B') {
        i += 2;
        return { kind: 'assert', start: false };
      }
      if (/[1-9]/.test(n) || (n === 'k' && source[i + 2] === '<')) throw new ParseError('backreference');
      if ('dDwWsS'.includes(n)) return { kind: 'char', set: classEscape() };
      i += 2;
      const s = emptySet();
      addCode(s, escapeCode(n));
      return { kind: 'char', set: fold(s) };
    }
    if (c === '*' || c === '+' || c === '?') throw new ParseError('nothing to repeat');
    const code = source.codePointAt(i) ?? 0;
    i += code > 0xffff ? 2 : 1;
    const s = emptySet();
    addCode(s, code);
    return { kind: 'char', set: fold(s) };
  }

  const root = parseAlt();
  if (i < source.length) throw new ParseError('unbalanced parenthesis');
  return root;
}

const EMPTY = emptySet();

/** Can the node match the empty string? */
function nullable(n: Node): boolean {
  switch (n.kind) {
    case 'char':
      return false;
    case 'assert':
      return true;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.branches.some(nullable);
    case 'quant':
      return n.min === 0 || nullable(n.body);
  }
}

/** Can the node fail where it is tried (so the engine must backtrack into what came before)? */
function canFail(n: Node): boolean {
  switch (n.kind) {
    case 'char':
    case 'assert':
      return true;
    case 'seq':
      return n.items.some(canFail);
    case 'alt':
      return n.branches.every(canFail);
    case 'quant':
      return n.min > 0 && canFail(n.body);
  }
}

/** Characters the node can consume first. */
function first(n: Node): CharSet {
  switch (n.kind) {
    case 'char':
      return n.set;
    case 'assert':
      return EMPTY;
    case 'seq': {
      let s = EMPTY;
      for (const it of n.items) {
        s = union(s, first(it));
        if (!nullable(it)) break;
      }
      return s;
    }
    case 'alt':
      return n.branches.map(first).reduce(union, EMPTY);
    case 'quant':
      return n.max === 0 ? EMPTY : first(n.body);
  }
}

/** Every character the node can consume anywhere. */
function chars(n: Node): CharSet {
  switch (n.kind) {
    case 'char':
      return n.set;
    case 'assert':
      return EMPTY;
    case 'seq':
      return n.items.map(chars).reduce(union, EMPTY);
    case 'alt':
      return n.branches.map(chars).reduce(union, EMPTY);
    case 'quant':
      return chars(n.body);
  }
}

function hasVariableRepeat(n: Node): boolean {
  switch (n.kind) {
    case 'seq':
      return n.items.some(hasVariableRepeat);
    case 'alt':
      return n.branches.some(hasVariableRepeat);
    case 'quant':
      return (n.max > 1 && n.min < n.max) || hasVariableRepeat(n.body);
    default:
      return false;
  }
}

/** A repeat that can spread over a long run: unbounded, or bounded so high it acts like it. */
function hasLargeRepeat(n: Node): boolean {
  switch (n.kind) {
    case 'seq':
      return n.items.some(hasLargeRepeat);
    case 'alt':
      return n.branches.some(hasLargeRepeat);
    case 'quant':
      return n.max > LARGE_REPEAT || hasLargeRepeat(n.body);
    default:
      return false;
  }
}
const LARGE_REPEAT = 1000;

/**
 * How many ways a node can split the text it matches: the product of the lengths each variable
 * repeat can take (a repeat of a repeat is refused elsewhere, as nested quantifiers).
 */
function ways(n: Node): number {
  switch (n.kind) {
    case 'seq':
      return n.items.reduce((p, it) => p * ways(it), 1);
    case 'alt':
      return n.branches.reduce((s, b) => s + ways(b), 0);
    case 'quant': {
      const width = n.max === Infinity ? Infinity : n.max - n.min + 1;
      return n.max > 1 && n.min < n.max ? width * Math.max(1, ways(n.body)) : ways(n.body);
    }
    default:
      return 1;
  }
}

/**
 * The items of `nodes` with groups opened: a sequence becomes its items, an optional group
 * (`(?:…)?`) its items marked optional (they may be absent, so they neither pin nor separate).
 */
function expand(nodes: readonly Node[], groups: readonly number[] = [], ids = { next: 0 }): { node: Node; optional: boolean; groups: readonly number[] }[] {
  const out: { node: Node; optional: boolean; groups: readonly number[] }[] = [];
  for (const n of nodes) {
    if (n.kind === 'seq') out.push(...expand(n.items, groups, ids));
    else if (n.kind === 'quant' && n.max === 1) out.push(...expand([n.body], n.min === 0 ? [...groups, ids.next++] : groups, ids));
    else out.push({ node: n, optional: groups.length > 0, groups });
  }
  return out;
}

/**
 * How many places a node can end at, which is what a later repeat over the same characters
 * multiplies: a group whose last variable repeat is followed by a literal (`[\w./-]{1,200}\smap`)
 * ends only where the literal occurs, at most every `period` characters; alternatives add up.
 */
function endWays(n: Node): number {
  if (n.kind === 'alt') return n.branches.reduce((s, b) => s + endWays(b), 0);
  if (n.kind !== 'seq') return ways(n);
  const items = flatten(n);
  let j = items.length - 1;
  while (j >= 0 && !hasVariableRepeat(items[j]!)) j--;
  if (j < 0) return 1;
  const before = items.slice(0, j).reduce((p, it) => p * (hasVariableRepeat(it) ? ways(it) : 1), 1);
  const tail = items.slice(j + 1).filter((it) => !nullable(it));
  return before * Math.max(1, Math.ceil(endWays(items[j]!) / period(tail)));
}

/** Fewest characters the node consumes. */
function minLength(n: Node): number {
  switch (n.kind) {
    case 'char':
      return 1;
    case 'assert':
      return 0;
    case 'seq':
      return n.items.reduce((s, it) => s + minLength(it), 0);
    case 'alt':
      return Math.min(...n.branches.map(minLength));
    case 'quant':
      return n.min * minLength(n.body);
  }
}

/**
 * A lower bound on the distance between two occurrences of a separator that starts with one
 * character (`cgroup` occurs at most every 6 characters, `aa` at every one): an occurrence can
 * start inside another only at an item that can match the first character.
 */
function period(sep: readonly Node[]): number {
  const head = sep[0];
  if (head === undefined || head.kind !== 'char') return 1;
  let d = 1;
  for (let k = 1; k < sep.length; k++) {
    const it = sep[k]!;
    if (overlaps(chars(it), head.set)) return d;
    d += minLength(it);
  }
  return d;
}

/** Flattens nested sequences (groups without a quantifier) into one list of items. */
function flatten(n: Node): Node[] {
  return n.kind === 'seq' ? n.items.flatMap(flatten) : [n];
}

/** A repeat whose cost per start position is not a small constant. */
const BOUNDED_PRODUCT_LIMIT = 100_000;

/** What the analyser found: a reason a maintainer can act on, and where in the source. */
export interface RedosProblem {
  readonly reason: string;
  /** Offset in the compiled source of the repeat at fault. */
  readonly at: number;
}

function quantText(source: string, q: { at: number }): string {
  const s = source.slice(q.at, q.at + 40);
  return s.length === 40 ? `${s}…` : s;
}

/**
 * Analyses one compiled pattern. Returns the first problem found or null when the pattern has none
 * of the super-linear shapes. Throws nothing: a source it cannot parse is reported as a problem.
 */
export function analyseRedos(source: string, flags = ''): RedosProblem | null {
  let root: Node;
  try {
    root = parse(source, flags.includes('i'));
  } catch (e) {
    return { reason: `cannot analyse the pattern (${(e as Error).message})`, at: 0 };
  }
  const problems: RedosProblem[] = [];

  /**
   * Can what precedes an unbounded repeat of `run` characters end at many positions inside one
   * long run of those characters? Then an unanchored search retries the repeat from each of them.
   * `prefix` lists what precedes, nearest last. Walking back: optional items may be absent; an item
   * that must consume a character outside `run` pins the end position (safe); `^` pins the start
   * (safe when nothing before it could spread); an earlier unbounded repeat over the same
   * characters spreads the end position (unsafe); reaching the pattern start unanchored is unsafe.
   */
  function spreads(prefix: readonly Node[], run: CharSet): boolean {
    // Characters that must be consumed between an earlier repeat and this one.
    const between: CharSet[] = [];
    for (let k = prefix.length - 1; k >= 0; k--) {
      const p = prefix[k]!;
      if (p.kind === 'assert') {
        if (p.start) return false;
        continue;
      }
      const c = chars(p);
      if (hasLargeRepeat(p)) {
        // `^.*a.*b` spreads; `^[^:]+: .*$` does not: `[^:]+` ends at the first colon.
        if (overlaps(c, run) && between.every((s) => overlaps(c, s))) return true;
      } else if (!overlaps(c, run) && !nullable(p)) return false;
      if (!nullable(p)) between.push(c);
    }
    return true;
  }

  /**
   * Bounded repeats chained through what they can also match (`.{0,1000}a.{0,1000}a.{0,1000}:`):
   * when the end fails, the engine tries every split of the text between them, so the cost per
   * start position is the product of their widths (degree k in the bound for k repeats). Walks
   * back from a repeat over `run` as {@link spreads} does and multiplies the widths of the earlier
   * repeats that can take over its stretch; returns that product and how many repeats it has.
   */
  function chained(prefix: readonly Node[], run: CharSet): { product: number; count: number } {
    const items = expand(prefix);
    let product = 1;
    let count = 0;
    // Mandatory items (within their optional groups) between the repeat being looked at and the
    // next earlier one, nearest first; one inside optional groups separates only repeats inside them too.
    let between: { node: Node; set: CharSet; groups: readonly number[] }[] = [];
    const all: { node: Node; set: CharSet; groups: readonly number[] }[] = [];
    for (let k = items.length - 1; k >= 0; k--) {
      const { node: p, optional, groups } = items[k]!;
      if (p.kind === 'assert') {
        if (p.start && !optional) break;
        continue;
      }
      const c = chars(p);
      if (hasVariableRepeat(p)) {
        const present = (b: { groups: readonly number[] }): boolean => b.groups.every((g) => groups.includes(g));
        if (overlaps(c, run) && all.filter(present).every((b) => overlaps(c, b.set))) {
          // The earlier repeat can end before any occurrence of what separates it from the
          // later one; occurrences are at least the separator's period apart.
          product *= Math.max(1, Math.ceil(endWays(p) / period(between.filter(present).map((b) => b.node))));
          count++;
        }
        between = [];
      } else if (!overlaps(c, run) && !nullable(p) && !optional) break;
      if (!nullable(p)) {
        const entry = { node: p, set: c, groups };
        between.unshift(entry);
        all.push(entry);
      }
    }
    return { product, count };
  }

  function visit(n: Node, prefix: readonly Node[], contCanFail: boolean): void {
    switch (n.kind) {
      case 'char':
      case 'assert':
        return;
      case 'alt':
        for (const b of n.branches) visit(b, prefix, contCanFail);
        return;
      case 'seq': {
        const items = flatten(n);
        // Whether what follows item k (inside this sequence, then after it) can fail.
        const tailFails: boolean[] = new Array<boolean>(items.length);
        let acc = contCanFail;
        for (let k = items.length - 1; k >= 0; k--) {
          tailFails[k] = acc;
          acc ||= canFail(items[k]!);
        }
        checkAdjacent(items);
        for (let k = 0; k < items.length; k++) visit(items[k]!, [...prefix, ...items.slice(0, k)], tailFails[k]!);
        return;
      }
      case 'quant': {
        const body = n.body;
        if (n.max > 1 && n.min < n.max && hasVariableRepeat(body)) {
          problems.push({ reason: `nested quantifiers (star height > 1) at "${quantText(source, n)}"`, at: n.at });
        }
        if (n.max > 1 && body.kind === 'alt') {
          const bs = body.branches;
          outer: for (let a = 0; a < bs.length; a++) {
            for (let b = a + 1; b < bs.length; b++) {
              if (overlaps(first(bs[a]!), first(bs[b]!)) || nullable(bs[a]!) || nullable(bs[b]!)) {
                problems.push({ reason: `repeated alternation with overlapping branches at "${quantText(source, n)}"`, at: n.at });
                break outer;
              }
            }
          }
        }
        if (n.max === Infinity && contCanFail && spreads(prefix, chars(body))) {
          problems.push({
            reason:
              `unbounded repeat "${quantText(source, n)}" followed by something that can fail, where a match can also ` +
              'start inside the repeated run (quadratic on a long run); bound it, e.g. {0,4096}, or put a literal before it',
            at: n.at,
          });
        }
        if (n.max > 1 && n.min < n.max && n.max !== Infinity && contCanFail) {
          const { product, count } = chained(prefix, chars(body));
          const cost = product * ways(n);
          if (count > 0 && cost > BOUNDED_PRODUCT_LIMIT) {
            problems.push({
              reason:
                `${count + 1} repeats up to "${quantText(source, n)}" can share the same characters (about ${cost >= 1e15 ? 'unbounded' : cost.toExponential(0)} ways ` +
                'to split a line per start position, super-linear in their bounds); separate them with a character they cannot match, e.g. [^:]{0,1000}:',
              at: n.at,
            });
          }
        }
        // Inside a repeat, earlier iterations precede the body, and later ones may follow it.
        visit(body, n.max > 1 ? [...prefix, n] : prefix, contCanFail || n.max > 1);
        return;
      }
    }
  }

  function checkAdjacent(items: readonly Node[]): void {
    for (let a = 0; a < items.length; a++) {
      const qa = items[a]!;
      if (qa.kind !== 'quant' || qa.max <= 1 || qa.min === qa.max) continue;
      const setA = chars(qa.body);
      for (let b = a + 1; b < items.length; b++) {
        const qb = items[b]!;
        if (qb.kind === 'quant' && qb.max > 1 && qb.min < qb.max && overlaps(setA, chars(qb.body))) {
          const unbounded = qa.max === Infinity && qb.max === Infinity;
          if (unbounded || qa.max * qb.max > BOUNDED_PRODUCT_LIMIT) {
            problems.push({
              reason: `adjacent repeats "${quantText(source, qa)}" and "${quantText(source, qb)}" can match the same characters`,
              at: qa.at,
            });
          }
          break;
        }
        if (!nullable(qb)) break;
      }
    }
  }

  visit(root, [], false);
  return problems[0] ?? null;
}

/** The attack recheck reports: the string is `prefix₁ pump₁ⁿ … prefixₖ pumpₖⁿ suffix`. */
export interface AttackPattern {
  readonly pumps: readonly { readonly prefix: string; readonly pump: string }[];
  readonly suffix: string;
}

/** Builds recheck's attack string with each pump repeated `n` times. */
export function attackString(attack: AttackPattern, n: number): string {
  return attack.pumps.map((p) => p.prefix + p.pump.repeat(n)).join('') + attack.suffix;
}

function timeExec(re: RegExp, input: string, runs: number): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    re.lastIndex = 0;
    re.exec(input);
    times.push(performance.now() - t0);
  }
  // The fastest run: a busy machine (GC, other test files on the same cores) only ever adds
  // time, so the minimum is the best estimate of the engine's own cost.
  return Math.min(...times);
}

/**
 * Times `re` on the attack string at n and 4n pumps (fastest of `runs`). Linear growth gives a
 * ratio near 4, quadratic near 16, cubic near 64. `n` starts where the attack is `minLength`
 * characters long: recheck's bounded-gap false positives (`[^)]{0,4200}`) only look linear once
 * the input is longer than the bound, and 16 KiB is the default record cap, the longest input a
 * rule sees. It grows until one run takes `minMs`, so timer resolution does not decide.
 */
export function confirmLinearInV8(
  re: RegExp,
  attack: AttackPattern,
  options: { minMs?: number; minLength?: number; maxLength?: number; limit?: number; runs?: number } = {},
): { linear: boolean; n: number; ratio: number; msAtN: number; msAt4N: number } {
  const minMs = options.minMs ?? 2;
  const minLength = options.minLength ?? 16_384;
  const maxLength = options.maxLength ?? 1 << 24;
  const limit = options.limit ?? 8;
  const runs = options.runs ?? 5;
  const r = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
  const pumpLength = Math.max(1, attack.pumps.reduce((a, p) => a + p.pump.length, 0));
  let n = Math.max(1, Math.ceil(minLength / pumpLength));
  let t = timeExec(r, attackString(attack, n), runs);
  while (t < minMs && attackString(attack, n * 8).length <= maxLength) {
    n *= 2;
    t = timeExec(r, attackString(attack, n), runs);
  }
  const t4 = timeExec(r, attackString(attack, 4 * n), runs);
  const ratio = t4 / Math.max(t, 1e-3);
  return { linear: ratio < limit, n, ratio, msAtN: t, msAt4N: t4 };
}
