/**
 * Compiles rules/ (YAML, validated with zod, patterns through xregexp) into
 * src/generated/rules.ts, docs/rules.md and docs/messages.md (the upstream format strings the rules
 * model), rules/errno-table.yaml into src/generated/errno-table.ts and docs/errno.md, and
 * rules/locales/ into src/generated/locales.ts, and the confirm / fix / links blocks of
 * docs/causes/<id>.md from rules/causes/ (render-cause-pages.ts). With --check, writes nothing and exits 1 when any
 * generated file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuleDir, parseRuleYaml } from '../src/rules/load.js';
import { RuleError } from '../src/rules/error.js';
import { compileErrnoTable } from '../src/rules/errno-table.js';
import { renderMessagesDoc } from './render-messages.js';
import { defaultAnchors, renderRulesDoc, renderRulesModule } from './render-rules.js';
import { renderErrnoTableDoc, renderErrnoTableModule } from './render-errno-table.js';
import { loadLocaleDir, renderLocalesModule } from './render-locales.js';
import { renderCausePages } from './render-cause-pages.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

let out: { path: string; text: string }[];
try {
  const { rules, causes } = loadRuleDir(join(root, 'rules'));
  rules.sort((a, b) => (a.id < b.id ? -1 : 1));
  causes.sort((a, b) => (a.id < b.id ? -1 : 1));
  const anchors = defaultAnchors(rules);
  if (process.argv.includes('--anchors')) {
    // hits: real healthy (loghub) lines containing one of the rule's anchors
    for (const r of rules) {
      const from = anchors.origin[r.id] === 'keywords' ? `keyword of ${JSON.stringify(r.keywords)} (no necessary factor of 3+ chars)` : 'pattern';
      console.log(`${String(anchors.hits[r.id]).padStart(6)}  ${r.id}: ${JSON.stringify(anchors.anchorOf[r.id])} from ${from}`);
    }
    console.log(`anchors (${anchors.anchors.length}): ${anchors.anchors.join(' | ')}`);
  }
  const tableFile = join(root, 'rules/errno-table.yaml');
  const { table, definition } = compileErrnoTable(parseRuleYaml(readFileSync(tableFile, 'utf8'), tableFile));
  out = [
    { path: join(root, 'src/generated/rules.ts'), text: renderRulesModule(rules, causes, anchors) },
    { path: join(root, 'docs/rules.md'), text: renderRulesDoc(rules, causes, join(root, 'rules')) },
    { path: join(root, 'docs/messages.md'), text: renderMessagesDoc(rules, join(root, 'rules')) },
    { path: join(root, 'src/generated/errno-table.ts'), text: renderErrnoTableModule(table) },
    { path: join(root, 'docs/errno.md'), text: renderErrnoTableDoc(definition) },
    { path: join(root, 'src/generated/locales.ts'), text: renderLocalesModule(loadLocaleDir(join(root, 'rules/locales'))) },
    ...renderCausePages(causes, join(root, 'docs')),
  ];
} catch (e) {
  if (e instanceof RuleError) {
    console.error(`build-rules: ${e.message}`);
    process.exit(1);
  }
  throw e;
}

let stale = 0;
for (const f of out) {
  let current: string;
  try {
    current = readFileSync(f.path, 'utf8');
  } catch {
    current = ''; // a file not written yet is as stale as a changed one
  }
  if (current === f.text) continue;
  if (check) {
    console.error(`build-rules: ${f.path} is stale; run npm run rules`);
    stale++;
  } else writeFileSync(f.path, f.text);
}
if (check && stale > 0) process.exit(1);
if (!check) console.log(`build-rules: wrote ${out.length} files`);
