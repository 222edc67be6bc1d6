/**
 * `enospc/export`: the rule set for engines that run on every node or in a log store, where
 * enospc's own code does not run: node-problem-detector (system-log-monitor configs) and the Loki
 * ruler (alerting rules). Only rules that one log line can decide are exported; every result says
 * which rules were left out and why.
 */
import { renderLokiRules, type LokiExportOptions } from './loki.js';
import { renderNpdConfigMap, type NpdExportOptions } from './npd.js';

export { toNpdConfigs, renderNpdConfig, renderNpdConfigMap, npdPattern, NPD_SOURCES } from './npd.js';
export type {
  NpdSource,
  NpdRule,
  NpdCondition,
  NpdMonitorConfig,
  NpdConfigFile,
  NpdExport,
  NpdExportedRule,
  NpdExportOptions,
} from './npd.js';
export { toLokiRules, renderLokiRules, checkLokiSelector, LokiSelectorError } from './loki.js';
export type {
  LokiAlertRule,
  LokiRuleGroup,
  LokiRuleFile,
  LokiExport,
  LokiExportedRule,
  LokiExportOptions,
  LokiSeverity,
} from './loki.js';
export { toRe2, Re2TranslationError } from './shared.js';
export type { Re2Pattern, SkippedRule, ExportedRule, RuleSetOptions } from './shared.js';

/** A target of {@link exportRules}. */
export type ExportTarget = 'npd' | 'loki';

/** Options of {@link exportRules}: each target reads its own and ignores the other's. */
export type ExportOptions = NpdExportOptions & LokiExportOptions;

/**
 * Exports the rule set (built-in rules plus `options.rules`) as the text of a file for another engine.
 *
 * - `npd`: a ConfigMap (YAML) holding one node-problem-detector system-log-monitor JSON config per
 *   log source (kubelet, containerd, crio, dockerd via journald; the kernel via kmsg).
 * - `loki`: a Loki ruler rule file (YAML) with one alert per cause and severity.
 *
 * @param target - `npd` or `loki`.
 * @param options - Extra rules, and the target's own options (e.g. `selector` for Loki).
 * @returns The file's text.
 * @throws {Error} on an unknown target or a rule id defined twice.
 * @example
 * ```ts
 * import { exportRules } from 'enospc/export';
 * writeFileSync('enospc-loki.yaml', exportRules('loki', { selector: '{job="systemd-journal"}' }));
 * ```
 */
export function exportRules(target: ExportTarget, options: ExportOptions = {}): string {
  if (target === 'npd') return renderNpdConfigMap(options);
  if (target === 'loki') return renderLokiRules(options);
  throw new Error(`unknown export target "${String(target)}" (expected npd or loki)`);
}
