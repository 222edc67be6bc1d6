/** The lab's probe cases (test/lab/probe.test.ts): a scenario that runs the probe inside its namespaces. */
import { expect } from 'vitest';
import type { Reading } from '../../src/probe/index.js';
import type { Scenario } from './scenarios.js';

export interface ProbeCase {
  readonly scenario: Scenario;
  /** The reading that must show the lowered limit, and what it must read. */
  readonly reading: string;
  readonly check: (r: Reading) => void;
}

const PY = '/usr/bin/python3';
const base = { program: 'enospc probe', version: 'node --version', what: 'probe inside the scenario', decidedBy: 'output' as const };

export const CASES: ProbeCase[] = [
  {
    scenario: {
      ...base,
      id: 'probe-inotify-watches',
      cause: 'inotify-watch-exhaustion',
      command: 'a Python watcher holds max_inotify_watches=3 and fails on the 4th; probe while it runs',
      mode: 'userns',
      needs: ['userns', `bin:${PY}`, 'bin:node'],
      script: `mount -t tmpfs -o size=1M enospc-lab "$W"; cd "$W"; for i in 1 2 3 4 5 6; do echo > f$i; mkdir -p d/d$i; done
echo 3 > /proc/sys/user/max_inotify_watches
cat > "$LAB_DIR/watcher.py" <<'EOF'
import ctypes, os, time

libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(0)
try:
    for i in range(1, 7):
        if libc.inotify_add_watch(fd, b"d/d%d" % i, 0x100) < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
finally:
    # A long-running watcher keeps its watches while the operator probes (until told to stop).
    for _ in range(400):
        if os.path.exists("probed"):
            break
        time.sleep(0.05)
EOF
run ${PY} "$LAB_DIR/watcher.py" & sleep 0.5
probe_here; touch probed; wait`,
    },
    reading: 'inotify-watches',
    check: (r) => {
      expect(r.limit).toBe(3);
      expect(r.used).toBeGreaterThanOrEqual(3);
      expect(r.effect).toBe('supports');
    },
  },
  {
    scenario: {
      ...base,
      id: 'probe-inodes',
      cause: 'inode-exhaustion',
      command: 'mkdir on a tmpfs with nr_inodes=8 used up; probe the path in the evidence',
      mode: 'userns',
      needs: ['userns', 'bin:mkdir', 'bin:node'],
      script: `mount -t tmpfs -o size=4M,nr_inodes=8 enospc-lab "$W"; for i in 1 2 3 4 5 6 7 8; do touch "$W/f$i" 2>/dev/null; done
run mkdir "$W/d1"
probe_here`,
    },
    reading: 'statfs-inodes:',
    check: (r) => {
      expect(r.limit).toBe(8);
      expect(r.used).toBe(8);
      expect(r.effect).toBe('supports');
      expect(r.strength).toBe('decisive');
    },
  },
  {
    scenario: {
      ...base,
      id: 'probe-ipc-sem',
      cause: 'ipc-limit',
      command: 'ipcmk -S with SEMMNI=1 in the IPC namespace; probe',
      mode: 'userns',
      needs: ['userns', 'bin:ipcmk', 'bin:node'],
      script: `echo "32000 1024000000 500 1" > /proc/sys/kernel/sem; ipcmk -S 1 >/dev/null
run ipcmk -S 1
probe_here`,
    },
    reading: 'ipc-sem',
    check: (r) => {
      expect(r.limit).toBe(1);
      expect(r.used).toBe(1);
      expect(r.effect).toBe('supports');
    },
  },
  {
    scenario: {
      ...base,
      id: 'probe-pids-cgroup',
      cause: 'pid-exhaustion',
      command: 'python3 forks in a pids cgroup with pids.max=4; probe',
      mode: 'host',
      needs: ['root', 'cgroup-v1-pids', `bin:${PY}`, 'bin:node'],
      script: `G=/sys/fs/cgroup/pids/enospc-lab-$TOKEN; mkdir $G; echo 4 > $G/pids.max
cat > "$LAB_DIR/workers.py" <<'EOF'
import os, time

for i in range(8):
    if os.fork() == 0:
        time.sleep(1)
        os._exit(0)
EOF
run bash -c "echo \\$\\$ > $G/cgroup.procs; exec ${PY} $LAB_DIR/workers.py"
probe_here`,
    },
    reading: 'pids-cgroup',
    check: (r) => {
      expect(r.limit).toBe(4);
      expect(r.effect).toBe('supports');
    },
  },
  {
    scenario: {
      ...base,
      id: 'probe-cpuset-empty',
      cause: 'cpuset-empty',
      command: 'echo $$ > <cpuset with no CPUs>/cgroup.procs; probe',
      mode: 'host',
      needs: ['root', 'cgroup-v1-cpuset', 'bin:node'],
      script: `C=/sys/fs/cgroup/cpuset/enospc-lab-$TOKEN; mkdir $C; cat /sys/fs/cgroup/cpuset/cpuset.mems > $C/cpuset.mems
run bash -c "echo \\$\\$ > $C/cgroup.procs"
probe_here`,
    },
    reading: 'cpuset-empty',
    check: (r) => {
      expect(r.used).toBeGreaterThanOrEqual(1);
      expect(r.effect).toBe('supports');
    },
  },
  {
    scenario: {
      ...base,
      id: 'probe-pty-devpts',
      cause: 'pty-limit',
      command: 'script on a devpts instance with max=1 whose pty is taken; probe',
      mode: 'userns',
      needs: ['userns', 'bin:script', 'bin:node'],
      script: `mount -t devpts -o newinstance,max=1,ptmxmode=0666 devpts /dev/pts; mount --bind /dev/pts/ptmx /dev/ptmx
exec 3<>/dev/ptmx
run script -qc true /dev/null </dev/null
probe_here`,
    },
    reading: 'devpts:',
    check: (r) => {
      expect(r.limit).toBe(1);
      expect(r.used).toBe(1);
      expect(r.effect).toBe('supports');
    },
  },
  {
    scenario: {
      ...base,
      id: 'probe-user-namespaces',
      cause: 'namespace-limit',
      command: 'unshare --user with max_user_namespaces=0; probe',
      mode: 'userns',
      needs: ['userns', 'bin:unshare', 'bin:node'],
      script: `echo 0 > /proc/sys/user/max_user_namespaces
run unshare --user true
probe_here`,
    },
    reading: 'namespaces-user',
    check: (r) => {
      expect(r.limit).toBe(0);
      expect(r.effect).toBe('supports');
    },
  },
];
