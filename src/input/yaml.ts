/**
 * A small YAML reader for what `kubectl -o yaml` prints: block mappings and sequences (including
 * sequences at their key's indentation), flow collections, plain scalars folded over lines,
 * single-quoted (`''`) and double-quoted (escapes, trailing-`\` continuation) scalars, and `|`/`>`
 * block scalars. Scalars stay strings (`null`/`~` become null). Anchors, aliases and tags are plain
 * text. Mappings are null-prototype objects, so no key can reach a prototype. It never throws:
 * malformed input yields whatever could be read.
 *
 * Why not the `yaml` package: bundled for the default entry it costs 35.5 KB gzip (2.9.1, esbuild
 * bundle + minify, gzip -9, as scripts/size.ts measures), against 2.6 KB for this reader, and the
 * default entry is already at 81.8 KB of its 85 KB budget (test/package/size.test.ts). kubectl's
 * printer (go-yaml through sigs.k8s.io/yaml) uses a small corner of YAML, which is all this reads;
 * test/input/yaml.test.ts holds it equal to the package on objects kubectl prints.
 */

/** Line span (0-based, inclusive) of each mapping and sequence, for record line numbers. */
export type Spans = Map<object, [number, number]>;

export interface YamlResult {
  docs: unknown[];
  spans: Spans;
}

const MAX_DEPTH = 100;

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i;
}

function isSeqItem(content: string): boolean {
  return content.charCodeAt(0) === 45 && (content.length === 1 || content[1] === ' ');
}

/** `key: rest` at the start of `content`, or undefined. */
function keyOf(content: string): { key: string; rest: string } | undefined {
  const c = content[0];
  if (c === undefined || c === '#' || c === '[' || c === '{' || c === '|' || c === '>' || c === '&' || c === '*' || c === '!') {
    return undefined;
  }
  if (c === '"' || c === "'") {
    let k = 1;
    while (k < content.length) {
      if (content[k] === '\\' && c === '"') k += 2;
      else if (content[k] === c) {
        if (c === "'" && content[k + 1] === "'") k += 2;
        else break;
      } else k++;
    }
    if (content[k] !== c || content[k + 1] !== ':' || (content.length > k + 2 && content[k + 2] !== ' ')) return undefined;
    const raw = content.slice(1, k);
    const key = c === "'" ? raw.replace(/''/g, "'") : decodeDouble(raw);
    return { key, rest: content.slice(k + 2) };
  }
  if (c === '-' && isSeqItem(content)) return undefined;
  let idx = content.indexOf(': ');
  if (idx < 0 && content.endsWith(':')) idx = content.length - 1;
  if (idx <= 0 || idx > 256) return undefined;
  const key = content.slice(0, idx).trimEnd();
  if (key.includes(' #')) return undefined;
  return { key, rest: content.slice(idx + 1) };
}

function hexValue(s: string): number {
  return /^[0-9a-fA-F]+$/.test(s) ? Number.parseInt(s, 16) : -1;
}

/** Decodes the escapes of a YAML double-quoted scalar (one segment, no line folding). */
function decodeDouble(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    i += 2;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
      case '\t':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '0':
        out += '\0';
        break;
      case 'e':
        out += '\x1b';
        break;
      case ' ':
        out += ' ';
        break;
      case 'N':
        out += '\x85';
        break;
      case '_':
        out += '\xa0';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const v = hexValue(s.slice(i, i + len));
        if (v >= 0 && v <= 0x10ffff && s.length >= i + len) {
          out += String.fromCodePoint(v);
          i += len;
        } else out += `\\${e}`;
        break;
      }
      case undefined:
        out += '\\';
        break;
      default:
        // \" \\ \/ and anything unknown: the character itself
        out += e;
    }
  }
  return out;
}

function stripComment(s: string): string {
  const at = s.indexOf(' #');
  return at < 0 ? s : s.slice(0, at);
}

