/**
 * Node.js error output: `Error: ENOSPC: System limit for number of file watchers reached, watch
 * '/app/src'`, the old `Error: watch /path ENOSPC` form, and the same errors wrapped by tools
 * (`[nodemon] …`, `npm WARN tar ENOSPC: …`, `(node:123) UnhandledPromiseRejectionWarning: …`).
 * Stack frames (`    at …`) and the `{ errno: -28, … }` block are folded into the error record by
 * the framer.
 */
import type { Fields } from '../schema.js';
import { setStr } from './common.js';

export interface NodeErrorInfo {
  code: string;
  syscall?: string;
  path?: string;
}

const ERRNO = new Set(
  (
    'E2BIG EACCES EADDRINUSE EADDRNOTAVAIL EAFNOSUPPORT EAGAIN EALREADY EBADF EBUSY ECANCELED ECHILD ' +
    'ECONNABORTED ECONNREFUSED ECONNRESET EDEADLK EDESTADDRREQ EDOM EDQUOT EEXIST EFAULT EFBIG EHOSTUNREACH ' +
    'EIDRM EILSEQ EINPROGRESS EINTR EINVAL EIO EISCONN EISDIR EKEYEXPIRED EKEYREJECTED ELOOP EMFILE EMLINK ' +
    'EMSGSIZE ENAMETOOLONG ENETDOWN ENETRESET ENETUNREACH ENFILE ENOBUFS ENODATA ENODEV ENOENT ENOEXEC ENOKEY ' +
    'ENOLCK ENOLINK ENOMEM ENOMSG ENOPROTOOPT ENOSPC ENOSYS ENOTCONN ENOTDIR ENOTEMPTY ENOTSOCK ENOTSUP ENOTTY ' +
    'ENXIO EOPNOTSUPP EOVERFLOW EPERM EPIPE EPROTO EPROTONOSUPPORT EPROTOTYPE ERANGE EREMOTEIO EROFS ESPIPE ' +
    'ESRCH ESTALE ETIME ETIMEDOUT ETXTBSY EUCLEAN EWOULDBLOCK EXDEV'
  ).split(' '),
);

function isUpperOrDigit(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** Length of a known errno code (`ENOSPC`, `EMFILE`) standing as a word at `i`, or 0. */
function codeAt(s: string, i: number): number {
  if (i > 0) {
    const prev = s.charCodeAt(i - 1);
    if (isUpperOrDigit(prev) || (prev >= 97 && prev <= 122) || prev === 95) return 0;
  }
  let k = i + 1;
  while (k < s.length && k - i < 16 && isUpperOrDigit(s.charCodeAt(k))) k++;
  return ERRNO.has(s.slice(i, k)) ? k - i : 0;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Recognises a Node.js errno error in the first part of a line: `ECODE: description, syscall 'path'`
 * or `Error: syscall path ECODE`. Undefined when the line is not one.
 */
export function nodeError(text: string): NodeErrorInfo | undefined {
  const s = text.length > 1024 ? text.slice(0, 1024) : text;
  let from = 0;
  for (;;) {
    const i = s.indexOf('E', from);
    if (i < 0) break;
    from = i + 1;
    const len = codeAt(s, i);
    if (len === 0) continue;
    const code = s.slice(i, i + len);
    const after = i + len;
    if (s[after] === ':' && s[after + 1] === ' ') {
      // "ENOSPC: System limit …, watch '/path'"
      const comma = s.indexOf(', ', after + 2);
      const info: NodeErrorInfo = { code };
      if (comma > 0) {
        let k = comma + 2;
        while (k < s.length && isWordChar(s.charCodeAt(k))) k++;
        if (k > comma + 2) {
          info.syscall = s.slice(comma + 2, k);
          if (s[k] === ' ' && s[k + 1] === "'") {
            const close = s.indexOf("'", k + 2);
            if (close > k + 2) info.path = s.slice(k + 2, close);
          }
        }
      }
      if (info.syscall !== undefined || /Error|ERR|WARN|System limit/.test(s.slice(0, i + 64))) return info;
      continue;
    }
    if ((after === s.length || s[after] === ' ' || s[after] === '\r') && i > 0 && s[i - 1] === ' ') {
      // old form "Error: watch /home/x ENOSPC"
      const e = s.lastIndexOf('Error: ', i);
      if (e < 0) continue;
      const words = s.slice(e + 7, i - 1).split(' ');
      if (words.length <= 2 && words[0] !== undefined && /^[a-z]+$/.test(words[0])) {
        const info: NodeErrorInfo = { code, syscall: words[0] };
        if (words[1] !== undefined && words[1].length > 0) info.path = words[1];
        return info;
      }
    }
  }
  return undefined;
}

export function applyNodeError(f: Fields, e: NodeErrorInfo): void {
  setStr(f, 'code', e.code);
  setStr(f, 'syscall', e.syscall);
  if (f.path === undefined) setStr(f, 'path', e.path);
}

/** A stack frame line (`    at fn (file:1:2)`), folded into the record before it. */
export function isStackFrame(line: string): boolean {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i > 0 && line.startsWith('at ', i) && i + 3 < line.length;
}
