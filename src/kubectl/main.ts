/**
 * `kubectl enospc`: a kubectl plugin (krew naming: the binary is `kubectl-enospc`). It only reads
 * (`kubectl get`, `kubectl describe`, `kubectl get --raw`), never writes, and streams what it read
 * through the classifier. Exit status as the CLI: 0 a cause was found, 1 nothing, 2 error.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Diagnosis } from 'enospc';
import { renderReport } from '../cli/report.js';

declare const __VERSION__: string;

const load = createRequire(import.meta.url);

export const USAGE = `Usage: kubectl enospc node NAME [options]
       kubectl enospc nodes [options]

node NAME   gathers the node's events, \`kubectl describe node NAME\`, the events of the pods on
            the node and, when the cluster serves it, the kubelet journal through the node log
            query endpoint, and tells why the node says "no space left on device".
nodes       ranks every node with DiskPressure or ENOSPC-family events.

It only reads: kubectl get, kubectl describe, kubectl get --raw.

Options:
  --since DURATION     only events (and journal lines) newer than this: 30m, 2h, 1d
  --json               print the result as JSON
  --explain            (node) show every finding with the evidence for and against it
  --redact             mask hostnames, IPs, pod UIDs, container ids and namespaces in the evidence
  --no-logs            (node) do not ask for the kubelet journal
  --context NAME       kubeconfig context to use
  --kubeconfig FILE    kubeconfig file to use
  -v, --verbose        print each kubectl command on stderr as it runs
  -h, --help           show this help
  -V, --version        show the version

Exit status: 0 a cause was found, 1 nothing was found, 2 usage or kubectl error.
The kubectl binary is $KUBECTL when set, else kubectl on PATH.`;

class UsageError extends Error {}
class KubectlError extends Error {}

export interface PluginArgs {
  command: 'node' | 'nodes' | undefined;
  node: string | undefined;
  sinceMs: number | undefined;
  json: boolean;
  explain: boolean;
  redact: boolean;
  logs: boolean;
  context: string | undefined;
  kubeconfig: string | undefined;
  verbose: boolean;
  help: boolean;
  version: boolean;
}

const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };

export function parseDuration(v: string): number {
  const m = /^(\d{1,9})([smhd])$/.exec(v.trim());
  if (m === null) throw new UsageError(`--since must be a duration such as 30m, 2h or 1d, got "${v}"`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

export function parsePluginArgs(argv: readonly string[]): PluginArgs {
  const a: PluginArgs = {
    command: undefined,
    node: undefined,
    sinceMs: undefined,
    json: false,
    explain: false,
    redact: false,
    logs: true,
    context: undefined,
    kubeconfig: undefined,
    verbose: false,
    help: false,
    version: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('-')) throw new UsageError(`option ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--since':
        a.sinceMs = parseDuration(value());
        break;
      case '--context':
        a.context = value();
        break;
      case '--kubeconfig':
        a.kubeconfig = value();
        break;
      case '--json':
        a.json = true;
        break;
      case '--explain':
        a.explain = true;
        break;
      case '--redact':
        a.redact = true;
        break;
      case '--no-logs':
        a.logs = false;
        break;
      case '-v':
      case '--verbose':
        a.verbose = true;
        break;
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '-V':
      case '--version':
        a.version = true;
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        positional.push(arg);
    }
    if (inline !== undefined && !['--since', '--context', '--kubeconfig'].includes(flag)) throw new UsageError(`option ${flag} takes no value`);
  }
  if (a.help || a.version) return a;
  const [cmd, ...rest] = positional;
  if (cmd === 'node') {
    if (rest.length !== 1) throw new UsageError('node needs exactly one node name: kubectl enospc node NAME');
    a.command = 'node';
    a.node = rest[0];
  } else if (cmd === 'nodes') {
    if (rest.length > 0) throw new UsageError('nodes takes no arguments');
    a.command = 'nodes';
  } else throw new UsageError(cmd === undefined ? 'a command is needed: node NAME or nodes' : `unknown command "${cmd}" (expected node or nodes)`);
  return a;
}

// ---------------------------------------------------------------- kubectl

interface Ran {
  /** The command line as run (kubectl and its arguments). */
  readonly command: string;
  readonly ok: boolean;
  readonly error?: string;
}

