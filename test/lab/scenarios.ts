/**
 * The fault lab's scenarios: each one makes a real program hit one cause of ENOSPC (or its
 * siblings EDQUOT / EAGAIN) inside throw-away namespaces, cgroups or small tmpfs mounts, and
 * records what the program printed next to the readings (df, ipcs, /proc) that show the cause.
 *
 * A scenario is a bash script run either inside `unshare --user --map-root-user --mount --ipc`
 * (limits lowered there are per user / IPC namespace and vanish with it) or, for cgroups and the
 * key quota, as root on the host with everything it creates named `enospc-lab-<token>` and removed
 * by the runner (test/lab/run.ts) in `finally`. The prelude gives each script:
 *   run CMD...      run the program under test; its stdout+stderr are the recorded output
 *   reading CMD...  a reading taken next to it (df -i, ipcs, /proc/...), recorded apart
 *   $W              a scratch directory (a tmpfs is mounted on it by the scenario when needed)
 *   $TOKEN          the unique name part for host objects (cgroups)
 * Nothing here lowers a limit for the whole machine: sysctls are written only inside the new
 * user / IPC namespace, where they are that namespace's own.
 */

/** What a scenario needs from the machine; the runner checks each and names what is missing. */
export type Need =
  | 'root'
  | 'userns'
  | 'cgroup-v1-pids'
  | 'cgroup-v1-cpuset'
  | 'loop'
  | `bin:${string}`
  | `locale:${string}`;

/** One reproduction. */
export interface Scenario {
  /** Fixture name: test/fixtures/lab/<id>.json. */
  readonly id: string;
  /** The cause the output must be classified as (a CauseId, or one the new-causes helper adds). */
  readonly cause: string;
  /** The program under test, as it names itself. */
  readonly program: string;
  /** Shell command printing the program's version (first line is kept). */
  readonly version: string;
  /** The command as an operator would type it (for the fixture and docs). */
  readonly command: string;
  /** Where the script runs: a new user+mount+IPC namespace, or as root on the host. */
  readonly mode: 'userns' | 'host';
  readonly needs: readonly Need[];
  /** Bash script body (see the prelude above). */
  readonly script: string;
  /** What the scenario reproduces, one line (docs/lab.md). */
  readonly what: string;
  /**
   * What decides the cause: 'output' when the program's own words name it (then the output alone
   * must classify right), 'reading' when the output is a bare errno that several causes share
   * (inodes vs blocks, a SIGBUS, a shell redirect) and only the reading next to it decides.
   * Default 'output'. Either way, output + reading together must classify right.
   */
  readonly decidedBy?: 'output' | 'reading';
  /** LANG/LC_ALL for the run; C.UTF-8 unless a localized variant. */
  readonly locale?: string;
}

const PY = '/usr/bin/python3';
const BIG = 'head -c 2000000 /dev/zero > "$LAB_DIR/big"';

/** A tmpfs of `opts` on $W, inside the scenario's mount namespace. */
const tmpfs = (opts: string): string => `mount -t tmpfs -o ${opts} enospc-lab "$W"; cd "$W"`;


/** A busybox-static bundle in $W and `runc_config ARGS_JSON RESOURCES_JSON` to write its config.json. */
const RUNC_BUNDLE = `mkdir -p "$W/rootfs/bin" "$W/rootfs/tmp" "$W/state"; cp /bin/busybox "$W/rootfs/bin/"
for c in sh dd sleep true; do ln -s busybox "$W/rootfs/bin/$c"; done
(cd "$W" && runc spec)
runc_config() { node -e '
const fs = require("fs"); const f = process.argv[1] + "/config.json"; const c = JSON.parse(fs.readFileSync(f, "utf8"));
c.process.terminal = false; c.process.args = JSON.parse(process.argv[2]); c.root.readonly = false;
c.linux.cgroupsPath = "/enospc-lab-" + process.env.TOKEN; c.linux.resources = JSON.parse(process.argv[3]);
fs.writeFileSync(f, JSON.stringify(c));
' "$W" "$1" "$2"; }
cd "$W"`;


/** An OCI image layout tarball at $W/img.tar: busybox-static in one uncompressed layer, ref lab/busybox:1. */
const OCI_IMAGE = `t="$W/img"; mkdir -p "$t/root/bin" "$t/oci/blobs/sha256"; cp /bin/busybox "$t/root/bin/"; ln -s busybox "$t/root/bin/sh"
tar -C "$t/root" -cf "$t/layer.tar" .
blob() { d=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" "$t/oci/blobs/sha256/$d"; echo "$d $(stat -c %s "$1")"; }
set -- $(blob "$t/layer.tar"); L=$1; LS=$2
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' $L > "$t/config.json"
set -- $(blob "$t/config.json"); C=$1; CS=$2
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' $C $CS $L $LS > "$t/manifest.json"
set -- $(blob "$t/manifest.json"); M=$1; MS=$2
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"lab/busybox:1"}}]}' $M $MS > "$t/oci/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$t/oci/oci-layout"; tar -C "$t/oci" -cf "$W/img.tar" .`;

