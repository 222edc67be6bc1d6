/**
 * The scanner in front of the framer: one case-insensitive search for every rule's anchor over a
 * whole chunk, before any line is split, decoded or normalised (DESIGN §5). Only lines that contain
 * an anchor, that could start a structured document, or that the framer is in the middle of (a
 * JSON/YAML document, a table, a multi-line record) are decoded and handed to the framer. Every
 * other line is only counted: it is exactly a line the framer would have read, counted and then
 * rejected with `accept`, so stats and later line numbers do not move.
 *
 * Bytes are searched in place when the anchor search can read them (the built-in rules' DFA, see
 * engine/automaton.ts); otherwise they are viewed as latin1 (one char per byte, ~4× cheaper than
 * UTF-8 decoding). Anchors are ASCII and no non-ASCII char case-folds to ASCII, so a line has a
 * hit in the bytes exactly when its decoded text has one. Only the lines handed over are decoded.
 */
import type { Framer, LogRecord } from './record.js';
import { MAX_LINE } from './frame.js';

/** The two framer hooks the scanner needs (see TextFramer.idle / skip in frame.ts). */
export interface ScanFramer extends Framer {
  idle(): boolean;
  skip(lines: number, records: number): void;
}

/** A chunk's last line has no newline yet: carried over up to this size, then handed over as is. */
const CARRY_MAX = 1 << 20;

/**
 * Bytes of one line handed over without its end after which the rest of that line is not decoded:
 * the framer keeps MAX_LINE chars of a line, and 3 bytes of UTF-8 always make at least one char.
 */
const LONG_LINE_BYTES = 3 * MAX_LINE;

/**
 * Handed-over lines go to the framer in runs of about this many chars: every record of a push is
 * alive until the push returns, and on dense input a whole chunk's records at once made V8 grow
 * its young generation (peak RSS +15 MB with 256 KiB chunks).
 */
const RUN_MAX = 1 << 15;

/** Views at least this long are sampled for density first (see walk). */
const DENSE_VIEW = 1 << 15;

type NodeBuffer = Uint8Array & {
  toString(encoding: string, start?: number, end?: number): string;
  indexOf(value: number, byteOffset?: number): number;
  lastIndexOf(value: number, byteOffset?: number): number;
};
interface BufferCtor {
  from(a: ArrayBufferLike, offset: number, length: number): NodeBuffer;
  concat(list: readonly Uint8Array[]): NodeBuffer;
}
const NodeBuf = (globalThis as { Buffer?: BufferCtor }).Buffer;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether the line starting at `a` (first non-blank char at `p`) could start a structured
 * document or change the framer's state: a cheap superset of `starter` in detect.ts, on the
 * view without slicing. A line for which it is false is, for an idle framer, a plain record.
 */
export function mayStart(s: LineView, a: number, p: number): boolean {
  const c = s.charCodeAt(p);
  switch (c) {
    case 0x7b: // {
    case 0x5b: // [
    case 0x1e: // RS (json-seq)
      return true;
    case 0x64: // d
      return s.startsWith('data:', p);
    case 0x2d: // -
      return s.startsWith('-- ', p) || (p === a && s.startsWith('- a', p));
    case 0x61: // a
      return p === a && (s.startsWith('apiVersion:', p) || s.startsWith('action:', p));
    case 0x69: // i
      return p === a && s.startsWith('items', p);
    case 0x5f: // _
      return p === a && s.startsWith('__', p);
    case 0x45: // E
      return s.startsWith('Events:', p) || (p === a && verboseLike(s, a));
    case 0x43: // C
      return s.startsWith('Conditions:', p) || (p === a && verboseLike(s, a));
    case 0x4c: // L
      return s.startsWith('LAST', p) || (p === a && verboseLike(s, a));
    case 0x4e: // N
      return s.startsWith('NAMESPACE', p) || (p === a && verboseLike(s, a));
    case 0x54: // T
      return s.startsWith('Type', p) || s.startsWith('Time', p) || (p === a && verboseLike(s, a));
    case 0x46: // F
      return s.startsWith('FirstSeen', p) || (p === a && verboseLike(s, a));
    case 0x30:
    case 0x31:
    case 0x32:
    case 0x33:
    case 0x34:
    case 0x35:
    case 0x36:
    case 0x37:
    case 0x38:
    case 0x39:
      return p === a && criPartialLike(s, a);
    default:
      return p === a && c >= 65 && c <= 90 && verboseLike(s, a);
  }
}

