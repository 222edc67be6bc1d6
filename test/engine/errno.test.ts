import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { classify, matchLine } from '../../src/index.js';
import { readErrno, type ErrnoReading } from '../../src/engine/errno.js';
import { classesOf } from '../../src/engine/table.js';
import { ERRNO_TABLE } from '../../src/generated/errno-table.js';
import { compileErrnoTable } from '../../src/rules/errno-table.js';
import { RuleError } from '../../src/rules/error.js';
import { parseRuleYaml } from '../../src/rules/load.js';
import type { ErrnoTable } from '../../src/schema.js';
import { renderErrnoTableDoc, renderErrnoTableModule } from '../../scripts/render-errno-table.js';
import { ROOT } from '../support/rules.js';

const TABLE_FILE = join(ROOT, 'rules', 'errno-table.yaml');
const definition = parse(readFileSync(TABLE_FILE, 'utf8')) as ErrnoTable;

// Every spelling the reader knows: the line, then what it must read. Lines are upstream format
// strings filled with realistic values (coreutils, util-linux, Go's os package, CPython, the JDK,
// libuv/Node, Rust std, .NET, nginx, MySQL, Fluent Bit, strace).
const SPELLINGS: readonly (readonly [string, ErrnoReading])[] = [
  // Go os.PathError `op path: err`, os.SyscallError `op: err`, os.LinkError `op old new: err`
  ['mount: /tmp/enospc-lab-bcfSFS/w/a: mount(2) system call failed: No space left on device.', { errno: 'ENOSPC', op: 'mount system call failed', path: '/tmp/enospc-lab-bcfSFS/w/a', component: 'mount' }],
  ['write failed: ENOSPC.', { errno: 'ENOSPC', op: 'write failed' }],
  ['write /var/lib/docker/tmp/GetImageBlob123: no space left on device', { errno: 'ENOSPC', op: 'write', path: '/var/lib/docker/tmp/GetImageBlob123' }],
  ['open /var/lib/kubelet/pods/1/etc-hosts: no space left on device', { errno: 'ENOSPC', op: 'open', path: '/var/lib/kubelet/pods/1/etc-hosts' }],
  ['inotify_add_watch: no space left on device', { errno: 'ENOSPC', op: 'inotify_add_watch' }],
  ['rename /var/lib/etcd/member/snap/db.tmp /var/lib/etcd/member/snap/db: no space left on device', { errno: 'ENOSPC', op: 'rename', path: '/var/lib/etcd/member/snap/db' }],
  ['fork/exec /usr/bin/runc: no space left on device', { errno: 'ENOSPC', op: 'fork/exec', path: '/usr/bin/runc' }],
  ['no space left on device: write /var/lib/buildkit/runc-overlayfs/containerdmeta.db', { errno: 'ENOSPC', op: 'write', path: '/var/lib/buildkit/runc-overlayfs/containerdmeta.db' }],
  [
    'OCI runtime create failed: container_linux.go:348: starting container process caused "process_linux.go:279: applying cgroup configuration for process caused \\"mkdir /sys/fs/cgroup/memory/docker/55d7: no space left on device\\""',
    { errno: 'ENOSPC', op: 'mkdir', path: '/sys/fs/cgroup/memory/docker/55d7' },
  ],
  // C perror / err(3) / error(3), with and without a program prefix; coreutils, util-linux, tar
  ["mkdir: cannot create directory ‘/run/lab/x’: No space left on device", { errno: 'ENOSPC', op: 'create directory', path: '/run/lab/x', component: 'mkdir' }],
  ["mkdir: cannot create directory '/run/lab/x': No space left on device", { errno: 'ENOSPC', op: 'create directory', path: '/run/lab/x', component: 'mkdir' }],
  ["touch: cannot touch 'loop/25678': No space left on device", { errno: 'ENOSPC', op: 'touch', path: 'loop/25678', component: 'touch' }],
  ["cp: error writing '/mnt/data/disk.img': No space left on device", { errno: 'ENOSPC', op: 'writing', path: '/mnt/data/disk.img', component: 'cp' }],
  ['cat: write error: No space left on device', { errno: 'ENOSPC', op: 'write', component: 'cat' }],
  ["dd: failed to open '/mnt/x/zero.img': No space left on device", { errno: 'ENOSPC', op: 'open', path: '/mnt/x/zero.img', component: 'dd' }],
  ["ln: failed to create symbolic link '/a/b': No space left on device", { errno: 'ENOSPC', op: 'create symbolic link', path: '/a/b', component: 'ln' }],
  ['sort: write failed: /tmp/sortA1b2C3: No space left on device', { errno: 'ENOSPC', op: 'write failed', path: '/tmp/sortA1b2C3', component: 'sort' }],
  ['tee: /var/log/app.log: No space left on device', { errno: 'ENOSPC', path: '/var/log/app.log', component: 'tee' }],
  ['bash: test.txt: No space left on device', { errno: 'ENOSPC', path: 'test.txt', component: 'bash' }],
  ['/tmp/ltp/test.sh: line 269: echo: write error: No space left on device', { errno: 'ENOSPC', op: 'write', component: 'echo' }],
  ['unshare: unshare failed: No space left on device', { errno: 'ENOSPC', op: 'unshare failed', component: 'unshare' }],
  ['ipcmk: create semaphore failed: No space left on device', { errno: 'ENOSPC', op: 'create semaphore failed', component: 'ipcmk' }],
  ['mount: /mnt/x: mount(2) system call failed: No space left on device.', { errno: 'ENOSPC', op: 'mount system call failed', path: '/mnt/x', component: 'mount' }],
  ['/usr/bin/tar: ./lib/docker/image: Cannot mkdir: No space left on device', { errno: 'ENOSPC', op: 'mkdir', path: './lib/docker/image', component: 'tar' }],
  [
    "dpkg: error processing archive /tmp/x.deb (--unpack): cannot copy extracted data for './usr/a.js' to '/usr/a.js.dpkg-new': failed to write (No space left on device)",
    { errno: 'ENOSPC', op: 'write', path: '/usr/a.js.dpkg-new', component: 'dpkg' },
  ],
  ['sem_open: No space left on device', { errno: 'ENOSPC', op: 'sem_open' }],
  ['join_session_keyring: Disk quota exceeded', { errno: 'EDQUOT', op: 'join_session_keyring' }],
  ['inotify_init: too many open files', { errno: 'EMFILE', op: 'inotify_init' }],
  ['accept4: too many open files in system', { errno: 'ENFILE', op: 'accept4' }],
  ['mkdir /sys/fs/cgroup/memory/kubepods/x: cannot allocate memory', { errno: 'ENOMEM', op: 'mkdir', path: '/sys/fs/cgroup/memory/kubepods/x' }],
  ['pthread_create failed: Resource temporarily unavailable', { errno: 'EAGAIN', op: 'pthread_create failed' }],
  ['bash: fork: retry: Resource temporarily unavailable', { errno: 'EAGAIN', op: 'fork', component: 'bash' }],
  ["sh: can't fork: Resource temporarily unavailable", { errno: 'EAGAIN', op: 'fork', component: 'sh' }],
  ['sendmsg: No buffer space available', { errno: 'ENOBUFS', op: 'sendmsg' }],
  // LXC SYSERROR: the message follows the strerror
  [
    'lxc c1 20260101000000.000 ERROR    cgfsng - cgroups/cgfsng.c:cgroup_attach_leaf:2220 - No space left on device - Failed to enter cgroup "/sys/fs/cgroup/cpuset/lxc.payload.c1"',
    { errno: 'ENOSPC', op: 'enter cgroup', path: '/sys/fs/cgroup/cpuset/lxc.payload.c1' },
  ],
  // strace, nginx
  ['mkdir("/sys/fs/cgroup/memory/x", 0755) = -1 ENOSPC (No space left on device)', { errno: 'ENOSPC', op: 'mkdir', path: '/sys/fs/cgroup/memory/x' }],
  ['write(3, "abc"..., 4096) = -1 ENOSPC (No space left on device)', { errno: 'ENOSPC', op: 'write' }],
  ['2026/12/04 03:12:55 [crit] 1187#1187: *40 pwrite() "/var/cache/nginx/client_temp/12" failed (28: No space left on device)', { errno: 'ENOSPC', op: 'pwrite', path: '/var/cache/nginx/client_temp/12' }],
  // Python OSError
  ["OSError: [Errno 28] No space left on device: '/root/.cache/pip/wheels/x'", { errno: 'ENOSPC', path: '/root/.cache/pip/wheels/x', component: 'OSError' }],
  ["OSError: [Errno 28] No space left on device: '/a' -> '/b'", { errno: 'ENOSPC', path: '/b', component: 'OSError' }],
  ['OSError: [Errno 28] No space left on device', { errno: 'ENOSPC', component: 'OSError' }],
  ['OSError: [Errno 28] semget: No space left on device', { errno: 'ENOSPC', op: 'semget', component: 'OSError' }],
  ['OSError: [Errno 28] inotify_add_watch(d/d4): No space left on device', { errno: 'ENOSPC', op: 'inotify_add_watch', path: 'd/d4', component: 'OSError' }],
  ['OSError: [Errno 28] unshare(CLONE_NEWUSER): No space left on device', { errno: 'ENOSPC', op: 'unshare', component: 'OSError' }],
  // Java
  ['java.io.IOException: No space left on device', { errno: 'ENOSPC', component: 'java.io.IOException' }],
  ['java.nio.file.FileSystemException: /var/lib/app/x.tmp: No space left on device', { errno: 'ENOSPC', path: '/var/lib/app/x.tmp', component: 'java.nio.file.FileSystemException' }],
  ['java.io.FileNotFoundException: /var/log/app.log (No space left on device)', { errno: 'ENOSPC', path: '/var/log/app.log', component: 'java.io.FileNotFoundException' }],
  // Node (libuv uvException) and its util.inspect dump
  ["Error: ENOSPC: no space left on device, write '/home/u/x'", { errno: 'ENOSPC', op: 'write', path: '/home/u/x' }],
  ["Error: ENOSPC: no space left on device, copyfile '/a' -> '/b'", { errno: 'ENOSPC', op: 'copyfile', path: '/b' }],
  ["{ errno: -28, code: 'ENOSPC', syscall: 'write', path: '/tmp/x' }", { errno: 'ENOSPC', op: 'write', path: '/tmp/x' }],
  // Rust std::io::Error (Display and Debug, old and new)
  ['failed to open file /var/lib/routinator/x.cer: No space left on device (os error 28)', { errno: 'ENOSPC', op: 'open file', path: '/var/lib/routinator/x.cer' }],
  ['unable to create watcher: Io(Error { repr: Os { code: 28, message: "No space left on device" } })', { errno: 'ENOSPC', op: 'create watcher' }],
  ['Os { code: 28, kind: StorageFull, message: "No space left on device" }', { errno: 'ENOSPC' }],
  // .NET
  [
    "System.IO.IOException: No space left on device : '/home/runner/_diag/Worker.log' at System.IO.RandomAccess.WriteAtOffset(SafeFileHandle handle)",
    { errno: 'ENOSPC', op: 'write at offset', path: '/home/runner/_diag/Worker.log', component: 'System.IO.IOException' },
  ],
  ["System.IO.IOException: There is not enough space on the disk. : 'C:\\data\\x.bin'", { errno: 'ENOSPC', path: 'C:\\data\\x.bin', component: 'System.IO.IOException' }],
  ['System.IO.IOException: HResult 0x80070070', { errno: 'ENOSPC', component: 'System.IO.IOException' }],
  // errno=N in C daemons, MySQL
  ['[2026/12/04 03:00:00] [error] [build/lib/chunkio/src/cio_file.c:1000 errno=28] No space left on device', { errno: 'ENOSPC' }],
  ['runtime: failed to create new OS thread (have 12 already; errno=28)', { errno: 'ENOSPC', op: 'create new os thread', component: 'runtime' }],
  ["Error writing file '/tmp/MYfd=3' (Errcode: 28 - No space left on device)", { errno: 'ENOSPC', op: 'writing file', path: '/tmp/MYfd=3' }],
  ['Got error 28 from storage engine', { errno: 'ENOSPC' }],
];

