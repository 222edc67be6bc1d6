import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { CauseInfo, CompiledRule } from '../engine/types.js';
import { compileCauses, compileRules } from './compile.js';
import { RuleError } from './error.js';

/** One parsed YAML file with the name it came from. */
export interface RuleFile {
  readonly file: string;
  readonly data: unknown;
}

/**
 * Parses one YAML rule or cause file. Aliases are capped (no "billion laughs"), duplicate keys are
 * errors, and nothing in the file is evaluated: custom tags are refused.
 *
 * @param text - The file's text.
 * @param file - Its path, for error messages.
 * @returns The parsed value (validate it with `compileRules`).
 * @throws {RuleError} on a YAML error.
 * @example
 * ```ts
 * const def = parseRuleYaml(readFileSync(path, 'utf8'), path);
 * ```
 */
export function parseRuleYaml(text: string, file: string): unknown {
  const id = basename(file).replace(/\.ya?ml$/, '');
  const fail = (reason: string): never => {
    throw new RuleError(id, '(file)', `${file}: ${reason.split('\n')[0]}`);
  };
  try {
    const doc = parseDocument(text, { uniqueKeys: true, customTags: [], prettyErrors: true, strict: true });
    if (doc.errors.length > 0) fail(doc.errors[0]!.message);
    // An unknown tag (`!!js/function`, `!!binary`, `!custom`) is only a warning to the yaml
    // package, which then reads the value as a string. Rule files are plain data: refuse it, so
    // nobody believes a tag did something.
    if (doc.warnings.length > 0) fail(doc.warnings[0]!.message);
    // toJS expands aliases; maxAliasCount caps that ("billion laughs").
    return doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    if (e instanceof RuleError) throw e;
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Reads every `*.yaml`/`*.yml` file in `dir` (not recursive), sorted by name.
 *
 * @param dir - The directory.
 * @returns Each file's path and parsed value.
 * @throws {RuleError} when the directory or a file cannot be read or parsed.
 * @example
 * ```ts
 * const files = readYamlDir('my-rules/signals');
 * ```
 */
export function readYamlDir(dir: string): RuleFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new RuleError('(rules)', dir, `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return names
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => {
      const file = join(dir, n);
      return { file, data: parseRuleYaml(readFileSync(file, 'utf8'), file) };
    });
}

function checkFileNames(files: readonly RuleFile[]): void {
  files.forEach((f, i) => {
    const stem = basename(f.file).replace(/\.ya?ml$/, '');
    const id = (f.data as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id !== stem) throw new RuleError(id, 'id', `must equal the file name "${stem}" (${f.file})`);
    if (typeof id !== 'string') throw new RuleError(stem || `#${i}`, 'id', `missing (${f.file})`);
  });
}

/**
 * Loads and compiles a rule directory: `signals/*.yaml` (or the YAML files in `dir` itself when it
 * has no `signals/`), plus `causes/*.yaml` when present.
 *
 * @param dir - The rule directory.
 * @param existing - Rules already loaded (ids must not clash; `requires` may name them).
 * @returns The compiled rules and causes.
 * @throws {RuleError} on the first invalid file, naming the rule and the field.
 * @example
 * ```ts
 * const { rules } = loadRuleDir('my-rules');
 * classify(text, { rules });
 * ```
 */
export function loadRuleDir(dir: string, existing: readonly CompiledRule[] = []): { rules: CompiledRule[]; causes: CauseInfo[] } {
  const hasSub = (name: string): boolean => {
    try {
      return statSync(join(dir, name)).isDirectory();
    } catch {
      return false;
    }
  };
  const signalFiles = readYamlDir(hasSub('signals') ? join(dir, 'signals') : dir);
  const causeFiles = hasSub('causes') ? readYamlDir(join(dir, 'causes')) : [];
  checkFileNames(signalFiles);
  checkFileNames(causeFiles);
  const rules = compileRules(signalFiles.map((f) => f.data), { existing });
  const causes = compileCauses(causeFiles.map((f) => f.data));
  return { rules, causes };
}