/**
 * `2024-03-01T10:05:00.1Z stdout P …`: a CRI partial line, whose anchor may be cut at the split, so
 * the framer joins it with what follows before the prefilter decides (frame.ts, `deferred`).
 */
function criPartialLike(s: LineView, a: number): boolean {
  for (let k = a + 20; k < a + 40; k++) {
    const c = s.charCodeAt(k);
    if (c === 32) return s.startsWith('stdout P', k + 1) || s.startsWith('stderr P', k + 1);
    if (Number.isNaN(c) || c === 10) return false;
  }
  return false;
}

/** `Mon 2024-03-04 …`: the test verboseHeader (journal.ts) starts with. */
function verboseLike(s: LineView, a: number): boolean {
  return s.charCodeAt(a + 3) === 32 && isDigit(s.charCodeAt(a + 4)) && s.charCodeAt(a + 8) === 45;
}

/**
 * What the scanner reads lines through: a string, or {@link ByteView} over a chunk's bytes (the
 * bytes of a UTF-8 chunk are the chars of its latin1 view).
 */
export interface LineView {
  charCodeAt(i: number): number;
  /** Only single-char searches ('\n', '\r') are made. */
  indexOf(ch: string, from?: number): number;
  startsWith(lit: string, at: number): boolean;
}

/** A chunk's bytes read as a {@link LineView}, without building a string. */
class ByteView implements LineView {
  constructor(private readonly b: NodeBuffer) {}
  charCodeAt(i: number): number {
    const c = this.b[i];
    return c === undefined ? Number.NaN : c;
  }
  indexOf(ch: string, from = 0): number {
    return this.b.indexOf(ch.charCodeAt(0), from);
  }
  startsWith(lit: string, at: number): boolean {
    const b = this.b;
    if (at < 0 || at + lit.length > b.length) return false;
    for (let i = 0; i < lit.length; i++) if (b[at + i] !== lit.charCodeAt(i)) return false;
    return true;
  }
}

/**
 * The prefilter's search for any anchor (see PreparedRules.scanner in engine/match.ts).
 * Both return the index of the last char (byte) of the first anchor occurrence in [from, end), or -1.
 */
export interface AnchorSearch {
  inText(s: string, from: number, end: number): number;
  /** Present when the search reads bytes in place; otherwise bytes are searched through a latin1 view. */
  inBytes?(b: Uint8Array, from: number, end: number): number;
}

export interface Scanner {
  write(chunk: string | Uint8Array): void;
  end(): void;
}

/**
 * Creates a scanner feeding `framer`; records go to `sink` as they complete.
 *
 * @param anchors - The search for any anchor, or undefined to hand over every line (a rule without
 *   keywords can match anything).
 */
