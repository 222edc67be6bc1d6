/**
 * The `enospc` command. Streams its inputs through `createClassifier`, so memory stays flat
 * whatever their size. Exit codes follow grep: 0 found, 1 nothing found, 2 usage or I/O error.
 */
import { statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ClassifyOptions, CompiledRule, RecordMatch } from 'enospc';
import { USAGE, UsageError, parseArgs, type CliArgs } from './args.js';
import { devicePollingReader, feedWorker, peekStdin, pipeFileReader, readChunks, replayPeek, stdinFromMain, stdinIsTerminal, stdinReader, type StdinPeek } from './reading.js';
import { redactText } from '../engine/redact.js';
import { renderProbe, renderReport } from './report.js';

declare const __VERSION__: string;

/**
 * Loads the package's own entries (and rarely used built-ins) on first use. The CLI is built as
 * CommonJS (tsup.config.ts): Node 20 starts a CommonJS entry ~4 ms sooner than an ES module, which
 * is 5 % of the start-up budget, so it loads the CommonJS builds of the library too.
 */
const load = createRequire(import.meta.url);

/** An error already phrased for the user: printed as one line, exit 2. */
class CliError extends Error {}

function fail(message: string): never {
  throw new CliError(message);
}

/**
 * The built-in rules' ids and files, from the package's own `rules/signals/` (the generated rule
 * set is built from it): a custom rule may not take one of these ids. Empty if it is not there.
 */
function builtinRuleFiles(): Map<string, string> {
  const { readdirSync } = load('node:fs') as typeof import('node:fs');
  const { dirname, join } = load('node:path') as typeof import('node:path');
  const { fileURLToPath } = load('node:url') as typeof import('node:url');
  const out = new Map<string, string>();
  try {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules', 'signals');
    for (const n of readdirSync(dir)) if (n.endsWith('.yaml')) out.set(n.slice(0, -5), `the built-in rule ${join(dir, n)}`);
  } catch {
    // not installed with its rules/ folder: nothing to check against
  }
  return out;
}

