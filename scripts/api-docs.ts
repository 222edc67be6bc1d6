/**
 * API reference from the JSDoc: runs TypeDoc on the five package entry points (typedoc.json) and
 * renders docs/api/README.md from TypeDoc's JSON model, one section per export. TypeDoc's markdown
 * output needs a plugin we do not carry, and its JSON model is stable and documented, so the
 * rendering is ours and stays small.
 *
 *   npx tsx scripts/api-docs.ts           write docs/api/api.json and docs/api/README.md
 *   npx tsx scripts/api-docs.ts --check   exit 1 when either committed file is stale
 *   npx tsx scripts/api-docs.ts --lint    list exports whose JSDoc lacks a summary/params/returns/@example
 *
 * Output is deterministic: modules in the order of package.json's exports map, exports in source
 * order, no timestamps, TypeDoc's JSON written compact (it ships in the package under docs/).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JSONOutput } from 'typedoc';

const ROOT = join(import.meta.dirname, '..');
export const API_JSON = join(ROOT, 'docs', 'api', 'api.json');
export const API_README = join(ROOT, 'docs', 'api', 'README.md');

type Refl = JSONOutput.DeclarationReflection | JSONOutput.ReferenceReflection;
type Sig = JSONOutput.SignatureReflection;
type Part = JSONOutput.CommentDisplayPart;
type SomeType = JSONOutput.SomeType;

// TypeDoc's ReflectionKind values (stable across 0.2x; kept here so this script needs no runtime import for rendering).
const KIND = {
  Module: 2,
  Variable: 32,
  Function: 64,
  Class: 128,
  Interface: 256,
  Constructor: 512,
  Property: 1024,
  Method: 2048,
  Accessor: 262144,
  TypeAlias: 2097152,
  Reference: 4194304,
} as const;

const KIND_LABEL: Record<number, string> = {
  [KIND.Variable]: 'const',
  [KIND.Function]: 'function',
  [KIND.Class]: 'class',
  [KIND.Interface]: 'interface',
  [KIND.TypeAlias]: 'type',
};

/** Runs TypeDoc in-process and returns its JSON model (what `typedoc --json` writes). ~10 s. */
export async function generateJson(): Promise<JSONOutput.ProjectReflection> {
  const td = await import('typedoc');
  const app = await td.Application.bootstrapWithPlugins({ options: join(ROOT, 'typedoc.json') }, [
    new td.TypeDocReader(),
    new td.TSConfigReader(),
  ]);
  const project = await app.convert();
  if (project === undefined) throw new Error('TypeDoc failed to convert the project (see messages above)');
  return app.serializer.projectToObject(project, td.normalizePath(ROOT));
}

/** Package specifier for each TypeDoc module name, in the exports-map order. */
function moduleOrder(): { name: string; specifier: string }[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.keys(pkg.exports)
    .filter((k) => k !== './package.json')
    .map((k) => (k === '.' ? { name: 'index', specifier: pkg.name } : { name: k.slice(2), specifier: `${pkg.name}/${k.slice(2)}` }));
}

function text(parts: readonly Part[] | undefined, byId: Map<number, { anchor: string }>): string {
  if (parts === undefined) return '';
  return parts
    .map((p) => {
      if (p.kind === 'inline-tag') {
        const target = typeof p.target === 'number' ? byId.get(p.target) : undefined;
        return target !== undefined ? `[\`${p.text}\`](#${target.anchor})` : `\`${p.text}\``;
      }
      return p.text;
    })
    .join('')
    .trim();
}

/** First paragraph of a summary: the line under each heading. */
function firstParagraph(s: string): string {
  return s.split(/\n\s*\n/)[0]!.replace(/\n/g, ' ').trim();
}

const MAX_UNION = 5;