const base: Scenario[] = [
  // ---- inotify watches: the user namespace's own max_inotify_watches, lowered inside it
  {
    id: 'inotify-watch-tail-F',
    cause: 'inotify-watch-exhaustion',
    program: 'tail',
    version: 'tail --version',
    command: 'tail -F f1 f2 f3 f4 f5 f6',
    mode: 'userns',
    needs: ['userns', 'bin:tail', 'bin:timeout'],
    what: 'tail -F on six files with max_inotify_watches=3 in its user namespace',
    script: `${tmpfs('size=1M')}; for i in 1 2 3 4 5 6; do echo > f$i; done
echo 3 > /proc/sys/user/max_inotify_watches
reading grep -H '' /proc/sys/user/max_inotify_watches
run timeout 1 tail -n0 -F f1 f2 f3 f4 f5 f6`,
  },
  {
    id: 'inotify-watch-inotifywait-r',
    cause: 'inotify-watch-exhaustion',
    program: 'inotifywait',
    version: 'inotifywait --help 2>&1 | head -1',
    command: 'inotifywait -r d',
    mode: 'userns',
    needs: ['userns', 'bin:inotifywait', 'bin:timeout'],
    what: 'inotifywait -r on a tree of ten directories with max_inotify_watches=3',
    script: `${tmpfs('size=1M')}; for i in $(seq 1 10); do mkdir -p d/d$i; done
echo 3 > /proc/sys/user/max_inotify_watches
reading grep -H '' /proc/sys/user/max_inotify_watches
run timeout 1 inotifywait -r d`,
  },
  {
    id: 'inotify-watch-node-fs-watch',
    cause: 'inotify-watch-exhaustion',
    program: 'node',
    version: 'node --version',
    command: "node -e 'fs.watch(dir) for ten dirs'",
    mode: 'userns',
    needs: ['userns', 'bin:node'],
    what: 'Node fs.watch on ten directories with max_inotify_watches=3',
    script: `${tmpfs('size=1M')}; for i in $(seq 1 10); do mkdir -p d/d$i; done
echo 3 > /proc/sys/user/max_inotify_watches
reading grep -H '' /proc/sys/user/max_inotify_watches
run node -e 'const fs=require("fs");for(let i=1;i<=10;i++)fs.watch("d/d"+i);process.exit(0)'`,
  },
  {
    id: 'inotify-watch-python-ctypes',
    cause: 'inotify-watch-exhaustion',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 watcher.py (ctypes inotify_add_watch on ten directories)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'a Python watcher (ctypes inotify_add_watch, the call watchdog makes) with max_inotify_watches=3',
    script: `${tmpfs('size=1M')}; for i in $(seq 1 10); do mkdir -p d/d$i; done
echo 3 > /proc/sys/user/max_inotify_watches
py watcher '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(0)
for i in range(1, 11):
    p = ("d/d%d" % i).encode()
    if libc.inotify_add_watch(fd, p, 0x100) < 0:
        e = ctypes.get_errno()
        raise OSError(e, "inotify_add_watch(%s): %s" % (p.decode(), os.strerror(e)))
'
reading grep -H '' /proc/sys/user/max_inotify_watches`,
  },
  {
    id: 'inotify-watch-go-fsnotify',
    cause: 'inotify-watch-exhaustion',
    program: 'go (syscall.InotifyAddWatch, as fsnotify calls it)',
    version: 'go version',
    command: 'go run watch.go d/d1 ... d/d10',
    mode: 'userns',
    needs: ['userns', 'bin:go'],
    what: 'a Go watcher (syscall.InotifyAddWatch, the call fsnotify makes; fsnotify itself is not packaged) with max_inotify_watches=3',
    script: `mkdir -p "$W/src"; cat > "$W/src/watch.go" <<'EOF'
package main

import (
	"fmt"
	"os"
	"syscall"
)

func main() {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		fmt.Fprintln(os.Stderr, "inotify_init1:", err)
		os.Exit(1)
	}
	for _, p := range os.Args[1:] {
		if _, err := syscall.InotifyAddWatch(fd, p, syscall.IN_CREATE); err != nil {
			fmt.Fprintf(os.Stderr, "failed to watch %s: %v\\n", p, &os.PathError{Op: "inotify_add_watch", Path: p, Err: err})
			os.Exit(1)
		}
	}
}
EOF
(cd "$W/src" && HOME="$W" GOCACHE="$W/gocache" GOPATH="$W/gopath" GO111MODULE=off go build -o "$W/watch" watch.go) || exit 3
mkdir -p "$W/t"; mount -t tmpfs -o size=1M enospc-lab "$W/t"; cd "$W/t"; for i in $(seq 1 10); do mkdir -p d/d$i; done
echo 3 > /proc/sys/user/max_inotify_watches
run "$W/watch" d/d1 d/d2 d/d3 d/d4 d/d5 d/d6 d/d7 d/d8 d/d9 d/d10
reading grep -H '' /proc/sys/user/max_inotify_watches`,
  },
  // ---- inotify instances
  {
    id: 'inotify-instance-tail-f',
    cause: 'inotify-instance-exhaustion',
    program: 'tail',
    version: 'tail --version',
    command: 'tail -f f1 (with max_inotify_instances=0)',
    mode: 'userns',
    needs: ['userns', 'bin:tail', 'bin:timeout'],
    what: 'tail -f with max_inotify_instances=0 in its user namespace',
    script: `${tmpfs('size=1M')}; echo > f1
echo 0 > /proc/sys/user/max_inotify_instances
reading grep -H '' /proc/sys/user/max_inotify_instances
run timeout 1 tail -n0 -f f1`,
  },
  {
    id: 'inotify-instance-inotifywait',
    cause: 'inotify-instance-exhaustion',
    program: 'inotifywait',
    version: 'inotifywait --help 2>&1 | head -1',
    command: 'inotifywait d (with max_inotify_instances=0)',
    mode: 'userns',
    needs: ['userns', 'bin:inotifywait', 'bin:timeout'],
    what: 'inotifywait with max_inotify_instances=0',
    script: `${tmpfs('size=1M')}; mkdir d
echo 0 > /proc/sys/user/max_inotify_instances
run timeout 1 inotifywait d
reading grep -H '' /proc/sys/user/max_inotify_instances`,
  },
  {
    id: 'inotify-instance-node-fs-watch',
    cause: 'inotify-instance-exhaustion',
    program: 'node',
    version: 'node --version',
    command: "node -e 'fs.watch(dir)' (with max_inotify_instances=0)",
    mode: 'userns',
    needs: ['userns', 'bin:node'],
    what: 'Node fs.watch with max_inotify_instances=0 (libuv: inotify_init1 fails)',
    script: `${tmpfs('size=1M')}; mkdir d
echo 0 > /proc/sys/user/max_inotify_instances
run node -e 'require("fs").watch("d");process.exit(0)'
reading grep -H '' /proc/sys/user/max_inotify_instances`,
  },
  // ---- disk full: tmpfs size=1M
  {
    id: 'disk-full-dd',
    cause: 'disk-full',
    program: 'dd',
    version: 'dd --version',
    command: 'dd if=/dev/zero of=dd.img bs=64k count=100',
    mode: 'userns',
    needs: ['userns', 'bin:dd'],
    what: 'dd onto a 1 MiB tmpfs',
    script: `${tmpfs('size=1M')}
run dd if=/dev/zero of=dd.img bs=64k count=100
reading df -h "$W"; reading df -i "$W"`,
  },
  {
    id: 'disk-full-cp',
    cause: 'disk-full',
    program: 'cp',
    version: 'cp --version',
    command: 'cp big cp.img',
    mode: 'userns',
    needs: ['userns', 'bin:cp'],
    what: 'cp of a 2 MB file onto a 1 MiB tmpfs',
    script: `${BIG}; ${tmpfs('size=1M')}
run cp $LAB_DIR/big cp.img
reading df -h "$W"`,
  },
  {
    id: 'disk-full-tar',
    decidedBy: 'reading',
    cause: 'disk-full',
    program: 'tar',
    version: 'tar --version',
    command: 'tar -xf layer.tar',
    mode: 'userns',
    needs: ['userns', 'bin:tar'],
    what: 'tar extracting a 2 MB member onto a 1 MiB tmpfs',
    script: `mkdir "$LAB_DIR/src"; head -c 2000000 /dev/zero > "$LAB_DIR/src/layer.bin"; tar -C "$LAB_DIR/src" -cf "$LAB_DIR/layer.tar" layer.bin; ${tmpfs('size=1M')}
run tar -xf "$LAB_DIR/layer.tar"
reading df -h "$W"`,
  },
  {
    id: 'disk-full-cat-redirect',
    decidedBy: 'reading',
    cause: 'disk-full',
    program: 'cat',
    version: 'cat --version',
    command: 'cat big > out',
    mode: 'userns',
    needs: ['userns', 'bin:cat'],
    what: 'a shell redirect (cat > file) onto a 1 MiB tmpfs',
    script: `${BIG}; ${tmpfs('size=1M')}
run sh -c 'cat $LAB_DIR/big > out'
reading df -h "$W"`,
  },
  {
    id: 'disk-full-python',
    decidedBy: 'reading',
    cause: 'disk-full',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 writer.py (writes 2 MB to py.out)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'Python writing 2 MB onto a 1 MiB tmpfs',
    script: `${tmpfs('size=1M')}
py writer '
with open("py.out", "wb") as f:
    f.write(b"x" * 2000000)
'
reading df -h "$W"`,
  },
  {
    id: 'disk-full-node-sync',
    cause: 'disk-full',
    program: 'node',
    version: 'node --version',
    command: "node -e 'fs.writeFileSync(\"node.out\", Buffer.alloc(2e6))'",
    mode: 'userns',
    needs: ['userns', 'bin:node'],
    what: 'Node writeFileSync of 2 MB onto a 1 MiB tmpfs',
    script: `${tmpfs('size=1M')}
run node -e 'require("fs").writeFileSync("node.out", Buffer.alloc(2000000))'
reading df -h "$W"`,
  },
  {
    id: 'disk-full-node-async',
    cause: 'disk-full',
    program: 'node',
    version: 'node --version',
    command: "node -e 'fs.writeFile(...), console.error(err)'",
    mode: 'userns',
    needs: ['userns', 'bin:node'],
    what: 'Node fs.writeFile callback error printed with console.error',
    script: `${tmpfs('size=1M')}
run node -e 'require("fs").writeFile("node.out", Buffer.alloc(2000000), (e) => { if (e) { console.error(e); process.exit(1); } })'
reading df -h "$W"`,
  },
  {
    id: 'disk-full-journald-style',
    decidedBy: 'reading',
    cause: 'disk-full',
    program: 'python3 (logging.FileHandler, a journald-style appender)',
    version: `${PY} --version`,
    command: 'python3 applog.py (logging.FileHandler appending until the disk is full)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'a log writer (Python logging) appending to a full 1 MiB tmpfs; logging prints its own "--- Logging error ---"',
    script: `${tmpfs('size=1M')}
py applog '
import logging
h = logging.FileHandler("app.log")
log = logging.getLogger("app"); log.addHandler(h); log.propagate = False
for i in range(50000):
    log.error("request %d served in %d ms", i, 12)
    h.flush()
    if i > 40000: break
'
reading df -h "$W"`,
  },
  // ---- inode exhaustion: tmpfs nr_inodes=8
  ...(
    [
      ['mkdir', 'mkdir d1', 'mkdir --version', 'mkdir', 'run mkdir d1'],
      ['touch', 'touch t1', 'touch --version', 'touch', 'run touch t1'],
      ['python', "python3 newfile.py (open('p1', 'w'))", `${PY} --version`, PY, `py newfile 'open("p1", "w").close()'`],
      ['node-mkdir', "node -e 'fs.mkdirSync(\"n1\")'", 'node --version', 'node', `run node -e 'require("fs").mkdirSync("n1")'`],
      ['node-write', "node -e 'fs.writeFileSync(\"n2\",\"x\")'", 'node --version', 'node', `run node -e 'require("fs").writeFileSync("n2","x")'`],
    ] as const
  ).map(
    ([name, command, version, bin, line]): Scenario => ({
      id: `inode-exhaustion-${name}`,
      decidedBy: 'reading',
      cause: 'inode-exhaustion',
      program: bin === PY ? 'python3' : bin,
      version,
      command,
      mode: 'userns',
      needs: ['userns', `bin:${bin}`, 'bin:df'],
      what: `${command} on a tmpfs with nr_inodes=8 all used, next to df -h (free) and df -i (100 %)`,
      script: `${tmpfs('size=4M,nr_inodes=8')}; for i in 1 2 3 4 5 6 7 8; do touch f$i 2>/dev/null; done
${line}
reading df -h "$W"; reading df -i "$W"`,
    }),
  ),
  // ---- mount table: rbind doubling until the mount namespace reaches fs.mount-max
  {
    id: 'mount-limit-mount-rbind',
    cause: 'mount-limit',
    program: 'mount',
    version: 'mount --version',
    command: 'mount --rbind /w /w/a (repeated until fs.mount-max)',
    mode: 'userns',
    needs: ['userns', 'bin:mount'],
    what: 'recursive bind mounts in a private mount namespace doubling its mount count until fs.mount-max (global, read only)',
    script: `mount -t tmpfs enospc-lab "$W"; mkdir "$W/a"
for i in $(seq 1 40); do
  if ! mount --rbind "$W" "$W/a" 2>"$W.err"; then cat "$W.err" >> "$LAB_OUT"; echo 32 >> "$LAB_RC"; break; fi
done
reading sh -c 'wc -l < /proc/self/mountinfo'; reading grep -H '' /proc/sys/fs/mount-max
umount -l "$W"`,
  },
  // ---- IPC: per-IPC-namespace kernel.sem / msgmni / shmmni lowered inside the namespace
  {
    id: 'ipc-limit-ipcmk-sem',
    cause: 'ipc-limit',
    program: 'ipcmk',
    version: 'ipcmk --version',
    command: 'ipcmk -S 1 (kernel.sem SEMMNI=1, one set exists)',
    mode: 'userns',
    needs: ['userns', 'bin:ipcmk', 'bin:ipcs'],
    what: 'ipcmk -S in an IPC namespace whose semaphore set limit (SEMMNI) is reached',
    script: `echo "32000 1024000000 500 1" > /proc/sys/kernel/sem; ipcmk -S 1 >/dev/null
run ipcmk -S 1
reading grep -H '' /proc/sys/kernel/sem; reading ipcs -s`,
  },
  {
    id: 'ipc-limit-ipcmk-msg',
    cause: 'ipc-limit',
    program: 'ipcmk',
    version: 'ipcmk --version',
    command: 'ipcmk -Q (kernel.msgmni=1, one queue exists)',
    mode: 'userns',
    needs: ['userns', 'bin:ipcmk', 'bin:ipcs'],
    what: 'ipcmk -Q with kernel.msgmni reached',
    script: `echo 1 > /proc/sys/kernel/msgmni; ipcmk -Q >/dev/null
run ipcmk -Q
reading ipcs -q -l`,
  },
  {
    id: 'ipc-limit-ipcmk-shm',
    cause: 'ipc-limit',
    program: 'ipcmk',
    version: 'ipcmk --version',
    command: 'ipcmk -M 4096 (kernel.shmmni=1, one segment exists)',
    mode: 'userns',
    needs: ['userns', 'bin:ipcmk', 'bin:ipcs'],
    what: 'ipcmk -M with kernel.shmmni reached',
    script: `echo 1 > /proc/sys/kernel/shmmni; ipcmk -M 4096 >/dev/null
run ipcmk -M 4096
reading ipcs -m -l`,
  },
  {
    id: 'ipc-limit-python-semget',
    cause: 'ipc-limit',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 semaphore.py (semget(IPC_PRIVATE, 1, 0600) via ctypes; SEMMNI=1 reached)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`, 'bin:ipcmk'],
    what: 'Python creating a System V semaphore set (what sysv_ipc / PostgreSQL do) with SEMMNI reached',
    script: `echo "32000 1024000000 500 1" > /proc/sys/kernel/sem; ipcmk -S 1 >/dev/null
py semaphore '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
if libc.semget(0, 1, 0o1600) < 0:
    e = ctypes.get_errno()
    raise OSError(e, "semget: " + os.strerror(e))
'
reading grep -H '' /proc/sys/kernel/sem`,
  },
  // ---- /dev/shm full: a 1 MiB tmpfs over /dev/shm in the mount namespace
  {
    id: 'shm-full-dd',
    cause: 'shm-full',
    program: 'dd',
    version: 'dd --version',
    command: 'dd if=/dev/zero of=/dev/shm/nccl-lab bs=64k count=40',
    mode: 'userns',
    needs: ['userns', 'bin:dd'],
    what: 'dd into a full 1 MiB /dev/shm',
    script: `mount -t tmpfs -o size=1M shm /dev/shm
run dd if=/dev/zero of=/dev/shm/nccl-lab bs=64k count=40
reading df -h /dev/shm`,
  },
  {
    id: 'shm-full-python-fallocate',
    decidedBy: 'reading',
    cause: 'shm-full',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 shm_reserve.py (posix_fallocate of 4 MiB on /dev/shm/nccl-lab, as NCCL does)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'a shared memory segment reserved with posix_fallocate (NCCL\'s way) in a 1 MiB /dev/shm',
    script: `mount -t tmpfs -o size=1M shm /dev/shm
py shm_reserve '
import os
fd = os.open("/dev/shm/nccl-lab", os.O_CREAT | os.O_RDWR, 0o600)
os.posix_fallocate(fd, 0, 4 << 20)
'
reading df -h /dev/shm`,
  },
  {
    id: 'shm-full-python-shared-memory',
    decidedBy: 'reading',
    cause: 'shm-full',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 segment.py (multiprocessing.shared_memory.SharedMemory of 4 MiB, filled)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'Python SharedMemory larger than /dev/shm: ftruncate succeeds, the first write past the end is SIGBUS',
    script: `mount -t tmpfs -o size=1M shm /dev/shm
cat > "$LAB_DIR/segment.py" <<'EOF'
from multiprocessing import shared_memory

seg = shared_memory.SharedMemory(create=True, size=4 << 20)
seg.buf[:] = b"x" * (4 << 20)
EOF
run sh -c "${PY} $LAB_DIR/segment.py"
reading df -h /dev/shm`,
  },
  // ---- pty: a devpts instance with max=1, one pty held open
  {
    id: 'pty-limit-python-openpty',
    cause: 'pty-limit',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 terminal.py (os.openpty(); devpts max=1, one pty held)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'os.openpty() on a devpts instance (newinstance,max=1) whose one pty is taken',
    script: `mount -t devpts -o newinstance,max=1,ptmxmode=0666 devpts /dev/pts; mount --bind /dev/pts/ptmx /dev/ptmx
exec 3<>/dev/ptmx
py terminal '
import os
master, slave = os.openpty()
'
reading findmnt /dev/pts; reading grep -H '' /proc/sys/kernel/pty/nr /proc/sys/kernel/pty/max`,
  },
  {
    id: 'pty-limit-python-pty-fork',
    cause: 'pty-limit',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 spawn_shell.py (pty.fork(); devpts max=1, one pty held)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'pty.fork() (falls back to BSD ptys and says "out of pty devices")',
    script: `mount -t devpts -o newinstance,max=1,ptmxmode=0666 devpts /dev/pts; mount --bind /dev/pts/ptmx /dev/ptmx
exec 3<>/dev/ptmx
py spawn_shell '
import pty
pid, fd = pty.fork()
'
reading findmnt /dev/pts`,
  },
  {
    id: 'pty-limit-script',
    cause: 'pty-limit',
    program: 'script',
    version: 'script --version',
    command: 'script -qc true /dev/null (devpts max=1, one pty held)',
    mode: 'userns',
    needs: ['userns', 'bin:script'],
    what: 'util-linux script on a devpts instance whose one pty is taken',
    script: `mount -t devpts -o newinstance,max=1,ptmxmode=0666 devpts /dev/pts; mount --bind /dev/pts/ptmx /dev/ptmx
exec 3<>/dev/ptmx
run script -qc true /dev/null </dev/null
reading findmnt /dev/pts`,
  },
  // ---- namespace limits: max_*_namespaces set to 0 inside the user namespace
  ...(
    [
      ['user', 'max_user_namespaces', 'unshare --user true'],
      ['mnt', 'max_mnt_namespaces', 'unshare --mount true'],
      ['net', 'max_net_namespaces', 'unshare --net true'],
    ] as const
  ).map(
    ([kind, knob, cmd]): Scenario => ({
      id: `namespace-limit-unshare-${kind}`,
      cause: 'namespace-limit',
      program: 'unshare',
      version: 'unshare --version',
      command: `${cmd} (${knob}=0)`,
      mode: 'userns',
      needs: ['userns', 'bin:unshare'],
      what: `unshare with /proc/sys/user/${knob} = 0 in its user namespace`,
      script: `echo 0 > /proc/sys/user/${knob}
run ${cmd}
reading grep -H '' /proc/sys/user/${knob}`,
    }),
  ),
  {
    id: 'namespace-limit-python-clone',
    cause: 'namespace-limit',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 sandbox.py (unshare(CLONE_NEWUSER) via ctypes; max_user_namespaces=0)',
    mode: 'userns',
    needs: ['userns', `bin:${PY}`],
    what: 'a program calling unshare(2) itself (as runtimes and sandboxes do) with max_user_namespaces=0',
    script: `echo 0 > /proc/sys/user/max_user_namespaces
py sandbox '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
if libc.unshare(0x10000000) != 0:
    e = ctypes.get_errno()
    raise OSError(e, "unshare(CLONE_NEWUSER): " + os.strerror(e))
'
reading grep -H '' /proc/sys/user/max_user_namespaces`,
  },
  // ---- keyring quota: an unprivileged uid adds 900-byte keys until its byte quota answers EDQUOT.
  // It runs in a user namespace the uid owns, so its user keyrings live and die with that namespace.
  {
    id: 'keyring-quota-keyctl',
    cause: 'keyring-quota',
    program: 'keyctl',
    version: 'keyctl --version',
    command: 'keyctl add user kN <900 bytes> @s (as uid 61234, until EDQUOT)',
    mode: 'host',
    needs: ['root', 'bin:keyctl', 'bin:setpriv'],
    what: 'keys added by an unprivileged uid until kernel.keys.maxbytes answers EDQUOT',
    script: `P=$(head -c 900 /dev/zero | tr '\\0' x)
exec 3>>"$LAB_READ"
run setpriv --reuid=61234 --regid=61234 --clear-groups unshare --user --map-root-user keyctl session - sh -c '
for i in $(seq 1 60); do keyctl add user k$i "$1" @s >/dev/null || { s=$?; break; }; done
echo "\\$ cat /proc/key-users  (inside the user namespace of uid 61234, where it is 0)" >&3; cat /proc/key-users >&3; keyctl clear @s; exit $s' sh "$P"
reading grep -H '' /proc/sys/kernel/keys/maxkeys /proc/sys/kernel/keys/maxbytes`,
  },
  // ---- pids: a pids cgroup (v1) with pids.max lowered, this scenario's processes only
  {
    id: 'pid-exhaustion-bash-fork',
    cause: 'pid-exhaustion',
    // EAGAIN from fork is `none` by the labelling policy unless the limit itself shows (pids.events).
    decidedBy: 'reading',
    program: 'bash',
    version: 'bash --version',
    command: 'for i in 1..6; do sleep 5 & done (pids.max=4)',
    mode: 'host',
    needs: ['root', 'cgroup-v1-pids', 'bin:timeout'],
    what: 'bash forking into a pids cgroup with pids.max=4',
    script: `G=/sys/fs/cgroup/pids/enospc-lab-$TOKEN; mkdir $G; echo 4 > $G/pids.max
run timeout -s KILL 2.5 bash -c "echo \\$\\$ > $G/cgroup.procs; for i in 1 2 3 4 5 6; do sleep 5 & done; wait"
reading grep -H '' $G/pids.max $G/pids.events`,
  },
  {
    id: 'pid-exhaustion-python-fork',
    cause: 'pid-exhaustion',
    // EAGAIN from fork is `none` by the labelling policy unless the limit itself shows (pids.events).
    decidedBy: 'reading',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 workers.py (os.fork() x8; pids.max=4)',
    mode: 'host',
    needs: ['root', 'cgroup-v1-pids', `bin:${PY}`],
    what: 'Python os.fork in a pids cgroup with pids.max=4',
    script: `G=/sys/fs/cgroup/pids/enospc-lab-$TOKEN; mkdir $G; echo 4 > $G/pids.max
cat > "$LAB_DIR/workers.py" <<'EOF'
import os, time

for i in range(8):
    if os.fork() == 0:
        time.sleep(1)
        os._exit(0)
EOF
run bash -c "echo \\$\\$ > $G/cgroup.procs; exec ${PY} $LAB_DIR/workers.py"
reading grep -H '' $G/pids.max $G/pids.events`,
  },
  {
    id: 'pid-exhaustion-node-spawn',
    cause: 'pid-exhaustion',
    // EAGAIN from fork is `none` by the labelling policy unless the limit itself shows (pids.events).
    decidedBy: 'reading',
    program: 'node',
    version: 'node --version',
    command: "node -e 'child_process.spawn(\"sleep\") x40' (pids.max=24)",
    mode: 'host',
    needs: ['root', 'cgroup-v1-pids', 'bin:node'],
    what: 'Node child_process.spawn in a pids cgroup with pids.max=24',
    script: `G=/sys/fs/cgroup/pids/enospc-lab-$TOKEN; mkdir $G; echo 24 > $G/pids.max
run timeout -s KILL 5 bash -c "echo \\$\\$ > $G/cgroup.procs; exec node -e '
const c = require(\\"child_process\\");
for (let i = 0; i < 40; i++) { const p = c.spawn(\\"sleep\\", [\\"2\\"]); p.on(\\"error\\", (e) => { console.error(e); process.exit(1); }); }
'"
reading grep -H '' $G/pids.max $G/pids.events`,
  },
  // ---- cpuset: a cpuset cgroup (v1) whose cpuset.cpus is empty
  {
    id: 'cpuset-empty-echo',
    decidedBy: 'reading',
    cause: 'cpuset-empty',
    program: 'bash',
    version: 'bash --version',
    command: 'echo $$ > /sys/fs/cgroup/cpuset/<empty>/cgroup.procs',
    mode: 'host',
    needs: ['root', 'cgroup-v1-cpuset'],
    what: 'a task written into a cpuset cgroup with no CPUs',
    script: `C=/sys/fs/cgroup/cpuset/enospc-lab-$TOKEN; mkdir $C; cat /sys/fs/cgroup/cpuset/cpuset.mems > $C/cpuset.mems
run bash -c "echo \\$\\$ > $C/cgroup.procs"
reading grep -H '' $C/cpuset.cpus $C/cpuset.mems`,
  },
  {
    id: 'cpuset-empty-python',
    decidedBy: 'reading',
    cause: 'cpuset-empty',
    program: 'python3',
    version: `${PY} --version`,
    command: 'python3 join_cpuset.py <cpuset>/cgroup.procs (writes its pid)',
    mode: 'host',
    needs: ['root', 'cgroup-v1-cpuset', `bin:${PY}`],
    what: 'Python writing its pid into a cpuset cgroup with no CPUs',
    script: `C=/sys/fs/cgroup/cpuset/enospc-lab-$TOKEN; mkdir $C; cat /sys/fs/cgroup/cpuset/cpuset.mems > $C/cpuset.mems
py join_cpuset '
import os, sys
with open(sys.argv[1], "w") as f:
    f.write(str(os.getpid()))
' $C/cgroup.procs
reading grep -H '' $C/cpuset.cpus $C/cpuset.mems`,
  },
  // ---- Debian's runc running a busybox-static bundle (host root; the cgroups it makes are named
  // enospc-lab-<token>, the runner removes them; tmpfs mounts live in a private mount namespace)
  {
    id: 'pid-exhaustion-runc-busybox',
    cause: 'pid-exhaustion',
    // EAGAIN from fork is `none` by the labelling policy unless the limit itself shows (pids.events).
    decidedBy: 'reading',
    program: 'runc (busybox sh inside)',
    version: 'runc --version',
    command: 'runc run (linux.resources.pids.limit=3; sh forks five sleeps)',
    mode: 'host',
    needs: ['root', 'cgroup-v1-pids', 'bin:runc', 'bin:/bin/busybox', 'bin:node'],
    what: 'a runc container whose pids.limit is 3 forking five children',
    script: `${RUNC_BUNDLE}
runc_config '["sh","-c","for i in 1 2 3 4 5; do sleep 3 & done; wait"]' '{"pids":{"limit":3}}'
run timeout -s KILL 8 runc --root "$W/state" run enospc-lab-$TOKEN </dev/null
runc --root "$W/state" delete -f enospc-lab-$TOKEN >/dev/null 2>&1
reading grep -H '' /proc/sys/kernel/pid_max`,
  },
  {
    id: 'disk-full-runc-busybox-dd',
    cause: 'disk-full',
    program: 'runc (busybox dd inside)',
    version: 'runc --version',
    command: 'runc run (dd onto a 1 MiB tmpfs at the container\'s /tmp)',
    mode: 'host',
    needs: ['root', 'bin:runc', 'bin:/bin/busybox', 'bin:node', 'bin:unshare'],
    what: 'busybox dd in a runc container filling a 1 MiB tmpfs',
    script: `${RUNC_BUNDLE}
runc_config '["dd","if=/dev/zero","of=/tmp/fill","bs=64k","count=40"]' '{}'
run unshare --mount --propagation private sh -c 'mount -t tmpfs -o size=1M enospc-lab "$W/rootfs/tmp" && timeout -s KILL 8 runc --root "$W/state" run enospc-lab-$TOKEN </dev/null; s=$?; df -h "$W/rootfs/tmp" >>"$LAB_READ"; exit $s'
runc --root "$W/state" delete -f enospc-lab-$TOKEN >/dev/null 2>&1`,
  },
  {
    id: 'disk-full-runc-state-dir',
    decidedBy: 'reading',
    cause: 'disk-full',
    program: 'runc',
    version: 'runc --version',
    command: 'runc --root <full tmpfs> run',
    mode: 'host',
    needs: ['root', 'bin:runc', 'bin:/bin/busybox', 'bin:node', 'bin:unshare'],
    what: 'runc whose state directory (--root) is on a full 64 KiB tmpfs',
    script: `${RUNC_BUNDLE}
runc_config '["true"]' '{}'
mkdir -p "$W/state-full"
run unshare --mount --propagation private sh -c 'mount -t tmpfs -o size=64k enospc-lab "$W/state-full" && dd if=/dev/zero of="$W/state-full/fill" bs=4k 2>/dev/null; timeout -s KILL 8 runc --root "$W/state-full" run enospc-lab-$TOKEN </dev/null; s=$?; df -h "$W/state-full" >>"$LAB_READ"; exit $s'`,
  },
  {
    id: 'namespace-limit-runc-busybox',
    cause: 'namespace-limit',
    program: 'runc',
    version: 'runc --version',
    command: 'runc run (in a user namespace whose max_net_namespaces=0)',
    mode: 'userns',
    needs: ['userns', 'bin:runc', 'bin:/bin/busybox', 'bin:node'],
    what: 'runc starting a busybox container from a user namespace with max_net_namespaces=0 (nsexec cannot unshare)',
    script: `${RUNC_BUNDLE}
runc_config '["true"]' '{}'
echo 0 > /proc/sys/user/max_net_namespaces
reading grep -H '' /proc/sys/user/max_net_namespaces
run timeout -s KILL 8 runc --root "$W/state" run enospc-lab-$TOKEN </dev/null
runc --root "$W/state" delete -f enospc-lab-$TOKEN >/dev/null 2>&1`,
  },
  // ---- Debian's containerd importing an image into a content store on a full 1 MiB tmpfs
  {
    id: 'disk-full-containerd-import',
    cause: 'disk-full',
    program: 'containerd + ctr',
    version: 'containerd --version',
    command: 'ctr images import busybox.tar (content store on a 1 MiB tmpfs)',
    mode: 'host',
    needs: ['root', 'bin:containerd', 'bin:ctr', 'bin:/bin/busybox', 'bin:unshare', 'bin:sha256sum'],
    what: "a private containerd (own root, state, socket) importing a 2 MB busybox OCI image into a content store on a 1 MiB tmpfs already 80 % used",
    script: `${OCI_IMAGE}
mkdir -p "$W/root" "$W/state"; printf 'version = 2\\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\\n' > "$W/config.toml"
run unshare --mount --propagation private sh -c '
mount -t tmpfs -o size=1M enospc-lab "$W/root" || exit 3
dd if=/dev/zero of="$W/root/other-content" bs=64k count=13 2>/dev/null
containerd -c "$W/config.toml" --root "$W/root" --state "$W/state" --address "$W/sock" >"$W/containerd.log" 2>&1 & p=$!
for i in $(seq 1 100); do [ -S "$W/sock" ] && break; sleep 0.1; done
timeout -s KILL 20 ctr -a "$W/sock" images import "$W/img.tar"; s=$?
df -h "$W/root" >>"$LAB_READ"
kill $p; wait $p
grep -i "no space left" "$W/containerd.log"
exit $s'`,
  },
  // ---- an ext4 loop image (host root; the mount lives in a private mount namespace, the loop
  // device is set up with autoclear and detached by the runner too)
  {
    id: 'inode-exhaustion-ext4-loop-mkdir',
    decidedBy: 'reading',
    cause: 'inode-exhaustion',
    program: 'mkdir',
    version: 'mkdir --version',
    command: 'mkdir d (ext4 loop image made with -N 16, every inode used)',
    mode: 'host',
    needs: ['root', 'bin:mkfs.ext4', 'bin:losetup', 'bin:unshare', 'loop'],
    what: 'mkdir on an 8 MiB ext4 loop image whose 16 inodes are used, next to df -i 100 % and df -h low',
    script: `truncate -s 8M "$W.img"; mkfs.ext4 -q -N 16 -F "$W.img" >/dev/null 2>&1 || exit 3
run unshare --mount --propagation private sh -c 'mount -o loop "$W.img" "$W" || exit 3; cd "$W"
i=0; while touch f$i 2>/dev/null; do i=$((i+1)); done
mkdir d; s=$?
{ echo "\\$ df -h $W"; df -h "$W"; echo "\\$ df -i $W"; df -i "$W"; } >>"$LAB_READ"
cd /; umount "$W"; exit $s'`,
  },
  {
    id: 'disk-full-ext4-loop-dd',
    cause: 'disk-full',
    program: 'dd',
    version: 'dd --version',
    command: 'dd if=/dev/zero of=fill bs=1M (ext4 loop image of 8 MiB)',
    mode: 'host',
    needs: ['root', 'bin:mkfs.ext4', 'bin:losetup', 'bin:unshare', 'loop'],
    what: 'dd filling an 8 MiB ext4 loop image (root writes into the reserved blocks too)',
    script: `truncate -s 8M "$W.img"; mkfs.ext4 -q -F "$W.img" >/dev/null 2>&1 || exit 3
run unshare --mount --propagation private sh -c 'mount -o loop "$W.img" "$W" || exit 3
dd if=/dev/zero of="$W/fill" bs=1M; s=$?
{ echo "\\$ df -h $W"; df -h "$W"; echo "\\$ df -i $W"; df -i "$W"; } >>"$LAB_READ"
umount "$W"; exit $s'`,
  },
];

