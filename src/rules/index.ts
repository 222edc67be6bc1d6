/**
 * `enospc/rules`: load your own rules. This entry imports zod and xregexp; the default entry does not.
 * @module
 */
export { compileRules, compileCauses, compilePattern, type CompileOptions, type RuleDefinition, type CauseDefinition } from './compile.js';
export { RuleError } from './error.js';
export { loadRuleDir, parseRuleYaml, readYamlDir, type RuleFile } from './load.js';
export { checkSubset } from './subset.js';
export type { CompiledRule, CauseInfo } from '../engine/types.js';