describe('readErrno', () => {
  it.each(SPELLINGS.map(([line, want]) => [line, want] as const))('%s', (line, want) => {
    expect(readErrno(line)).toEqual(want);
  });

  it.each([
    'curl: (28) Operation timed out after 5000 milliseconds',
    'unable to init seccomp: error loading seccomp filter: errno 524',
    'level=info msg="disk usage 28% of 100G"',
    'Error response from daemon: conflict',
  ])('reads no errno in %s', (line) => {
    expect(readErrno(line)).toBeUndefined();
  });

  it('never throws, and only reports an errno it knows, on arbitrary text around real spellings', () => {
    const pieces = fc.constantFrom(...SPELLINGS.map(([l]) => l), ': ', "'", '"', '(', ')', ' - ', '[Errno 28]', 'errno=', '/dev/shm/', ', write ', '‘', '’', '：');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40 }), pieces), { maxLength: 12 }), (parts) => {
        const r = readErrno(parts.join(''));
        return r === undefined || ['ENOSPC', 'EMFILE', 'ENFILE', 'EDQUOT', 'ENOMEM', 'EAGAIN', 'ENOBUFS'].includes(r.errno);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays fast on long and hostile records (capped input, bounded patterns)', () => {
    const hostile = [
      `${'a: '.repeat(5000)}No space left on device`,
      `${"'".repeat(8000)}: No space left on device${" '".repeat(4000)}`,
      `write ${'/x'.repeat(8000)}: no space left on device`,
      `${'Errno 28 '.repeat(1800)}`,
      `${'(os error 28) '.repeat(1100)}`,
    ];
    for (const h of hostile) {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) readErrno(h.slice(0, 16_384));
      expect(performance.now() - t0, h.slice(0, 30)).toBeLessThan(500);
    }
  });
});

