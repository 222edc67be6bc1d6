import { closeSync, constants, fstatSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

/** A rule or cause file larger than this is refused (a 20 MB file took 17 s and 890 MB to load). */
export const MAX_RULE_FILE_BYTES = 1 << 20;
/** A rule directory with more YAML files than this is refused. */
export const MAX_RULE_FILES = 2000;

/** The file each rule loaded by {@link loadRuleDir} came from, to name both files of a clash. */
const ruleFiles = new WeakMap<CompiledRule, string>();

function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file (a dangling symbolic link?)';
    case 'ELOOP':
      return 'too many symbolic links (a link loop?)';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENXIO':
      return 'not a regular file (a socket or device)';
    default:
      return code ?? (e instanceof Error ? e.message.split(',')[0]! : String(e));
  }
}

/**
 * Reads one rule file: a regular file of at most MAX_RULE_FILE_BYTES. Opened non-blocking, so a
 * FIFO named `x.yaml` cannot block the process (even SIGINT) waiting for a writer; then checked
 * on the open descriptor, so nothing can be swapped in between.
 */
function readRuleFile(file: string, id: string): string {
  const fail = (reason: string): never => {
    throw new RuleError(id, '(file)', `${file}: ${reason}`);
  };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return fail(errnoReason(e));
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) fail('is a directory');
    if (!st.isFile()) fail(`not a regular file (${st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device'})`);
    if (st.size > MAX_RULE_FILE_BYTES) fail(`too large (${st.size} bytes; rule files are capped at ${MAX_RULE_FILE_BYTES})`);
    let text: string;
    try {
      text = readFileSync(fd, 'utf8');
    } catch (e) {
      return fail(errnoReason(e));
    }
    // The file grew after fstat
    if (text.length > MAX_RULE_FILE_BYTES) fail(`too large (rule files are capped at ${MAX_RULE_FILE_BYTES} bytes)`);
    return text;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads every `*.yaml`/`*.yml` file in `dir` (not recursive), sorted by name.
 *
 * @param dir - The directory.
 * @returns Each file's path and parsed value.
 * @throws {RuleError} when the directory or a file cannot be read or parsed, naming the entry: a
 *   FIFO, socket, device, directory, dangling link or link loop among the entries, a file over
 *   1 MiB, or more than 2,000 YAML files.
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
  const yamls = names.filter((n) => /\.ya?ml$/.test(n)).sort();
  if (yamls.length > MAX_RULE_FILES) throw new RuleError('(rules)', dir, `${yamls.length} YAML files; a rule directory is capped at ${MAX_RULE_FILES}`);
  return yamls.map((n) => {
    const file = join(dir, n);
    const id = n.replace(/\.ya?ml$/, '');
    return { file, data: parseRuleYaml(readRuleFile(file, id), file) };
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
 * @param options - `reserved`: ids taken by rules that are not in `existing` (the built-ins), each
 *   with the file it comes from, for the message.
 * @returns The compiled rules and causes.
 * @throws {RuleError} on the first invalid file, naming the rule and the field; a rule reusing a
 *   taken id names both files.
 * @example
 * ```ts
 * const { rules } = loadRuleDir('my-rules');
 * classify(text, { rules });
 * ```
 */
export function loadRuleDir(
  dir: string,
  existing: readonly CompiledRule[] = [],
  options: { readonly reserved?: ReadonlyMap<string, string> } = {},
): { rules: CompiledRule[]; causes: CauseInfo[] } {
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
  // An id already taken (a built-in rule, or one loaded before): refused naming both files, so a
  // custom rule never silently replaces another and the other's diagnosis is not lost.
  const taken = new Map<string, string>(options.reserved ?? []);
  for (const r of existing) taken.set(r.id, ruleFiles.get(r) ?? taken.get(r.id) ?? `the rule "${r.id}" loaded before`);
  for (const f of signalFiles) {
    const id = (f.data as { id: string }).id;
    const other = taken.get(id);
    if (other !== undefined) throw new RuleError(id, 'id', `${f.file} reuses the id of ${other}`);
  }
  const rules = compileRules(
    signalFiles.map((f) => f.data),
    { existing },
  );
  rules.forEach((r, i) => ruleFiles.set(r, signalFiles[i]!.file));
  const causes = compileCauses(causeFiles.map((f) => f.data));
  return { rules, causes };
}
