#!/usr/bin/env node
/**
 * Tag log records in a Node stream pipeline with the ENOSPC cause they point at.
 *
 *   journalctl -u kubelet -o json -f | node examples/pipeline-tag.mjs | your-shipper
 *   node examples/pipeline-tag.mjs < kubelet.log > tagged.ndjson
 *
 * Input: NDJSON log records (journalctl -o json, pino/bunyan/zap/logrus JSON, docker json-file, klog
 * JSON) or plain text lines, in chunks cut anywhere. Output: one JSON object per input line; a record
 * that matches an enospc rule gets `enospc: { cause, rule }`, every other record passes through.
 *
 * The discipline is pino's: a logging pipeline must never lose or stop on a record it does not
 * understand. A line that is not JSON (or is JSON but not an object) is passed through as data,
 * `{ "message": "<the line>" }`; nothing a record contains can make the transform throw or emit
 * 'error'. Records that do not match are written back byte for byte (no re-serialisation), so
 * numbers, key order and escapes survive.
 *
 * Usable as a module too: `import { createTagger, tagLine } from './pipeline-tag.mjs'`.
 */
import { Transform, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { matchLine } from 'enospc';

/**
 * journald prints a field that is not printable UTF-8 (a file name with a stray byte, a colour
 * escape) as an array of byte values. Decode it so the rule sees the text; `classify` does this
 * itself, but `matchLine` prefilters the raw line, where the message is only numbers.
 */
function journalText(record) {
  const m = record.MESSAGE;
  if (!Array.isArray(m) || !m.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return undefined;
  return JSON.stringify({ ...record, MESSAGE: Buffer.from(m).toString('utf8') });
}

/**
 * Tags one line. Returns the line to write (without its newline).
 * @param {string} line - One NDJSON record or plain text line.
 * @param {import('enospc').ClassifyOptions} [options] - Passed to `matchLine` (extra rules, redaction).
 * @returns {string} The record as JSON, with `enospc: { cause, rule }` when a rule matched.
 */
export function tagLine(line, options) {
  if (line.endsWith('\r')) line = line.slice(0, -1);
  let record;
  if (line.startsWith('{')) {
    try {
      record = JSON.parse(line);
    } catch {
      record = undefined; // malformed JSON: handled below as plain text, as data
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) record = undefined;
  }
  // matchLine reads the raw line itself: it knows the JSON shapes (journald, klog, zap, docker) and
  // which field holds the message, so the tagger does not guess field names.
  const match = matchLine(record !== undefined ? (journalText(record) ?? line) : line, options);
  if (record === undefined) {
    const out = { message: line };
    if (match !== null) out.enospc = { cause: match.cause, rule: match.rule };
    return JSON.stringify(out);
  }
  if (match === null) return line;
  // Spread into a fresh object: the parsed record's own `__proto__` key stays plain data.
  return JSON.stringify({ ...record, enospc: { cause: match.cause, rule: match.rule } });
}

/**
 * A Transform from log text (Buffers or strings, split anywhere) to tagged NDJSON lines.
 * @param {import('enospc').ClassifyOptions} [options] - Passed to `matchLine`.
 * @returns {Transform}
 */
export function createTagger(options) {
  const decoder = new StringDecoder('utf8'); // a multi-byte character may straddle two chunks
  let pending = '';
  const emit = (stream, line) => {
    let out;
    try {
      out = tagLine(line, options); // matchLine caps what it reads of a long line itself
    } catch {
      // matchLine is total; this guards the tagger's own code: the record still goes through.
      out = JSON.stringify({ message: line });
    }
    stream.push(`${out}\n`);
  };
  return new Transform({
    transform(chunk, _encoding, done) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let nl = pending.indexOf('\n');
      let start = 0;
      while (nl !== -1) {
        emit(this, pending.slice(start, nl));
        start = nl + 1;
        nl = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
      done();
    },
    flush(done) {
      pending += decoder.end();
      if (pending.length > 0) emit(this, pending); // last line without a newline
      pending = '';
      done();
    },
  });
}

// Run as a command: stdin → tagger → stdout. `| head` closing stdout early is not an error.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  pipeline(process.stdin, createTagger(), process.stdout, (err) => {
    if (err && err.code !== 'EPIPE') {
      process.stderr.write(`pipeline-tag: ${err.message}\n`);
      process.exitCode = 2;
    }
  });
}
