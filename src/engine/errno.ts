/**
 * The errno reader: from one normalised record message, the errno it reports and the operation,
 * path and component around it, for every way programs print an errno (Go's os.PathError /
 * SyscallError / LinkError, C perror and strerror with or without a program prefix, coreutils,
 * util-linux, strace, nginx, Python, Java, Node, Rust, .NET, `errno=N` in C daemons, MySQL).
 *
 * Pure and cheap: no I/O, regexes compiled once at module load (plain literals, no work), every
 * one bounded. It runs only on records that passed the prefilter and matched an errno rule.
 * What the reading means (which cause an operation on a path implies) is data, in
 * rules/errno-table.yaml; this module only reads.
 */

/** The errnos the reader knows. */
export const ERRNO_NAMES = ['ENOSPC', 'EMFILE', 'ENFILE', 'EDQUOT', 'ENOMEM', 'EAGAIN', 'ENOBUFS'] as const;
/** An errno the reader knows. */
export type ErrnoName = (typeof ERRNO_NAMES)[number];

/** What the reader found around an errno. Every string is as printed, trimmed; op is lowercased. */
export interface ErrnoReading {
  readonly errno: ErrnoName;
  /** The system call or the verb phrase that failed (`write`, `openat`, `cannot create directory`), lowercased. */
  readonly op?: string;
  /** The path it failed on (the target, for a two-path operation such as rename or copy). */
  readonly path?: string;
  /** The program or exception class that printed it (`mkdir`, `tar`, `java.io.IOException`). */
  readonly component?: string;
}

/** Linux numbers (generic and x86 tables agree for these). */
const BY_NUMBER: Readonly<Record<string, ErrnoName>> = { '28': 'ENOSPC', '24': 'EMFILE', '23': 'ENFILE', '122': 'EDQUOT', '12': 'ENOMEM', '11': 'EAGAIN', '105': 'ENOBUFS' };

/** strerror texts (glibc, musl, Go's lowercase copies), .NET's and Node's wordings, Rust's ErrorKind names. */
const BY_TEXT: Readonly<Record<string, ErrnoName>> = {
  'no space left on device': 'ENOSPC',
  'there is not enough space on the disk': 'ENOSPC',
  'system limit for number of file watchers reached': 'ENOSPC',
  storagefull: 'ENOSPC',
  'too many open files in system': 'ENFILE',
  'too many open files': 'EMFILE',
  'disk quota exceeded': 'EDQUOT',
  quotaexceeded: 'EDQUOT',
  'cannot allocate memory': 'ENOMEM',
  outofmemory: 'ENOMEM',
  'resource temporarily unavailable': 'EAGAIN',
  'no buffer space available': 'ENOBUFS',
  // Windows: ERROR_DISK_FULL (0x70) and ERROR_HANDLE_DISK_FULL (0x27) as HRESULTs, hex and decimal.
  '0x80070070': 'ENOSPC',
  '0x80070027': 'ENOSPC',
  '-2147024784': 'ENOSPC',
  '-2147024857': 'ENOSPC',
  error_disk_full: 'ENOSPC',
  error_handle_disk_full: 'ENOSPC',
};

/**
 * One mention of an errno: group 1 a text or name, groups 2.. a number in one of its spellings
 * (`[Errno 28]`, `errno=28`, `errno: -28`, `(os error 28)`, `Os { code: 28`, `Errcode: 28`,
 * `got error 28`, `error 28 (`).
 */
