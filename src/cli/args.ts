/** Parsed command line. */
export interface CliArgs {
  readonly mode: 'report' | 'json' | 'ndjson';
  readonly explain: boolean;
  /** `--probe`: measure this node's limits and usage and weigh the diagnosis with them. */
  readonly probe: boolean;
  readonly redact: boolean;
  readonly help: boolean;
  readonly version: boolean;
  readonly rules: readonly string[];
  readonly minConfidence: number | undefined;
  readonly files: readonly string[];
  /** `enospc export <target>` */
  readonly exportTarget: string | undefined;
  /** `enospc playground`: write the self-contained HTML page. */
  readonly playground: boolean;
  readonly output: string | undefined;
  /** `export loki --selector`: the LogQL stream selector of the alerts. */
  readonly selector: string | undefined;
}

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: enospc [options] [FILE...]
       enospc export <npd|loki> [--rules DIR] [--selector SEL] [-o FILE]
       enospc playground [-o FILE]   (one HTML page: paste a log, get the answer, offline)

Tells why a node says "no space left on device": reads kubelet/journalctl/kubectl/runtime/dmesg
text from FILEs (or stdin when none is given, or for -) and prints the cause, confidence, evidence
and how to confirm and fix it.

Options:
  --json               print the diagnosis as JSON
  --ndjson             print one JSON line per matching record (for pipelines)
  --explain            show every finding with the evidence for and against it
  --probe              also measure this node (limits and usage under /proc and /sys, statfs of
                       the paths in the evidence; reads only) and weigh the diagnosis with it
  --rules DIR          also load the rules in DIR (YAML, the shape of rules/signals/*.yaml)
  --min-confidence N   drop findings below N (0..1)
  --redact             mask hostnames, IPs, pod UIDs, container ids and namespaces
  --selector SEL       (export loki) LogQL stream selector of the alerts, e.g. '{job="systemd-journal"}'
  -o, --output FILE    (export, playground) write to FILE instead of stdout
  -h, --help           show this help
  -V, --version        show the version

Exit status: 0 a cause was found, 1 nothing was found, 2 usage or I/O error.`;

/** Parses argv (without node and script). Throws UsageError on anything it does not understand. */
export function parseArgs(argv: readonly string[]): CliArgs {
  let mode: CliArgs['mode'] = 'report';
  let explain = false;
  let probe = false;
  let redact = false;
  let help = false;
  let version = false;
  let minConfidence: number | undefined;
  let output: string | undefined;
  let selector: string | undefined;
  let exportTarget: string | undefined;
  const rules: string[] = [];
  const files: string[] = [];
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`option ${flag} needs a value`);
    return v;
  };
  const playground = argv[0] === 'playground';
  if (playground) i = 1;
  if (argv[0] === 'export') {
    exportTarget = argv[1];
    if (exportTarget === undefined || exportTarget.startsWith('-')) throw new UsageError('export needs a target: npd or loki');
    if (exportTarget !== 'npd' && exportTarget !== 'loki') throw new UsageError(`unknown export target "${exportTarget}" (expected npd or loki)`);
    i = 2;
  }
  let onlyFiles = false;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (onlyFiles || a === '-' || !a.startsWith('-')) {
      files.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const take = (): string => (inline !== undefined ? inline : value(flag));
    switch (flag) {
      case '--':
        onlyFiles = true;
        break;
      case '--json':
        mode = 'json';
        break;
      case '--ndjson':
        mode = 'ndjson';
        break;
      case '--explain':
        explain = true;
        break;
      case '--probe':
        probe = true;
        break;
      case '--redact':
        redact = true;
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      case '-V':
      case '--version':
        version = true;
        break;
      case '--rules':
        rules.push(take());
        break;
      case '-o':
      case '--output':
        output = take();
        break;
      case '--selector':
        selector = take();
        break;
      case '--min-confidence': {
        const v = take();
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--min-confidence must be a number from 0 to 1, got "${v}"`);
        minConfidence = n;
        break;
      }
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
    if (inline !== undefined && !['--rules', '--output', '--min-confidence', '--selector'].includes(flag)) {
      throw new UsageError(`option ${flag} takes no value`);
    }
  }
  if (exportTarget !== undefined && files.length > 0) throw new UsageError('export takes no input files');
  if (selector !== undefined && exportTarget !== 'loki') throw new UsageError('--selector is an option of export loki');
  if (playground && files.length > 0) throw new UsageError('playground takes no input files');
  if (probe && mode === 'ndjson') throw new UsageError('--probe works with the report and --json, not --ndjson');
  return { mode, explain, probe, redact, help, version, rules, minConfidence, files, exportTarget, playground, output, selector };
}
