import type { Fields } from '../schema.js';

/** One log record as the engine sees it: where it came from, what it said, what its envelope told us. */
export interface LogRecord {
  /** 1-based line number of the record's first line in the whole input. */
  line: number;
  /** The record's raw text as it appeared (may span lines; capped by the caller). */
  raw: string;
  /**
   * The innermost message with envelopes peeled and quoting undone (Go %q levels, JSON escapes,
   * systemd \xNN escapes), whitespace runs collapsed to one space. Not lowercased.
   */
  message: string;
  /** Typed fields from the envelope (format, time, host, component, pid, reason, count, ...). */
  fields: Fields;
}

/** Options the framer needs from the classifier. */
export interface FramerOptions {
  /**
   * Cheap test on a raw physical line. Line-oriented records whose raw text fails it are counted
   * but not parsed or yielded (the prefilter). Structured documents (JSON, YAML, tables) decide
   * per record after decoding, because their raw text is escaped.
   */
  accept?: (raw: string) => boolean;
}

/** Incremental framer: feed text in any chunking, get the same records. */
export interface Framer {
  /** Feed the next chunk of text; returns the records completed by it. */
  push(text: string): LogRecord[];
  /** Flush what is buffered at end of input. */
  end(): LogRecord[];
  /** Physical lines seen so far. */
  readonly lines: number;
  /** Records seen so far, including those rejected by `accept`. */
  readonly records: number;
  /**
   * Records a parser failed on (a defect, never expected): each is still yielded, with its raw
   * text as its message, so it can match; lines of a document being assembled are counted here.
   */
  readonly unreadable?: number;
}
