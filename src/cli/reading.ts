/**
 * How the CLI reads its input: files and stdin in reused buffers, and stdin handed from the main
 * thread to the worker (see WORKER_MIN_BYTES in main.ts) without either side piling up memory.
 *
 * stdin (unless a terminal) is not read through `process.stdin`: that stream allocates a fresh
 * Buffer per 64 KiB, which lives outside the JS heap until a GC finds its wrapper (a dense log
 * piped through the worker peaked at 122 MB that way), and it cannot hand a read that is already
 * in flight from the peek (which may time out) to the worker feed.
 */
import { fstatSync, read } from 'node:fs';
import { createRequire } from 'node:module';
import type { OnReadOpts, SocketConstructorOpts } from 'node:net';
import type { MessagePort, Worker } from 'node:worker_threads';

const load = createRequire(import.meta.url);

/** Bytes per read (the few buffers of this size are reused, so this costs no memory per chunk). */
export const READ_CHUNK = 1 << 19;

/** Reads into `buf` from its start; resolves to the byte count, 0 at the end of the input. */
export type ReadInto = (buf: Buffer) => Promise<number>;

/**
 * The chunks of one input, read into two reused buffers with the next read in flight while the
 * consumer works on the current chunk (a sparse log spent ~20% of its time idle waiting for reads).
 * A chunk is valid until the consumer asks for the next one; the classifier copies what it keeps.
 * A failed read is thrown as is.
 *
 * @param settle - On early return, wait for the read in flight (a file, before closing it). Not
 *   for stdin: an endless pipe may never answer.
 */
export async function* readChunks(readInto: ReadInto, settle: boolean): AsyncGenerator<Buffer> {
  const bufs = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)] as const;
  let which = 0;
  const start = (buf: Buffer): Promise<number> => {
    const p = readInto(buf);
    p.catch(() => {}); // awaited below; never an unhandled rejection while the consumer works
    return p;
  };
  let next = start(bufs[0]);
  try {
    for (;;) {
      const n = await next;
      if (n === 0) return;
      const cur = bufs[which]!;
      which ^= 1;
      next = start(bufs[which]!);
      yield cur.subarray(0, n);
    }
  } finally {
    if (settle) await next.catch(() => 0);
  }
}

/**
 * Reads from stdin (fd 0) when it is not a terminal. A pipe or socket is read through libuv's
 * event loop, into one reused buffer, one read per request; anything else (a file, /dev/null) with
 * read(2) on the thread pool. Never read(2) a pipe there: a read that waits for a writer cannot be
 * abandoned, and exiting (Ctrl-C) waits for the thread pool, so the process would hang.
 */
export async function stdinReader(): Promise<ReadInto> {
  // node:net is loaded only here: start-up on a file argument does not pay for it.
  return (reader ??= isPipe() ? pipeReader((load('node:net') as typeof import('node:net')).Socket, 0) : isDevice() ? deviceStdin() : fileReader);
}

/** stdin a character device that is not a terminal (`enospc < /dev/kmsg`): polled, see devicePollingReader. */
function deviceStdin(): ReadInto {
  try {
    return devicePollingReader('/proc/self/fd/0');
  } catch {
    return fileReader;
  }
}

function isDevice(): boolean {
  try {
    return fstatSync(0).isCharacterDevice();
  } catch {
    return false;
  }
}

/**
 * Reads a FIFO or pipe named on the command line (`enospc <(journalctl -f)`, `mkfifo f; enospc f`)
 * through the event loop, as stdin is: opened non-blocking (opening a FIFO waits for a writer),
 * then polled every 100 ms until a writer is there (read(2) gives 0 until then, EAGAIN or data
 * once it is), then read as a socket. Nothing waits on the thread pool, so Ctrl-C and SIGTERM end
 * the process at any time.
 */
