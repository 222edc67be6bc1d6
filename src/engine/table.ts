import type { Fields } from '../schema.js';
import { readErrno, type ErrnoReading } from './errno.js';
import { explainsRecord } from './explained.js';
import type { RuleHit } from './match.js';
import type { CompiledRule } from './types.js';

/**
 * The errno decision table compiled from rules/errno-table.yaml (scripts/build-rules.ts): plain,
 * compact data, its patterns already ECMAScript/RE2 sources. The lookup structures (the word
 * alternation, the rule-shaped hits) are built from it on first use.
 */
export interface CompiledErrnoTable {
  /** Operation class id → its lowercase words and phrases. */
  readonly ops: Readonly<Record<string, readonly string[]>>;
  /** Path classes, most specific first (the last is the catch-all `filesystem`). */
  readonly paths: readonly { readonly id: string; readonly source: string }[];
  /** Component class id → program or exception names. */
  readonly components: Readonly<Record<string, readonly string[]>>;
  /** Rows, most specific first: the first that matches a reading decides. */
  readonly rows: readonly CompiledErrnoRow[];
}

/** One row: what it keys on (class ids, `none`, `other`, or undefined for anything) and what it yields. */
export interface CompiledErrnoRow {
  readonly id: string;
  readonly errno: readonly string[];
  readonly op?: readonly string[] | undefined;
  readonly path?: readonly string[] | undefined;
  readonly component?: readonly string[] | undefined;
  /** Its cause first, then the `also` causes. */
  readonly yields: readonly { readonly cause: CompiledRule['cause']; readonly strength: CompiledRule['strength'] }[];
}

/** The classes a reading falls in: `none` where the reader found nothing, `other` for an unknown op or component. */
export interface ErrnoClasses {
  readonly op: string;
  readonly path: string;
  readonly component: string;
}

interface Runtime {
  readonly ops: RegExp;
  readonly opClass: ReadonlyMap<string, string>;
  readonly componentClass: ReadonlyMap<string, string>;
  readonly paths: readonly { readonly id: string; readonly re: RegExp }[];
  readonly hits: ReadonlyMap<CompiledErrnoRow, readonly CompiledRule[]>;
}

const runtimes = new WeakMap<CompiledErrnoTable, Runtime>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The hits a row yields, rule-shaped so that scoring, evidence, redaction and exports treat them
 * as rule hits: `errno-table/<row>` for its cause, `errno-table/<row>/<cause>` for each `also`.
 */
export function rowRules(row: CompiledErrnoRow): CompiledRule[] {
  return row.yields.map((y, i) => ({
    id: i === 0 ? `errno-table/${row.id}` : `errno-table/${row.id}/${y.cause}`,
    cause: y.cause,
    effect: 'supports',
    strength: y.strength,
    status: 'experimental',
    keywords: [],
    source: '',
    flags: '',
    groups: [],
  }));
}

function runtime(table: CompiledErrnoTable): Runtime {
  let r = runtimes.get(table);
  if (r === undefined) {
    const opClass = new Map<string, string>();
    for (const [id, words] of Object.entries(table.ops)) for (const w of words) opClass.set(w, id);
    const componentClass = new Map<string, string>();
    for (const [id, names] of Object.entries(table.components)) for (const n of names) componentClass.set(n.toLowerCase(), id);
    // Longest first, so a phrase wins over the word it starts with (`create semaphore` over `create`).
    const words = [...opClass.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    r = {
      ops: new RegExp(`(?:^|\\b)(?:${words.map((w) => escapeRegExp(w).replace(/ /g, '\\s')).join('|')})(?:\\b|$)`, 'gi'),
      opClass,
      componentClass,
      paths: table.paths.map((p) => ({ id: p.id, re: new RegExp(p.source, 'i') })),
      hits: new Map(table.rows.map((row) => [row, rowRules(row)])),
    };
    runtimes.set(table, r);
  }
  return r;
}

/**
 * The operation, path and component classes of one reading. The operation is the rightmost table
 * word in the phrase (`applying cgroup configuration … caused mkdir` is a mkdir).
 */
export function classesOf(table: CompiledErrnoTable, reading: ErrnoReading): ErrnoClasses {
  const rt = runtime(table);
  let op = 'none';
  if (reading.op !== undefined) {
    op = 'other';
    rt.ops.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rt.ops.exec(reading.op)) !== null) {
      op = rt.opClass.get(m[0].toLowerCase().replace(/\s/g, ' ')) ?? op;
      if (m[0].length === 0) rt.ops.lastIndex++;
    }
  }
  let path = 'none';
  if (reading.path !== undefined) {
    for (const p of rt.paths) {
      if (p.re.test(reading.path)) {
        path = p.id;
        break;
      }
    }
  }
  const component = reading.component === undefined ? 'none' : (rt.componentClass.get(reading.component.toLowerCase()) ?? 'other');
  return { op, path, component };
}

function keyHolds(key: readonly string[] | undefined, value: string): boolean {
  return key === undefined || key.includes(value);
}

/** The row that decides a reading, or undefined when none does. */
export function decide(table: CompiledErrnoTable, reading: ErrnoReading, classes: ErrnoClasses = classesOf(table, reading)): CompiledErrnoRow | undefined {
  for (const row of table.rows) {
    if (!row.errno.includes(reading.errno)) continue;
    if (keyHolds(row.op, classes.op) && keyHolds(row.path, classes.path) && keyHolds(row.component, classes.component)) return row;
  }
  return undefined;
}

/**
 * Adds the table's hits to a record's hits when no phrase rule explained it (only fallback rules,
 * the generic errno signals, or no supporting rule at all matched the candidate record): the record
 * then gets the cause its errno, operation and path imply. The reading
 * becomes evidence fields (`errno`, `op`, `path`, `component`, `opClass`, `pathClass`); fields the
 * envelope already has win.
 */
export function applyTable(table: CompiledErrnoTable, hits: RuleHit[], message: string, fields: Fields): RuleHit[] {
  for (let i = 0; i < hits.length; i++) {
    if (explainsRecord(hits[i]!.rule)) return hits;
  }
  const reading = readErrno(message);
  if (reading === undefined) return hits;
  const classes = classesOf(table, reading);
  const row = decide(table, reading, classes);
  if (row === undefined) return hits;
  const merged: Record<string, string | number> = { ...fields };
  const add = (k: string, v: string | undefined): void => {
    if (v !== undefined && !(k in fields)) merged[k] = v;
  };
  add('errno', reading.errno);
  add('op', reading.op);
  add('path', reading.path);
  add('component', reading.component);
  add('opClass', classes.op === 'none' ? undefined : classes.op);
  add('pathClass', classes.path === 'none' ? undefined : classes.path);
  const out = hits.slice();
  for (const rule of runtime(table).hits.get(row)!) out.push({ rule, fields: merged as Fields });
  return out;
}
