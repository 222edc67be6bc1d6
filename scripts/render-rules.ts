import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { healthyLine, prng } from '../bench/lines.js';
import { parse } from 'yaml';
import type { CauseInfo, CompiledRule } from '../src/engine/types.js';
import { generatedModuleHead } from './render-module.js';
import { chooseAnchors, maxSpaces, type Rank } from '../src/rules/anchors.js';

/** The generated module's text: plain data, no code runs at import time beyond building arrays. */
export function renderRulesModule(rules: readonly CompiledRule[], causes: readonly CauseInfo[], anchors?: Anchors): string {
  const a = anchors ?? defaultAnchors(rules);
  return [
    ...generatedModuleHead('rules/*.yaml', "import type { CauseInfo, CompiledRule } from '../engine/types.js';"),
    `/** The built-in rules (${rules.length}), sorted by id. */`,
    // A compiled rule's own `anchors` (the compile-time choice) is left out: RULE_ANCHORS below is
    // the build-time choice for these rules, ranked on real healthy text.
    `export const RULES: readonly CompiledRule[] = freeze(${JSON.stringify(rules.map(({ anchors: _anchors, ...r }) => r), null, 1)});`,
    '',
    `/** The built-in causes (${causes.length}), sorted by id. */`,
    `export const CAUSES: readonly CauseInfo[] = freeze(${JSON.stringify(causes, null, 1)});`,
    '',
    '/**',
    " * The prefilter's anchors per rule (a record the rule matches contains one): the literal factor",
    ' * set its pattern requires that is rarest in real healthy logs (src/rules/anchors.ts; the rarest',
    ' * keyword where the pattern requires none of 3 chars); chosen by scripts/build-rules.ts.',
    ' */',
    `export const RULE_ANCHORS: Readonly<Record<string, readonly string[]>> = freeze(${JSON.stringify(a.anchorOf, null, 1)});`,
    '',
    '/** The distinct anchors, minus any that contains another (the shorter one already finds it). */',
    `export const ANCHORS: readonly string[] = freeze(${JSON.stringify(a.anchors, null, 1)});`,
    '',
  ].join('\n');
}

/** Per-rule anchors and the minimal anchor set, with each rule's healthy-line hits. */
export interface Anchors {
  anchorOf: Record<string, string[]>;
  anchors: string[];
  /** Real healthy lines (the loghub baseline) containing one of the rule's anchors, per rule id. */
  hits: Record<string, number>;
  /** Where each rule's anchors come from: its pattern, or its keywords when the pattern has no usable factor. */
  origin: Record<string, 'pattern' | 'keywords'>;
}

/** Line numbers of `lines` (lowercased) containing `needle`, cached per needle. */
class LineIndex {
  private readonly memo = new Map<string, readonly number[]>();
  constructor(private readonly lower: readonly string[]) {}
  linesWith(needle: string): readonly number[] {
    let hit = this.memo.get(needle);
    if (hit === undefined) {
      const out: number[] = [];
      this.lower.forEach((l, i) => {
        if (l.includes(needle)) out.push(i);
      });
      hit = out;
      this.memo.set(needle, hit);
    }
    return hit;
  }
  /** Lines containing any member of the set. */
  count(set: readonly string[]): number {
    if (set.length === 1) return this.linesWith(set[0]!).length;
    const seen = new Set<number>();
    for (const k of set) for (const i of this.linesWith(k)) seen.add(i);
    return seen.size;
  }
}

/** Length from which a factor counts as specific enough that fewer spaces matter more than more chars. */
const SPECIFIC = 12;

/**
 * Chooses each rule's prefilter anchors: the set of literal factors its pattern requires
 * (src/rules/anchors.ts; every match contains one member) that is on the fewest real healthy
 * lines (`realLines`, the loghub baseline), then on the fewest of the project's own healthy lines
 * (`ownLines`), then with its shortest member closest to SPECIFIC chars, the fewest spaces, the
 * longest shortest member, the fewest members. A set is used only if every `match` example of the
 * rule contains one of its members. A rule whose pattern requires no such factor of 3 chars or
 * more keeps the old choice, its keyword on the fewest healthy lines (the matcher requires every
 * keyword, so each is sound).
 */
export function computeAnchors(
  rules: readonly CompiledRule[],
  realLines: readonly string[],
  ownLines: readonly string[],
  examples: (id: string) => readonly string[],
): Anchors {
  const real = new LineIndex(realLines.map((l) => l.toLowerCase()));
  const own = new LineIndex(ownLines.map((l) => l.toLowerCase()));
  // Among sets equally rare here, a short member is the likelier to occur in text not seen here:
  // members shorter than SPECIFIC chars rank by length before spaces count.
  const rank: Rank = (set) => {
    const shortest = Math.min(...set.map((x) => x.length));
    return [real.count(set), own.count(set), Math.max(0, SPECIFIC - shortest), maxSpaces(set), -shortest, set.length];
  };
  const anchorOf: Record<string, string[]> = {};
  const hits: Record<string, number> = {};
  const origin: Record<string, 'pattern' | 'keywords'> = {};
  for (const r of rules) {
    const derived = chooseAnchors(r.source, rank, examples(r.id));
    if (derived !== undefined) {
      anchorOf[r.id] = [...derived];
      origin[r.id] = 'pattern';
    } else {
      let best: string | undefined;
      for (const k of r.keywords) {
        if (best === undefined) {
          best = k;
          continue;
        }
        const d = real.count([k]) - real.count([best]) || own.count([k]) - own.count([best]);
        if (d < 0 || (d === 0 && k.length > best.length)) best = k;
      }
      anchorOf[r.id] = [best ?? ''];
      origin[r.id] = 'keywords';
    }
    hits[r.id] = real.count(anchorOf[r.id]!);
  }
  return { anchorOf, anchors: minimalAnchors(Object.values(anchorOf).flat()), hits, origin };
}