/** Scenarios rerun under each locale (programs that translate their messages). */
const LOCALIZED = [
  'inotify-watch-tail-F',
  'inotify-watch-inotifywait-r',
  'disk-full-dd',
  'disk-full-cp',
  'disk-full-tar',
  'inode-exhaustion-mkdir',
  'inode-exhaustion-touch',
  'inode-exhaustion-python',
  'ipc-limit-ipcmk-sem',
  'shm-full-dd',
  'pty-limit-script',
  'namespace-limit-unshare-user',
  'keyring-quota-keyctl',
  'pid-exhaustion-bash-fork',
  'cpuset-empty-echo',
  'mount-limit-mount-rbind',
];

export const LOCALES = ['zh_CN.UTF-8', 'ja_JP.UTF-8', 'de_DE.UTF-8'] as const;

// Each locale's keyring run uses its own throw-away uid: key quotas are per uid, and runs overlap.
const localized: Scenario[] = LOCALES.flatMap((loc, i) =>
  base
    .filter((s) => LOCALIZED.includes(s.id))
    .map((s) => ({
      ...s,
      id: `${s.id}.${loc.split('.')[0]}`,
      locale: loc,
      needs: [...s.needs, `locale:${loc}` as const],
      script: s.script.replaceAll('61234', String(61235 + i)),
    })),
);

