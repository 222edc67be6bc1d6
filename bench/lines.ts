/**
 * Deterministic realistic node log lines, for the benchmark inputs and the healthy-node baseline.
 * Shapes follow the documented formats (journald short ► klog / logrus), not any user's system.
 */

/** xorshift32: deterministic, and its low bits do not repeat the way an LCG's do. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const HOSTS = ['node-a', 'ip-10-0-151-35', 'worker-3', 'gke-pool-1-8f2c'];
const PODS = ['web-7d4b9c-x2x8z', 'api-5f6d7c8b9-qwert', 'redis-0', 'fluent-bit-8kq2m', 'coredns-565d847f94-9xk2p'];
const NS = ['default', 'kube-system', 'payments', 'monitoring'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function hex(rand: () => number, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

function uid(rand: () => number): string {
  const h = hex(rand, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

/** Generates healthy lines; `t` is seconds since the start, advanced by the caller. */
export function healthyLine(rand: () => number, t: number): string {
  const month = MONTHS[2];
  const day = 4 + Math.floor(t / 86400);
  const hh = String(Math.floor(t / 3600) % 24).padStart(2, '0');
  const mm = String(Math.floor(t / 60) % 60).padStart(2, '0');
  const ss = String(Math.floor(t) % 60).padStart(2, '0');
  const us = String(Math.floor(rand() * 1e6)).padStart(6, '0');
  const host = pick(rand, HOSTS);
  const pod = pick(rand, PODS);
  const ns = pick(rand, NS);
  const stamp = `${month} ${String(day).padStart(2, '0')} ${hh}:${mm}:${ss}`;
  const klogTime = `03${String(day).padStart(2, '0')} ${hh}:${mm}:${ss}.${us}`;
  const iso = `2024-03-${String(day).padStart(2, '0')}T${hh}:${mm}:${ss}.${us}123Z`;
  const r = rand();
  if (r < 0.3) {
    const msgs = [
      `I${klogTime}    2301 kubelet.go:2130] "SyncLoop (PLEG): event for pod" pod="${ns}/${pod}" event={"ID":"${uid(rand)}","Type":"ContainerStarted","Data":"${hex(rand, 64)}"}`,
      `I${klogTime}    2301 kuberuntime_manager.go:1010] "Creating container in pod" containerType="container" container="app" pod="${ns}/${pod}"`,
      `I${klogTime}    2301 kubelet_node_status.go:70] "Attempting to register node" node="${host}"`,
      `I${klogTime}    2301 reconciler_common.go:258] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"kube-api-access-${hex(rand, 5)}\\" (UniqueName: \\"kubernetes.io/projected/${uid(rand)}-kube-api-access\\") pod=\\"${pod}\\" (UID: \\"${uid(rand)}\\")" pod="${ns}/${pod}"`,
      `I${klogTime}    2301 prober.go:107] "Probe failed" probeType="Readiness" pod="${ns}/${pod}" podUID="${uid(rand)}" containerName="app" probeResult="failure" output="Get \\"http://10.244.1.${Math.floor(rand() * 250)}:8080/healthz\\": dial tcp 10.244.1.7:8080: connect: connection refused"`,
      `E${klogTime}    2301 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod=${pod}_${ns}(${uid(rand)})\\"" pod="${ns}/${pod}" podUID="${uid(rand)}"`,
      `I${klogTime}    2301 image_gc_manager.go:301] "Disk usage on image filesystem is under the high threshold" usage=${40 + Math.floor(rand() * 30)} highThreshold=85`,
      `W${klogTime}    2301 watcher.go:93] Error while processing event ("/sys/fs/cgroup/devices/kubepods/burstable/pod${uid(rand)}": 0x40000100 == IN_CREATE|IN_ISDIR): inotify_add_watch /sys/fs/cgroup/devices/kubepods/burstable/pod${uid(rand)}: no such file or directory`,
      `I${klogTime}    2301 eviction_manager.go:346] "Eviction manager: able to reduce resource pressure without evicting pods." resourceName="memory"`,
      `I${klogTime}    2301 setters.go:80] "Node became not ready" node="${host}" condition={"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"}`,
    ];
    return `${stamp} ${host} kubelet[2301]: ${pick(rand, msgs)}`;
  }
  if (r < 0.55) {
    const msgs = [
      `time="${iso}" level=info msg="StartContainer for \\"${hex(rand, 64)}\\" returns successfully"`,
      `time="${iso}" level=info msg="PullImage \\"registry.k8s.io/pause:3.9\\" returns image reference \\"sha256:${hex(rand, 64)}\\""`,
      `time="${iso}" level=info msg="shim disconnected" id=${hex(rand, 64)} namespace=k8s.io`,
      `time="${iso}" level=warning msg="cleaning up after shim disconnected" id=${hex(rand, 64)} namespace=k8s.io`,
      `time="${iso}" level=error msg="ContainerStatus for \\"${hex(rand, 64)}\\" failed" error="rpc error: code = NotFound desc = an error occurred when try to find container \\"${hex(rand, 64)}\\": not found"`,
      `time="${iso}" level=info msg="RemoveContainer for \\"${hex(rand, 64)}\\" returns successfully"`,
    ];
    return `${stamp} ${host} containerd[911]: ${pick(rand, msgs)}`;
  }
  if (r < 0.7) {
    const msgs = [
      `Started cri-containerd-${hex(rand, 64)}.scope - libcontainer container ${hex(rand, 64)}.`,
      `var-lib-containerd-tmpmounts-containerd\\x2dmount${Math.floor(rand() * 1e9)}.mount: Deactivated successfully.`,
      `run-containerd-io.containerd.runtime.v2.task-k8s.io-${hex(rand, 64)}-rootfs.mount: Deactivated successfully.`,
      `Created slice kubepods-burstable-pod${uid(rand).replace(/-/g, '_')}.slice - libcontainer container kubepods-burstable-pod${uid(rand).replace(/-/g, '_')}.slice.`,
      `Starting logrotate.service - Rotate log files...`,
      `logrotate.service: Deactivated successfully.`,
    ];
    return `${stamp} ${host} systemd[1]: ${pick(rand, msgs)}`;
  }
  if (r < 0.8) {
    const msgs = [
      `IPv6: ADDRCONF(NETDEV_CHANGE): veth${hex(rand, 8)}: link becomes ready`,
      `cni0: port ${1 + Math.floor(rand() * 30)}(veth${hex(rand, 8)}) entered forwarding state`,
      `EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Quota mode: none.`,
      `overlayfs: upper fs does not support RENAME_WHITEOUT.`,
    ];
    return `${stamp} ${host} kernel: ${pick(rand, msgs)}`;
  }
  if (r < 0.9) {
    return `${stamp} ${host} sshd[${1000 + Math.floor(rand() * 50000)}]: Accepted publickey for ops from 10.0.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)} port ${20000 + Math.floor(rand() * 40000)} ssh2: ED25519 SHA256:${hex(rand, 43)}`;
  }
  const msgs = [
    `level=info ts=${iso} caller=main.go:585 msg="Server is ready to receive web requests."`,
    `[${iso}] [ info] [input:tail:tail.0] inotify_fs_add(): inode=${Math.floor(rand() * 1e7)} watch_fd=${Math.floor(rand() * 900)} name=/var/log/containers/${pod}_${ns}_app-${hex(rand, 64)}.log`,
    `{"level":"info","ts":"${iso}","caller":"etcdserver/server.go:2064","msg":"published local member to cluster through raft","local-member-id":"${hex(rand, 16)}"}`,
    `[${iso}] [error] [output:es:es.0] HTTP status=429 URI=/_bulk, response: {"error":{"type":"es_rejected_execution_exception"}}`,
  ];
  return `${stamp} ${host} ${pick(rand, ['fluent-bit', 'prometheus', 'etcd'])}[${300 + Math.floor(rand() * 500)}]: ${pick(rand, msgs)}`;
}

