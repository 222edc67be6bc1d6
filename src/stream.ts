/**
 * `enospc/stream`: classify Node streams, web `ReadableStream`s and async iterables in bounded memory.
 * @module
 */
import { createClassifier, signalOf, type ClassifyOptions } from './api/classify.js';
import type { Diagnosis } from './schema.js';

type Chunk = string | Uint8Array | ArrayBuffer;

/**
 * Resolves when `signal` aborts (never without one), and a way to stop listening: an idle source
 * (a pipe nobody writes to) must not keep the caller waiting once it has asked to stop.
 */
function aborted(signal: AbortSignal | undefined): { promise: Promise<'aborted'>; done(): void } {
  if (signal === undefined) return { promise: new Promise(() => {}), done() {} };
  if (signal.aborted) return { promise: Promise.resolve('aborted'), done() {} };
  let onAbort: () => void = () => {};
  const promise = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, done: () => signal.removeEventListener('abort', onAbort) };
}

function isReadableStream(v: unknown): v is ReadableStream<Chunk> {
  return typeof v === 'object' && v !== null && typeof (v as ReadableStream).getReader === 'function';
}

/**
 * Classifies everything an async iterable yields (a Node `Readable`, `process.stdin`, a file
 * stream, a generator of lines or chunks). Chunks may split records anywhere.
 *
 * @param source - Yields strings or UTF-8 bytes (Buffers, Uint8Arrays, ArrayBuffers). Other values are ignored.
 * @param options - The same options as `classify`; `signal` stops reading early (the diagnosis of what was read is returned).
 * @returns The diagnosis once the source ends or `signal` aborts. Rejects only if the source itself errors.
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { classifyIterable } from 'enospc/stream';
 * const d = await classifyIterable(createReadStream('/var/log/syslog'));
 * ```
 */
export async function classifyIterable(source: AsyncIterable<unknown> | Iterable<unknown>, options?: ClassifyOptions): Promise<Diagnosis> {
  const c = createClassifier(options);
  const signal = signalOf(options);
  const stop = aborted(signal);
  const got = iteratorOf(source);
  // Not iterable (null, a number): nothing to read, as classify(42) reads nothing.
  if (got === undefined) return c.end();
  const { it, sync } = got;
  try {
    while (signal?.aborted !== true) {
      const r = await Promise.race([it.next(), stop.promise]);
      if (r === 'aborted') break;
      if (r.done === true) return c.end();
      // As `for await` does: a sync iterable's values may be promises.
      const value: unknown = sync ? await r.value : r.value;
      // write() takes strings, bytes and ArrayBuffers (from any realm) and ignores anything else.
      c.write(value as Chunk);
    }
  } finally {
    stop.done();
  }
  // Aborted: let the source release what it holds, without waiting for it (it may be idle).
  try {
    void Promise.resolve(it.return?.()).catch(() => {});
  } catch {
    // a return() that throws is the source's
  }
  return c.end();
}

function iteratorOf(source: unknown): { it: AsyncIterator<unknown> | Iterator<unknown>; sync: boolean } | undefined {
  if (typeof source === 'string') return { it: source[Symbol.iterator](), sync: true };
  if ((typeof source !== 'object' && typeof source !== 'function') || source === null) return undefined;
  const s = source as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
  const asyncIt = s[Symbol.asyncIterator];
  if (typeof asyncIt === 'function') return { it: asyncIt.call(source), sync: false };
  const syncIt = s[Symbol.iterator];
  if (typeof syncIt === 'function') return { it: syncIt.call(source) as Iterator<unknown>, sync: true };
  return undefined;
}

/**
 * Classifies a web `ReadableStream` (fetch bodies, Deno/Bun/edge streams).
 *
 * @param stream - A stream of strings or UTF-8 bytes (Uint8Arrays, ArrayBuffers).
 * @param options - The same options as `classify`; `signal` stops reading early (the stream is cancelled).
 * @returns The diagnosis once the stream ends or `signal` aborts, of what was read.
 * @example
 * ```ts
 * const d = await classifyReadableStream((await fetch(url)).body!);
 * ```
 */
export async function classifyReadableStream(stream: ReadableStream<Chunk>, options?: ClassifyOptions): Promise<Diagnosis> {
  const c = createClassifier(options);
  const signal = signalOf(options);
  const stop = aborted(signal);
  const reader = stream.getReader();
  let wasAborted = false;
  try {
    for (;;) {
      if (signal?.aborted === true) {
        wasAborted = true;
        break;
      }
      const r = await Promise.race([reader.read(), stop.promise]);
      if (r === 'aborted') {
        wasAborted = true;
        break;
      }
      if (r.done) break;
      c.write(r.value);
    }
  } finally {
    stop.done();
    if (wasAborted) {
      // A read may be pending: cancel the stream (which settles it), then let go of the lock.
      reader.cancel().catch(() => {});
    }
    try {
      reader.releaseLock();
    } catch {
      // releaseLock throws on some runtimes while a read is pending; the cancel above ends it
    }
  }
  return c.end();
}

/**
 * Classifies any supported stream: a web `ReadableStream`, a Node `Readable` or an async iterable.
 *
 * @param source - The stream.
 * @param options - The same options as `classify`; `signal` stops reading early and keeps the partial diagnosis.
 * @returns The diagnosis once the stream ends or `signal` aborts. Rejects only if the source itself errors.
 * @example
 * ```ts
 * import { classifyStream } from 'enospc/stream';
 * const d = await classifyStream(process.stdin);
 * ```
 */
export function classifyStream(
  source: ReadableStream<Chunk> | AsyncIterable<unknown> | Iterable<unknown>,
  options?: ClassifyOptions,
): Promise<Diagnosis> {
  return isReadableStream(source) ? classifyReadableStream(source, options) : classifyIterable(source as AsyncIterable<unknown>, options);
}

export { createClassifier };
export type { ClassifyOptions, Classifier } from './api/classify.js';
