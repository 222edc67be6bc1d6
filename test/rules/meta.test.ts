import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAUSE_IDS } from '../../src/ids.js';
import { CAUSES, RULES } from '../../src/generated/rules.js';
import { loadRuleDir } from '../../src/rules/load.js';
import { checkSubset } from '../../src/rules/subset.js';
import { renderCausePage, renderCausePages } from '../../scripts/render-cause-pages.js';
import { renderMessagesDoc } from '../../scripts/render-messages.js';
import { renderRulesDoc, renderRulesModule } from '../../scripts/render-rules.js';
import { ROOT, ruleFiles } from '../support/rules.js';

describe('the rule set', () => {
  const loaded = loadRuleDir(join(ROOT, 'rules'));

  it('loads, validates and has ids equal to file names', () => {
    for (const { file, def } of ruleFiles()) expect(`${def.id}.yaml`).toBe(file);
    expect(new Set(loaded.rules.map((r) => r.id)).size).toBe(loaded.rules.length);
  });

  it('generated files are fresh (run `npm run rules` when this fails)', () => {
    const rules = [...loaded.rules].sort((a, b) => (a.id < b.id ? -1 : 1));
    const causes = [...loaded.causes].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(readFileSync(join(ROOT, 'src/generated/rules.ts'), 'utf8')).toBe(renderRulesModule(rules, causes));
    expect(readFileSync(join(ROOT, 'docs/rules.md'), 'utf8')).toBe(renderRulesDoc(rules, causes, join(ROOT, 'rules')));
    expect(readFileSync(join(ROOT, 'docs/messages.md'), 'utf8')).toBe(renderMessagesDoc(rules, join(ROOT, 'rules')));
    for (const page of renderCausePages(causes, join(ROOT, 'docs'))) expect(readFileSync(page.path, 'utf8'), page.path).toBe(page.text);
  });

  it('a cause page without its generated blocks is an error, not a page left stale', () => {
    const cause = loaded.causes[0]!;
    const filled = renderCausePage(cause, readFileSync(join(ROOT, 'docs', 'causes', `${cause.id}.md`), 'utf8'));
    expect(renderCausePage(cause, filled)).toBe(filled);
    expect(() => renderCausePage(cause, filled.replace('<!-- generated:fix end -->', ''))).toThrow(/generated:fix block/);
    expect(() => renderCausePage(cause, `${filled}\n<!-- generated:links begin -->\n<!-- generated:links end -->\n`)).toThrow(/found 2/);
  });

  it.each(CAUSE_IDS.map((c) => [c]))('cause %s has a cause file, supporting rules and a doc page', (cause) => {
    expect(CAUSES.map((c) => c.id)).toContain(cause);
    expect(RULES.filter((r) => r.cause === cause && r.effect === 'supports').length).toBeGreaterThan(0);
    const doc = join(ROOT, 'docs', 'causes', `${cause}.md`);
    expect(existsSync(doc)).toBe(true);
    const text = readFileSync(doc, 'utf8');
    for (const section of ['## What it is', '## How it shows up', '## What it is not', '## Confirm', '## Fix', '## References']) {
      expect(text, `${cause}.md lacks "${section}"`).toContain(section);
    }
  });

  it.each(RULES.map((r) => [r.id, r.source] as const))('%s stays in the RE2 ∩ ECMAScript subset without unbounded wildcards', (_id, source) => {
    expect(checkSubset(source)).toBeNull();
    // An unbounded `.*`/`.+` between literals is how a rule turns quadratic on a long line.
    expect(source).not.toMatch(/(^|[^\\])\.[*+]/);
    expect(source.startsWith('.*')).toBe(false);
  });

  it('every rule has real examples on both sides and an anchor beyond the bare errno', () => {
    for (const { def } of ruleFiles()) {
      expect(def.examples.match.length).toBeGreaterThan(0);
      expect(def.examples.noMatch.length).toBeGreaterThan(0);
      if (!def.fallback) {
        const generic = ['no space left on device', 'enospc', 'no space left'];
        expect(def.keywords.some((k) => !generic.includes(k)), `${def.id} needs a context keyword`).toBe(true);
      }
    }
  });
});
