/**
 * Loki ruler export: the rule set as alerting rules whose LogQL line filters carry the rules'
 * patterns (RE2), with each cause's remediation in the annotations.
 */
import { stringify } from 'yaml';
import type { CompiledRule } from '../engine/types.js';
import {
  DEFAULT_RUNBOOK_URL,
  causeInfo,
  lineLevelObstacle,
  pascalCause,
  ruleSet,
  runbookUrl,
  translate,
  type ExportedRule,
  type RuleSetOptions,
  type SkippedRule,
} from './shared.js';

/** One alerting rule in Prometheus rule-file format, as the Loki ruler reads it. */
export interface LokiAlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A rule group. */
export interface LokiRuleGroup {
  readonly name: string;
  readonly rules: readonly LokiAlertRule[];
}

/** A rule file: `groups`, plus `namespace` when written for `lokitool`/`cortextool rules load`. */
export interface LokiRuleFile {
  readonly namespace?: string;
  readonly groups: readonly LokiRuleGroup[];
}

/** A rule that went into an alert, with the RE2 alternative it contributes. */
export interface LokiExportedRule extends ExportedRule {
  /** The alert (by name and severity) whose line filter contains this rule. */
  readonly alert: string;
  readonly severity: LokiSeverity;
  /** This rule's alternative, case-insensitive, as it appears in the alert's line filter. */
  readonly regex: string;
}

/** Everything the Loki export produced, and what it left out. */
export interface LokiExport {
  readonly file: LokiRuleFile;
  readonly exported: readonly LokiExportedRule[];
  readonly skipped: readonly SkippedRule[];
}

/** Severity label of an alert: `warning` for decisive/strong rules, `info` for moderate ones. */
export type LokiSeverity = 'warning' | 'info';

/** Options of the Loki export. */
export interface LokiExportOptions extends RuleSetOptions {
  /**
   * LogQL stream selector the line filters apply to. Default `{job=~".+"}` (every stream); narrow
   * it to the streams that carry node and workload logs to make each evaluation cheaper.
   */
  readonly selector?: string | undefined;
  /**
   * Labels the alert keeps (`sum by`). Default: cluster, node, node_name, host, hostname,
   * namespace, pod. Labels a stream lacks are simply empty.
   */
  readonly groupBy?: readonly string[] | undefined;
  /** Range of `count_over_time`, also how long an alert stays active after the last line. Default `5m`. */
  readonly range?: string | undefined;
  /** Rule group name. Default `enospc`. */
  readonly groupName?: string | undefined;
  /** Write a top-level `namespace` for `lokitool rules load` (the ruler's local files must not have it). */
  readonly namespace?: string | undefined;
  /** Runbook URL template, `{cause}` replaced by the cause id. Default: the cause page shipped in the npm package. */
  readonly runbookUrl?: string | undefined;
}

const DEFAULT_GROUP_BY = ['cluster', 'node', 'node_name', 'host', 'hostname', 'namespace', 'pod'];
/** Labels that name a workload or a cluster rather than the machine. */
const NOT_HOST = new Set(['cluster', 'namespace', 'pod', 'container', 'job', 'app']);

/**
 * A selector that is not a LogQL stream selector, or that Loki would refuse.
 *
 * @param message - What is wrong with it.
 * @example
 * ```ts
 * try { toLokiRules({ selector: 'job=x' }); } catch (e) { if (e instanceof LokiSelectorError) console.error(e.message); }
 * ```
 */
export class LokiSelectorError extends Error {
  override readonly name = 'LokiSelectorError';
}

/** One `label op "value"` matcher; the value a Go-quoted or backtick string, as LogQL reads it. */
const MATCHER = /^\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\\n]|\\.)*"|`[^`]*`)\s*(?:,|$)/;

/** Whether a matcher's value accepts the empty string (Loki needs one matcher that does not). */
function matchesEmpty(op: string, value: string): boolean {
  if (op === '=') return value === '';
  if (op === '=~') {
    try {
      return new RegExp(`^(?:${value})$`, 'u').test('');
    } catch {
      return false; // RE2 syntax JavaScript does not read: Loki is the judge.
    }
  }
  return true; // != and !~ match streams without the label, i.e. the empty value.
}

/**
 * Checks a LogQL stream selector (`{job="systemd-journal", node=~"n.+"}`) and returns it trimmed.
 *
 * @param selector - The selector as the user wrote it.
 * @returns The selector, trimmed.
 * @throws {LokiSelectorError} when it is not `{` matchers `}`, or when every matcher matches the empty string.
 * @example
 * ```ts
 * checkLokiSelector('{job="systemd-journal"}'); // '{job="systemd-journal"}'
 * ```
 */
