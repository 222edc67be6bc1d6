/**
 * Package-metadata gates, run on the built tree: publint (exports/files/bin/types consistency) and
 * Are The Types Wrong (what TypeScript resolves for each entry under each resolution mode). Both
 * pack the package themselves, so they see exactly what `npm publish` would ship.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

function bin(name: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', name), args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('package quality gates', () => {
  it('publint --strict reports nothing', () => {
    const r = bin('publint', ['--strict']);
    expect(r.out, r.out).toContain('All good!');
    expect(r.code, r.out).toBe(0);
  });

  it('attw --pack: every entry resolves to matching types for node10, node16 (CJS and ESM) and bundlers', () => {
    // The default (strict) profile includes TypeScript's legacy `node10` resolution, which ignores
    // the exports map: package.json's `typesVersions` block is what makes the subpaths resolve there.
    const r = bin('attw', ['--pack', '.', '--format', 'table-flipped', '--no-emoji', '--no-color']);
    expect(r.code, r.out).toBe(0);
  });
});