/** A one-line TypeScript rendering of a type, abbreviated where TypeDoc expanded an inferred type. */
export function typeToString(t: SomeType | undefined, depth = 0): string {
  if (t === undefined) return 'unknown';
  const sub = (x: SomeType | undefined): string => typeToString(x, depth + 1);
  switch (t.type) {
    case 'intrinsic':
      return t.name;
    case 'literal':
      return t.value === null ? 'null' : typeof t.value === 'string' ? JSON.stringify(t.value) : typeof t.value === 'object' ? `${t.value.negative ? '-' : ''}${t.value.value}n` : String(t.value);
    case 'reference': {
      const args = t.typeArguments !== undefined && t.typeArguments.length > 0 ? `<${depth > 1 ? '…' : t.typeArguments.map(sub).join(', ')}>` : '';
      return `${t.name}${args}`;
    }
    case 'array': {
      const e = sub(t.elementType);
      return /[ |&]/.test(e) ? `(${e})[]` : `${e}[]`;
    }
    case 'union': {
      const parts = t.types.map(sub);
      return parts.length > MAX_UNION ? `${parts.slice(0, MAX_UNION - 1).join(' | ')} | … (${parts.length} members)` : parts.join(' | ');
    }
    case 'intersection':
      return t.types.map(sub).join(' & ');
    case 'tuple':
      return `[${(t.elements ?? []).map(sub).join(', ')}]`;
    case 'namedTupleMember':
      return `${t.name}${t.isOptional ? '?' : ''}: ${sub(t.element)}`;
    case 'optional':
      return `${sub(t.elementType)}?`;
    case 'rest':
      return `...${sub(t.elementType)}`;
    case 'typeOperator':
      return `${t.operator} ${sub(t.target)}`;
    case 'query':
      return `typeof ${sub(t.queryType)}`;
    case 'indexedAccess':
      return `${sub(t.objectType)}[${sub(t.indexType)}]`;
    case 'predicate':
      return t.targetType !== undefined ? `${t.name} is ${sub(t.targetType)}` : `asserts ${t.name}`;
    case 'templateLiteral':
      return '`…`';
    case 'reflection': {
      const d = t.declaration;
      if (d.signatures !== undefined && d.signatures.length > 0) return `(${signatureParams(d.signatures[0]!)}) => ${sub(d.signatures[0]!.type)}`;
      const names = (d.children ?? []).map((c) => `${c.name}${c.flags.isOptional ? '?' : ''}`);
      if (names.length === 0) return '{}';
      return depth > 0 || names.length > 6 ? `{ ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''} }` : `{ ${(d.children ?? []).map((c) => `${c.name}${c.flags.isOptional ? '?' : ''}: ${sub(c.type)}`).join('; ')} }`;
    }
    default:
      // conditional, mapped, inferred, unknown: rare in this API; TypeDoc keeps the source text for some.
      return 'name' in t && typeof t.name === 'string' ? t.name : '…';
  }
}

function signatureParams(s: Sig): string {
  return (s.parameters ?? []).map((p) => `${p.flags.isRest ? '...' : ''}${p.name}${p.flags.isOptional ? '?' : ''}: ${typeToString(p.type, 1)}`).join(', ');
}

function tag(c: JSONOutput.Comment | undefined, name: string): JSONOutput.CommentTag[] {
  return (c?.blockTags ?? []).filter((t) => t.tag === name);
}

interface Entry {
  module: string;
  specifier: string;
  refl: Refl;
  anchor: string;
}