export function checkLokiSelector(selector: string): string {
  const s = selector.trim();
  const fail = (why: string): never => {
    throw new LokiSelectorError(`invalid Loki stream selector ${JSON.stringify(selector)}: ${why} (e.g. '{job="systemd-journal"}')`);
  };
  if (!s.startsWith('{') || !s.endsWith('}')) fail('a stream selector is label matchers in braces');
  let rest = s.slice(1, -1);
  if (rest.trim() === '') fail('it needs at least one label matcher');
  let nonEmpty = false;
  while (rest.trim() !== '') {
    const m = MATCHER.exec(rest);
    if (m === null) fail(`cannot read a label matcher (name, one of = != =~ !~, a quoted value) at ${JSON.stringify(rest.trim().slice(0, 40))}`);
    const [all, , op, quoted] = m as RegExpExecArray & [string, string, string, string];
    let value: string;
    try {
      value = quoted.startsWith('`') ? quoted.slice(1, -1) : (JSON.parse(quoted) as string);
    } catch {
      value = quoted.slice(1, -1); // a Go escape JSON does not know (\a, \x41): the value is not empty
    }
    if (!matchesEmpty(op, value)) nonEmpty = true;
    rest = rest.slice(all.length);
    if (all.trimEnd().endsWith(',') && rest.trim() === '') fail('a trailing comma');
  }
  if (!nonEmpty) fail('Loki needs at least one matcher that does not match the empty string ({job=~".+"}, not {job=~".*"})');
  return s;
}

/** Formats that only ever come from a terminal (kubectl output), never from a log store. */
const TERMINAL_FORMATS: ReadonlySet<string> = new Set(['kubectl-events', 'kubectl-describe']);