export function createScanner(framer: ScanFramer, anchors: AnchorSearch | undefined, sink: (records: LogRecord[]) => void): Scanner {
  // ignoreBOM keeps a leading BOM in the text: the framer strips exactly one, as it does for string input.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let carryBytes: Uint8Array | undefined;
  let carryText: string[] = [];
  let carryLen = 0;
  /** The first line always goes to the framer (it strips a BOM at the very start). */
  let first = true;
  let skipLines = 0;
  let skipRecords = 0;

  function flushSkips(): void {
    if (skipLines > 0) {
      framer.skip(skipLines, skipRecords);
      skipLines = 0;
      skipRecords = 0;
    }
  }

  function give(text: string): void {
    flushSkips();
    if (text.length > 0) {
      const recs = framer.push(text);
      if (recs.length > 0) sink(recs);
    }
  }

  /**
   * Walks the complete lines of `view` in [0, end) (end is just past a '\n'); `find(from)` is the
   * index of the next anchor hit at or after `from` (or `end`); `take(a, b)` hands over the text of
   * [a, b). Consecutive handed-over lines go in one push.
   */
  function walk(view: LineView, end: number, find: ((from: number) => number) | undefined, take: (a: number, b: number) => void): void {
    let hit = -1;
    if (find !== undefined) hit = find(0);
    let cr = view.indexOf('\r');
    if (cr < 0 || cr >= end) cr = end;
    let run = -1;
    let a = 0;
    // Dense input: when most lines of a sample at the start of a big view have a hit, the rest is
    // handed over whole. The framer's `accept` rejects exactly the lines that would have been
    // skipped here, so only the cost moves (one anchor search per line instead of two).
    let sampleEnd = find !== undefined && end >= DENSE_VIEW ? end >>> 3 : end;
    let lines = 0;
    let hitLines = 0;
    while (a < end) {
      if (a >= sampleEnd) {
        sampleEnd = end;
        if (lines >= 16 && hitLines * 4 >= lines * 3) {
          if (run < 0) run = a;
          break;
        }
      }
      lines++;
      const nl = view.indexOf('\n', a);
      const next = nl + 1;
      let deliver = first || find === undefined;
      first = false;
      if (!deliver && hit < next) {
        deliver = true;
        hitLines++;
        // the next hit after this line (no anchor has a '\n', so none spans lines)
        hit = find!(next);
      }
      let lineEnd = nl;
      if (cr < next) {
        if (cr === nl - 1) lineEnd = nl - 1;
        else deliver = true; // a lone CR splits lines: leave it to the framer
        cr = view.indexOf('\r', next);
        if (cr < 0 || cr >= end) cr = end;
      }
      if (!deliver) {
        if (run >= 0) {
          take(run, a);
          run = -1;
        }
        let p = a;
        while (p < lineEnd) {
          const c = view.charCodeAt(p);
          if (c !== 32 && c !== 9) break;
          p++;
        }
        if (framer.idle() && (p >= lineEnd || !mayStart(view, a, p))) {
          skipLines++;
          if (p < lineEnd) skipRecords++;
          a = next;
          continue;
        }
      }
      if (run < 0) run = a;
      else if (a - run >= RUN_MAX) {
        take(run, a);
        run = a;
      }
      a = next;
    }
    if (run >= 0) takeLines(view, run, end, take);
  }

  /** Hands over [a, end) in pieces of about RUN_MAX, split after a '\n' (see RUN_MAX). */
  function takeLines(view: LineView, a: number, end: number, take: (a: number, b: number) => void): void {
    while (end - a > RUN_MAX) {
      const nl = view.indexOf('\n', a + RUN_MAX - 1);
      if (nl < 0 || nl + 1 >= end) break;
      take(a, nl + 1);
      a = nl + 1;
    }
    take(a, end);
  }

  /** Bytes of the current line handed over so far without its end, and whether its rest is being dropped. */
  let longGiven = 0;
  let dropping = false;
  /** The same for text chunks, counted in chars. */
  let longTextGiven = 0;
  let droppingText = false;

  /**
   * Hands over a piece of a line that has no end yet. Once the line is past LONG_LINE_BYTES the
   * framer keeps nothing more of it, so the rest is not decoded at all (a 255 MB line cost 134 MB
   * of decoded garbage) — except pieces with a CR, which the framer reads as a line break.
   */
  function giveLong(piece: NodeBuffer): void {
    if (longGiven >= LONG_LINE_BYTES && piece.indexOf(13) < 0) {
      if (!dropping) {
        // a multi-byte char cut by the drop: its replacement char is past the cap as well
        give(decoder.decode());
        dropping = true;
      }
      return;
    }
    // A lone CR ends a line for the framer: what follows it starts a new line's budget.
    const cr = piece.lastIndexOf(13);
    longGiven = cr < 0 ? longGiven + piece.byteLength : piece.byteLength - cr - 1;
    give(decoder.decode(piece, { stream: true }));
  }

  /** A line end was read: the next bytes start a new line. */
  function lineEnded(): void {
    longGiven = 0;
    dropping = false;
  }

  function writeBytes(chunk: Uint8Array): void {
    const B = NodeBuf as BufferCtor;
    let buf = B.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (dropping) {
      // The rest of an over-long line: skipped up to its end, neither copied nor decoded.
      const nl = buf.indexOf(10);
      if ((nl < 0 ? buf : buf.subarray(0, nl)).indexOf(13) >= 0) dropping = false; // a CR: hand over (giveLong)
      else {
        if (nl < 0) return;
        give('\n');
        lineEnded();
        buf = buf.subarray(nl + 1) as NodeBuffer;
        if (buf.byteLength === 0) return;
      }
    }
    if (carryBytes !== undefined) {
      // Finish the carried line on its own rather than copying the whole chunk behind it.
      const nl = buf.indexOf(10);
      const head = B.concat([carryBytes, nl < 0 ? buf : buf.subarray(0, nl + 1)]);
      carryBytes = undefined;
      if (nl < 0) {
        if (head.byteLength > CARRY_MAX) giveLong(head);
        else carryBytes = head;
        return;
      }
      bytesLines(head, head.byteLength);
      lineEnded();
      buf = buf.subarray(nl + 1) as NodeBuffer;
    }
    const end = buf.lastIndexOf(10) + 1;
    if (end === 0) {
      if (buf.byteLength > CARRY_MAX) giveLong(buf);
      else if (buf.byteLength > 0) carryBytes = Uint8Array.prototype.slice.call(buf);
      return;
    }
    if (end < buf.byteLength) carryBytes = Uint8Array.prototype.slice.call(buf, end);
    bytesLines(buf, end);
    lineEnded();
  }

  /** The complete lines of `buf` in [0, end); handed-over ones decoded as UTF-8. */
  function bytesLines(buf: NodeBuffer, end: number): void {
    const take = (a: number, b: number): void => give(decoder.decode(buf.subarray(a, b), { stream: true }));
    const search = anchors;
    if (search === undefined || search.inBytes !== undefined) {
      const find = search === undefined ? undefined : (from: number): number => {
        const i = search.inBytes!(buf, from, end);
        return i < 0 ? end : i;
      };
      walk(new ByteView(buf), end, find, take);
      return;
    }
    const view = buf.toString('latin1', 0, end);
    walk(view, end, textFind(view, end), take);
  }

  function textFind(view: string, end: number): ((from: number) => number) | undefined {
    const search = anchors;
    if (search === undefined) return undefined;
    return (from) => {
      const i = search.inText(view, from, end);
      return i < 0 ? end : i;
    };
  }

  /** Pieces of the carried (newline-less) last line; joined only once the line is complete. */
  function takeCarry(): string {
    const t = carryText.length === 1 ? carryText[0]! : carryText.join('');
    carryText = [];
    carryLen = 0;
    return t;
  }

  /**
   * The text twin of giveLong: a piece of a line that has no end yet. Past LONG_LINE_BYTES chars the
   * framer keeps nothing more of the line, so the rest is neither joined nor handed over, except
   * pieces with a CR (a line break for the framer).
   */
  function giveLongText(piece: string): void {
    if (longTextGiven >= LONG_LINE_BYTES && piece.indexOf('\r') < 0) {
      droppingText = true;
      return;
    }
    const cr = piece.lastIndexOf('\r');
    longTextGiven = cr < 0 ? longTextGiven + piece.length : piece.length - cr - 1;
    give(piece);
  }

  function writeText(chunk: string): void {
    let text = chunk;
    if (droppingText) {
      // The rest of an over-long line: skipped up to its end.
      const nl = text.indexOf('\n');
      if ((nl < 0 ? text : text.slice(0, nl)).indexOf('\r') >= 0) droppingText = false; // a CR: hand over
      else {
        if (nl < 0) return;
        give('\n');
        droppingText = false;
        longTextGiven = 0;
        text = text.slice(nl + 1);
        if (text.length === 0) return;
      }
    }
    if (carryLen > 0) {
      // Only the new chunk is searched: the carry holds no '\n' by construction.
      const nl = text.indexOf('\n');
      if (nl < 0) {
        carryText.push(text);
        carryLen += text.length;
        if (carryLen > CARRY_MAX) giveLongText(takeCarry());
        return;
      }
      carryText.push(text.slice(0, nl + 1));
      const head = takeCarry();
      walk(head, head.length, textFind(head, head.length), (a, b) => give(head.slice(a, b)));
      longTextGiven = 0;
      text = text.slice(nl + 1);
      if (text.length === 0) return;
    }
    const end = text.lastIndexOf('\n') + 1;
    if (end === 0) {
      if (text.length > CARRY_MAX) giveLongText(text);
      else {
        carryText.push(text);
        carryLen = text.length;
      }
      return;
    }
    if (end < text.length) {
      carryText.push(text.slice(end));
      carryLen = text.length - end;
    }
    const t = text;
    walk(t, end, textFind(t, end), (a, b) => give(t.slice(a, b)));
    longTextGiven = 0;
  }

  return {
    write(chunk) {
      if (typeof chunk === 'string') {
        if (carryBytes !== undefined) {
          // mixed input kinds: finish the pending bytes first, as text
          const t = decoder.decode(carryBytes, { stream: true });
          carryBytes = undefined;
          writeText(t);
        }
        if (chunk.length > 0) writeText(chunk);
      } else if (NodeBuf !== undefined) {
        if (carryLen > 0) give(takeCarry());
        if (chunk.byteLength > 0) writeBytes(chunk);
      } else {
        const t = decoder.decode(chunk, { stream: true });
        if (t.length > 0) writeText(t);
      }
    },
    end() {
      if (carryBytes !== undefined) {
        give(decoder.decode(carryBytes, { stream: true }));
        carryBytes = undefined;
      }
      if (carryLen > 0) give(takeCarry());
      give(decoder.decode());
      flushSkips();
      const recs = framer.end();
      if (recs.length > 0) sink(recs);
    },
  };
}