function plainValue(s: string): string | null {
  const t = s.trim();
  return t === 'null' || t === '~' || t === '' ? null : t;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly L: string[],
    readonly spans: Spans,
  ) {}

  private blank(k: number): boolean {
    const line = this.L[k] as string;
    const p = indentOf(line);
    return p >= line.length || line[p] === '#' || line.trim() === '';
  }

  private skip(): void {
    while (this.i < this.L.length && this.blank(this.i)) this.i++;
  }

  private lastContent(from: number): number {
    let k = this.i - 1;
    while (k > from && this.blank(k)) k--;
    return Math.max(from, k);
  }

  docs(): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.L.length) break;
      const line = this.L[this.i] as string;
      if (line.startsWith('---') || line.startsWith('...')) {
        this.i++;
        continue;
      }
      const before = this.i;
      out.push(this.node(indentOf(line), -1));
      if (this.i === before) this.i++;
    }
    return out;
  }

  /** The block node at the current line, whose indentation is `indent` (> `parent`). */
  private node(indent: number, parent: number): unknown {
    const line = this.L[this.i] as string;
    const content = line.slice(indent);
    if (this.depth >= MAX_DEPTH) {
      this.i++;
      return content;
    }
    this.depth++;
    try {
      if (isSeqItem(content)) return this.seq(indent);
      if (keyOf(content) !== undefined) return this.map(indent);
      this.i++;
      return this.scalar(content, parent);
    } finally {
      this.depth--;
    }
  }

  private map(indent: number): Record<string, unknown> {
    const o = Object.create(null) as Record<string, unknown>;
    const start = this.i;
    for (;;) {
      this.skip();
      if (this.i >= this.L.length) break;
      const line = this.L[this.i] as string;
      if (indentOf(line) !== indent || line.startsWith('---') || line.startsWith('...')) break;
      const kv = keyOf(line.slice(indent));
      if (kv === undefined) break;
      this.i++;
      o[kv.key] = this.value(kv.rest, indent);
    }
    this.spans.set(o, [start, this.lastContent(start)]);
    return o;
  }

  private seq(indent: number): unknown[] {
    const a: unknown[] = [];
    const start = this.i;
    for (;;) {
      this.skip();
      if (this.i >= this.L.length) break;
      const line = this.L[this.i] as string;
      if (indentOf(line) !== indent) break;
      const content = line.slice(indent);
      if (!isSeqItem(content)) break;
      const after = content.slice(1);
      const sp = indentOf(after);
      const rest = after.slice(sp);
      if (rest === '' || rest.startsWith('#')) {
        this.i++;
        this.skip();
        const next = this.L[this.i];
        a.push(next !== undefined && indentOf(next) > indent ? this.node(indentOf(next), indent) : null);
        continue;
      }
      const col = indent + 1 + sp;
      if (isSeqItem(rest) || keyOf(rest) !== undefined) {
        // "- key: v": the item is a mapping whose keys sit at the column after "- "
        this.L[this.i] = ' '.repeat(col) + rest;
        const before = this.i;
        a.push(this.node(col, indent));
        if (this.i === before) this.i++;
      } else {
        this.i++;
        a.push(this.inline(rest, indent));
      }
    }
    this.spans.set(a, [start, this.lastContent(start)]);
    return a;
  }

  /** The value after `key:` (`rest` may be empty: then the value is the block below). */
  private value(rest: string, indent: number): unknown {
    const r = rest.trim();
    if (r === '' || r.startsWith('#')) {
      this.skip();
      const next = this.L[this.i];
      if (next === undefined) return null;
      const ni = indentOf(next);
      if (ni > indent) return this.node(ni, indent);
      if (ni === indent && isSeqItem(next.slice(ni))) return this.seq(ni);
      return null;
    }
    return this.inline(r, indent);
  }

  /** A scalar or flow collection starting on the current key/item line; continuation lines follow. */
  private inline(r: string, indent: number): unknown {
    const c = r[0];
    if (c === '|' || c === '>') return this.block(r, indent);
    if (c === '"') return this.doubleQuoted(r.slice(1), indent);
    if (c === "'") return this.singleQuoted(r.slice(1), indent);
    if (c === '[' || c === '{') return this.flow(r, indent);
    return this.scalar(r, indent);
  }

  /** Plain scalar, folded over the following more-indented lines. */
  private scalar(first: string, indent: number): string | null {
    const parts = [stripComment(first).trim()];
    let pendingBreaks = 0;
    while (this.i < this.L.length) {
      const line = this.L[this.i] as string;
      if (line.trim() === '') {
        pendingBreaks++;
        this.i++;
        continue;
      }
      if (indentOf(line) <= indent) break;
      const t = line.trim();
      if (t.startsWith('#')) break;
      parts.push(pendingBreaks > 0 ? `${'\n'.repeat(pendingBreaks)}${t}` : t);
      pendingBreaks = 0;
      this.i++;
    }
    if (pendingBreaks > 0) {
      // blank lines after the scalar belong to whatever follows
      this.i -= pendingBreaks;
    }
    if (parts.length === 1) return plainValue(parts[0] as string);
    let out = parts[0] as string;
    for (let k = 1; k < parts.length; k++) {
      const part = parts[k] as string;
      out += part.startsWith('\n') ? part : ` ${part}`;
    }
    return out;
  }

  private singleQuoted(rest: string, indent: number): string {
    let out = '';
    let seg = rest;
    let breaks = -1;
    for (;;) {
      let k = 0;
      let closed = -1;
      while (k < seg.length) {
        const q = seg.indexOf("'", k);
        if (q < 0) break;
        if (seg[q + 1] === "'") {
          k = q + 2;
          continue;
        }
        closed = q;
        break;
      }
      let piece = (closed < 0 ? seg : seg.slice(0, closed)).replace(/''/g, "'");
      if (closed < 0) piece = piece.trimEnd();
      out += breaks < 0 ? piece : breaks === 0 ? ` ${piece}` : `${'\n'.repeat(breaks)}${piece}`;
      if (closed >= 0) return out;
      breaks = 0;
      // continuation lines
      for (;;) {
        const line = this.L[this.i];
        if (line === undefined) return out;
        if (line.trim() === '') {
          breaks++;
          this.i++;
          continue;
        }
        if (indentOf(line) <= indent) return out;
        break;
      }
      seg = (this.L[this.i] as string).trim();
      this.i++;
    }
  }

  private doubleQuoted(rest: string, indent: number): string {
    let out = '';
    let seg = rest;
    let joiner = '';
    for (;;) {
      let k = 0;
      let closed = -1;
      while (k < seg.length) {
        const ch = seg[k];
        if (ch === '\\') k += 2;
        else if (ch === '"') {
          closed = k;
          break;
        } else k++;
      }
      let body = closed < 0 ? seg : seg.slice(0, closed);
      let escapedBreak = false;
      if (closed < 0) {
        // a trailing unescaped backslash joins the next line without a space
        let b = 0;
        while (b < body.length && body[body.length - 1 - b] === '\\') b++;
        if (b % 2 === 1) {
          escapedBreak = true;
          body = body.slice(0, -1);
        } else body = body.trimEnd();
      }
      out += joiner + decodeDouble(body);
      if (closed >= 0) return out;
      let breaks = 0;
      for (;;) {
        const line = this.L[this.i];
        if (line === undefined) return out;
        if (line.trim() === '') {
          breaks++;
          this.i++;
          continue;
        }
        if (indentOf(line) <= indent) return out;
        break;
      }
      joiner = escapedBreak ? '' : breaks > 0 ? '\n'.repeat(breaks) : ' ';
      seg = (this.L[this.i] as string).trimStart();
      this.i++;
    }
  }

  /** `|`, `|-`, `>+2`, …: literal or folded block scalar. */
  private block(header: string, indent: number): string {
    const h = stripComment(header).trim();
    const folded = h[0] === '>';
    const keep = h.includes('+');
    const strip = h.includes('-');
    const explicit = /\d/.exec(h);
    let blockIndent = explicit !== null ? indent + Number(explicit[0]) : -1;
    const lines: string[] = [];
    while (this.i < this.L.length) {
      const line = this.L[this.i] as string;
      if (line.trim() === '') {
        lines.push('');
        this.i++;
        continue;
      }
      const ind = indentOf(line);
      if (blockIndent < 0) {
        if (ind <= indent) break;
        blockIndent = ind;
      }
      if (ind < blockIndent) break;
      lines.push(line.slice(blockIndent));
      this.i++;
    }
    let trailing = 0;
    while (lines.length > 0 && lines[lines.length - 1] === '') {
      lines.pop();
      trailing++;
    }
    if (trailing > 0) this.i -= trailing;
    let text: string;
    if (!folded) text = lines.join('\n');
    else {
      text = '';
      let prevBlank = true;
      for (const l of lines) {
        if (l === '') {
          text += '\n';
          prevBlank = true;
        } else {
          text += prevBlank || l.startsWith(' ') ? l : ` ${l}`;
          prevBlank = false;
        }
      }
    }
    if (strip) return text;
    return keep ? text + '\n'.repeat(trailing + 1) : `${text}\n`;
  }

  /** Flow collection, possibly spread over lines. */
  private flow(first: string, indent: number): unknown {
    let text = first;
    let depth = 0;
    let quote = '';
    const scan = (s: string): void => {
      for (let k = 0; k < s.length; k++) {
        const ch = s[k];
        if (quote !== '') {
          if (quote === '"' && ch === '\\') k++;
          else if (ch === quote) quote = '';
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '[' || ch === '{') depth++;
        else if (ch === ']' || ch === '}') depth--;
      }
    };
    scan(first);
    while (depth > 0 && this.i < this.L.length && text.length < 1 << 20) {
      const line = this.L[this.i] as string;
      if (line.trim() !== '' && indentOf(line) <= indent) break;
      this.i++;
      text += ` ${line.trim()}`;
      scan(line);
    }
    const p = new FlowParser(text);
    return p.value(0);
  }
}

