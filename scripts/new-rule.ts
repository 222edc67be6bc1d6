/**
 * Scaffolds a rule: writes rules/signals/<id>.yaml with every field to fill in.
 * Usage: npm run new-rule -- <rule-id> <cause-id>
 */
import { existsSync, writeFileSync } from 'node:fs';
import { CAUSE_IDS } from '../src/ids.js';

const [id, cause] = process.argv.slice(2);
if (id === undefined || cause === undefined || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) {
  console.error('usage: npm run new-rule -- <rule-id (kebab-case, named after the signal)> <cause-id>');
  process.exit(2);
}
if (!(CAUSE_IDS as readonly string[]).includes(cause)) {
  console.error(`unknown cause "${cause}"; one of: ${CAUSE_IDS.join(', ')}`);
  process.exit(2);
}
const file = `rules/signals/${id}.yaml`;
if (existsSync(file)) {
  console.error(`${file} exists; rule ids are never reused`);
  process.exit(2);
}
writeFileSync(
  file,
  `id: ${id}
cause: ${cause}
effect: supports          # supports | opposes | context
strength: moderate        # decisive | strong | moderate | weak (see src/engine/strength.ts)
status: experimental      # experimental | stable | deprecated
keywords: [TODO]          # lowercase literals that must all appear; the longest is the prefilter anchor
# xregexp free-spacing, case-insensitive; write \\s for a space; bounded gaps only (.{0,200}?)
pattern: |
  TODO
description: >
  TODO: what the matched text means, and why it points at ${cause}.
references:
  - https://TODO
provenance: >
  TODO: which upstream code prints this text (file and format string), which versions.
examples:
  match:
    - 'TODO: a real line'
  noMatch:
    - 'TODO: a real look-alike that must not match'
`,
);
console.log(`wrote ${file}; fill it in, then: npm run rules && npx vitest run test/rules`);
