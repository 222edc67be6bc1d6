import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/generated/rules.js';
import { countByProject, readProvenance } from '../../scripts/render-messages.js';
import { ROOT } from '../support/rules.js';

// Issue 10: every built-in rule names the upstream code whose output it models (`upstream:`, with
// repository, path, ref and format string) or says why it models none (`noUpstream:`).
describe('rule provenance', () => {
  const prov = readProvenance(RULES, join(ROOT, 'rules'));

  it('counts the rules per upstream project', () => {
    const counts = countByProject(prov);
    const width = Math.max(...counts.map((c) => c.project.length), 'upstream project'.length);
    const none = prov.filter((p) => p.upstream.length === 0 && p.noUpstream !== undefined).length;
    const neither = prov.filter((p) => p.upstream.length === 0 && p.noUpstream === undefined).length;
    console.log(
      [
        `${'upstream project'.padEnd(width)}  rules  messages`,
        ...counts.map((c) => `${c.project.padEnd(width)}  ${String(c.rules).padStart(5)}  ${String(c.messages).padStart(8)}`),
        `${'(noUpstream: a reason)'.padEnd(width)}  ${String(none).padStart(5)}`,
        `${'(neither)'.padEnd(width)}  ${String(neither).padStart(5)}`,
        `${'rules in all'.padEnd(width)}  ${String(prov.length).padStart(5)}`,
      ].join('\n'),
    );
    expect(counts.reduce((n, c) => n + c.messages, 0)).toBe(prov.reduce((n, p) => n + p.upstream.length, 0));
  });

  it('every built-in rule has upstream sources or a reason it has none', () => {
    const missing = prov.filter((p) => p.upstream.length === 0 && (p.noUpstream === undefined || p.noUpstream.trim() === '')).map((p) => p.id);
    expect(missing, `rules with neither upstream nor noUpstream: ${missing.join(', ')}`).toEqual([]);
  });

  it('an upstream entry names a repository, a path and a ref', () => {
    for (const p of prov) {
      for (const u of p.upstream) {
        expect(u.repo, p.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(u.path.length, p.id).toBeGreaterThan(0);
        expect(u.ref.length, p.id).toBeGreaterThan(0);
      }
    }
  });
});
