// Preloaded into the benchmarked CLI (node --require): writes the process's peak RSS (KiB) to the
// file named by ENOSPC_BENCH_RSS on exit, so the benchmark needs no /usr/bin/time.
'use strict';
const file = process.env.ENOSPC_BENCH_RSS;
if (file) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