function anchorFor(moduleName: string, name: string): string {
  return `${moduleName}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** The comment that documents an export: a function's first signature, else the declaration. */
function docComment(r: Refl): JSONOutput.Comment | undefined {
  if ('signatures' in r && r.signatures !== undefined && r.signatures.length > 0) return r.signatures[0]!.comment ?? r.comment;
  return 'comment' in r ? r.comment : undefined;
}

function constructorOf(r: JSONOutput.DeclarationReflection): Sig | undefined {
  return r.children?.find((c) => c.kind === KIND.Constructor)?.signatures?.[0];
}

/** Renders docs/api/README.md from TypeDoc's JSON model. Pure: same model, same text. */
export function renderMarkdown(project: JSONOutput.ProjectReflection): string {
  const modules = new Map((project.children ?? []).filter((m) => m.kind === KIND.Module).map((m) => [m.name, m]));
  const entries: Entry[] = [];
  const byId = new Map<number, Entry>();
  const order = moduleOrder();
  for (const { name, specifier } of order) {
    const m = modules.get(name);
    if (m === undefined) throw new Error(`TypeDoc produced no module "${name}" (entry points in typedoc.json vs exports in package.json)`);
    for (const r of m.children ?? []) {
      const e = { module: name, specifier, refl: r, anchor: anchorFor(name, r.name) };
      entries.push(e);
      byId.set(r.id, e);
    }
  }
  const out: string[] = [];
  out.push('# API reference', '');
  out.push('<!-- Generated by scripts/api-docs.ts from the JSDoc in src/ (TypeDoc JSON: api.json). Do not edit; run `npm run api-docs`. -->', '');
  out.push('| entry | exports |', '|---|---|');
  for (const { name, specifier } of order) {
    const list = entries.filter((e) => e.module === name).map((e) => `[\`${e.refl.name}\`](#${e.anchor})`);
    out.push(`| [\`${specifier}\`](#${anchorFor('module', name)}) | ${list.join(', ')} |`);
  }
  out.push('');
  for (const { name, specifier } of order) {
    const m = modules.get(name)!;
    out.push(`<a id="${anchorFor('module', name)}"></a>`, '', `## \`${specifier}\``, '');
    const summary = text(m.comment?.summary, byId);
    if (summary !== '') out.push(summary, '');
    for (const e of entries.filter((x) => x.module === name)) out.push(...renderEntry(e, byId));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function renderEntry(e: Entry, byId: Map<number, Entry>): string[] {
  const r = e.refl;
  const out: string[] = [`<a id="${e.anchor}"></a>`, ''];
  if (r.kind === KIND.Reference) {
    const target = byId.get((r as JSONOutput.ReferenceReflection).target);
    out.push(`### \`${r.name}\``, '');
    out.push(target !== undefined ? `Re-exported from [\`${target.specifier}\`](#${target.anchor}).` : 'Re-export.', '');
    return out;
  }
  const d = r as JSONOutput.DeclarationReflection;
  const label = KIND_LABEL[d.kind] ?? 'export';
  out.push(`### \`${d.name}\` (${label})`, '');
  const c = docComment(d);
  const sigs = d.signatures ?? [];
  const code: string[] = [];
  if (d.kind === KIND.Function) for (const s of sigs) code.push(`function ${d.name}(${signatureParams(s)}): ${typeToString(s.type)}`);
  else if (d.kind === KIND.Variable) code.push(`const ${d.name}: ${typeToString(d.type)}`);
  else if (d.kind === KIND.TypeAlias) code.push(`type ${d.name} = ${typeToString(d.type)}`);
  else if (d.kind === KIND.Class) {
    const ctor = constructorOf(d);
    code.push(`class ${d.name}${d.extendedTypes !== undefined ? ` extends ${d.extendedTypes.map((t) => typeToString(t)).join(', ')}` : ''}`);
    if (ctor !== undefined) code.push(`new ${d.name}(${signatureParams(ctor)})`);
  } else if (d.kind === KIND.Interface) {
    code.push(`interface ${d.name}${d.extendedTypes !== undefined ? ` extends ${d.extendedTypes.map((t) => typeToString(t)).join(', ')}` : ''}`);
  }
  if (code.length > 0) out.push('```ts', ...code, '```', '');
  const summary = text(c?.summary, byId);
  out.push(summary !== '' ? summary : '_No description._', '');
  const params = d.kind === KIND.Class ? (constructorOf(d)?.parameters ?? []) : (sigs[0]?.parameters ?? []);
  if (params.length > 0) {
    out.push('**Parameters**', '');
    for (const p of params) {
      const ptext = firstParagraph(text(p.comment?.summary, byId));
      out.push(`- \`${p.name}${p.flags.isOptional ? '?' : ''}\`: \`${typeToString(p.type, 1)}\`${ptext !== '' ? ` — ${ptext}` : ''}`);
    }
    out.push('');
  }
  const returns = tag(c, '@returns')
    .map((t) => text(t.content, byId))
    .join(' ');
  if (returns !== '') out.push(`**Returns** ${returns}`, '');
  if (d.kind === KIND.Interface || (d.kind === KIND.Class && d.children !== undefined)) {
    const members = (d.children ?? []).filter((m) => m.kind === KIND.Property || m.kind === KIND.Method || m.kind === KIND.Accessor);
    if (members.length > 0) {
      out.push('| member | type | description |', '|---|---|---|');
      for (const m of members) {
        const mc = m.signatures?.[0]?.comment ?? m.comment;
        const type = m.kind === KIND.Method && m.signatures?.[0] !== undefined ? `(${signatureParams(m.signatures[0])}) => ${typeToString(m.signatures[0].type, 1)}` : typeToString(m.type, 1);
        const desc = firstParagraph(text(mc?.summary, byId)).replace(/\|/g, '\\|');
        out.push(`| \`${m.name}${m.flags.isOptional ? '?' : ''}\` | \`${type.replace(/\|/g, '\\|')}\` | ${desc} |`);
      }
      out.push('');
    }
  }
  for (const ex of tag(c, '@example')) {
    const body = text(ex.content, byId);
    out.push('**Example**', '', body.startsWith('```') ? body : `\`\`\`ts\n${body}\n\`\`\``, '');
  }
  return out;
}

export interface DocGap {
  export: string;
  missing: string[];
}

/**
 * JSDoc gaps per export. Functions and classes need a summary, every parameter described,
 * `@returns` (functions) and an `@example`; constants, interfaces and types need a summary.
 * Re-exports are checked where they are declared.
 */
export function lintDocs(project: JSONOutput.ProjectReflection): DocGap[] {
  const gaps: DocGap[] = [];
  for (const { name, specifier } of moduleOrder()) {
    const m = project.children?.find((x) => x.name === name);
    for (const r of m?.children ?? []) {
      if (r.kind === KIND.Reference) continue;
      const d = r as JSONOutput.DeclarationReflection;
      const c = docComment(d);
      const missing: string[] = [];
      if (text(c?.summary, new Map()) === '') missing.push('summary');
      if (d.kind === KIND.Function || d.kind === KIND.Class) {
        const params = d.kind === KIND.Class ? (constructorOf(d)?.parameters ?? []) : (d.signatures?.[0]?.parameters ?? []);
        for (const p of params) if (text(p.comment?.summary, new Map()) === '') missing.push(`@param ${p.name}`);
        if (d.kind === KIND.Function && tag(c, '@returns').length === 0) missing.push('@returns');
        if (tag(c, '@example').length === 0) missing.push('@example');
      }
      if (missing.length > 0) gaps.push({ export: `${specifier} ${d.name}`, missing });
    }
  }
  return gaps;
}

/** TypeDoc's JSON as committed: compact, one trailing newline. */
export function serialiseJson(project: JSONOutput.ProjectReflection): string {
  return `${JSON.stringify(project)}\n`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const project = await generateJson();
  if (args.includes('--lint')) {
    const gaps = lintDocs(project);
    for (const g of gaps) process.stdout.write(`${g.export}: missing ${g.missing.join(', ')}\n`);
    process.stdout.write(`${gaps.length} export(s) with JSDoc gaps\n`);
    return;
  }
  const files = [
    { path: API_JSON, text: serialiseJson(project) },
    { path: API_README, text: renderMarkdown(project) },
  ];
  if (args.includes('--check')) {
    const stale = files.filter((f) => {
      try {
        return readFileSync(f.path, 'utf8') !== f.text;
      } catch {
        return true;
      }
    });
    for (const f of stale) process.stderr.write(`stale: ${f.path} (run npm run api-docs)\n`);
    process.exitCode = stale.length > 0 ? 1 : 0;
    return;
  }
  mkdirSync(join(ROOT, 'docs', 'api'), { recursive: true });
  for (const f of files) writeFileSync(f.path, f.text);
  process.stdout.write(`wrote ${files.map((f) => f.path.slice(ROOT.length + 1)).join(', ')}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`api-docs: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