const MENTION =
  /(no space left on device|there is not enough space on the disk|system limit for number of file watchers reached|too many open files in system|too many open files|disk quota exceeded|cannot allocate memory|resource temporarily unavailable|no buffer space available|0x80070070|0x80070027|-2147024784|-2147024857|(?<![\w/.-])(?:enospc|emfile|enfile|edquot|enomem|eagain|enobufs|error_disk_full|error_handle_disk_full)(?![\w/-]|\.\w)|\bkind: (?:storagefull|quotaexceeded|outofmemory)\b)|\[errno (\d{1,3})\]|\berrno ?[=:]? ?-?(\d{1,3})\b|\(os error (\d{1,3})\)|\bos \{ code: (\d{1,3})|\berrcode: (\d{1,3})\b|\bgot error (\d{1,3})\b|\berror (\d{1,3}) \(/gi;

/** What may separate two mentions of the same errno (`[Errno 28] No space…`, `Errcode: 28 - No space…`, Rust's Os {…}). */
const GAP = /^[\s\-:,()[\]{}"'“”=]{0,6}(?:message: ["“])?$/;

/** Trailing noise between the operation and the errno: separators, `(28: `, Rust's `Io(Error { repr: `. */
const LEFT_NOISE = /(?:[\s:,=([{-]|\b(?:io|error|repr|err|errno)\b|\(\d{1,3}:?|\([-\d/,\s]{1,20}\)){1,12}$/i;

/** Clause separators: `: ` (also the full-width colon), and ` caused ` in runc's old wrapping. */
const CLAUSES = /:\s+|：\s*|\scaused:?\s/;

/** A path token: quoted in any of the ways programs quote, or bare and path-like. */
const PATH_TOKEN = String.raw`(?:'([^']{1,1024})'|"([^"]{1,1024})"|‘([^’]{1,1024})’|\x60([^'\x60]{1,1024})'|«\s?([^»]{1,1024}?)\s?»|「([^」]{1,1024})」|((?:~|\.{1,2})?\/[^\s'"]{0,1024}|[A-Za-z]:\\[^\s'"]{0,1024}|[\w.-]{1,256}\/[^\s'"]{0,1024}))`;
/** A clause ending in one path (Go PathError, coreutils quoted names) or two (LinkError, `cannot move 'a' to 'b'`). */
const TRAILING_PATHS = new RegExp(String.raw`^(.{0,300}?)\s?${PATH_TOKEN}(?:\s(?:to\s|->\s)?${PATH_TOKEN})?$`);
/** strace: `mkdir("/x", 0755) = -1`. */
const STRACE = /^(?:\[pid\s{1,3}\d{1,10}\]\s)?(\w{1,40})\((?:AT_FDCWD,\s)?(?:"([^"]{0,1024})")?[^)]{0,1000}\)\s=\s-1$/;
/** nginx: `pwrite() "/x" failed` and `open() "/x" failed`. */
const NGINX = /(\w{1,40})\(\)\s(?:"([^"]{0,1024})"\s)?failed$/;
/** Between `[Errno N]` and the strerror that follows it: one short clause. */
const INNER = /^\s([^:\n]{1,200}):\s$/;
/** Node after the errno: `, write '/x'` (uvException), `, copyfile 'a' -> 'b'`. */
const NODE_AFTER = /^,\s([a-z_]\w{0,39})(?:\s'([^']{0,1024})'(?:\s->\s'([^']{0,1024})')?)?(?:$|[\s,.])/;
/** LXC's SYSERROR: `<file>:<func>:<line> - No space left on device - Failed to enter cgroup "/x"`. */
const LXC_AFTER = /^\s-\s([^\n]{1,400})$/;
/** Python / .NET after the errno: `: '/x'`, ` : '/x'`, `: 'a' -> 'b'`. */
const NAME_AFTER = /^\.?\s?:\s(?:'([^']{0,1024})'|"([^"]{0,1024})")(?:\s->\s(?:'([^']{0,1024})'|"([^"]{0,1024})"))?/;
/** Go error wrapped the other way round: `no space left on device: write /x`. */
const GO_AFTER = /^:\s([a-z_]{2,40})\s((?:\.{0,2}\/|[\w.-]{1,256}\/)[^\s'":]{0,1024})/;
/** Node's util.inspect dump and similar key-value spellings on the same record. */
const SYSCALL_KV = /\bsyscall:\s?['"](\w{1,40})['"]/;
const PATH_KV = /\bpath:\s?['"]([^'"]{1,1024})['"]/;
/** .NET's innermost System.IO frame names the operation: `at System.IO.RandomAccess.WriteAtOffset(`. */
const DOTNET_FRAME = /\bat\sSystem\.IO\.[\w.]{0,100}?\.(\w{1,60})\(/;
/** A first clause that names a program (`mkdir`, `/usr/bin/tar`, `routinator[12]`) or an exception class. */
const COMPONENT = /^(?:[\w./-]{0,200}\/)?([A-Za-z_][\w.+-]{0,100})(?:\[\d{1,10}\])?$/;
/** First clauses that are severity or framing words, not components. */
const NOT_COMPONENT = /^(?:code|errno|error|fatal|err|warning|warn|info|debug|panic|critical|crit|failed|failure|caused by|exception|traceback|[efiw])$/i;
/** An exception class: `OSError`, `java.io.IOException`, `System.IO.IOException`, `FileSystemException`. */
const EXCEPTION = /^(?:[A-Za-z_$][\w$]{0,60}\.){0,8}[A-Za-z_$][\w$]{0,60}(?:Error|Exception)$/;
const LEADING_NOISE = /^(?:(?:error|fatal|err|warning|warn)\b:?\s{0,3})?(?:(?:failed|unable|could\snot|couldn't|cannot|can't|can\snot)\s(?:to\s)?)?/i;
/** A quoted name inside the phrase (crun's create keyring `<id>`): not part of the verb. */
const QUOTED_SPAN = /(?:["`‘“]|(?<![A-Za-z])')[^"`'‘’“”\n]{0,300}["`'’”]/g;
/** Bracketed log prefixes (`[2026/12/04 03:00:00] [error] [`) are not part of the verb. */
const BRACKETED = /\[[^\]\n]{0,100}\]|\[\s?$/g;
/** Parenthesised asides (`mount(2)`, `(have 12 already;`), closed or cut off by the errno. */
const PARENTHESISED = /\((?:[^()\n]{0,100}\)|[^()\n]{0,100}$)/g;
/** Everything up to the last opening quote (an apostrophe inside a word, as in `Can't`, is none). */
const AFTER_LAST_QUOTE = /^[\s\S]{0,600}(?:["`‘“]|(?:^|[^A-Za-z])')/;
/** Words that stand where an operation would but are not one. */
const NOT_OP = /^(?:hresult|code|errno|error|status|err|reason|failed|failure|retry|retrying|fatal)$/;
/** A source location (`cio_file.c:1000`) is where the message was printed, not what failed. */
const SOURCE_LOCATION = /\.(?:c|h|cc|cpp|go|rs|py|java|js|ts|rb):\d{1,6}$/;

function isProgram(clause: string): boolean {
  const c = COMPONENT.exec(clause);
  return c !== null && !NOT_COMPONENT.test(c[1]!);
}

function pathOf(m: RegExpExecArray, from: number): string | undefined {
  for (let i = from; i < from + 7; i++) if (m[i] !== undefined) return m[i];
  return undefined;
}

function cleanPath(p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  const t = p.replace(/[.,;)\]]{1,4}$/, '').trim();
  return t.length === 0 || SOURCE_LOCATION.test(t) ? undefined : t;
}

function cleanOp(op: string | undefined): string | undefined {
  if (op === undefined) return undefined;
  // What follows the last quote: `caused "mkdir` is `mkdir`.
  let t = op.replace(QUOTED_SPAN, ' ').replace(AFTER_LAST_QUOTE, '').replace(BRACKETED, ' ').replace(PARENTHESISED, ' ').trim().replace(LEADING_NOISE, '').replace(/[\s\\(]{1,4}$/, '').trim().toLowerCase();
  t = t.replace(/\s{2,}/g, ' ');
  if (t.length > 80) t = t.slice(t.length - 80);
  return t.length === 0 || !/[a-z]/.test(t) || NOT_OP.test(t) ? undefined : t;
}

/** Splits `WriteAtOffset` into `write at offset`. */
function words(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

interface Clause {
  op?: string | undefined;
  path?: string | undefined;
}

/** One clause: strace, nginx, a phrase ending in paths, a path alone, or a phrase alone. */
function readClause(text: string, last: boolean): Clause {
  const c = text.trim();
  if (c.length === 0) return {};
  if (last) {
    const s = STRACE.exec(c);
    if (s !== null) return { op: s[1], path: s[2] };
    const n = NGINX.exec(c);
    if (n !== null) return { op: n[1], path: n[2] };
  }
  const t = TRAILING_PATHS.exec(c);
  if (t !== null) {
    const second = pathOf(t, 9);
    const path = second ?? pathOf(t, 2);
    const phrase = t[1]!.trim();
    // Go's `fork/exec /x`: the op has a slash and no phrase precedes it.
    if (phrase.length === 0 && second !== undefined) return { op: pathOf(t, 2), path: second };
    return { op: phrase.length > 0 ? phrase : undefined, path };
  }
  // A lone word with a dot (`test.txt` after `bash:`) is a file name; other lone words are verbs.
  if (EXCEPTION.test(c)) return {};
  if (!/\s/.test(c) && /\w\.\w/.test(c)) return { path: c };
  return { op: c };
}

/**
 * Reads the errno and what surrounds it in one record's message.
 *
 * @param message - The record's normalised message (not lowercased), already capped.
 * @returns The errno with the operation, path and component found around it, or undefined when
 *   the message names none of {@link ERRNO_NAMES}.
 * @example
 * ```ts
 * readErrno("mkdir: cannot create directory '/run/x': No space left on device");
 * // { errno: 'ENOSPC', op: 'cannot create directory', path: '/run/x', component: 'mkdir' }
 * ```
 */
export function readErrno(message: string): ErrnoReading | undefined {
  MENTION.lastIndex = 0;
  let errno: ErrnoName | undefined;
  let start = -1;
  let end = -1;
  let m: RegExpExecArray | null;
  while ((m = MENTION.exec(message)) !== null) {
    let name: ErrnoName | undefined;
    if (m[1] !== undefined) name = BY_TEXT[m[1].toLowerCase().replace(/^kind: /, '')] ?? (m[1].toUpperCase() as ErrnoName);
    else for (let i = 2; i <= 8 && name === undefined; i++) if (m[i] !== undefined) name = BY_NUMBER[m[i]!];
    const here = m.index;
    if (errno === undefined) {
      if (name === undefined || !(ERRNO_NAMES as readonly string[]).includes(name)) continue;
      errno = name;
      start = here;
      end = here + m[0].length;
    } else if (GAP.test(message.slice(end, here))) {
      end = here + m[0].length;
    } else break;
  }
  if (errno === undefined) return undefined;
  // Python's OSError with a message of its own: `[Errno 28] semget: No space left on device`,
  // `[Errno 28] inotify_add_watch(d/d4): No space…`. What sits between the number and the text is
  // the operation.
  let inner: Clause | undefined;
  if (m !== null && m[1] !== undefined && m.index > end && /^\[errno \d{1,3}\]$/i.test(message.slice(start, end))) {
    const between = INNER.exec(message.slice(end, m.index));
    if (between !== null) inner = readClause(between[1]!, true);
  }
  // The closing bracket or quote of the mention itself (`[Errno 28]`, Rust's message: "…").
  let rest = message.slice(end, end + 1200);
  const left = message.slice(Math.max(0, start - 600), start).replace(LEFT_NOISE, '');
  const clauses = left.length === 0 ? [] : left.split(CLAUSES);
  let op: string | undefined;
  let path: string | undefined;
  let component: string | undefined;

  if (inner !== undefined) {
    op = inner.op;
    path = inner.path;
  }
  // After the errno: Node's `, write '/x'`, Python's and .NET's `: '/x'`, Go's `: write /x`.
  rest = rest.replace(/^["'\])}]{1,3}/, '');
  const node = NODE_AFTER.exec(rest);
  const lxc = node === null ? LXC_AFTER.exec(rest) : null;
  if (node !== null) {
    op = node[1];
    path = node[3] ?? node[2];
  } else if (lxc !== null) {
    const c = readClause(lxc[1]!, false);
    op = c.op;
    path = c.path;
  } else {
    const named = NAME_AFTER.exec(rest);
    if (named !== null) path = named[3] ?? named[4] ?? named[1] ?? named[2];
    else {
      const go = GO_AFTER.exec(rest);
      if (go !== null) {
        op = go[1];
        path = go[2];
      }
    }
  }

  // Before it: the last clause, then the one before for what the last lacks. An exception class
  // right before the errno (`java.io.IOException: No space…`) is the component, and what precedes
  // it is another message.
  const n = clauses.length;
  let k = n - 1;
  // `bash: fork: retry: Resource temporarily unavailable`: a trailing word that is no operation.
  while (k > 0 && NOT_OP.test(clauses[k]!.trim().toLowerCase())) k--;
  if (k >= 0 && EXCEPTION.test(clauses[k]!.trim())) {
    component = clauses[k]!.trim();
    k = -1;
  }
  if (k >= 0) {
    const last = readClause(clauses[k]!, true);
    op ??= last.op;
    path ??= last.path;
    const j = k - 1;
    if (j >= 0 && (path === undefined || op === undefined)) {
      const before = clauses[j]!.trim();
      if (EXCEPTION.test(before)) component = before;
      else if (j > 0 || !isProgram(before)) {
        const prev = readClause(before, false);
        path ??= prev.path;
        op ??= prev.op;
      }
    }
    // The program: the nearest one-word clause before the operation (`test.sh: line 9: echo: write
    // error` is echo's), a program path only in first place (`/usr/bin/tar:`).
    for (let i = k - 1; i >= 0 && component === undefined; i--) {
      const word = clauses[i]!.trim();
      if (i > 0 && word.includes('/')) continue;
      const c = COMPONENT.exec(word);
      if (c !== null && !NOT_COMPONENT.test(c[1]!) && !(i > 0 && /\w\.\w/.test(word))) component = c[1];
    }
  }
  if (op === undefined || path === undefined) {
    const sys = SYSCALL_KV.exec(message);
    if (sys !== null) op ??= sys[1];
    const p = PATH_KV.exec(message);
    if (p !== null) path ??= p[1];
  }
  if (op === undefined && component !== undefined && /^System\.IO\./.test(component)) {
    const f = DOTNET_FRAME.exec(message);
    if (f !== null) op = words(f[1]!);
  }
  const reading: { errno: ErrnoName; op?: string; path?: string; component?: string } = { errno };
  const o = cleanOp(op);
  if (o !== undefined) reading.op = o;
  const p = cleanPath(path);
  if (p !== undefined) reading.path = p;
  if (component !== undefined) reading.component = component;
  return reading;
}
