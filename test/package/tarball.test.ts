/**
 * The package as a user gets it: `npm pack` the built tree, install the tarball into an empty
 * project, and use it from ESM, CJS and the bin. Catches what the repo's own tests cannot: a file
 * missing from `files`, an exports path that points nowhere, a dependency in devDependencies,
 * a bin without its shebang. Runs against the dist/ already built (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/rules.js';

/**
 * The public surface, pinned: adding an export is a deliberate change to this list, and removing
 * or renaming one is a breaking change that must not slip through with a refactor.
 */
const PINNED_EXPORTS: Record<string, string[]> = {
  enospc: ['CAUSE_IDS', 'DEFAULT_RECORD_LIMIT', 'causes', 'classify', 'createClassifier', 'getCause', 'matchLine'],
  'enospc/rules': ['RuleError', 'checkSubset', 'compileCauses', 'compilePattern', 'compileRules', 'loadRuleDir', 'parseRuleYaml', 'readYamlDir'],
  'enospc/schema': [
    'CAUSE_IDS',
    'CauseIdSchema',
    'CauseSchema',
    'DiagnosisSchema',
    'EffectSchema',
    'ErrnoComponentClassSchema',
    'ErrnoNameSchema',
    'ErrnoOpClassSchema',
    'ErrnoPathClassSchema',
    'ErrnoRowSchema',
    'ErrnoTableSchema',
    'ErrnoYieldSchema',
    'EvidenceSchema',
    'FORMATS',
    'FieldsSchema',
    'FindingSchema',
    'FormatSchema',
    'LinkSchema',
    'NumericConditionSchema',
    'RemediationSchema',
    'RuleHitsSchema',
    'RuleMatchSchema',
    'RuleSchema',
    'RuleStatusSchema',
    'STRENGTHS',
    'StatsSchema',
    'StepSchema',
    'StrengthSchema',
    'UpstreamSchema',
  ],
  'enospc/stream': ['classifyIterable', 'classifyReadableStream', 'classifyStream', 'createClassifier'],
  'enospc/export': [
    'LokiSelectorError',
    'NPD_SOURCES',
    'Re2TranslationError',
    'checkLokiSelector',
    'exportRules',
    'npdPattern',
    'renderLokiRules',
    'renderNpdConfig',
    'renderNpdConfigMap',
    'toLokiRules',
    'toNpdConfigs',
    'toRe2',
  ],
  'enospc/probe': ['applyProbe', 'evidencePaths', 'probe'],
};

const SAMPLE = join(ROOT, 'examples', 'kubelet-inotify.log');
const INOTIFY_LINE =
  'E0304 10:30:58.280275 2301 raw.go:146] Failed to watch directory "/sys/fs/cgroup/memory": inotify_add_watch /sys/fs/cgroup/memory/x: no space left on device';

let tmp = '';
let project = '';

