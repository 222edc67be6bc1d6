/**
 * Column splitting for kubectl tables: by the header's column offsets when the row lines up with
 * them, otherwise by what each column can hold (an age, `Normal|Warning`, a count, a `From` such
 * as `kubelet, node-a` or `{kubelet node-a}`…), which also reads rows whose spacing was collapsed.
 */
import type { Fields } from '../schema.js';
import { newFields, setStr, toCount } from './common.js';
import type { Draft } from './common.js';
import type { Format } from '../schema.js';

export type Role =
  | 'namespace'
  | 'age'
  | 'first'
  | 'time'
  | 'transition'
  | 'count'
  | 'name'
  | 'kind'
  | 'subobject'
  | 'type'
  | 'reason'
  | 'object'
  | 'source'
  | 'message'
  | 'condition'
  | 'status';

export interface Column {
  role: Role;
  start: number;
}

export interface Layout {
  columns: Column[];
  /** Offsets can be trusted (the header had no tabs). */
  aligned: boolean;
  format: Format;
}

/** Parses a header line with the given column names, or undefined when an unknown word is found. */
export function parseHeader(line: string, names: ReadonlyMap<string, Role>, format: Format): Layout | undefined {
  const sorted = [...names.keys()].sort((a, b) => b.length - a.length);
  const columns: Column[] = [];
  let i = 0;
  const n = Math.min(line.length, 2048);
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    let hit: string | undefined;
    for (const name of sorted) {
      if (line.startsWith(name, i)) {
        const after = line[i + name.length];
        if (after === undefined || after === ' ' || after === '\t' || after === '\r') {
          hit = name;
          break;
        }
      }
    }
    if (hit === undefined) return undefined;
    columns.push({ role: names.get(hit) as Role, start: i });
    i += hit.length;
  }
  if (columns.length < 2) return undefined;
  return { columns, aligned: !line.includes('\t'), format };
}

const AGE = /^(?:\d+(?:\.\d+)?[smhdy])+$|^\d+$|^<unknown>$|^<invalid>$/;
const REPEAT = /^\(x(\d+) over (\S+)\)$/;
const CONDITION_STATUS = new Set(['True', 'False', 'Unknown']);
const TYPES = new Set(['Normal', 'Warning']);

export function isAge(s: string): boolean {
  return s.length <= 24 && AGE.test(s);
}

interface Tok {
  s: number;
  e: number;
}

/** Whitespace-separated tokens of `line[from, to)`, at most `max`. */
function tokens(line: string, from: number, to: number, max: number): Tok[] {
  const out: Tok[] = [];
  let i = from;
  while (i < to && out.length < max) {
    while (i < to && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= to) break;
    const s = i;
    while (i < to && line[i] !== ' ' && line[i] !== '\t') i++;
    out.push({ s, e: i });
  }
  return out;
}

const WEEKDAY = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),$/;

/** Cells of one row, by role. */
type Cells = Partial<Record<Role, string>>;

/**
 * Consumes the tokens one column can hold, starting at token `k`. Returns the index after them, or
 * -1 when the tokens cannot be that column.
 */
function consume(role: Role, line: string, t: Tok[], k: number, cells: Cells): number {
  const tok = t[k];
  if (tok === undefined) return role === 'subobject' ? k : -1;
  const w = line.slice(tok.s, tok.e);
  const take = (end: number): number => {
    const last = t[end - 1];
    cells[role] = last === undefined ? '' : line.slice(tok.s, last.e);
    return end;
  };
  switch (role) {
    case 'age':
    case 'first':
    case 'time':
    case 'transition': {
      if (WEEKDAY.test(w)) return t.length >= k + 6 ? take(k + 6) : -1; // Mon, 02 Jan 2006 15:04:05 -0700
      if (/^\d{4}-\d{2}-\d{2}T/.test(w)) return take(k + 1);
      if (!isAge(w)) return -1;
      const next = t[k + 1];
      if (role === 'age' && next !== undefined && line.startsWith('(x', next.s)) {
        for (let j = k + 1; j < Math.min(t.length, k + 5); j++) {
          const tj = t[j] as Tok;
          if (line[tj.e - 1] === ')') return take(j + 1);
        }
      }
      return take(k + 1);
    }
    case 'type':
      return TYPES.has(w) ? take(k + 1) : -1;
    case 'status':
      return CONDITION_STATUS.has(w) ? take(k + 1) : -1;
    case 'count':
      return /^\d+$/.test(w) ? take(k + 1) : -1;
    case 'source': {
      if (w.startsWith('{')) {
        for (let j = k; j < Math.min(t.length, k + 4); j++) {
          const tj = t[j] as Tok;
          if (line[tj.e - 1] === '}') return take(j + 1);
        }
        return -1;
      }
      if (w.endsWith(',') && t[k + 1] !== undefined) return take(k + 2);
      return take(k + 1);
    }
    case 'subobject':
      if (w.includes('{') || w.startsWith('spec.') || w.startsWith('status.') || w.startsWith('metadata.')) return take(k + 1);
      cells.subobject = '';
      return k;
    default:
      return take(k + 1);
  }
}

