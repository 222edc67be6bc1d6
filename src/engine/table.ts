import type { Fields } from '../schema.js';
import { readErrno, type ErrnoReading } from './errno.js';
import type { RuleHit } from './match.js';
import type { CompiledRule } from './types.js';

/**
 * The errno decision table compiled from rules/errno-table.yaml (scripts/build-rules.ts): plain
 * data, its patterns already ECMAScript/RE2 sources.
 */
export interface CompiledErrnoTable {
  /** Every operation word, longest first, as one alternation source (run with flags `gi`). */
  readonly opSource: string;
  /** Lowercase word or phrase → operation class id. */
  readonly opClass: Readonly<Record<string, string>>;
  /** Path classes, most specific first (the last is the catch-all `filesystem`). */
  readonly paths: readonly { readonly id: string; readonly source: string }[];
  /** Lowercase program or exception name → component class id. */
  readonly componentClass: Readonly<Record<string, string>>;
  /** Rows, most specific first: the first that matches a reading decides. */
  readonly rows: readonly CompiledErrnoRow[];
}

/** One row: what it keys on (class ids, `none`, or undefined for anything) and the hits it yields. */
export interface CompiledErrnoRow {
  readonly id: string;
  readonly errno: readonly string[];
  readonly op?: readonly string[] | undefined;
  readonly path?: readonly string[] | undefined;
  readonly component?: readonly string[] | undefined;
  /** Its cause first, then the `also` causes; each a rule-shaped object with id `errno-table/<row>`. */
  readonly hits: readonly CompiledRule[];
}

/** The classes a reading falls in: `none` where the reader found nothing, `other` for an unknown op or component. */
export interface ErrnoClasses {
  readonly op: string;
  readonly path: string;
  readonly component: string;
}

interface Runtime {
  readonly ops: RegExp;
  readonly paths: readonly { readonly id: string; readonly re: RegExp }[];
}

const runtimes = new WeakMap<CompiledErrnoTable, Runtime>();

function runtime(table: CompiledErrnoTable): Runtime {
  let r = runtimes.get(table);
  if (r === undefined) {
    r = {
      ops: new RegExp(table.opSource, 'gi'),
      paths: table.paths.map((p) => ({ id: p.id, re: new RegExp(p.source, 'i') })),
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
      op = table.opClass[m[0].toLowerCase()] ?? op;
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
  const component = reading.component === undefined ? 'none' : (table.componentClass[reading.component.toLowerCase()] ?? 'other');
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
    const r = hits[i]!.rule;
    if (r.fallback !== true && r.effect === 'supports') return hits;
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
  for (const rule of row.hits) out.push({ rule, fields: merged as Fields });
  return out;
}