/** ENOSPC-family lines of several causes, in the shapes upstream code prints them. */
export function problemLine(rand: () => number, t: number): string {
  const host = pick(rand, HOSTS);
  const stamp = `Mar 04 ${String(Math.floor(t / 3600) % 24).padStart(2, '0')}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(Math.floor(t) % 60).padStart(2, '0')}`;
  const msgs = [
    `kubelet[2301]: E0304 10:30:58.280275    2301 raw.go:146] Failed to watch directory "/sys/fs/cgroup/memory/kubepods": inotify_add_watch /sys/fs/cgroup/memory/kubepods/burstable/pod${uid(rand)}: no space left on device`,
    `kubelet[2301]: E0304 10:30:58.280275    2301 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" with CreatePodSandboxError: \\"Failed to create sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply cgroup configuration: mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod${uid(rand)}/${hex(rand, 64)}: no space left on device: unknown\\""`,
    `containerd[911]: time="2024-03-04T11:02:41.873301913Z" level=error msg="PullImage \\"registry.example.com/app:v2\\" failed" error="failed to pull and unpack image: failed to extract layer sha256:${hex(rand, 64)}: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/412/fs/usr/lib/x.so: no space left on device: unknown"`,
  ];
  return `${stamp} ${host} ${pick(rand, msgs)}`;
}