/** Distinct anchors without those containing another one as a substring; sorted. */
export function minimalAnchors(all: readonly string[]): string[] {
  const uniq = [...new Set(all)];
  return uniq.filter((a) => !uniq.some((b) => b !== a && a.includes(b))).sort();
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** docs/rules.md: every rule grouped by cause, with its examples. */
export function renderRulesDoc(rules: readonly CompiledRule[], causes: readonly CauseInfo[], rulesDir: string): string {
  const lines: string[] = [
    '# Rules',
    '',
    '<!-- Generated by scripts/build-rules.ts from rules/. Do not edit: run `npm run rules`. -->',
    '',
    `${rules.length} rules for ${causes.length} causes. Each rule lives in \`rules/signals/<id>.yaml\`; its pattern is`,
    'matched case-insensitively against the normalised message of each record, after its keywords (all',
    'required, lowercase) pass the prefilter. Strength levels map to probabilities in `src/engine/strength.ts`.',
    '',
  ];
  for (const cause of causes) {
    const own = rules.filter((r) => r.cause === cause.id);
    lines.push(`## ${cause.id}`, '', `${cause.title}. See [docs/causes/${cause.id}.md](causes/${cause.id}.md).`, '');
    lines.push('| rule | effect | strength | status | keywords | description |', '|---|---|---|---|---|---|');
    for (const r of own) {
      const def = parse(readFileSync(join(rulesDir, 'signals', `${r.id}.yaml`), 'utf8')) as { description: string };
      lines.push(`| \`${r.id}\` | ${r.effect} | ${r.strength} | ${r.status} | ${r.keywords.map((k) => `\`${cell(k)}\``).join(', ')} | ${cell(def.description.trim())} |`);
    }
    lines.push('');
    for (const r of own) {
      const def = parse(readFileSync(join(rulesDir, 'signals', `${r.id}.yaml`), 'utf8')) as { examples: { match: string[]; noMatch: string[] } };
      lines.push(`### \`${r.id}\``, '', '```', r.source, '```', '', 'Matches:', '');
      for (const ex of def.examples.match) lines.push('```', ex.trimEnd(), '```');
      lines.push('', 'Does not match:', '');
      for (const ex of def.examples.noMatch) lines.push('```', ex.trimEnd(), '```');
      lines.push('');
    }
  }
  return lines.join('\n');
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The project's own healthy baseline: test/fixtures/healthy plus the benchmark's healthy journal
 * lines (fixed seed). Anchors are tie-broken on it; the rules were written next to it.
 */
export function ownHealthyLines(): string[] {
  const lines: string[] = [];
  const dir = join(root, 'test/fixtures/healthy');
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(?:log|txt)$/.test(f)) continue;
    for (const l of readFileSync(join(dir, f), 'utf8').split(/\r?\n/)) lines.push(l);
  }
  const rand = prng(12345);
  let t = 0;
  for (let i = 0; i < 20_000; i++) {
    t += rand() * 0.05;
    lines.push(healthyLine(rand, t));
  }
  return lines;
}

/**
 * The directory of real healthy logs nobody here wrote (`../shared/baseline/loghub` beside the
 * repository, or $ENOSPC_BASELINE_DIR). Read in place at build time: its licence is research-only,
 * so no line of it goes into the project or the generated module, only counts.
 */
export function realBaselineDir(): string {
  const candidates = [process.env.ENOSPC_BASELINE_DIR, join(root, '../shared/baseline/loghub'), join(root, '../../shared/baseline/loghub')];
  for (const c of candidates) if (c !== undefined && c !== '' && existsSync(c)) return c;
  throw new Error(`the real healthy baseline (loghub) is not at ${candidates.slice(1).join(' or ')}; set ENOSPC_BASELINE_DIR`);
}

/** The real healthy lines: every `*.log` in realBaselineDir(), in name order. */
export function realHealthyLines(): string[] {
  const dir = realBaselineDir();
  const lines: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.log')) continue;
    for (const l of readFileSync(join(dir, f), 'utf8').split(/\r?\n/)) if (l !== '') lines.push(l);
  }
  return lines;
}

/** A rule's `match` examples as written in its YAML file. */
export function matchExamples(id: string): string[] {
  const def = parse(readFileSync(join(root, 'rules/signals', `${id}.yaml`), 'utf8')) as { examples?: { match?: string[] } };
  return def.examples?.match ?? [];
}

/** The anchors the generated module carries: derived from each pattern, ranked on the healthy baselines. */
export function defaultAnchors(rules: readonly CompiledRule[]): Anchors {
  return computeAnchors(rules, realHealthyLines(), ownHealthyLines(), matchExamples);
}
