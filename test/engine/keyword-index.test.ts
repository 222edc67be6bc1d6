import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/generated/rules.js';
import { matchRecord, prepareRules, type PreparedRules, type RuleHit } from '../../src/engine/match.js';
import type { CompiledRule } from '../../src/engine/types.js';
import type { Fields } from '../../src/schema.js';

/** The matcher before the keyword index: every rule's keywords, in rule order, then its pattern and numeric bounds. */
function reference(prepared: PreparedRules, message: string, lower: string, fields: Fields): string[] {
  const ids: string[] = [];
  for (const rule of prepared.rules) {
    if (!rule.keywords.every((k) => lower.includes(k))) continue;
    const w = rule.where;
    if (w?.format !== undefined && !w.format.includes(fields.format)) continue;
    if (w?.reason !== undefined && (fields.reason === undefined || !w.reason.includes(fields.reason))) continue;
    const m = new RegExp(rule.source, rule.flags).exec(message);
    if (m !== null && numericHolds(rule, m)) ids.push(rule.id);
  }
  return ids;
}

/** A rule's numeric bounds on its named groups (the last defined group of a name wins). */
function numericHolds(rule: CompiledRule, m: RegExpExecArray): boolean {
  for (const [name, cond] of Object.entries(rule.numeric ?? {})) {
    let v: string | undefined;
    rule.groups.forEach((g, i) => {
      if (g === name && m[i + 1] !== undefined) v = m[i + 1];
    });
    const n = Number(v);
    if (!Number.isFinite(n) || (cond.gte !== undefined && n < cond.gte) || (cond.lte !== undefined && n > cond.lte)) return false;
  }
  return true;
}

const ids = (hits: RuleHit[]): string[] => hits.map((h) => h.rule.id);

function rule(id: string, keywords: string[], source: string): CompiledRule {
  return { id, cause: 'disk-full', effect: 'supports', strength: 'weak', status: 'stable', keywords, source, flags: 'i', groups: [] } as CompiledRule;
}

describe('keyword index', () => {
  it('finds the same rules as trying every rule, on the corpus', () => {
    const prepared = prepareRules(RULES);
    const lines = readFileSync(new URL('../fixtures/corpus-dev.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => String((JSON.parse(l) as { text?: unknown }).text ?? '').split('\n'));
    expect(lines.length).toBeGreaterThan(100);
    const fields = { format: 'plain' } as Fields;
    let hits = 0;
    for (const line of lines) {
      const got = ids(matchRecord(prepared, line, line.toLowerCase(), fields));
      expect(got, line).toEqual(reference(prepared, line, line.toLowerCase(), fields));
      hits += got.length;
    }
    expect(hits).toBeGreaterThan(50);
  });

  it('handles keys inside, overlapping and prefixing one another, and rules without keywords', () => {
    const rules = [
      rule('a', ['no space left on device'], 'no space'),
      rule('b', ['(28)no space left on device'], '\\(28\\)'),
      rule('c', ['device,'], 'device,'),
      rule('d', ['devicecreate'], 'devicecreate'),
      rule('e', ['vice'], 'vice'),
      rule('f', [], 'left'),
      rule('g', ['space', 'device'], 'space'),
      rule('h', ['ce,d'], 'ce,d'),
    ];
    const prepared = prepareRules(rules);
    const fields = { format: 'plain' } as Fields;
    for (const s of ['(28)No space left on device', 'devicecreate device,', 'xdevice,devicecreate', 'nothing left', 'no space left on device,device', 'device', '']) {
      expect(ids(matchRecord(prepared, s, s.toLowerCase(), fields)), s).toEqual(reference(prepared, s, s.toLowerCase(), fields));
    }
  });
});