async function loadRules(dirs: readonly string[]): Promise<CompiledRule[]> {
  if (dirs.length === 0) return [];
  const { loadRuleDir } = load('enospc/rules') as typeof import('enospc/rules');
  const reserved = builtinRuleFiles();
  const out: CompiledRule[] = [];
  for (const dir of dirs) {
    try {
      out.push(...loadRuleDir(dir, out, { reserved }).rules);
    } catch (e) {
      // A RuleError names the rule, the field and the file; anything else is still about this directory.
      fail(`--rules ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

/**
 * Writes `-o FILE`. Opened non-blocking: a FIFO with no reader is an error at once (ENXIO), not a
 * process blocked in open(2) that even SIGINT cannot end; a full pipe is waited out on a timer.
 */
async function writeOutput(path: string, text: string): Promise<void> {
  const fs = load('node:fs') as typeof import('node:fs');
  const c = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(path, c.O_WRONLY | c.O_CREAT | c.O_TRUNC | c.O_NONBLOCK, 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') fail(`${path}: a FIFO with no reader`);
    throw e;
  }
  try {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    let wait = 1;
    while (off < buf.length) {
      try {
        off += fs.writeSync(fd, buf, off);
        wait = 1;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 50);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

interface Source {
  readonly name: string;
  readonly path: string | undefined;
}

function describeIoError(name: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'ENOTDIR'
            ? 'a path component is not a directory'
            : code === 'ELOOP'
              ? 'too many symbolic links'
              : code === 'EMFILE' || code === 'ENFILE'
                ? 'too many open files'
                : // Node's message repeats the syscall and path ("EIO: i/o error, read"): keep its first clause.
                  ((e as Error).message ?? String(e)).split(',')[0]!;
  return `${name}: ${reason}`;
}

/** What the main thread read from stdin while deciding where to run (see wantsWorker). */
let stdinPeek: StdinPeek | undefined;

async function* readSource(src: Source): AsyncGenerator<Buffer> {
  try {
    if (src.path === undefined) yield* readStdin();
    else yield* readFile(src.path, src.name);
  } catch (e) {
    if (e instanceof CliError) throw e;
    fail(describeIoError(src.name, e));
  }
}

async function* readStdin(): AsyncGenerator<Buffer> {
  if (inWorker() && (workerData as WorkerData).stdinFromMain) {
    yield* stdinFromMain(parentPort!);
    return;
  }
  const peek = stdinPeek;
  stdinPeek = undefined;
  if (peek !== undefined && !(yield* replayPeek(peek))) return;
  if (await stdinIsTerminal()) {
    // Typed input: small, and the stream handles Ctrl-D and raw mode as users expect.
    for await (const chunk of process.stdin) yield chunk as Buffer;
    return;
  }
  yield* readChunks(await stdinReader(), false);
}

async function* readFile(path: string, name: string): AsyncGenerator<Buffer> {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    fail(describeIoError(name, e));
  }
  if (st.isDirectory()) fail(`${name}: is a directory`);
  if (st.isFIFO() || st.isSocket()) {
    // `enospc <(journalctl -f)`: a pipe is read through the event loop, as stdin is, never with
    // read(2) on the thread pool, where an idle writer kept Ctrl-C and SIGTERM from ending the process.
    yield* readChunks(await pipeFileReader(path), false);
    return;
  }
  if (st.isCharacterDevice()) {
    // `enospc /dev/kmsg`: the same for a device that may stay idle (polled, see devicePollingReader).
    yield* readChunks(devicePollingReader(path), false);
    return;
  }
  const handle = await open(path, 'r');
  try {
    yield* readChunks((buf) => handle.read(buf, 0, buf.length, null).then((r) => r.bytesRead), true);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Counts line breaks as the framer does (LF, CRLF, and a lone CR), across chunks: file:line for
 * several files must count the lines the classifier counts (lone CRs shifted evidence to the
 * next file). `pendingCR` is a CR that ended the previous chunk (already counted).
 */
function createLineCounter(): { count(buf: Buffer): number } {
  let pendingCR = false;
  return {
    count(buf) {
      let n = 0;
      let from = 0;
      if (pendingCR && buf[0] === 10) from = 1;
      pendingCR = false;
      for (let i = buf.indexOf(10, from); i !== -1; i = buf.indexOf(10, i + 1)) n++;
      for (let i = buf.indexOf(13, from); i !== -1; i = buf.indexOf(13, i + 1)) {
        if (i + 1 === buf.length) {
          pendingCR = true;
          n++;
        } else if (buf[i + 1] !== 10) n++;
      }
      return n;
    },
  };
}

async function run(args: CliArgs): Promise<number> {
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${__VERSION__}\n`);
    return 0;
  }
  if (args.playground) return writePlayground(args.output);
  const extra = await loadRules(args.rules);
  if (args.exportTarget !== undefined) {
    const { exportRules } = load('enospc/export') as typeof import('enospc/export');
    let text: string;
    try {
      text = exportRules(args.exportTarget as 'npd' | 'loki', {
        ...(extra.length > 0 ? { rules: extra } : {}),
        ...(args.selector !== undefined ? { selector: args.selector } : {}),
      });
    } catch (e) {
      if (e instanceof Error && e.name === 'LokiSelectorError') throw new UsageError(e.message);
      throw e;
    }
    if (args.output !== undefined) {
      try {
        await writeOutput(args.output, text);
      } catch (e) {
        if (e instanceof CliError) throw e;
        fail(describeIoError(args.output, e));
      }
    } else process.stdout.write(text);
    return 0;
  }

  const sources: Source[] = (args.files.length === 0 ? ['-'] : args.files).map((f) =>
    f === '-' ? { name: '(stdin)', path: undefined } : { name: f, path: f },
  );
  // Line where each source starts in the concatenated input, to report file:line.
  const starts: { name: string; first: number }[] = [];
  let linesSoFar = 0;
  const many = sources.length > 1;
  const locate = (line: number): string => {
    if (!many) return `line ${line}`;
    let s = starts[0];
    for (const st of starts) if (st.first <= line) s = st;
    return s === undefined ? `line ${line}` : `${s.name}:${line - s.first + 1}`;
  };
  // --ndjson lines are written once per input chunk (or 64 KiB), not one write each: 10^6 writes
  // (system calls, or stream writes on the main thread) cost more than the matching.
  let pendingOut = '';
  const flushOut = (): void => {
    if (pendingOut.length === 0) return;
    writeOut(pendingOut);
    pendingOut = '';
  };
  const options: ClassifyOptions = {
    ...(extra.length > 0 ? { rules: extra } : {}),
    ...(args.minConfidence !== undefined ? { minConfidence: args.minConfidence } : {}),
    redact: args.redact,
    ...(args.mode === 'ndjson'
      ? {
          onMatch: (m: RecordMatch) => {
            const where = many ? locate(m.line).split(':') : undefined;
            const rec = many ? { file: where?.slice(0, -1).join(':'), line: Number(where?.at(-1)), ...withoutLine(m) } : m;
            pendingOut += `${JSON.stringify(rec)}\n`;
            if (pendingOut.length >= 1 << 16) flushOut();
          },
        }
      : {}),
  };
  // Loaded here, not at the top: a main thread that hands a large input to a worker never needs it.
  const { createClassifier } = load('enospc') as typeof import('enospc');
  const classifier = createClassifier(options);
  const progress = stderrIsTTY() && args.mode === 'report';
  let bytes = 0;
  let lastProgress = Date.now();
  for (const src of sources) {
    // --redact: a file name is identifying text too (/var/log/pods/<ns>_<pod>_<uid>/…).
    starts.push({ name: args.redact ? redactText(src.name) : src.name, first: linesSoFar + 1 });
    let lastByte = 10;
    const counter = createLineCounter();
    for await (const chunk of readSource(src)) {
      if (chunk.length === 0) continue;
      classifier.write(chunk);
      flushOut();
      if (many) linesSoFar += counter.count(chunk);
      lastByte = chunk[chunk.length - 1]!;
      bytes += chunk.length;
      if (progress && Date.now() - lastProgress > 500) {
        lastProgress = Date.now();
        process.stderr.write(`\renospc: read ${(bytes / 1048576).toFixed(0)} MiB…`);
      }
    }
    if (lastByte !== 10) {
      // Ends the last line, so the next file starts on a line of its own. After a CR (already a
      // break) the LF only completes a CRLF: the framer must not take the next file's first LF for it.
      classifier.write('\n');
      if (many && lastByte !== 13) linesSoFar++;
    }
  }
  if (progress && bytes > 0 && Date.now() - lastProgress !== 0 && lastProgress !== 0) process.stderr.write('\r\x1b[K');
  let d = classifier.end();
  flushOut();
  let measured: import('enospc/probe').ProbeResult | undefined;
  if (args.probe) {
    // Loaded only for --probe: the probe reads this node, the rest of the CLI reads text.
    const pr = load('enospc/probe') as typeof import('enospc/probe');
    measured = pr.probe({ paths: pr.evidencePaths(d) });
    d = pr.applyProbe(d, measured);
  }
  if (args.mode === 'json') writeOut(`${JSON.stringify(measured ? { ...d, probe: measured } : d, null, 2)}\n`);
  else if (args.mode === 'report') writeOut(renderReport(d, locate, args.explain) + (measured ? renderProbe(measured) : ''));
  return d.cause === null ? 1 : 0;
}

/** Copies dist/playground.html (built next to this file by scripts/build-playground.ts). */
function writePlayground(output: string | undefined): number {
  const { readFileSync, writeFileSync } = load('node:fs') as typeof import('node:fs');
  let html: string;
  try {
    html = readFileSync(new URL('./playground.html', import.meta.url), 'utf8');
  } catch (e) {
    fail(describeIoError('playground.html (run npm run build)', e));
  }
  if (output === undefined) {
    process.stdout.write(html);
    return 0;
  }
  try {
    writeFileSync(output, html);
  } catch (e) {
    fail(describeIoError(output, e));
  }
  process.stderr.write(`enospc: wrote ${output} (${Math.round(html.length / 1024)} KB); open it in a browser, it needs no network.\n`);
  return 0;
}

/** Sleeps a worker thread (Atomics.wait is allowed there) while a non-blocking stdout is full. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to stdout. The worker writes fd 1 itself, synchronously: a slow reader blocks it, which is
 * the back-pressure, and the main thread never holds the output. Through worker stdio (messages to
 * the main thread) a dense log's --ndjson lines piled up to 712 MB RSS.
 */
function writeOut(text: string): void {
  if (!inWorker()) {
    process.stdout.write(text);
    return;
  }
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      // `enospc … | head -1`: the reader left; stop quietly (the main thread's handler does the same).
      else if (code === 'EPIPE') process.exit(0);
      else fail(`stdout: ${(e as Error).message}`);
    }
  }
}