export async function pipeFileReader(path: string): Promise<ReadInto> {
  const fs = load('node:fs') as typeof import('node:fs');
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    // `/dev/fd/N` of a socket (a pipe some runtimes hand a child) cannot be opened: read fd N itself.
    const inherited = /^\/(?:dev|proc\/self)\/fd\/(\d{1,9})$/.exec(path);
    if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || inherited === null) throw e;
    return pipeReader((load('node:net') as typeof import('node:net')).Socket, Number(inherited[1]));
  }
  const first = Buffer.allocUnsafe(READ_CHUNK);
  let got: number;
  for (;;) {
    try {
      got = fs.readSync(fd, first, 0, first.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
        fs.closeSync(fd);
        throw e;
      }
      got = -1; // a writer, with nothing written yet
    }
    if (got !== 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const rest = pipeReader((load('node:net') as typeof import('node:net')).Socket, fd);
  if (got < 0) return rest;
  let head: Buffer | undefined = first.subarray(0, got);
  return (buf) => {
    if (head === undefined) return rest(buf);
    const n = head.copy(buf, 0, 0, Math.min(buf.length, head.length));
    head = n < head.length ? head.subarray(n) : undefined;
    return Promise.resolve(n);
  };
}

let reader: ReadInto | undefined;

/** Whether stdin is a terminal (node:tty loaded only when stdin is read). */
export async function stdinIsTerminal(): Promise<boolean> {
  return (load('node:tty') as typeof import('node:tty')).isatty(0);
}

function isPipe(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/**
 * A character device (`/dev/kmsg`, a serial line, a tty given as a file) opened non-blocking and
 * polled: EAGAIN is waited out on a timer (1 ms doubling to 50 ms), so no read(2) waits on the
 * thread pool, where an idle device kept Ctrl-C and SIGTERM from ending the process. `/dev/kmsg`
 * reports EPIPE when records were overwritten while it was read: the next read goes on.
 */
export function devicePollingReader(path: string): ReadInto {
  const fs = load('node:fs') as typeof import('node:fs');
  const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  let closed = false;
  return (buf) =>
    new Promise((resolve, reject) => {
      let wait = 1;
      const attempt = (): void => {
        if (closed) return resolve(0);
        try {
          const n = fs.readSync(fd, buf, 0, buf.length, null);
          if (n === 0) {
            closed = true;
            fs.closeSync(fd);
          }
          resolve(n);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN' || code === 'EPIPE') {
            setTimeout(attempt, wait);
            wait = Math.min(wait * 2, 50);
          } else reject(e);
        }
      };
      attempt();
    });
}

/** A pipe's fd (0: stdin) as a socket that reads only while a request waits, then pauses again. */
function pipeReader(Socket: typeof import('node:net').Socket, fd: number): ReadInto {
  const scratch = Buffer.allocUnsafe(READ_CHUNK);
  let want: { buf: Buffer; resolve: (n: number) => void; reject: (e: unknown) => void } | undefined;
  // Data that came with nobody waiting (the socket starts reading as it opens): kept for the next request.
  let stash: Buffer | undefined;
  let ended = false;
  let failed: unknown;
  const give = (w: NonNullable<typeof want>, data: Uint8Array): void => {
    const n = Math.min(data.length, w.buf.length);
    w.buf.set(data.subarray(0, n));
    if (n < data.length) stash = Buffer.from(data.subarray(n));
    w.resolve(n);
  };
  // `onread` is a documented option of `new net.Socket()` (Node >= 15) missing from @types/node's
  // SocketConstructorOpts, which has it only for connect().
  const options: SocketConstructorOpts & { onread: OnReadOpts } = {
    fd,
    readable: true,
    writable: false,
    onread: {
      buffer: scratch,
      callback: (n: number, data: Uint8Array): boolean => {
        const w = want;
        want = undefined;
        if (w !== undefined) give(w, data.subarray(0, n));
        else stash = stash === undefined ? Buffer.from(data.subarray(0, n)) : Buffer.concat([stash, data.subarray(0, n)]);
        return false; // pause until the next request
      },
    },
  };
  const socket = new Socket(options);
  socket.on('end', () => {
    ended = true;
    want?.resolve(0);
    want = undefined;
  });
  socket.on('error', (e) => {
    failed = e;
    want?.reject(e);
    want = undefined;
  });
  return (buf) =>
    new Promise((resolve, reject) => {
      if (stash !== undefined) {
        const data = stash;
        stash = undefined;
        return give({ buf, resolve, reject }, data);
      }
      if (failed !== undefined) return reject(failed);
      if (ended) return resolve(0);
      want = { buf, resolve, reject };
      socket.resume();
    });
}

/** One read(2) on fd 0; EAGAIN (a descriptor someone left non-blocking) is waited out, 1 ms doubling to 50 ms. */
const fileReader: ReadInto = (buf) =>
  new Promise((resolve, reject) => {
    let wait = 1;
    const attempt = (): void => {
      read(0, buf, 0, buf.length, null, (err, n) => {
        if (err === null) resolve(n);
        else if (err.code === 'EAGAIN') {
          setTimeout(attempt, wait);
          wait = Math.min(wait * 2, 50);
        } else reject(err);
      });
    };
    attempt();
  });

/** What the main thread read from stdin while deciding where to run. */
export interface StdinPeek {
  /** Chunks read so far, each in its own ArrayBuffer (so it can be transferred to the worker). */
  readonly chunks: Buffer[];
  /**
   * `ended`: all of stdin is in `chunks`. `failed`: the read after them failed with `error`.
   * `open`: more may come; `pending` is the read in flight, into its own buffer.
   */
  readonly state: 'ended' | 'open' | 'failed';
  readonly error?: unknown;
  readonly pending?: { readonly buf: Buffer; readonly read: Promise<number> };
}

/**
 * What the peek read: its chunks, then the read it left in flight. Returns whether stdin may hold
 * more; a failed read is thrown. Every chunk has an ArrayBuffer of its own, from offset 0.
 */
export async function* replayPeek(peek: StdinPeek): AsyncGenerator<Buffer, boolean> {
  yield* peek.chunks;
  if (peek.state === 'ended') return false;
  if (peek.state === 'failed') throw peek.error;
  if (peek.pending === undefined) return true;
  const n = await peek.pending.read;
  if (n === 0) return false;
  yield peek.pending.buf.subarray(0, n);
  return true;
}

/** A buffer with an ArrayBuffer of its own (never a slice of Node's pool), transferable. */
function ownBuffer(): Buffer {
  return Buffer.from(new ArrayBuffer(READ_CHUNK));
}

/** Reads stdin until at least `limit` bytes, its end, a failed read, or `ms` milliseconds. */
export async function peekStdin(limit: number, ms: number): Promise<StdinPeek> {
  const readInto = await stdinReader();
  const chunks: Buffer[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    for (;;) {
      const buf = ownBuffer();
      const pending = readInto(buf);
      pending.catch(() => {});
      let n: number | 'late';
      try {
        n = await Promise.race([pending, late]);
      } catch (error) {
        return { chunks, state: 'failed', error };
      }
      if (n === 'late') return { chunks, state: 'open', pending: { buf, read: pending } };
      if (n === 0) return { chunks, state: 'ended' };
      chunks.push(buf.subarray(0, n));
      size += n;
      if (size >= limit) return { chunks, state: 'open' };
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Main thread → worker: a chunk of stdin (its buffer transferred), the end, or a failed read. */
type ToWorker =
  | { readonly chunk: ArrayBuffer; readonly length: number }
  | { readonly end: true }
  | { readonly error: { readonly code?: string; readonly message: string } };

/** Worker → main thread: a chunk's buffer, transferred back for the next read. */
interface ToMain {
  readonly free: ArrayBuffer;
}

/** Buffers in circulation between the threads: enough to keep a read in flight while the worker works. */
const POOL = 3;

/**
 * Main thread: sends the peeked chunks, then the rest of stdin, to the worker, which reads it with
 * {@link stdinFromMain}. Each buffer comes back once the worker is done with it and is read into
 * again; with all of them away the main thread waits, so a slow worker slows the reading (no
 * queue grows). Resolves when stdin is done (or the worker has gone).
 */
export async function feedWorker(worker: Worker, peek: StdinPeek, gone: () => boolean): Promise<void> {
  const readInto = await stdinReader();
  const free: ArrayBuffer[] = [];
  let wake: (() => void) | undefined;
  const onMessage = (m: ToMain): void => {
    if (m !== null && typeof m === 'object' && m.free instanceof ArrayBuffer) {
      if (free.length < POOL) free.push(m.free);
      wake?.();
    }
  };
  worker.on('message', onMessage);
  worker.once('exit', () => wake?.());
  const send = (m: ToWorker, transfer: ArrayBuffer[] = []): void => {
    if (!gone()) worker.postMessage(m, transfer);
  };
  const sendChunk = (buf: Buffer, n: number): void => {
    const ab = buf.buffer as ArrayBuffer;
    send({ chunk: ab, length: n }, [ab]);
  };
  try {
    const peeked = replayPeek(peek);
    try {
      for (let r = await peeked.next(); ; r = await peeked.next()) {
        if (r.done !== true) sendChunk(r.value, r.value.length);
        else if (r.value) break;
        else return send({ end: true });
      }
    } catch (e) {
      return send({ error: errorFields(e) });
    }
    let inCirculation = peek.chunks.length + (peek.pending === undefined ? 0 : 1);
    for (;;) {
      let ab = free.pop();
      if (ab === undefined && inCirculation < POOL) {
        ab = new ArrayBuffer(READ_CHUNK);
        inCirculation++;
      }
      while (ab === undefined) {
        if (gone()) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        ab = free.pop();
      }
      if (gone()) return;
      const buf = Buffer.from(ab);
      let n: number;
      try {
        n = await readInto(buf);
      } catch (e) {
        return send({ error: errorFields(e) });
      }
      if (n === 0) return send({ end: true });
      sendChunk(buf, n);
    }
  } finally {
    worker.off('message', onMessage);
  }
}

function errorFields(e: unknown): { code?: string; message: string } {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return { ...(typeof code === 'string' ? { code } : {}), message: e instanceof Error ? e.message : String(e) };
}

/**
 * Worker: the chunks {@link feedWorker} sends, each buffer sent back when the consumer asks for the
 * next chunk. A read the main thread saw fail is thrown here with its code, for the same message.
 */
export async function* stdinFromMain(port: MessagePort): AsyncGenerator<Buffer> {
  const queue: ToWorker[] = [];
  let wake: (() => void) | undefined;
  const onMessage = (m: ToWorker): void => {
    queue.push(m);
    wake?.();
  };
  port.on('message', onMessage);
  try {
    for (;;) {
      while (queue.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const m = queue.shift()!;
      if ('end' in m) return;
      if ('error' in m) throw Object.assign(new Error(m.error.message), m.error.code === undefined ? {} : { code: m.error.code });
      yield Buffer.from(m.chunk, 0, m.length);
      port.postMessage({ free: m.chunk } satisfies ToMain, [m.chunk]);
    }
  } finally {
    // A listening port keeps the worker alive.
    port.off('message', onMessage);
  }
}