function lokiObstacle(rule: CompiledRule): string | null {
  const formats = rule.where?.format;
  if (formats !== undefined && formats.every((f) => TERMINAL_FORMATS.has(f))) {
    return `counts only on ${formats.join('/')} output, which no log store holds`;
  }
  return null;
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The rule's alternative. A rule restricted to Event reasons needs the reason on the same line as
 * its pattern (Events reach Loki as one JSON or logfmt line each), in either order, which RE2
 * expresses without lookahead as two orderings; its format restriction cannot be checked and is dropped.
 */
function alternative(rule: CompiledRule, re2: string): string {
  const reasons = rule.where?.reason;
  if (reasons === undefined) return `(?:${re2})`;
  const r = `\\b(?:${reasons.map(escapeLiteral).join('|')})\\b`;
  return `(?:${r}.*(?:${re2})|(?:${re2}).*${r})`;
}

/** A LogQL string literal: a raw backtick string when possible (no escaping to get wrong). */
function logqlString(s: string): string {
  if (!s.includes('`')) return `\`${s}\``;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Static text inside a Prometheus-templated annotation: `{{` would start an action. */
function templateText(s: string): string {
  return s.split('{{').join('{{ "{{" }}');
}

function severityOf(strength: CompiledRule['strength']): LokiSeverity {
  return strength === 'decisive' || strength === 'strong' ? 'warning' : 'info';
}

/**
 * Builds Loki ruler alerting rules from the rule set: per cause, one alert per severity tier whose
 * line filter is the alternation of that cause's exportable rules.
 *
 * @param options - Extra rules, stream selector, grouping labels, range, runbook URL template.
 * @returns The rule file, the rules exported (with the alert each went into) and the rules skipped with reasons.
 * @example
 * ```ts
 * const { file } = toLokiRules({ selector: '{job="systemd-journal"}' });
 * file.groups[0].rules[0].alert; // e.g. 'ENOSPCCgroupLeak'
 * ```
 */
export function toLokiRules(options: LokiExportOptions = {}): LokiExport {
  const selector = checkLokiSelector(options.selector ?? '{job=~".+"}');
  const groupBy = options.groupBy ?? DEFAULT_GROUP_BY;
  const range = options.range ?? '5m';
  const runbookTemplate = options.runbookUrl ?? DEFAULT_RUNBOOK_URL;
  const exported: LokiExportedRule[] = [];
  const skipped: SkippedRule[] = [];
  const tiers = new Map<string, { cause: CompiledRule['cause']; severity: LokiSeverity; rules: LokiExportedRule[] }>();

  for (const rule of ruleSet(options)) {
    const obstacle = lineLevelObstacle(rule) ?? lokiObstacle(rule);
    if (obstacle !== null) {
      skipped.push({ id: rule.id, cause: rule.cause, reason: obstacle });
      continue;
    }
    const t: ExportedRule | SkippedRule = translate(rule);
    if ('reason' in t) {
      skipped.push(t);
      continue;
    }
    const severity = severityOf(rule.strength);
    const alert = `ENOSPC${pascalCause(rule.cause)}`;
    const notes = rule.where?.format !== undefined ? [...t.notes, `format restriction (${rule.where.format.join('/')}) not checked`] : t.notes;
    const e: LokiExportedRule = { ...t, notes, alert, severity, regex: `(?i)${alternative(rule, t.re2)}` };
    exported.push(e);
    const key = `${rule.cause}\u0000${severity}`;
    const tier = tiers.get(key) ?? { cause: rule.cause, severity, rules: [] };
    tier.rules.push(e);
    tiers.set(key, tier);
  }

  const hostLabels = groupBy.filter((l) => !NOT_HOST.has(l));
  const where =
    hostLabels.length === 0 ? '' : ` on {{ or ${hostLabels.map((l) => `$labels.${l}`).join(' ')} "an unlabelled stream" }}`;
  const pod = groupBy.includes('pod') ? `{{ with $labels.pod }} (pod {{ $labels.namespace }}/{{ . }}){{ end }}` : '';
  const by = groupBy.length === 0 ? 'sum' : `sum by (${groupBy.join(', ')})`;

  const tierRegex = (rules: readonly LokiExportedRule[]): string => {
    const alternatives = rules.map((r) => r.regex.slice('(?i)'.length));
    return alternatives.length === 1 ? `(?i)${alternatives[0] ?? ''}` : `(?i)(?:${alternatives.join('|')})`;
  };
  const rules = [...tiers.values()]
    .sort((a, b) => (a.cause === b.cause ? (a.severity === 'warning' ? -1 : 1) : a.cause < b.cause ? -1 : 1))
    .map((tier): LokiAlertRule => {
      const info = causeInfo(tier.cause);
      const title = info?.title ?? tier.cause;
      const ids = tier.rules.map((r) => r.id);
      const regex = tierRegex(tier.rules);
      // Both tiers share the alert name; a line that a decisive or strong rule matches raises the
      // warning alone, so that one line never raises two alerts of one name.
      const stronger = tier.severity === 'info' ? tiers.get(`${tier.cause}\u0000warning`) : undefined;
      const filter = `|~ ${logqlString(regex)}${stronger !== undefined ? ` !~ ${logqlString(tierRegex(stronger.rules))}` : ''}`;
      const confirm = info?.confirm[0]?.commands[0];
      const fix = info?.fix[0]?.commands[0];
      const description = [
        templateText(info?.summary.trim() ?? `Log lines point at ${tier.cause}.`),
        `{{ $value }} log line(s) in the last ${range} matched enospc rule(s) ${templateText(ids.join(', '))}.`,
        ...(confirm !== undefined ? [`Confirm: ${templateText(confirm)}`] : []),
        ...(fix !== undefined ? [`Fix: ${templateText(fix)}`] : []),
      ].join('\n');
      return {
        alert: `ENOSPC${pascalCause(tier.cause)}`,
        expr: `${by} (count_over_time(${selector} ${filter} [${range}])) > 0`,
        for: '0m',
        labels: { severity: tier.severity, cause: tier.cause },
        annotations: {
          summary: `${templateText(title)}${where}${pod}`,
          description,
          runbook_url: runbookUrl(runbookTemplate, tier.cause),
          enospc_rules: ids.join(', '),
        },
      };
    });

  const file: LokiRuleFile = {
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    groups: [{ name: options.groupName ?? 'enospc', rules }],
  };
  return { file, exported, skipped };
}

/**
 * The Loki export as rule-file YAML, for the ruler's rules directory or `lokitool rules load`.
 *
 * @param options - As for {@link toLokiRules}.
 * @returns The YAML text.
 * @example
 * ```ts
 * writeFileSync('/loki/rules/fake/enospc.yaml', renderLokiRules({ selector: '{cluster="prod"}' }));
 * ```
 */
export function renderLokiRules(options: LokiExportOptions = {}): string {
  const { file, exported, skipped } = toLokiRules(options);
  const header =
    `# Generated by enospc: ${exported.length} rules as Loki ruler alerts (${file.groups[0]?.rules.length ?? 0} alerting rules);\n` +
    `# ${skipped.length} rules not exported, see docs/integrations/loki.md.\n`;
  return header + stringify(file, { lineWidth: 0 });
}
