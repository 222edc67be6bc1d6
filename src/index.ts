/**
 * enospc: why does this Kubernetes node say "no space left on device"?
 *
 * The default entry imports neither zod nor xregexp: types come from the schemas with `import type`;
 * the runtime schemas are in `enospc/schema`, the rule compiler in `enospc/rules`, stream adapters
 * in `enospc/stream`.
 * @module
 */
export { classify, createClassifier, matchLine, getCause, DEFAULT_RECORD_LIMIT } from './api/classify.js';
export type { ClassifyOptions, ClassifyInput, Classifier, RecordMatch } from './api/classify.js';
export { causes } from './api/causes.js';
export { CAUSE_IDS } from './ids.js';
export type {
  CauseId,
  Diagnosis,
  Finding,
  Evidence,
  Remediation,
  Step,
  Link,
  Fields,
  Format,
  Stats,
  RuleHits,
  RuleMatch,
  Strength,
  Effect,
  RuleDefinition,
  CauseDefinition,
} from './schema.js';
export type { CompiledRule, CauseInfo } from './engine/types.js';
