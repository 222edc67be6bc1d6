/**
 * The NPD export's patterns under Go's regexp (the engine NPD runs), next to the re2-wasm checks in
 * npd.test.ts: bench/npd-go in `check` mode compiles every exported pattern as NPD does
 * (pattern + `\z`) and runs it on its rules' examples.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toNpdConfigs } from '../../src/export/index.js';
import { RULES } from '../../src/generated/rules.js';
import { assembledFromJson, examplesOf, npdLine } from './support.js';

const goMissing = spawnSync('go', ['version']).status !== 0;
const BENCH = fileURLToPath(new URL('../../bench/npd-go/', import.meta.url));
const byId = new Map(RULES.map((r) => [r.id, r]));

/** The text /dev/kmsg prints for a line: control bytes, non-ASCII bytes and the backslash as `\xNN`. */
function kmsgEscape(line: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(line)) out += b < 0x20 || b >= 0x7f || b === 0x5c ? `\\x${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}

/** A rule's examples as NPD sees them, without the ones npd.test.ts skips by name (multi-record, assembled JSON). */
function linesOf(id: string): { match: string[]; noMatch: string[] } {
  const rule = byId.get(id)!;
  const out = { match: [] as string[], noMatch: [] as string[] };
  for (const ex of examplesOf(id)) {
    const p = npdLine(ex.text);
    if (!('line' in p)) continue;
    if (ex.label === 'match' && assembledFromJson(p.line, new RegExp(rule.source, rule.flags)) !== null) continue;
    out[ex.label].push(p.line);
  }
  return out;
}

interface Check {
  monitor: string;
  id: string;
  pattern: string;
  match: string[];
  noMatch: string[];
}

function checks(): Check[] {
  const { configs, exported } = toNpdConfigs({ sources: ['kubelet', 'kernel'] });
  const out: Check[] = [];
  for (const e of exported) {
    const { match, noMatch } = linesOf(e.id);
    out.push({ monitor: 'journald (one rule)', id: e.id, pattern: e.pattern, match, noMatch });
    out.push({ monitor: 'kmsg (one rule)', id: e.id, pattern: e.kmsgPattern, match: [...match, ...match.map(kmsgEscape)], noMatch });
  }
  for (const c of configs) {
    for (const [i, ids] of c.ruleIds.entries()) {
      const members = ids.map((id) => byId.get(id)!);
      const lines = ids.map(linesOf);
      const match = lines.flatMap((l) => l.match);
      // Another member of the same cause may rightly match a member's non-example; keep only those
      // that no member's own pattern matches (and without quoting, which only the export tolerates).
      const noMatch = lines
        .flatMap((l) => l.noMatch)
        .filter((line) => !line.includes('"') && !members.some((m) => new RegExp(m.source, m.flags).test(line)));
      out.push({
        monitor: c.fileName,
        id: ids.join('+'),
        pattern: c.config.rules[i]!.pattern,
        match: c.config.plugin === 'kmsg' ? [...match, ...match.map(kmsgEscape)] : match,
        noMatch,
      });
    }
  }
  return out;
}

describe('NPD export under Go regexp (bench/npd-go check)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'enospc-npd-go-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(goMissing)(`every exported pattern compiles as NPD compiles it and fires exactly on its examples${goMissing ? ' (skipped: go is not installed)' : ''}`, () => {
    const all = checks();
    expect(all.reduce((n, c) => n + c.match.length, 0)).toBeGreaterThan(all.length);
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ lines: [], monitors: [], checks: all }));
    const env = { ...process.env, GOCACHE: join(dir, 'gocache'), GOPATH: join(dir, 'gopath'), GOPROXY: 'off', GOFLAGS: '', GOTOOLCHAIN: 'local' };
    const run = spawnSync('go', ['run', '.', 'check', input], { cwd: BENCH, env, encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    console.log(output.trim().split('\n').slice(-20).join('\n'));
    expect(output).toMatch(new RegExp(`checked ${all.length} patterns, \\d+ examples under Go regexp: 0 failures`));
    expect(run.status, output).toBe(0);
  }, 180_000);

  it.skipIf(goMissing)(`the check fails on a pattern that misses its example${goMissing ? ' (skipped: go is not installed)' : ''}`, () => {
    const input = join(dir, 'bad.json');
    writeFileSync(input, JSON.stringify({ lines: [], monitors: [], checks: [{ monitor: 'x', id: 'x', pattern: '(?i)(?:abc)[^\\n]*', match: ['abd'], noMatch: ['xabcx'] }] }));
    const env = { ...process.env, GOCACHE: join(dir, 'gocache'), GOPATH: join(dir, 'gopath'), GOPROXY: 'off', GOFLAGS: '', GOTOOLCHAIN: 'local' };
    const run = spawnSync('go', ['run', '.', 'check', input], { cwd: BENCH, env, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAIL x x match[0] does not match');
    expect(run.stdout).toContain('FAIL x x noMatch[0] matches');
  }, 180_000);
});
