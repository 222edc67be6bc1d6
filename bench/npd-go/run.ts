/**
 * `npm run bench:npd`: what enospc's node-problem-detector export costs where it runs. Writes the
 * exported monitors (one pattern per rule as before merging, and merged) and healthy journal lines
 * to a temp dir, reads NPD's stock kernel-monitor.json from the NPD mirror into the same temp dir
 * (never into the project), and runs bench/npd-go under Go's regexp.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toNpdConfigs } from '../../src/export/npd.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const MIRROR = process.env.NPD_MIRROR ?? '/work/.mirror/kubernetes+node-problem-detector/repo';
/** The release whose log buffer compiles every pattern per line; HEAD of the mirror if the tag is missing. */
const NPD_REF = process.env.NPD_REF ?? 'v0.8.21';
const LINES = Number(process.env.NPD_BENCH_LINES ?? 400);

/** The journal MESSAGE of each line of the generated healthy journal (syslog-style prefix removed). */
function healthyMessages(): string[] {
  const text = readFileSync(new URL('../../test/fixtures/healthy/node-journal.log', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-- '))
    .map((l) => l.replace(/^[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \S+ [^\s:[]+(?:\[\d+\])?: /, '').trim())
    .slice(0, LINES);
}

const dir = mkdtempSync(join(tmpdir(), 'enospc-npd-bench-'));
try {
  // Before: one NPD rule per enospc rule, the same patterns in every config (the kubelet config
  // unmerged is exactly that shape; the kernel config had no \xNN alternatives then).
  const [before] = toNpdConfigs({ merge: false, sources: ['kubelet'] }).configs;
  const [unmergedKernel] = toNpdConfigs({ merge: false, sources: ['kernel'] }).configs;
  const after = toNpdConfigs({ sources: ['kubelet', 'kernel'] }).configs;
  const monitor = (name: string, c: (typeof after)[number] | undefined) => ({
    name,
    bufferSize: c?.config.bufferSize ?? 1,
    patterns: c?.config.rules.map((r) => r.pattern) ?? [],
  });
  const monitors = [
    monitor('before: any monitor (1 rule each)', before),
    monitor('kernel, 1 rule each, with \\xNN', unmergedKernel),
    ...after.map((c) => monitor(`after: ${c.fileName}`, c)),
  ];
  const input = join(dir, 'input.json');
  writeFileSync(input, JSON.stringify({ lines: healthyMessages(), monitors, checks: [] }));

  const stock = join(dir, 'kernel-monitor.json');
  let stockArg: string[] = [stock];
  try {
    let ref = NPD_REF;
    try {
      execFileSync('git', ['-C', MIRROR, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'pipe' });
    } catch {
      ref = 'HEAD';
    }
    const commit = execFileSync('git', ['-C', MIRROR, 'rev-parse', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
    writeFileSync(stock, execFileSync('git', ['-C', MIRROR, 'show', `${ref}:config/kernel-monitor.json`]));
    console.log(`stock kernel monitor: kubernetes/node-problem-detector config/kernel-monitor.json at ${ref} (${commit})`);
  } catch {
    console.log(`stock kernel monitor: not found (no NPD mirror at ${MIRROR}; set NPD_MIRROR), no baseline`);
    stockArg = [];
  }

  const env = { ...process.env, GOCACHE: join(dir, 'gocache'), GOPATH: join(dir, 'gopath'), GOPROXY: 'off', GOFLAGS: '' };
  const go = spawnSync('go', ['run', '.', 'bench', input, ...stockArg], { cwd: HERE, env, stdio: 'inherit' });
  if (go.error !== undefined) console.log(`go: ${go.error.message} (Go from the Debian packages: apt-get install golang-go)`);
  process.exitCode = go.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
