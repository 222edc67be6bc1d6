import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { matchLine } from '../../src/index.js';

const HEALTHY = 'Mar 04 10:30:59 node-a kubelet[2301]: I0304 10:30:59.000001    2301 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web" output="connection refused"';

describe('prefilter on a non-matching line', () => {
  it('rejects it', () => {
    expect(matchLine(HEALTHY)).toBeNull();
  });

  it('allocates nothing: heap flat over 10^5 calls (child process with --expose-gc)', () => {
    const script = `
      const { matchLine } = await import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)});
      const line = ${JSON.stringify(HEALTHY)};
      for (let i = 0; i < 20000; i++) matchLine(line); // warm up: lazy regexes, JIT tiers (they allocate code)
      gc(); gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 100000; i++) matchLine(line);
      const after = process.memoryUsage().heapUsed;
      process.stdout.write(String(after - before));
    `;
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    // 10^5 calls allocating even one 16-byte object each would add 1.6 MB; below 512 KB is JIT/IC bookkeeping.
    expect(Number(out)).toBeLessThan(512 * 1024);
  });
});