/** Splits a row by what its columns can hold. Undefined when it does not fit the layout. */
export function splitByContent(line: string, columns: readonly Column[]): Cells | undefined {
  const cells: Cells = {};
  const mi = columns.findIndex((c) => c.role === 'message');
  const before = mi < 0 ? columns : columns.slice(0, mi);
  const t = tokens(line, 0, Math.min(line.length, 4096), 64);
  let k = 0;
  for (const c of before) {
    k = consume(c.role, line, t, k, cells);
    if (k < 0) return undefined;
  }
  if (mi < 0) return k === t.length ? cells : undefined;
  const from = t[k]?.s ?? line.length;
  let msgEnd = line.length;
  const after = columns.slice(mi + 1);
  if (after.length > 0) {
    // -o wide puts FIRST SEEN, COUNT and NAME after MESSAGE: take them from the right
    let e = line.length;
    for (let a = after.length - 1; a >= 0; a--) {
      const c = after[a] as Column;
      while (e > from && (line[e - 1] === ' ' || line[e - 1] === '\t')) e--;
      let s = e;
      while (s > from && line[s - 1] !== ' ' && line[s - 1] !== '\t') s--;
      if (s === e) return undefined;
      const w = line.slice(s, e);
      if ((c.role === 'count' && !/^\d+$/.test(w)) || (c.role === 'first' && !isAge(w))) return undefined;
      cells[c.role] = w;
      msgEnd = s;
      e = s;
    }
  }
  cells.message = line.slice(from, msgEnd).trim();
  return cells;
}

/** Splits a row at the header's offsets; undefined when the row does not line up with them. */
function splitByOffsets(line: string, columns: readonly Column[]): Cells | undefined {
  const cells: Cells = {};
  const n = line.length;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as Column;
    const next = columns[i + 1];
    const s = c.start;
    const e = next === undefined ? n : Math.min(n, next.start);
    if (s >= n) {
      if (c.role === 'message') return undefined;
      cells[c.role] = '';
      continue;
    }
    if (s > 0 && line[s - 1] !== ' ' && line[s - 1] !== '\t') return undefined;
    if (next !== undefined && e < n && e > s && line[e - 1] !== ' ') return undefined;
    cells[c.role] = line.slice(s, e).trim();
  }
  return cells;
}

/** Checks offset-split cells the way `consume` would. */
function plausible(cells: Cells, columns: readonly Column[]): boolean {
  for (const c of columns) {
    const v = cells[c.role] ?? '';
    switch (c.role) {
      case 'age': {
        const sp = v.indexOf(' (x');
        const a = sp < 0 ? v : v.slice(0, sp);
        if (!isAge(a) && !WEEKDAY.test(a.split(' ')[0] ?? '')) return false;
        if (sp >= 0 && !REPEAT.test(v.slice(sp + 1))) return false;
        break;
      }
      case 'first':
        if (v !== '' && !isAge(v) && !WEEKDAY.test(v.split(' ')[0] ?? '')) return false;
        break;
      case 'type':
        if (!TYPES.has(v)) return false;
        break;
      case 'status':
        if (!CONDITION_STATUS.has(v)) return false;
        break;
      case 'count':
        if (v !== '' && !/^\d+$/.test(v)) return false;
        break;
      case 'reason':
      case 'condition':
      case 'object':
        if (v === '' || v.includes(' ')) return false;
        break;
      default:
    }
  }
  return true;
}

/** Cells of a row under a layout, by offsets when they line up, else by content. */
export function splitRow(line: string, layout: Layout): Cells | undefined {
  if (layout.aligned) {
    const byOffsets = splitByOffsets(line, layout.columns);
    if (byOffsets !== undefined && plausible(byOffsets, layout.columns)) return byOffsets;
  }
  return splitByContent(line, layout.columns);
}

/** `kubelet, node-a` / `{kubelet node-a}` / `kubelet` → component and host. */
function applySource(f: Fields, source: string | undefined): void {
  if (source === undefined || source === '') return;
  let s = source.trim();
  if (s.startsWith('{') && s.endsWith('}')) {
    s = s.slice(1, -1).trim();
    const sp = s.indexOf(' ');
    if (sp < 0) setStr(f, 'component', s);
    else {
      setStr(f, 'component', s.slice(0, sp));
      setStr(f, 'host', s.slice(sp + 1).trim());
    }
    return;
  }
  const comma = s.indexOf(',');
  if (comma < 0) setStr(f, 'component', s);
  else {
    setStr(f, 'component', s.slice(0, comma).trim());
    setStr(f, 'host', s.slice(comma + 1).trim());
  }
}

/** Turns the cells of an event row into a draft. */
export function eventDraft(cells: Cells, format: Format): Draft {
  const f: Fields = newFields(format);
  setStr(f, 'type', cells.type);
  setStr(f, 'reason', cells.reason);
  const age = cells.age ?? '';
  const sp = age.indexOf(' (x');
  const m = sp < 0 ? null : REPEAT.exec(age.slice(sp + 1));
  setStr(f, 'time', sp < 0 ? age : age.slice(0, sp));
  const count = toCount(cells.count) ?? (m !== null ? toCount(m[1]) : undefined);
  if (count !== undefined) f.count = count;
  if (cells.object !== undefined && cells.object !== '') f.object = cells.object;
  else if (cells.name !== undefined && cells.name !== '') {
    f.object = cells.kind !== undefined && cells.kind !== '' ? `${cells.kind}/${cells.name}` : cells.name;
  } else setStr(f, 'object', cells.kind);
  setStr(f, 'namespace', cells.namespace);
  setStr(f, 'subobject', cells.subobject);
  applySource(f, cells.source);
  return { text: cells.message ?? '', fields: f, event: true };
}

/** Turns the cells of a node/pod condition row into a draft: `DiskPressure False Reason message`. */
export function conditionDraft(cells: Cells, format: Format): Draft {
  const f: Fields = newFields(format);
  setStr(f, 'condition', cells.condition);
  setStr(f, 'status', cells.status);
  setStr(f, 'reason', cells.reason);
  setStr(f, 'time', cells.time);
  const text = [cells.condition, cells.status, cells.reason, cells.message].filter((x) => x !== undefined && x !== '').join(' ');
  return { text, fields: f };
}
