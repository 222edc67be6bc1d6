import { describe, expect, it } from 'vitest';
import { frameText, recordFromLine } from '../../src/input/frame.js';
import { nodeError } from '../../src/input/node-error.js';

describe('Node.js errors', () => {
  it.each([
    ["Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'", { code: 'ENOSPC', syscall: 'watch', path: '/app/src' }],
    ['npm WARN tar ENOSPC: no space left on device, write', { code: 'ENOSPC', syscall: 'write' }],
    ["[nodemon] Internal watch failed: ENOSPC: System limit for number of file watchers reached, watch '.../src/server'", { code: 'ENOSPC', syscall: 'watch', path: '.../src/server' }],
    ["(node:19425) UnhandledPromiseRejectionWarning: Error: ENOSPC: System limit for number of file watchers reached, watch '/home/c/app'", { code: 'ENOSPC', syscall: 'watch', path: '/home/c/app' }],
    ['Error: EMFILE: too many open files', { code: 'EMFILE' }],
    ['Error: watch /home/srinath/.config/Code/User ENOSPC', { code: 'ENOSPC', syscall: 'watch', path: '/home/srinath/.config/Code/User' }],
    ['Error: watch ENOSPC', { code: 'ENOSPC', syscall: 'watch' }],
  ])('%s', (line, info) => {
    expect(nodeError(line)).toEqual(info);
    const r = recordFromLine(line, 1);
    expect(r.fields).toEqual({ format: 'node-error', ...info });
    expect(r.message).toBe(line);
  });

  it.each([
    'ERROR: inotify_add_watch failed: ./Docs/d/x.c9r',
    'Inotify limit reached (ENOSPC) (path: /x)',
    'Error: etcdserver: mvcc: database space exceeded',
    'TENOSPC: not a code',
  ])('not a Node.js errno error: %s', (line) => {
    expect(nodeError(line)).toBeUndefined();
    expect(recordFromLine(line, 1).fields.format).toBe('plain');
  });

  it('folds stack frames and the { errno } block into the error record', () => {
    const text = [
      'Starting the development server...',
      '',
      'node:events:306',
      '      throw er; // Unhandled \'error\' event',
      '      ^',
      '',
      "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/public'",
      '    at FSWatcher.<computed> (node:internal/fs/watchers:218:26)',
      '    at Object.watch (node:fs:1550:34) {',
      '  errno: -28,',
      "  syscall: 'watch',",
      "  code: 'ENOSPC',",
      "  path: '/app/public',",
      "  filename: '/app/public'",
      '}',
      'next line',
    ].join('\n');
    const recs = frameText(text);
    expect(recs.map((r) => [r.line, r.fields.format])).toEqual([
      [1, 'plain'],
      [3, 'plain'],
      [4, 'plain'],
      [5, 'plain'],
      [7, 'node-error'],
      [16, 'plain'],
    ]);
    const err = recs[4];
    expect(err?.fields).toEqual({ format: 'node-error', code: 'ENOSPC', syscall: 'watch', path: '/app/public' });
    expect(err?.raw.split('\n')).toHaveLength(9);
    expect(err?.message).toBe(
      "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/public' at FSWatcher.<computed> (node:internal/fs/watchers:218:26) at Object.watch (node:fs:1550:34) { errno: -28, syscall: 'watch', code: 'ENOSPC', path: '/app/public', filename: '/app/public' }",
    );
  });

  it('folds frames into a plain error line too', () => {
    const recs = frameText(['Emitted \'error\' event on FSWatcher instance at:', '    at FSWatcher._handleError (file:///x.js:1:1)', 'after'].join('\n'));
    expect(recs.map((r) => [r.line, r.message])).toEqual([
      [1, "Emitted 'error' event on FSWatcher instance at: at FSWatcher._handleError (file:///x.js:1:1)"],
      [3, 'after'],
    ]);
  });
});