function withoutLine(m: RecordMatch): Omit<RecordMatch, 'line'> {
  const { line: _line, ...rest } = m;
  return rest;
}

/**
 * Large inputs run in a worker thread whose young generation is capped. Peak RSS on a dense 1 GB
 * log was ~120 MB in the main thread, most of it V8 growing its semi-spaces to their 16 MiB default
 * (the allocation rate is high and some records survive each scavenge); the cap can only be set
 * before an isolate starts, and a worker is the one way to do that without re-running node with
 * flags. It costs ~10 MB for the second isolate and ~30 ms to start, so small inputs stay inline.
 */
const WORKER_MIN_BYTES = 64 * 1024 * 1024;
const WORKER_YOUNG_GENERATION_MB = 4;
const WORKER_OLD_GENERATION_MB = 1024;

interface WorkerData {
  readonly enospcCli: true;
  readonly stderrTTY: boolean;
  /** The worker reads stdin from the main thread (reading.ts, feedWorker), not from fd 0. */
  readonly stdinFromMain: boolean;
}

function inWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerData> | null)?.enospcCli === true;
}

function stderrIsTTY(): boolean {
  return inWorker() ? (workerData as WorkerData).stderrTTY : process.stderr.isTTY === true;
}

/**
 * stdin has no size to look at: the main thread reads it (without classifying) until it has
 * `STDIN_PEEK_BYTES`, sees its end, or `STDIN_PEEK_MS` pass. Input that ended by then is classified
 * inline (`kubectl logs … | enospc`); anything longer or still open, such as `journalctl | enospc`
 * or an endless `journalctl -f`, goes to the worker, which gets what was read and then the rest of
 * stdin through the main thread (reading.ts: a few buffers go back and forth, so a slow worker
 * slows the reading and nothing queues up).
 */