export class Kubectl {
  readonly ran: Ran[] = [];
  constructor(
    private readonly args: PluginArgs,
    private readonly bin = process.env.KUBECTL !== undefined && process.env.KUBECTL !== '' ? process.env.KUBECTL : 'kubectl',
  ) {}

  private global(): string[] {
    const g: string[] = [];
    if (this.args.kubeconfig !== undefined) g.push(`--kubeconfig=${this.args.kubeconfig}`);
    if (this.args.context !== undefined) g.push(`--context=${this.args.context}`);
    return g;
  }

  /** Runs a read-only kubectl command; rejects with kubectl's own message. */
  run(verb: 'get' | 'describe', args: readonly string[]): Promise<string> {
    const argv = [...this.global(), verb, ...args];
    const line = [this.bin, ...argv].map(quote).join(' ');
    if (this.args.verbose) process.stderr.write(`kubectl-enospc: ${line}\n`);
    return new Promise((resolve, reject) => {
      execFile(this.bin, argv, { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
        if (err !== null) {
          const msg = (stderr.trim().split('\n').at(-1) ?? '') || err.message;
          this.ran.push({ command: line, ok: false, error: msg });
          reject(new KubectlError(msg));
        } else {
          this.ran.push({ command: line, ok: true });
          resolve(stdout);
        }
      });
    });
  }

  async json<T>(args: readonly string[]): Promise<T> {
    const out = await this.run('get', [...args, '-o', 'json']);
    try {
      return JSON.parse(out) as T;
    } catch {
      throw new KubectlError(`kubectl get ${args.join(' ')}: the output is not JSON`);
    }
  }
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------- Kubernetes objects (the fields read)

interface Meta {
  name?: string;
  namespace?: string;
  creationTimestamp?: string;
}
export interface KEvent {
  metadata?: Meta;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  source?: { component?: string; host?: string };
  reportingInstance?: string;
}
interface List<T> {
  items?: T[];
}
interface KPod {
  metadata?: Meta;
  spec?: { nodeName?: string };
}
interface KNode {
  metadata?: Meta;
  status?: { conditions?: { type?: string; status?: string; message?: string; reason?: string }[] };
}

function eventTime(e: KEvent): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const ms = t === undefined || t === null ? Number.NaN : Date.parse(t);
  return Number.isFinite(ms) ? ms : Number.NaN;
}

function age(ms: number, now: number): string {
  if (!Number.isFinite(ms)) return '<unknown>';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/**
 * Events as a `kubectl events -A` table (one row each, the repeat count in the LAST SEEN column as
 * `5m (x3 over 2h)`), which the classifier reads as kubectl's own output.
 */
export function eventsTable(events: readonly KEvent[], now = Date.now()): string {
  if (events.length === 0) return '';
  const rows = [...events]
    .sort((a, b) => (eventTime(a) || 0) - (eventTime(b) || 0))
    .map((e) => {
      const count = e.series?.count ?? e.count ?? 1;
      const first = Date.parse(e.firstTimestamp ?? e.eventTime ?? '');
      const last = eventTime(e);
      const seen = count > 1 ? `${age(last, now)} (x${count} over ${age(Number.isFinite(first) ? first : last, now)})` : age(last, now);
      const obj = `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`;
      return [e.involvedObject?.namespace || e.metadata?.namespace || 'default', seen, e.type ?? 'Normal', e.reason ?? '', obj, (e.message ?? '').replace(/\s*\n\s*/g, ' ').trim()];
    });
  const head = ['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] as number) + 3)))
      .join('')
      .trimEnd();
  return `${[fmt(head), ...rows.map(fmt)].join('\n')}\n`;
}

function since(events: KEvent[] | undefined, args: PluginArgs, now: number): KEvent[] {
  const all = events ?? [];
  if (args.sinceMs === undefined) return all;
  const cutoff = now - args.sinceMs;
  return all.filter((e) => !(eventTime(e) < cutoff));
}

// ---------------------------------------------------------------- classify sections

interface Section {
  readonly name: string;
  readonly text: string;
}

/** Classifies the sections as one input; `locate` maps a line back to `section:line`. */
function classifySections(sections: readonly Section[], redact: boolean): { d: Diagnosis; locate: (n: number) => string } {
  const { createClassifier } = load('enospc') as typeof import('enospc');
  const c = createClassifier({ redact });
  const starts: { name: string; first: number }[] = [];
  let line = 1;
  for (const s of sections) {
    if (s.text.length === 0) continue;
    const text = s.text.endsWith('\n') ? s.text : `${s.text}\n`;
    starts.push({ name: s.name, first: line });
    c.write(text);
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
    line += n;
  }
  const locate = (n: number): string => {
    let s = starts[0];
    for (const st of starts) if (st.first <= n) s = st;
    return s === undefined ? `line ${n}` : `${s.name}:${n - s.first + 1}`;
  };
  return { d: c.end(), locate };
}

const lines = (s: string): number => (s.length === 0 ? 0 : s.split('\n').length - (s.endsWith('\n') ? 1 : 0));

// ---------------------------------------------------------------- node NAME

async function inParallel<T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i] as T);
      }
    }),
  );
  return out;
}

