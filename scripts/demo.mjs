// `npm start`: runs the built CLI on each bundled example, as an operator would.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const files = readdirSync('examples').filter((f) => /\.(log|txt|json|yaml)$/.test(f)).sort();
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n$ enospc examples/${f}\n`);
  const r = spawnSync(process.execPath, ['dist/cli.cjs', `examples/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