const STDIN_PEEK_BYTES = 4 * 1024 * 1024;
const STDIN_PEEK_MS = 200;

/** The worker threshold in bytes: ENOSPC_WORKER_MIN_BYTES (for tests: 0 = always, 1e15 = never) or the default. */
function workerMinBytes(): { min: number; forced: boolean } {
  const raw = process.env.ENOSPC_WORKER_MIN_BYTES;
  const env = Number(raw);
  const forced = raw !== undefined && raw.trim() !== '' && Number.isFinite(env) && env >= 0;
  return { min: forced ? env : WORKER_MIN_BYTES, forced };
}

/**
 * Whether to run in a worker: for regular files, at least the worker threshold in total; for
 * stdin alone (not a terminal), more than STDIN_PEEK_BYTES or still open after STDIN_PEEK_MS.
 */
async function wantsWorker(args: CliArgs): Promise<boolean> {
  if (!isMainThread || args.help || args.version || args.playground || args.exportTarget !== undefined) return false;
  const { min, forced } = workerMinBytes();
  if (args.files.length === 0 || (args.files.length === 1 && args.files[0] === '-')) {
    if (await stdinIsTerminal()) return false;
    // Forced through the environment: 0 always takes the worker, anything else never does.
    if (forced) return min === 0;
    const peek = await peekStdin(STDIN_PEEK_BYTES, STDIN_PEEK_MS);
    stdinPeek = peek;
    return peek.state === 'open';
  }
  let total = 0;
  for (const f of args.files) {
    if (f === '-') return false;
    try {
      const st = statSync(f);
      if (!st.isFile()) return false;
      total += st.size;
    } catch {
      return false; // the inline run reports the error
    }
  }
  return args.files.length > 0 && total >= min;
}