/** Every scenario, the localized variants last. */
export const SCENARIOS: readonly Scenario[] = [...base, ...localized];

/** Causes the lab cannot reproduce here, each with the reason (shown as a visible skip). */
export const NOT_REPRODUCED: readonly { readonly id: string; readonly cause: string; readonly reason: string }[] = [
  {
    id: 'thinpool-full-lvm',
    cause: 'thinpool-full',
    reason: 'needs the kernel device-mapper thin-pool target (/dev/mapper/control: this kernel has no device-mapper driver)',
  },
  {
    id: 'cgroup-leak-memcg-ids',
    cause: 'cgroup-leak',
    reason:
      'memory cgroup ids (65535) are one machine-wide space with no per-namespace limit: exhausting them would change the whole machine',
  },
  {
    id: 'cpuset-empty-runc',
    cause: 'cpuset-empty',
    reason:
      'runc 1.1.5 copies cpuset.cpus/mems from the parent into an empty cpuset before it writes the pid (libcontainer/cgroups/fs/cpuset.go cpusetCopyIfNeeded), so runc cannot reach an empty cpuset without offlining CPUs on the host',
  },
  {
    id: 'inotify-watch-fsnotify-library',
    cause: 'inotify-watch-exhaustion',
    reason: 'github.com/fsnotify/fsnotify is not packaged in Debian bookworm as a Go module the lab can build offline; the Go scenario calls syscall.InotifyAddWatch, what fsnotify calls',
  },
];
