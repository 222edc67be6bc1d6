/**
 * Fills the generated blocks of docs/causes/<id>.md from rules/causes/<id>.yaml, so the confirm
 * steps, fix steps and links a user reads on the page are the ones the CLI and the API print.
 * Each page keeps its hand-written prose (what the cause is, how it shows up, what it is not, and
 * any note that adds to a generated block); only the text between a begin and an end marker is
 * replaced:
 *
 *   <!-- generated:confirm begin … -->  …  <!-- generated:confirm end -->
 *
 * for the sections `confirm`, `fix` and `links`. A page without all three blocks is an error, so a
 * new cause page cannot silently skip them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CauseInfo } from '../src/engine/types.js';
import { RuleError } from '../src/rules/error.js';

type Step = CauseInfo['confirm'][number];
const SECTIONS = ['confirm', 'fix', 'links'] as const;
type Section = (typeof SECTIONS)[number];

function oneLine(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function renderSteps(steps: readonly Step[], note: 'reading' | 'risk'): string[] {
  const lines: string[] = [];
  steps.forEach((step, i) => {
    lines.push(`${i + 1}. ${oneLine(step.description)}`);
    if (step.commands.length > 0) lines.push('', '   ```sh', ...step.commands.map((c) => `   ${c}`), '   ```');
    const text = step[note];
    if (text !== undefined) lines.push('', `   ${note === 'risk' ? 'Risk: ' : ''}${oneLine(text)}`);
    lines.push('');
  });
  return lines;
}

function renderBlock(cause: CauseInfo, section: Section): string {
  const body =
    section === 'confirm'
      ? renderSteps(cause.confirm, 'reading')
      : section === 'fix'
        ? renderSteps(cause.fix, 'risk')
        : [...cause.links.map((l) => `- [${l.title}](${l.url})`), ''];
  return [
    `<!-- generated:${section} begin: from rules/causes/${cause.id}.yaml (\`${section}\`); edit the YAML and run \`npm run rules\` -->`,
    '',
    ...body,
    `<!-- generated:${section} end -->`,
  ].join('\n');
}

/** The page's text with its generated blocks filled from `cause`; throws when a block is missing or doubled. */
export function renderCausePage(cause: CauseInfo, page: string): string {
  let text = page;
  for (const section of SECTIONS) {
    const block = new RegExp(`<!-- generated:${section} begin[^>]*-->[\\s\\S]*?<!-- generated:${section} end -->`, 'g');
    const found = text.match(block)?.length ?? 0;
    if (found !== 1) {
      throw new RuleError(cause.id, `docs/causes/${cause.id}.md`, `needs exactly one generated:${section} block (begin and end markers), found ${found}`);
    }
    text = text.replace(block, () => renderBlock(cause, section));
  }
  return text;
}

/** Every cause page, re-rendered: `{ path, text }` for build-rules' write-or-check loop. */
export function renderCausePages(causes: readonly CauseInfo[], docsDir: string): { path: string; text: string }[] {
  return causes.map((cause) => {
    const path = join(docsDir, 'causes', `${cause.id}.md`);
    let page: string;
    try {
      page = readFileSync(path, 'utf8');
    } catch {
      throw new RuleError(cause.id, `docs/causes/${cause.id}.md`, 'the cause has no doc page');
    }
    return { path, text: renderCausePage(cause, page) };
  });
}