/**
 * Runs this same CLI in a worker (see WORKER_MIN_BYTES); its stdout and stderr pass through, its
 * exit status is ours. When it reads stdin, the main thread reads it and feeds it (feedWorker).
 */
function runInWorker(args: CliArgs): void {
  const stdinFromMain = args.files.length === 0 || args.files[0] === '-';
  const data: WorkerData = { enospcCli: true, stderrTTY: process.stderr.isTTY === true, stdinFromMain };
  let worker: Worker;
  try {
    worker = new Worker(new URL(import.meta.url), {
      argv: process.argv.slice(2),
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
    });
  } catch {
    startRun(args);
    return;
  }
  let exited = false;
  let feeding = false;
  worker.on('error', (e) => {
    process.stderr.write(`enospc: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
  worker.on('exit', (code) => {
    exited = true;
    process.exitCode ??= code;
    // A read of an endless stdin would keep this process alive after the worker is done.
    if (feeding) process.exit();
  });
  if (stdinFromMain) {
    feeding = true;
    const peek = stdinPeek ?? { chunks: [], state: 'open' as const };
    stdinPeek = undefined;
    void feedWorker(worker, peek, () => exited).finally(() => {
      feeding = false;
    });
  }
}

function main(): void {
  if (inWorker()) {
    // Signals, EPIPE and the exit status are the main thread's (runInWorker).
    const args = parsedArgs();
    if (args !== undefined) startRun(args);
    return;
  }
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // `enospc big.log | head -1`: the reader left; stop quietly as Unix tools do.
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`enospc: stdout: ${e.message}\n`);
    process.exit(2);
  });
  // A closed stderr must not turn into an uncaught 'error' event and a stack trace.
  process.stderr.on('error', () => {});
  // Ctrl-C / kill: one line, the conventional 128+signal exit status, no stack. On a terminal,
  // first clear the progress line this command may have drawn.
  const interrupted = (signal: 'SIGINT' | 'SIGTERM', status: number) => (): void => {
    process.stderr.write(`${process.stderr.isTTY === true ? '\r\x1b[K' : ''}enospc: interrupted (${signal})\n`);
    process.exit(status);
  };
  process.on('SIGINT', interrupted('SIGINT', 130));
  process.on('SIGTERM', interrupted('SIGTERM', 143));
  const args = parsedArgs();
  if (args === undefined) return;
  void wantsWorker(args).then((worker) => (worker ? runInWorker(args) : startRun(args)));
}

/** The command line, or undefined after reporting a usage error (exit 2). */
function parsedArgs(): CliArgs | undefined {
  try {
    return parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`enospc: ${(e as Error).message}\nTry 'enospc --help'.\n`);
    process.exitCode = 2;
    return undefined;
  }
}

function startRun(args: CliArgs): void {
  run(args).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const msg = e instanceof CliError || e instanceof UsageError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
      process.stderr.write(`enospc: ${msg}\n`);
      process.exitCode = 2;
    },
  );
}

main();
