import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { RuleDefinition, CauseDefinition } from '../../src/schema.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The rule definitions as written in rules/signals, with their file names. */
export function ruleFiles(): { file: string; def: RuleDefinition }[] {
  const dir = join(ROOT, 'rules', 'signals');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, def: parse(readFileSync(join(dir, f), 'utf8')) as RuleDefinition }));
}

export function causeFiles(): { file: string; def: CauseDefinition }[] {
  const dir = join(ROOT, 'rules', 'causes');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, def: parse(readFileSync(join(dir, f), 'utf8')) as CauseDefinition }));
}