class FlowParser {
  private k = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.k < this.s.length && (this.s[this.k] === ' ' || this.s[this.k] === '\t')) this.k++;
  }

  value(depth: number): unknown {
    this.ws();
    const c = this.s[this.k];
    if (depth > MAX_DEPTH) return null;
    if (c === '{') {
      this.k++;
      const o = Object.create(null) as Record<string, unknown>;
      for (;;) {
        this.ws();
        if (this.k >= this.s.length) return o;
        if (this.s[this.k] === '}') {
          this.k++;
          return o;
        }
        if (this.s[this.k] === ',') {
          this.k++;
          continue;
        }
        const key = this.scalar(true);
        this.ws();
        let v: unknown = null;
        if (this.s[this.k] === ':') {
          this.k++;
          v = this.value(depth + 1);
        }
        o[typeof key === 'string' ? key : String(key)] = v;
        const before = this.k;
        this.ws();
        if (this.k === before && this.s[this.k] !== ',' && this.s[this.k] !== '}') this.k++;
      }
    }
    if (c === '[') {
      this.k++;
      const a: unknown[] = [];
      for (;;) {
        this.ws();
        if (this.k >= this.s.length) return a;
        if (this.s[this.k] === ']') {
          this.k++;
          return a;
        }
        if (this.s[this.k] === ',') {
          this.k++;
          continue;
        }
        const before = this.k;
        a.push(this.value(depth + 1));
        if (this.k === before) this.k++;
      }
    }
    return this.scalar(false);
  }

  private scalar(isKey: boolean): string | null {
    this.ws();
    const c = this.s[this.k];
    if (c === '"' || c === "'") {
      let k = this.k + 1;
      let raw = '';
      while (k < this.s.length) {
        const ch = this.s[k];
        if (c === '"' && ch === '\\') {
          raw += this.s.slice(k, k + 2);
          k += 2;
        } else if (ch === c) {
          if (c === "'" && this.s[k + 1] === "'") {
            raw += "'";
            k += 2;
          } else break;
        } else {
          raw += ch;
          k++;
        }
      }
      this.k = k + 1;
      return c === '"' ? decodeDouble(raw) : raw;
    }
    const start = this.k;
    while (this.k < this.s.length) {
      const ch = this.s[this.k];
      if (ch === ',' || ch === '}' || ch === ']') break;
      if (isKey && ch === ':' && (this.s[this.k + 1] === ' ' || this.s[this.k + 1] === undefined || this.s[this.k + 1] === ',')) break;
      this.k++;
    }
    return plainValue(this.s.slice(start, this.k));
  }
}

/** Parses the lines of one or more YAML documents. */
export function parseYaml(lines: readonly string[]): YamlResult {
  const spans: Spans = new Map();
  const p = new Parser(lines.slice(), spans);
  try {
    return { docs: p.docs(), spans };
  } catch {
    return { docs: [], spans };
  }
}
