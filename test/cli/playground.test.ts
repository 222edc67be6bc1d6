/** `enospc playground [-o FILE]` copies the page built by `npm run build` (dist/playground.html). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

const CLI = join(ROOT, 'dist', 'cli.cjs');
const run = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('enospc playground', () => {
  it('-o FILE writes the built page and says where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'enospc-pg-cli-'));
    try {
      const out = join(dir, 'page.html');
      const r = run(['playground', '-o', out]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^enospc: wrote .*page\.html \(\d+ KB\)/);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'dist', 'playground.html'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without -o prints the page; with input files it is a usage error', () => {
    const r = run(['playground']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout).toContain('Content-Security-Policy');
    expect(r.stdout).not.toContain('__SCRIPT__');
    const bad = run(['playground', 'some.log']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('playground takes no input files');
  });

  it('--help lists it', () => {
    expect(run(['--help']).stdout).toContain('enospc playground [-o FILE]');
  });
});
