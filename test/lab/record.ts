/**
 * Records the lab: runs every scenario this machine can run and writes its genuine output to
 * test/fixtures/lab/<id>.json, printing a Markdown summary (program, version, output, readings).
 * Usage (as root): npx tsx test/lab/record.ts [id-substring...]
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../src/index.js';
import { SCENARIOS } from './scenarios.js';
import { missing, pool, runScenario } from './run.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'lab');
mkdirSync(dir, { recursive: true });
const filters = process.argv.slice(2);
const chosen = SCENARIOS.filter((s) => filters.length === 0 || filters.some((f) => s.id.includes(f)));
const reports = await pool(chosen, 4, async (s) => {
  const lack = missing(s);
  if (lack.length > 0) return `### ${s.id}\nSKIPPED: missing ${lack.join(', ')}\n`;
  try {
    const t0 = Date.now();
    const f = await runScenario(s);
    const ms = Date.now() - t0;
    writeFileSync(join(dir, `${s.id}.json`), `${JSON.stringify(f, null, 2)}\n`);
    const d = classify(f.output);
    const dr = classify(`${f.output}\n${f.reading}`);
    return (
      `### ${s.id} (${ms} ms)\n- program: ${f.program} — \`${f.version}\`, locale ${f.locale}\n- command: \`${f.command}\` (exit ${f.exit.join(',')})\n- expected: ${f.cause}; classified now: ${d.cause} ${d.confidence.toFixed(2)} (with readings: ${dr.cause} ${dr.confidence.toFixed(2)})\n\n\`\`\`\n${f.output}\n\`\`\`\n${f.reading ? `readings:\n\`\`\`\n${f.reading}\n\`\`\`\n` : ''}`
    );
  } catch (e) {
    return `### ${s.id}\nFAILED TO RUN: ${(e as Error).message}\n`;
  }
});
console.log(reports.join('\n'));
