/**
 * `enospc/stream`: classify Node streams, web `ReadableStream`s and async iterables in bounded memory.
 * @module
 */
import { createClassifier, type ClassifyOptions } from './api/classify.js';
import type { Diagnosis } from './schema.js';

type Chunk = string | Uint8Array;

function isReadableStream(v: unknown): v is ReadableStream<Chunk> {
  return typeof v === 'object' && v !== null && typeof (v as ReadableStream).getReader === 'function';
}

/**
 * Classifies everything an async iterable yields (a Node `Readable`, `process.stdin`, a file
 * stream, a generator of lines or chunks). Chunks may split records anywhere.
 *
 * @param source - Yields strings or UTF-8 bytes (Buffers). Other values are ignored.
 * @param options - The same options as `classify`.
 * @returns The diagnosis once the source ends. Rejects only if the source itself errors.
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { classifyIterable } from 'enospc/stream';
 * const d = await classifyIterable(createReadStream('/var/log/syslog'));
 * ```
 */
export async function classifyIterable(source: AsyncIterable<unknown> | Iterable<unknown>, options?: ClassifyOptions): Promise<Diagnosis> {
  const c = createClassifier(options);
  for await (const chunk of source) {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) c.write(chunk);
  }
  return c.end();
}

/**
 * Classifies a web `ReadableStream` (fetch bodies, Deno/Bun/edge streams).
 *
 * @param stream - A stream of strings or UTF-8 bytes.
 * @param options - The same options as `classify`.
 * @returns The diagnosis once the stream ends.
 * @example
 * ```ts
 * const d = await classifyReadableStream((await fetch(url)).body!);
 * ```
 */
export async function classifyReadableStream(stream: ReadableStream<Chunk>, options?: ClassifyOptions): Promise<Diagnosis> {
  const c = createClassifier(options);
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (typeof value === 'string' || value instanceof Uint8Array) c.write(value);
    }
  } finally {
    reader.releaseLock();
  }
  return c.end();
}

/**
 * Classifies any supported stream: a web `ReadableStream`, a Node `Readable` or an async iterable.
 *
 * @param source - The stream.
 * @param options - The same options as `classify`.
 * @returns The diagnosis once the stream ends.
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
