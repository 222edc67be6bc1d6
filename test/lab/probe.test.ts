/**
 * `enospc/probe` in the lab: a limit lowered (or a resource used up) inside a scenario's
 * namespace or cgroup shows in the probe's reading taken there, and the reading turns the
 * diagnosis of the program's genuine output to the right cause. Plus what the probe says on this
 * machine without root, and `enospc --probe` end to end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/index.js';
import { applyProbe, probe, type ProbeResult, type Reading } from '../../src/probe/index.js';
import { missing, pool, runScenario, type LabFixture } from './run.js';
import { CASES, type ProbeCase } from './probe-cases.js';

describe('probe in the lab: the lowered limit shows in the reading and turns the diagnosis', () => {
  const results = new Map<string, LabFixture | Error>();
  beforeAll(async () => {
    // Host cases one at a time: the probe walks every pids/cpuset cgroup, and would see the other's.
    const runnable = CASES.filter((c) => missing(c.scenario).length === 0);
    const run1 = async (c: ProbeCase): Promise<void> => {
      try {
        results.set(c.scenario.id, await runScenario(c.scenario));
      } catch (e) {
        results.set(c.scenario.id, e as Error);
      }
    };
    await Promise.all([pool(runnable.filter((c) => c.scenario.mode === 'userns'), 3, run1), pool(runnable.filter((c) => c.scenario.mode === 'host'), 1, run1)]);
  }, 120_000);

  for (const c of CASES) {
    const lack = missing(c.scenario);
    it.skipIf(lack.length > 0)(`${c.scenario.id} → ${c.scenario.cause}${lack.length > 0 ? ` (skipped: this machine lacks ${lack.join(', ')})` : ''}`, () => {
      const f = results.get(c.scenario.id);
      if (f instanceof Error || f === undefined) throw f ?? new Error('did not run');
      const got = f.probe as { paths: string[]; probe: ProbeResult } | undefined;
      expect(got, 'probe_here printed nothing').toBeDefined();
      const p = (got as { probe: ProbeResult }).probe;
      const reading = p.readings.find((r) => r.id.startsWith(c.reading) && r.cause === c.scenario.cause && r.effect === 'supports') ?? p.readings.find((r) => r.id.startsWith(c.reading));
      expect(reading, `no ${c.reading} reading; readings: ${p.readings.map((r) => r.id).join(', ')}`).toBeDefined();
      c.check(reading as Reading);
      const before = classify(f.output);
      const after = applyProbe(before, p);
      expect(after.cause, `output classified ${before.cause} ${before.confidence}; with the probe ${after.cause} ${after.confidence}`).toBe(c.scenario.cause);
      expect(after.findings[0]?.rules.some((h) => h.rule.startsWith('probe:'))).toBe(true);
    });
  }
});

describe('probe on this machine', () => {
  it('reads the limits it can without writing, and never throws', () => {
    const p = probe({ paths: ['/'] });
    expect(p.readings.length).toBeGreaterThan(5);
    for (const r of p.readings) expect(r.text).not.toBe('');
    expect(p.unreadable.some((u) => u.source === 'thin pool')).toBe(true);
  });

  it('a missing proc root is reported as unreadable, not thrown', () => {
    const p = probe({ proc: '/nonexistent-proc', sys: '/nonexistent-sys', defaultPaths: false });
    expect(p.readings).toEqual([]);
    expect(p.unreadable.length).toBeGreaterThan(3);
  });

  const asNobody = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v setpriv']).status === 0;
  it.skipIf(!asNobody)(`without root it reads what it can and says what it could not${asNobody ? '' : ' (skipped: needs root and setpriv to drop to uid 65534)'}`, () => {
    const tsx = join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const code = `import { probe } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'probe', 'index.ts'))}; process.stdout.write(JSON.stringify(probe()));`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, tsx, '-e', code], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', TSX_TSCONFIG_PATH: '' },
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as ProbeResult;
    expect(p.root).toBe(false);
    expect(p.readings.length).toBeGreaterThan(5);
    expect(p.unreadable.some((u) => u.source.includes('/fd'))).toBe(true);
  });

  const built = existsSync(join(import.meta.dirname, '..', '..', 'dist', 'cli.cjs'));
  it.skipIf(!built)(`enospc --probe prints "Measured on this node" and --json carries the probe${built ? '' : ' (skipped: dist/ not built; npm run build)'}`, () => {
    const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.cjs');
    const line = "mkdir: cannot create directory '/var/lib/kubelet/pods/x': No space left on device\n";
    const report = spawnSync(process.execPath, [cli, '--probe'], { input: line, encoding: 'utf8' });
    expect(report.stdout).toContain('Measured on this node');
    const json = spawnSync(process.execPath, [cli, '--probe', '--json'], { input: line, encoding: 'utf8' });
    const d = JSON.parse(json.stdout) as { probe?: ProbeResult; cause: string | null };
    expect(d.probe?.readings.length).toBeGreaterThan(0);
    expect(spawnSync(process.execPath, [cli, '--probe', '--ndjson'], { input: line, encoding: 'utf8' }).status).toBe(2);
  });
});