async function nodeCommand(args: PluginArgs, k: Kubectl): Promise<number> {
  const name = args.node as string;
  const now = Date.now();
  const logQuery = `/api/v1/nodes/${encodeURIComponent(name)}/proxy/logs/?query=kubelet${
    args.sinceMs !== undefined ? `&sinceTime=${encodeURIComponent(new Date(now - args.sinceMs).toISOString().replace(/\.\d+Z$/, 'Z'))}` : ''
  }`;
  const [nodeEvents, describe, pods, journal] = await Promise.all([
    k.json<List<KEvent>>(['events', '-A', '--field-selector', `involvedObject.kind=Node,involvedObject.name=${name}`]),
    k.run('describe', ['node', name]),
    k.json<List<KPod>>(['pods', '-A', '--field-selector', `spec.nodeName=${name}`]),
    args.logs
      ? k.run('get', ['--raw', logQuery]).then(
          (text) => ({ text, error: undefined }),
          (e: unknown) => ({ text: '', error: (e as Error).message }),
        )
      : Promise.resolve({ text: '', error: 'not asked (--no-logs)' }),
  ]);
  const podNames = new Map<string, Set<string>>();
  for (const p of pods.items ?? []) {
    const ns = p.metadata?.namespace ?? 'default';
    const set = podNames.get(ns) ?? new Set<string>();
    set.add(p.metadata?.name ?? '');
    podNames.set(ns, set);
  }
  // One list per namespace with pods on the node, filtered to those pods here: fewer calls than one per pod.
  const perNs = await inParallel([...podNames.keys()].sort(), 4, (ns) => k.json<List<KEvent>>(['events', '-n', ns, '--field-selector', 'involvedObject.kind=Pod']));
  const podEvents = perNs.flatMap((l, i) => {
    const ns = [...podNames.keys()].sort()[i] as string;
    const names = podNames.get(ns) as Set<string>;
    return (l.items ?? []).filter((e) => names.has(e.involvedObject?.name ?? ''));
  });
  const nodeEv = since(nodeEvents.items, args, now);
  const podEv = since(podEvents, args, now);
  const sections: Section[] = [
    { name: 'node-events', text: eventsTable(nodeEv, now) },
    { name: 'describe-node', text: describe },
    { name: 'pod-events', text: eventsTable(podEv, now) },
    { name: 'kubelet-journal', text: journal.text },
  ];
  const { d, locate } = classifySections(sections, args.redact);
  const read = {
    nodeEvents: nodeEv.length,
    describeLines: lines(describe),
    pods: pods.items?.length ?? 0,
    podEvents: podEv.length,
    kubeletJournalLines: lines(journal.text),
    ...(journal.error !== undefined ? { kubeletJournal: `not read: ${journal.error}` } : {}),
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ node: name, read, commands: k.ran.map((r) => r.command), diagnosis: d }, null, 2)}\n`);
  } else {
    const journalNote = journal.error !== undefined ? `kubelet journal not read (${journal.error})` : `${read.kubeletJournalLines} kubelet journal lines`;
    process.stdout.write(
      `Node ${name}: ${read.nodeEvents} node events, describe (${read.describeLines} lines), ${read.podEvents} events of ${read.pods} pods, ${journalNote}.\n\n`,
    );
    process.stdout.write(renderReport(d, locate, args.explain));
  }
  return d.cause === null ? 1 : 0;
}

// ---------------------------------------------------------------- nodes

export interface NodeRank {
  node: string;
  diskPressure: boolean;
  cause: string | null;
  confidence: number;
  matched: number;
  events: number;
}

async function nodesCommand(args: PluginArgs, k: Kubectl): Promise<number> {
  const now = Date.now();
  const [nodes, events] = await Promise.all([k.json<List<KNode>>(['nodes']), k.json<List<KEvent>>(['events', '-A'])]);
  const byNode = new Map<string, KEvent[]>();
  const known = new Set((nodes.items ?? []).map((n) => n.metadata?.name ?? ''));
  for (const e of since(events.items, args, now)) {
    // Node events name the node; kubelet's pod events carry it as their source host / reporting instance.
    const node = e.involvedObject?.kind === 'Node' ? e.involvedObject.name : (e.source?.host ?? e.reportingInstance);
    if (node === undefined || !known.has(node)) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), e]);
  }
  const ranks: NodeRank[] = [];
  for (const n of nodes.items ?? []) {
    const name = n.metadata?.name ?? '';
    const dp = (n.status?.conditions ?? []).some((c) => c.type === 'DiskPressure' && c.status === 'True');
    const evs = byNode.get(name) ?? [];
    const { d } = classifySections([{ name: 'events', text: eventsTable(evs, now) }], false);
    if (!dp && d.stats.matched === 0) continue;
    ranks.push({ node: name, diskPressure: dp, cause: d.cause, confidence: d.confidence, matched: d.stats.matched, events: evs.length });
  }
  ranks.sort(
    (a, b) =>
      Number(b.cause !== null) - Number(a.cause !== null) ||
      b.confidence - a.confidence ||
      Number(b.diskPressure) - Number(a.diskPressure) ||
      b.matched - a.matched ||
      a.node.localeCompare(b.node),
  );
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ nodes: ranks, checked: nodes.items?.length ?? 0, commands: k.ran.map((r) => r.command) }, null, 2)}\n`);
  } else if (ranks.length === 0) {
    process.stdout.write(`No node with DiskPressure or ENOSPC-family events (${nodes.items?.length ?? 0} nodes checked).\n`);
  } else {
    const rows = ranks.map((r) => [r.node, r.diskPressure ? 'True' : 'False', r.cause ?? '-', r.cause === null ? '-' : `${Math.round(r.confidence * 100)}%`, String(r.matched)]);
    const head = ['NODE', 'DISKPRESSURE', 'CAUSE', 'CONFIDENCE', 'MATCHED EVENTS'];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    for (const r of [head, ...rows]) process.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((w[i] as number) + 3))).join('')}\n`);
    process.stdout.write(`\nThen: kubectl enospc node ${ranks[0]?.node}\n`);
  }
  return ranks.some((r) => r.cause !== null) ? 0 : 1;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  let args: PluginArgs;
  try {
    args = parsePluginArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`kubectl-enospc: ${(e as Error).message}\nTry 'kubectl enospc --help'.\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.version) {
    process.stdout.write(`${__VERSION__}\n`);
    return;
  }
  const k = new Kubectl(args);
  try {
    process.exitCode = args.command === 'node' ? await nodeCommand(args, k) : await nodesCommand(args, k);
  } catch (e) {
    const msg = e instanceof KubectlError ? `kubectl: ${e.message}` : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    process.stderr.write(`kubectl-enospc: ${msg}\n`);
    process.exitCode = 2;
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
void main();
