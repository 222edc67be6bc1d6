import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { healthyLine, prng } from '../bench/lines.js';
import { parse } from 'yaml';
import type { CauseInfo, CompiledRule } from '../src/engine/types.js';
import { generatedModuleHead } from './render-module.js';

/** The generated module's text: plain data, no code runs at import time beyond building arrays. */
export function renderRulesModule(rules: readonly CompiledRule[], causes: readonly CauseInfo[], anchors?: Anchors): string {
  const a = anchors ?? defaultAnchors(rules);
  return [
    ...generatedModuleHead('rules/*.yaml', "import type { CauseInfo, CompiledRule } from '../engine/types.js';"),
    `/** The built-in rules (${rules.length}), sorted by id. */`,
    `export const RULES: readonly CompiledRule[] = freeze(${JSON.stringify(rules, null, 1)});`,
    '',
    `/** The built-in causes (${causes.length}), sorted by id. */`,
    `export const CAUSES: readonly CauseInfo[] = freeze(${JSON.stringify(causes, null, 1)});`,
    '',
    '/**',
    " * The prefilter's anchors per rule (a record the rule matches contains one): the keyword rarest",
    ' * in the healthy baseline, or a rarer set its pattern requires; chosen by scripts/build-rules.ts.',
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
  /** Healthy lines containing one of the rule's anchors, per rule id (for the build report). */
  hits: Record<string, number>;
}

/**
 * Rules whose every keyword is common in healthy logs but whose pattern requires one of a few
 * rarer literals (read off the pattern's alternatives; build-rules checks every `match` example
 * contains one). Keywords cannot say "one of", so these live here, next to the anchor choice.
 */
export const ANCHOR_SETS: Readonly<Record<string, readonly string[]>> = {
  // (?:cannot|can't|could not|couldn't|failed to|unable to) \s (?:bind[- ]?)? mount
  'mount-error-cut-before-errno': ['t mount', 'o mount', 't bind', 'o bind'],
  // … (?:too many open files | EMFILE)
  'inotify-init-emfile': ['too many open files', 'emfile'],
  // \binotify\b … (?:no space left on device | ENOSPC | errno[= ]28 | (os error 28))
  'inotify-context-enospc': ['no space left on device', 'enospc', 'errno=28', 'errno 28', 'os error 28'],
  // \binotify\b … (?:too many open files | EMFILE | errno[= ]24 | (os error 24))
  'inotify-context-emfile': ['too many open files', 'emfile', 'errno=24', 'errno 24', 'os error 24'],
  // inotify_add_watch (?: … no space left on device | (…) = -1 ENOSPC )
  'inotify-add-watch-enospc': ['no space left on device', 'enospc'],
  // diskpressure true | kubelethasdiskpressure | kubelet has disk pressure | nodehasdiskpressure
  'node-condition-disk-pressure-true': ['diskpressure', 'disk pressure'],
  'node-condition-disk-pressure-false': ['diskpressure', 'disk pressure'],
  // ^ \s? memory \s \d… : the /proc/cgroups row, tab- or space-separated
  'proc-cgroups-memory-count-high': ['memory\t', 'memory '],
};

/**
 * Chooses each rule's prefilter anchors: the keyword found on the fewest healthy lines (a rule can
 * only match a record containing all its keywords, so any one of them is a sound anchor, and the
 * rarest lets the most healthy lines through unread; tie: the longest, then the first), or the
 * rule's ANCHOR_SETS entry when that is rarer still.
 */
export function computeAnchors(
  rules: readonly CompiledRule[],
  healthyLines: readonly string[],
  examples?: (id: string) => readonly string[],
): Anchors {
  const lower = healthyLines.map((l) => l.toLowerCase());
  const freq = new Map<string, number>();
  const count = (ks: readonly string[]): number => {
    const key = ks.join('\u0000');
    let n = freq.get(key);
    if (n === undefined) {
      n = 0;
      for (const l of lower) if (ks.some((k) => l.includes(k))) n++;
      freq.set(key, n);
    }
    return n;
  };
  const anchorOf: Record<string, string[]> = {};
  const hits: Record<string, number> = {};
  for (const r of rules) {
    let best: string | undefined;
    for (const k of r.keywords) {
      if (best === undefined) {
        best = k;
        continue;
      }
      const d = count([k]) - count([best]);
      if (d < 0 || (d === 0 && k.length > best.length)) best = k;
    }
    let chosen = best === undefined ? [''] : [best];
    const set = ANCHOR_SETS[r.id];
    if (set !== undefined && examples !== undefined) {
      for (const ex of examples(r.id)) {
        const l = ex.toLowerCase();
        if (!set.some((k) => l.includes(k))) throw new Error(`ANCHOR_SETS[${r.id}]: example without any anchor: ${ex}`);
      }
      if (count(set) < count(chosen)) chosen = [...set];
    }
    anchorOf[r.id] = chosen;
    hits[r.id] = count(chosen);
  }
  return { anchorOf, anchors: minimalAnchors(Object.values(anchorOf).flat()), hits };
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
 * The healthy baseline the prefilter anchors are tuned on: test/fixtures/healthy plus the
 * benchmark's healthy journal lines (fixed seed, so the choice is deterministic).
 */
function healthyBaseline(): string[] {
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

/** The anchors the generated module carries: tuned on the healthy baseline, sets checked on examples. */
export function defaultAnchors(rules: readonly CompiledRule[]): Anchors {
  return computeAnchors(rules, healthyBaseline(), (id) => {
    const def = parse(readFileSync(join(root, 'rules/signals', `${id}.yaml`), 'utf8')) as { examples?: { match?: string[] } };
    return def.examples?.match ?? [];
  });
}

