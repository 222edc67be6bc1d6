import { ErrnoTableSchema, type ErrnoTable } from '../schema.js';
import { readErrno } from '../engine/errno.js';
import { classesOf, decide, type CompiledErrnoRow, type CompiledErrnoTable } from '../engine/table.js';
import { frameText } from '../input/frame.js';
import { compilePattern } from './compile.js';
import { RuleError } from './error.js';

const TABLE = 'errno-table';
/** Values a row's op / path / component may name besides a class: the reader found none, or one the table does not know. */
const SPECIAL = ['none', 'other'] as const;

function fail(field: string, reason: string): never {
  throw new RuleError(TABLE, field, reason);
}

/** How specific a row is: the operation counts most, then the path, then the component. */
export function rowScore(row: { op?: readonly string[] | undefined; path?: readonly string[] | undefined; component?: readonly string[] | undefined }): number {
  return (row.op !== undefined ? 4 : 0) + (row.path !== undefined ? 2 : 0) + (row.component !== undefined ? 1 : 0);
}

function overlaps(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === undefined || b === undefined || a.some((x) => b.includes(x));
}

/**
 * Validates and compiles the errno decision table (the shape of `rules/errno-table.yaml`): path
 * patterns through xregexp with the rule checks, classes and rows cross-checked, every row's
 * examples read and decided by that row.
 *
 * @param def - The parsed YAML.
 * @returns The compiled table (plain data) and the validated definition.
 * @throws {RuleError} for rule "errno-table", naming the field.
 * @example
 * ```ts
 * const { table } = compileErrnoTable(parseRuleYaml(text, 'rules/errno-table.yaml'));
 * ```
 */
export function compileErrnoTable(def: unknown): { table: CompiledErrnoTable; definition: ErrnoTable } {
  const parsed = ErrnoTableSchema.safeParse(def);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(issue?.path.map(String).join('.') ?? '(table)', issue?.message ?? 'invalid');
  }
  const t = parsed.data;

  const opClass: Record<string, string> = {};
  const ops: Record<string, string[]> = {};
  for (const [i, c] of t.ops.entries()) {
    if (ops[c.id] !== undefined || (SPECIAL as readonly string[]).includes(c.id)) fail(`ops.${i}.id`, `duplicate or reserved class "${c.id}"`);
    ops[c.id] = c.words;
    for (const w of c.words) {
      if (opClass[w] !== undefined) fail(`ops.${i}.words`, `"${w}" is also in class ${opClass[w]}`);
      opClass[w] = c.id;
    }
  }

  const byId = new Map(t.paths.map((p) => [p.id, p]));
  if (byId.size !== t.paths.length) fail('paths', 'duplicate path class id');
  const depth = (id: string, seen: string[] = []): number => {
    const p = byId.get(id);
    if (p === undefined) return fail('paths', `unknown class "${id}"`);
    if (seen.includes(id)) return fail('paths', `cycle through "${id}"`);
    return p.within === undefined ? 0 : 1 + depth(p.within, [...seen, id]);
  };
  const paths = t.paths
    .map((p) => ({ id: p.id, depth: depth(p.id), source: compilePattern(`${TABLE}/path/${p.id}`, p.pattern).source }))
    .sort((a, b) => b.depth - a.depth || (a.id < b.id ? -1 : 1))
    .map(({ id, source }) => ({ id, source }));

  const componentClass: Record<string, string> = {};
  const components: Record<string, string[]> = {};
  for (const [i, c] of t.components.entries()) {
    if (components[c.id] !== undefined || (SPECIAL as readonly string[]).includes(c.id)) fail(`components.${i}.id`, `duplicate or reserved class "${c.id}"`);
    components[c.id] = c.names;
    for (const n of c.names) {
      const k = n.toLowerCase();
      if (componentClass[k] !== undefined) fail(`components.${i}.names`, `"${n}" is also in class ${componentClass[k]}`);
      componentClass[k] = c.id;
    }
  }

  const rowIds = new Set<string>();
  const rows: (CompiledErrnoRow & { score: number })[] = t.rows.map((r, i) => {
    if (rowIds.has(r.id)) fail(`rows.${i}.id`, `duplicate row id "${r.id}"`);
    rowIds.add(r.id);
    const check = (key: 'op' | 'path' | 'component', known: Set<string> | Map<string, unknown>): void => {
      r[key]?.forEach((v, j) => {
        if (!known.has(v) && !(SPECIAL as readonly string[]).includes(v)) fail(`rows.${i}.${key}.${j}`, `unknown ${key} class "${v}"`);
      });
    };
    check('op', new Set(Object.keys(ops)));
    check('path', byId);
    check('component', new Set(Object.keys(components)));
    const yields = [{ cause: r.cause, strength: r.strength }, ...(r.also ?? [])];
    return { id: r.id, errno: r.errno, op: r.op, path: r.path, component: r.component, yields, score: rowScore(r) };
  });
  for (let a = 0; a < rows.length; a++) {
    for (let b = a + 1; b < rows.length; b++) {
      const x = rows[a]!;
      const y = rows[b]!;
      if (x.score !== y.score || !x.errno.some((e) => y.errno.includes(e))) continue;
      if (overlaps(x.op, y.op) && overlaps(x.path, y.path) && overlaps(x.component, y.component)) {
        fail(`rows.${b}`, `"${y.id}" and "${x.id}" can match the same reading with the same specificity`);
      }
    }
  }
  rows.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  const table: CompiledErrnoTable = {
    ops,
    paths,
    components,
    rows: rows.map(({ score: _s, ...r }) => stripUndefined(r)),
  };

  // Path classes: every example lands in its own class, no look-alike matches the pattern.
  for (const [i, p] of t.paths.entries()) {
    const own = new RegExp(paths.find((q) => q.id === p.id)!.source, 'i');
    p.examples.match.forEach((ex, j) => {
      const got = classesOf(table, { errno: 'ENOSPC', path: ex }).path;
      if (got !== p.id) fail(`paths.${i}.examples.match.${j}`, `"${ex}" falls in class ${got}`);
    });
    p.examples.noMatch.forEach((ex, j) => {
      if (own.test(ex)) fail(`paths.${i}.examples.noMatch.${j}`, `"${ex}" matches`);
    });
  }
  // Rows: every example is read and decided by its own row.
  for (const [i, r] of t.rows.entries()) {
    r.examples.forEach((ex, j) => {
      const decided = frameText(ex).map((rec) => {
        const reading = readErrno(rec.message);
        return reading === undefined ? undefined : decide(table, reading);
      });
      if (!decided.some((row) => row?.id === r.id)) {
        fail(`rows.${i}.examples.${j}`, `not decided by row ${r.id} (${decided.map((d) => d?.id ?? 'no row').join(', ')})`);
      }
    });
  }
  return { table, definition: t };
}

function stripUndefined(row: CompiledErrnoRow): CompiledErrnoRow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== undefined) out[k] = v;
  return out as unknown as CompiledErrnoRow;
}
