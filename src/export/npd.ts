/**
 * node-problem-detector export: the rule set as system-log-monitor configs (one per log source),
 * so that every node runs the line-level rules and reports Events and Node conditions.
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

/** A log source NPD can watch: journald entries of one `SYSLOG_IDENTIFIER`, or the kernel ring buffer. */
export type NpdSource = 'kubelet' | 'containerd' | 'crio' | 'dockerd' | 'kernel';

/** Every source, in the order the configs are written. */
export const NPD_SOURCES: readonly NpdSource[] = ['kubelet', 'containerd', 'crio', 'dockerd', 'kernel'];

/** One rule of a system-log-monitor config (`Rule` in NPD's pkg/systemlogmonitor/types). */
export interface NpdRule {
  readonly type: 'temporary' | 'permanent';
  /** Only on permanent rules: the Node condition the match sets to True. */
  readonly condition?: string;
  readonly reason: string;
  /** Go regexp; NPD appends `\z` and searches the joined log buffer. */
  readonly pattern: string;
  readonly patternGeneratedMessageSuffix: string;
}

/** The default (healthy) state of a Node condition a monitor owns. */
export interface NpdCondition {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

/** A system-log-monitor config file (`MonitorConfig` in NPD's pkg/systemlogmonitor). */
export interface NpdMonitorConfig {
  readonly plugin: 'journald' | 'kmsg';
  readonly pluginConfig?: { readonly source: string };
  readonly logPath: string;
  readonly lookback: string;
  readonly bufferSize: number;
  readonly source: string;
  readonly conditions: readonly NpdCondition[];
  readonly rules: readonly NpdRule[];
}

/** One config file: its name in the ConfigMap and NPD's `--config.system-log-monitor` list. */
export interface NpdConfigFile {
  readonly fileName: string;
  readonly source: NpdSource;
  readonly config: NpdMonitorConfig;
  /** For each of `config.rules`, in order, the ids of the enospc rules merged into its pattern. */
  readonly ruleIds: readonly (readonly string[])[];
}

/** A rule that went into the NPD configs, with the rule type chosen for it. */
export interface NpdExportedRule extends ExportedRule {
  readonly type: 'temporary' | 'permanent';
  /** This rule alone as an NPD pattern, for the journald configs. */
  readonly pattern: string;
  /** This rule alone as an NPD pattern for the kmsg config, which also accepts the kernel's `\xNN` escapes. */
  readonly kmsgPattern: string;
  /** Its RE2 body as translated for /dev/kmsg text. */
  readonly kmsgRe2: string;
}

/** Everything the NPD export produced, and what it left out. */
export interface NpdExport {
  readonly configs: readonly NpdConfigFile[];
  readonly exported: readonly NpdExportedRule[];
  readonly skipped: readonly SkippedRule[];
}

/** Options of the NPD export. */
export interface NpdExportOptions extends RuleSetOptions {
  /** Sources to write a config for. Default: all of {@link NPD_SOURCES}. */
  readonly sources?: readonly NpdSource[] | undefined;
  /** How far back each monitor reads when NPD starts. Default `"5m"`. */
  readonly lookback?: string | undefined;
  /** Journal directory on the node. Default `/var/log/journal` (use `/run/log/journal` for a volatile journal). */
  readonly journalPath?: string | undefined;
  /** Runbook URL template, `{cause}` replaced by the cause id. Default: the cause page shipped in the npm package. */
  readonly runbookUrl?: string | undefined;
  /** ConfigMap name for {@link renderNpdConfigMap}. Default `enospc-npd-config`. */
  readonly configMapName?: string | undefined;
  /** ConfigMap namespace. Default `kube-system`, where NPD's DaemonSet usually runs. */
  readonly namespace?: string | undefined;
  /**
   * Merge the rules of one cause and rule type into shared alternation patterns (default true).
   * False writes one NPD rule per enospc rule, the shape before merging (kept for the benchmark).
   */
  readonly merge?: boolean | undefined;
}

/**
 * How many enospc rules share one NPD pattern at most. NPD compiles every pattern for every line,
 * and Go's parser costs more than linearly in the size of one alternation: in bench/npd-go a whole
 * cause in one pattern was slower per line than one pattern per rule, groups of up to four the
 * cheapest.
 */
const MERGE_AT_MOST = 4;

interface SourceSpec {
  readonly plugin: 'journald' | 'kmsg';
  /** journald `SYSLOG_IDENTIFIER`. */
  readonly identifier?: string;
  /** Who the condition names, e.g. `Kubelet` in `KubeletENOSPC`. */
  readonly label: string;
  readonly component: string;
}

const SOURCES: Readonly<Record<NpdSource, SourceSpec>> = {
  kubelet: { plugin: 'journald', identifier: 'kubelet', label: 'Kubelet', component: 'kubelet' },
  containerd: { plugin: 'journald', identifier: 'containerd', label: 'Containerd', component: 'containerd' },
  crio: { plugin: 'journald', identifier: 'crio', label: 'CRIO', component: 'CRI-O' },
  dockerd: { plugin: 'journald', identifier: 'dockerd', label: 'Dockerd', component: 'dockerd' },
  kernel: { plugin: 'kmsg', label: 'Kernel', component: 'the kernel' },
};

/**
 * Causes whose exhaustion is node-wide and stays until an operator acts (raise a sysctl, reboot
 * away leaked cgroups, extend a thin pool), so a strong signal may set a Node condition. The others
 * are reported as Events only: disk-full and inode-exhaustion already have kubelet's DiskPressure,
 * which clears itself, whereas a log-derived NPD condition never clears; pid-exhaustion has
 * PIDPressure and is often a pod's own pids limit; shm-full, ipc-limit and cpuset-empty are
 * per-pod (its /dev/shm, IPC namespace, cpuset cgroup), not a node problem.
 */
const PERSISTENT_CAUSES: ReadonlySet<CompiledRule['cause']> = new Set([
  'inotify-watch-exhaustion',
  'inotify-instance-exhaustion',
  'cgroup-leak',
  'mount-limit',
  'thinpool-full',
  'keyring-quota',
]);

/**
 * Where NPD's sources cannot carry the record a rule is restricted to, the reason; else null.
 * NPD reads log lines of node daemons and the kernel, never Kubernetes Events or kubectl output.
 */
function npdObstacle(rule: CompiledRule): string | null {
  if (rule.where?.reason !== undefined) {
    return `counts only on Kubernetes Events with reason ${rule.where.reason.join('/')}; NPD reads node logs, not Events`;
  }
  const formats = rule.where?.format;
  if (formats !== undefined && !formats.some((f) => NODE_LOG_FORMATS.has(f))) {
    return `counts only on ${formats.join('/')} records, which journald and kmsg do not carry`;
  }
  return null;
}

const NODE_LOG_FORMATS: ReadonlySet<string> = new Set([
  'plain', 'klog', 'klog-json', 'journal', 'journal-json', 'journal-verbose', 'syslog', 'dmesg', 'logrus', 'logrus-json', 'node-error',
]);

/**
 * The remediation hint NPD appends to the matched log text (`<log>; <suffix>`): the cause, which
 * rules the pattern carries (the matched line itself tells which one fired), and what to do.
 */
function suffixFor(cause: CompiledRule['cause'], ids: readonly string[], runbookTemplate: string): string {
  const info = causeInfo(cause);
  const parts = [`enospc ${cause} [${ids.join(', ')}]${info !== undefined ? `: ${info.title}` : ''}`];
  const confirm = info?.confirm[0]?.commands[0];
  const fix = info?.fix[0]?.commands[0];
  if (confirm !== undefined) parts.push(`Confirm: ${confirm}`);
  if (fix !== undefined) parts.push(`Fix: ${fix}`);
  parts.push(`Runbook: ${runbookUrl(runbookTemplate, cause)}`);
  return parts.join('. ');
}

/**
 * The NPD pattern of a translated rule. NPD compiles `pattern + "\z"` and searches the buffer, so
 * the body is grouped (a top-level `|` would otherwise escape the anchor) and followed by the rest
 * of the line, since our patterns match inside a line rather than up to its end. `[^\n]*` cannot
 * cross into an older buffered line, so one log line never fires again on the lines after it.
 *
 * @param re2 - A translated RE2 body (from `toRe2`).
 * @returns The pattern for an NPD rule.
 * @example
 * ```ts
 * npdPattern('a|b'); // '(?i)(?:a|b)[^\\n]*'
 * npdPattern('a', 'b'); // '(?i)(?:a|b)[^\\n]*': several rules' bodies as one alternation
 * ```
 */
export function npdPattern(...re2: string[]): string {
  return `(?i)(?:${[...new Set(re2)].join('|')})[^\\n]*`;
}

/** The rules of one cause and rule type, in groups of at most {@link MERGE_AT_MOST} (or one each). */
function mergeGroups(rules: readonly NpdExportedRule[], merge: boolean): NpdExportedRule[][] {
  const byKind = new Map<string, NpdExportedRule[]>();
  for (const r of rules) {
    const key = `${r.cause}\u0000${r.type}`;
    byKind.set(key, [...(byKind.get(key) ?? []), r]);
  }
  const size = merge ? MERGE_AT_MOST : 1;
  const groups: NpdExportedRule[][] = [];
  for (const members of byKind.values()) for (let i = 0; i < members.length; i += size) groups.push(members.slice(i, i + size));
  return groups;
}

/**
 * Builds node-problem-detector system-log-monitor configs from the rule set: one per source.
 *
 * @param options - Extra rules, sources, lookback, journal path, runbook URL template.
 * @returns The configs, the rules exported (with their NPD rule type) and the rules skipped with reasons.
 * @example
 * ```ts
 * const { configs, skipped } = toNpdConfigs({ sources: ['kubelet', 'kernel'] });
 * for (const c of configs) writeFileSync(c.fileName, JSON.stringify(c.config, null, 2) + '\n');
 * ```
 */
export function toNpdConfigs(options: NpdExportOptions = {}): NpdExport {
  const runbookTemplate = options.runbookUrl ?? DEFAULT_RUNBOOK_URL;
  const exported: NpdExportedRule[] = [];
  const skipped: SkippedRule[] = [];
  for (const rule of ruleSet(options)) {
    const obstacle = lineLevelObstacle(rule) ?? npdObstacle(rule);
    if (obstacle !== null) {
      skipped.push({ id: rule.id, cause: rule.cause, reason: obstacle });
      continue;
    }
    const t = translate(rule);
    if ('reason' in t) {
      skipped.push(t);
      continue;
    }
    const k = translate(rule, { kmsg: true });
    if ('reason' in k) {
      skipped.push(k);
      continue;
    }
    const persistent = PERSISTENT_CAUSES.has(rule.cause) && (rule.strength === 'decisive' || rule.strength === 'strong');
    exported.push({
      ...t,
      type: persistent ? 'permanent' : 'temporary',
      pattern: npdPattern(t.re2),
      kmsgPattern: npdPattern(k.re2),
      kmsgRe2: k.re2,
    });
  }
  const groups = mergeGroups(exported, options.merge !== false);

  const configs = (options.sources ?? NPD_SOURCES).map((source): NpdConfigFile => {
    const spec = SOURCES[source];
    const conditionType = `${spec.label}ENOSPC`;
    const rules = groups.map((members): NpdRule => {
      const first = members[0] as NpdExportedRule;
      return {
        type: first.type,
        ...(first.type === 'permanent' ? { condition: conditionType } : {}),
        reason: pascalCause(first.cause),
        pattern: npdPattern(...members.map((m) => (spec.plugin === 'kmsg' ? m.kmsgRe2 : m.re2))),
        patternGeneratedMessageSuffix: suffixFor(first.cause, members.map((m) => m.id), runbookTemplate),
      };
    });
    const config: NpdMonitorConfig = {
      plugin: spec.plugin,
      ...(spec.identifier !== undefined ? { pluginConfig: { source: spec.identifier } } : {}),
      logPath: spec.plugin === 'kmsg' ? '/dev/kmsg' : (options.journalPath ?? '/var/log/journal'),
      lookback: options.lookback ?? '5m',
      // One line per match: enospc's rules describe one record, and a larger buffer would only let
      // a pattern's \s or negated classes straddle two unrelated log lines.
      bufferSize: 1,
      source: `enospc-${source}-monitor`,
      conditions: rules.some((r) => r.type === 'permanent')
        ? [
            {
              type: conditionType,
              reason: `${spec.label}HasNoENOSPC`,
              message: `${spec.component} has logged no persistent no-space-left-on-device failure`,
            },
          ]
        : [],
      rules,
    };
    return { fileName: `enospc-${source}.json`, source, config, ruleIds: groups.map((g) => g.map((m) => m.id)) };
  });
  return { configs, exported, skipped };
}

/**
 * One config file's text: 2-space JSON with a final newline, NPD's own canonical form.
 *
 * @param config - One monitor config from `toNpdConfigs`.
 * @returns The JSON text.
 * @example
 * ```ts
 * for (const c of toNpdConfigs().configs) writeFileSync(`${c.source}.json`, renderNpdConfig(c));
 * ```
 */
export function renderNpdConfig(config: NpdMonitorConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * The NPD export as one Kubernetes ConfigMap (YAML) holding every config file, ready for
 * `kubectl apply -f` and for mounting into NPD's DaemonSet.
 *
 * @param options - As for {@link toNpdConfigs}, plus the ConfigMap's name and namespace.
 * @returns The ConfigMap manifest text.
 * @example
 * ```ts
 * writeFileSync('enospc-npd.yaml', renderNpdConfigMap());
 * ```
 */
export function renderNpdConfigMap(options: NpdExportOptions = {}): string {
  const { configs, exported, skipped } = toNpdConfigs(options);
  const data: Record<string, string> = {};
  for (const c of configs) data[c.fileName] = renderNpdConfig(c.config);
  const manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: options.configMapName ?? 'enospc-npd-config',
      namespace: options.namespace ?? 'kube-system',
      labels: { 'app.kubernetes.io/name': 'enospc', 'app.kubernetes.io/component': 'node-problem-detector-config' },
    },
    data,
  };
  const header =
    `# Generated by enospc: ${exported.length} rules as node-problem-detector system-log-monitor configs\n` +
    `# (${configs.map((c) => c.fileName).join(', ')}); ${skipped.length} rules not exported, see docs/integrations/npd.md.\n`;
  return header + stringify(manifest, { lineWidth: 0 });
}