function sh(cmd: string, args: string[], cwd: string, input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', input: input ?? '', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a script file in the installed project (node resolves 'enospc' from its node_modules). */
function runIn(file: string, source: string): { code: number | null; stdout: string; stderr: string } {
  writeFileSync(join(project, file), source);
  return sh(process.execPath, [file], project);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'enospc-pack-'));
  project = join(tmp, 'project');
  const pack = sh('npm', ['pack', ROOT, '--pack-destination', tmp, '--silent'], tmp);
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (tgz === undefined) throw new Error('npm pack wrote no tarball');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'enospc-smoke', private: true, version: '0.0.0' })}\n`);
  // --ignore-scripts: a dependency's postinstall has no business in a smoke test (bins are still linked).
  const inst = sh('npm', ['install', join(tmp, tgz), '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], project);
  if (inst.code !== 0) throw new Error(`npm install of the tarball failed: ${inst.stderr}`);
}, 240_000);

afterAll(() => {
  if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
});

describe('the packed tarball, installed into an empty project', () => {
  it('imports with ESM and classifies', () => {
    const r = runIn(
      'esm.mjs',
      `import { classify, matchLine } from 'enospc';
       const d = classify(${JSON.stringify(INOTIFY_LINE)});
       console.log(JSON.stringify({ cause: d.cause, line: matchLine(${JSON.stringify(INOTIFY_LINE)})?.cause }));`,
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ cause: 'inotify-watch-exhaustion', line: 'inotify-watch-exhaustion' });
  });

  it('requires with CJS and classifies', () => {
    const r = runIn(
      'cjs.cjs',
      `const { classify } = require('enospc');
       const { DiagnosisSchema } = require('enospc/schema');
       const d = classify(${JSON.stringify(INOTIFY_LINE)});
       DiagnosisSchema.parse(d);
       console.log(d.cause);`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('inotify-watch-exhaustion');
  });

  it('every subpath loads in ESM and CJS, and exports exactly the pinned names', () => {
    const r = runIn(
      'keys.mjs',
      `import { createRequire } from 'node:module';
       const require = createRequire(import.meta.url);
       const out = {};
       for (const s of ${JSON.stringify(Object.keys(PINNED_EXPORTS))}) {
         out[s] = { esm: Object.keys(await import(s)).sort(), cjs: Object.keys(require(s)).sort() };
       }
       console.log(JSON.stringify(out));`,
    );
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as Record<string, { esm: string[]; cjs: string[] }>;
    for (const [spec, names] of Object.entries(PINNED_EXPORTS)) {
      expect(got[spec]?.esm, `${spec} (ESM)`).toEqual(names);
      expect(got[spec]?.cjs, `${spec} (CJS)`).toEqual(names);
    }
  });

  it('the subpaths work, not just load: stream, rules, export', () => {
    const r = runIn(
      'sub.mjs',
      `import { Readable } from 'node:stream';
       import { classifyStream } from 'enospc/stream';
       import { compileRules } from 'enospc/rules';
       import { exportRules } from 'enospc/export';
       const d = await classifyStream(Readable.from([${JSON.stringify(INOTIFY_LINE.slice(0, 60))}, ${JSON.stringify(`${INOTIFY_LINE.slice(60)}\n`)}]));
       console.log(JSON.stringify({ cause: d.cause, compile: typeof compileRules, npd: exportRules('npd').length > 1000 }));`,
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ cause: 'inotify-watch-exhaustion', compile: 'function', npd: true });
  });

  it('the enospc bin prints its version and classifies a sample (exit 0)', () => {
    const bin = join(project, 'node_modules', '.bin', 'enospc');
    const pkg = JSON.parse(sh(process.execPath, ['-p', 'JSON.stringify(require("enospc/package.json"))'], project).stdout) as { version: string };
    const v = sh(bin, ['--version'], project);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(pkg.version);
    const r = sh(bin, [SAMPLE], project);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('inotify-watch-exhaustion');
    const piped = sh(bin, ['--ndjson'], project, `${INOTIFY_LINE}\n`);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout.trim())).toMatchObject({ line: 1, cause: 'inotify-watch-exhaustion' });
  });

  it('the kubectl-enospc bin and `enospc playground` work from the installed package', () => {
    const plugin = join(project, 'node_modules', '.bin', 'kubectl-enospc');
    const h = sh(plugin, ['--help'], project);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('kubectl enospc node NAME');
    const page = sh(join(project, 'node_modules', '.bin', 'enospc'), ['playground'], project);
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/^<!doctype html>/);
    expect(page.stdout).toContain('enospc playground');
  });

  it('the krew manifest (with the whole package extracted, as krew does) runs the bin it names', () => {
    const manifest = readFileSync(join(ROOT, 'plugins', 'enospc.yaml'), 'utf8');
    const bin = /^\s+bin: (\S+)$/m.exec(manifest)?.[1];
    expect(bin).toBe('package/dist/kubectl-enospc.cjs');
    // krew unpacks the tarball and links the bin; node resolves `enospc` from the unpacked package itself.
    const store = join(tmp, 'krew-store');
    mkdirSync(store);
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz')) as string;
    expect(sh('tar', ['-xzf', join(tmp, tgz), '-C', store], tmp).code).toBe(0);
    const r = sh(process.execPath, [join(store, bin as string), '--version'], store);
    expect(r.code).toBe(0);
    expect(manifest).toContain(`version: v${r.stdout.trim()}`);
  });
});