describe('the errno decision table', () => {
  it('generated module and docs/errno.md are fresh (run `npm run rules` when this fails)', () => {
    const { table, definition: def } = compileErrnoTable(parseRuleYaml(readFileSync(TABLE_FILE, 'utf8'), TABLE_FILE));
    expect(readFileSync(join(ROOT, 'src/generated/errno-table.ts'), 'utf8')).toBe(renderErrnoTableModule(table));
    expect(readFileSync(join(ROOT, 'docs/errno.md'), 'utf8')).toBe(renderErrnoTableDoc(def));
  });

  // Every row's examples yield its cause through the public classifier. A row with `also`, or a
  // weak one, reports causes that a df reading has to decide between: its cause must be found.
  describe.each(definition.rows.map((r) => [r.id, r] as const))('row %s', (_id, row) => {
    it.each(row.examples.map((ex) => [ex] as const))('%s', (ex) => {
      const d = classify(ex);
      if (row.also !== undefined || row.strength === 'weak') expect(d.findings.map((f) => f.cause)).toContain(row.cause);
      else expect(d.cause).toBe(row.cause);
      for (const a of row.also ?? []) expect(d.findings.map((f) => f.cause)).toContain(a.cause);
    });
  });

  it('puts the reading into the evidence fields and names the row as the rule', () => {
    const d = classify("ln: failed to create symbolic link '/srv/a/b': No space left on device");
    const ev = d.findings.flatMap((f) => f.supports).find((e) => e.rule === 'errno-table/create-on-filesystem');
    expect(ev?.fields).toMatchObject({ errno: 'ENOSPC', op: 'create symbolic link', path: '/srv/a/b', component: 'ln', opClass: 'create', pathClass: 'filesystem' });
    expect(d.findings.flatMap((f) => f.supports).map((e) => e.rule)).toContain('errno-table/create-on-filesystem/inode-exhaustion');
  });

  it('gives matchLine the same answer as classify', () => {
    for (const row of definition.rows) {
      for (const ex of row.examples) {
        const d = classify(ex);
        const m = matchLine(ex);
        if (d.evidence[0]?.rule.startsWith('errno-table/') === true) expect(m?.rule, ex).toBe(d.evidence[0].rule);
      }
    }
  });

  it('stays silent where a decisive opposing rule explains the record (a write to /dev/full)', () => {
    const d = classify('Error building image: could not save file: copying file: write /kaniko/0/dev/full: no space left on device');
    expect(d.findings.flatMap((f) => f.rules.map((r) => r.rule)).filter((r) => r.startsWith('errno-table/'))).toEqual([]);
  });

  it('leaves a bare errno to the fallback, and a phrase rule wins over the table', () => {
    expect(classify('Error response from daemon: no space left on device').findings.map((f) => f.rules[0]?.rule)).toEqual(['enospc-without-context']);
    const d = classify('mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod1: no space left on device');
    expect(d.cause).toBe('cgroup-leak');
    expect(d.evidence.every((e) => !e.rule.startsWith('errno-table/'))).toBe(true);
  });

  it('is built-in data: off with builtinRules: false', () => {
    const d = classify('no space left on device: write /var/lib/buildkit/x.db', { builtinRules: false });
    expect(d.cause).toBeNull();
  });

  it('classifies paths into their most specific class', () => {
    const path = (p: string): string => classesOf(ERRNO_TABLE, { errno: 'ENOSPC', path: p }).path;
    expect(path('/dev/shm/x')).toBe('dev-shm');
    expect(path('/sys/fs/cgroup/cpuset/x/cgroup.procs')).toBe('cgroup-attach');
    expect(path('/sys/fs/cgroup/memory/x')).toBe('cgroupfs');
    expect(path('/var/lib/docker/devicemapper/mnt/x')).toBe('devicemapper');
    expect(path('/var/lib/docker/overlay2/x')).toBe('container-storage');
    expect(path('relative/file')).toBe('filesystem');
  });

  it('refuses rows that could tie and classes that do not exist', () => {
    const base = parseRuleYaml(readFileSync(TABLE_FILE, 'utf8'), TABLE_FILE) as ErrnoTable;
    const row = base.rows.find((r) => r.id === 'write-on-filesystem')!;
    const tie = { ...base, rows: [...base.rows, { ...row, id: 'write-again' }] };
    expect(() => compileErrnoTable(tie)).toThrow(RuleError);
    expect(() => compileErrnoTable(tie)).toThrow(/same specificity/);
    const unknown = { ...base, rows: [...base.rows, { ...row, id: 'write-nowhere', path: ['nowhere'] }] };
    expect(() => compileErrnoTable(unknown)).toThrow(/unknown path class "nowhere"/);
    const undecided = { ...base, rows: [...base.rows.filter((r) => r.id !== 'write-on-filesystem'), { ...row, examples: ['cat: write error: No space left on device'] }] };
    expect(() => compileErrnoTable(undecided)).toThrow(/not decided by row write-on-filesystem/);
  });
});
