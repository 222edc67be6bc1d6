/**
 * A busy node's journal, deterministic from a seed, in journalctl's short format: kubelet (klog,
 * with its cAdvisor, prober, reflector and volume lines), containerd (logrus), calico IPAM, systemd
 * and kernel lines, written from the message shapes those programs document and print.
 *
 * Why it exists: about a tenth of a real node's healthy lines carry words that sit next to ENOSPC
 * vocabulary (a probe's `context deadline exceeded`, containerd's `CreateContainer within sandbox`,
 * systemd's `memory peak`, reflector `watch` lines, `Quota mode`, `disk`, `inode`, `namespace`), so a
 * prefilter keyed on common words passes them all on to the rules. The bench's original log has
 * none of those shapes and could not see that cost. One ENOSPC-family line per `problemEvery` lines
 * on average keeps the log sparse.
 */
import { problemLine, prng } from './lines.js';

const HOSTS = ['ip-10-0-151-35.ec2.internal', 'gke-prod-pool-2-6b1f0c3e-x7kq', 'aks-nodepool1-31718369-vmss000004', 'worker-7'];
const NAMESPACES = ['default', 'kube-system', 'payments', 'monitoring', 'ingress-nginx', 'logging'];
const PODS = [
  'checkout-6b9f5d7c84-lq2mz',
  'cart-5d4c8f7b6-9tx4w',
  'ingress-nginx-controller-7d9c6b5f4-h2k8p',
  'prometheus-node-exporter-8xv2n',
  'fluent-bit-j4m7q',
  'coredns-5dd5756b68-pw6tr',
  'calico-node-rz5kd',
  'redis-master-0',
  'postgres-1',
  'orders-worker-78c6d9f5b-vc3nk',
];
const CONTAINERS = ['app', 'istio-proxy', 'controller', 'node-exporter', 'fluent-bit', 'coredns', 'calico-node', 'redis', 'postgres', 'worker'];
const KINDS = ['*v1.Pod', '*v1.Node', '*v1.Service', '*v1.ConfigMap', '*v1.Secret', '*v1.RuntimeClass', '*v1.CSIDriver'];
const UNITS = ['kubelet.service', 'containerd.service', 'logrotate.service', 'systemd-tmpfiles-clean.service', 'apt-daily.service', 'sysstat-collect.service'];

type Rand = () => number;

function pick<T>(rand: Rand, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

function int(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function hex(rand: Rand, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

function uid(rand: Rand): string {
  const h = hex(rand, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Clock fields for second `t` of the log (the log starts 4 March 2024 at midnight). */
function clock(t: number, rand: Rand): { stamp: string; klog: string; iso: string; calico: string } {
  const day = two(4 + Math.floor(t / 86400));
  const hh = two(Math.floor(t / 3600) % 24);
  const mm = two(Math.floor(t / 60) % 60);
  const ss = two(Math.floor(t) % 60);
  const us = String(Math.floor(rand() * 1e6)).padStart(6, '0');
  return {
    stamp: `Mar ${day} ${hh}:${mm}:${ss}`,
    klog: `03${day} ${hh}:${mm}:${ss}.${us}`,
    iso: `2024-03-${day}T${hh}:${mm}:${ss}.${us}${int(rand, 100, 999)}Z`,
    calico: `2024-03-${day} ${hh}:${mm}:${ss}.${us.slice(0, 3)}`,
  };
}

function podRef(rand: Rand): { pod: string; ns: string; container: string } {
  const i = Math.floor(rand() * PODS.length);
  return { pod: PODS[i] as string, ns: pick(rand, NAMESPACES), container: CONTAINERS[i] as string };
}

function size(rand: Rand): string {
  const v = rand() * 900 + 1;
  return rand() < 0.5 ? `${v.toFixed(1)}M` : `${(v / 100).toFixed(1)}G`;
}

/** kubelet (klog `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`), split into near-miss and plain shapes. */
function kubelet(rand: Rand, k: string, host: string, nearMiss: boolean): string {
  const { pod, ns, container } = podRef(rand);
  const head = (level: string, file: string): string => `${level}${k}    2187 ${file}]`;
  if (nearMiss) {
    switch (int(rand, 0, 6)) {
      case 0:
      case 1:
        return `${head('I', 'prober.go:107')} "Probe failed" probeType="${pick(rand, ['Readiness', 'Liveness'])}" pod="${ns}/${pod}" podUID="${uid(rand)}" containerName="${container}" probeResult="failure" output="Get \\"http://10.${int(rand, 0, 255)}.${int(rand, 0, 255)}.${int(rand, 2, 254)}:${pick(rand, [8080, 9090, 8443, 10254])}/healthz\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"`;
      case 2:
        return `${head('W', 'reflector.go:462')} k8s.io/client-go/informers/factory.go:159: watch of ${pick(rand, KINDS)} ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`;
      case 3:
        return `${head('E', 'cadvisor_stats_provider.go:501')} "Partial failure issuing cadvisor.ContainerInfoV2" err="partial failures: [\\"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid(rand).replace(/-/g, '_')}.slice/cri-containerd-${hex(rand, 64)}.scope\\": RecentStats: unable to find data in memory cache]"`;
      case 4:
        return `${head('I', 'kubelet_node_status.go:724')} "Recording event message for node" node="${host}" event="NodeHasSufficientMemory"`;
      case 5:
        return `${head('I', 'kubelet_node_status.go:724')} "Recording event message for node" node="${host}" event="NodeHasNoDiskPressure"`;
      default:
        return `${head('I', 'manager.go:217')} Machine: {Timestamp:2024-03-04 00:00:${two(int(rand, 0, 59))}.${int(rand, 100000, 999999)} +0000 UTC NumCores:8 NumPhysicalCores:4 NumSockets:1 CpuFrequency:2999998 MemoryCapacity:33280229376 SwapCapacity:0 MemoryByType:map[] NVMInfo:{MemoryModeCapacity:0 AppDirectModeCapacity:0 AvgPowerBudget:0} HugePages:[{PageSize:1048576 NumPages:0} {PageSize:2048 NumPages:0}] MachineID:${hex(rand, 32)} SystemUUID:${uid(rand)} BootID:${uid(rand)} Filesystems:[{Device:/dev/nvme0n1p1 DeviceMajor:259 DeviceMinor:1 Capacity:107361579008 Type:vfs Inodes:52428800 HasInodes:true}]}`;
    }
  }
  switch (int(rand, 0, 6)) {
    case 0:
      return `${head('I', 'kubelet.go:2455')} "SyncLoop (PLEG): event for pod" pod="${ns}/${pod}" event={"ID":"${uid(rand)}","Type":"ContainerStarted","Data":"${hex(rand, 64)}"}`;
    case 1:
      return `${head('I', 'kubelet.go:2415')} "SyncLoop UPDATE" source="api" pods=["${ns}/${pod}"]`;
    case 2:
      return `${head('I', 'operation_generator.go:721')} "MountVolume.SetUp succeeded for volume \\"kube-api-access-${hex(rand, 5)}\\" (UniqueName: \\"kubernetes.io/projected/${uid(rand)}-kube-api-access-${hex(rand, 5)}\\") pod \\"${pod}\\" (UID: \\"${uid(rand)}\\") " pod="${ns}/${pod}"`;
    case 3:
      return `${head('I', 'kuberuntime_container.go:770')} "Killing container with a grace period" pod="${ns}/${pod}" podUID="${uid(rand)}" containerName="${container}" containerID="containerd://${hex(rand, 64)}" gracePeriod=30`;
    case 4:
      return `${head('I', 'pod_startup_latency_tracker.go:102')} "Observed pod startup duration" pod="${ns}/${pod}" podStartSLOduration=${(rand() * 20).toFixed(9)} podStartE2EDuration="${(rand() * 30).toFixed(9)}s"`;
    case 5:
      return `${head('E', 'pod_workers.go:1298')} "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${container}\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=${container} pod=${pod}_${ns}(${uid(rand)})\\"" pod="${ns}/${pod}" podUID="${uid(rand)}"`;
    default:
      return `${head('I', 'scope.go:117')} "RemoveContainer" containerID="${hex(rand, 64)}"`;
  }
}

/** containerd (logrus `time= level= msg=`). */
function containerd(rand: Rand, iso: string, nearMiss: boolean): string {
  const { pod, ns, container } = podRef(rand);
  const t = `time="${iso}"`;
  if (nearMiss) {
    switch (int(rand, 0, 3)) {
      case 0:
      case 1:
        return `${t} level=info msg="CreateContainer within sandbox \\"${hex(rand, 64)}\\" for container &ContainerMetadata{Name:${container},Attempt:${int(rand, 0, 3)},} returns container id \\"${hex(rand, 64)}\\""`;
      case 2:
        return `${t} level=info msg="CreateContainer within sandbox \\"${hex(rand, 64)}\\" for &ContainerMetadata{Name:${container},Attempt:0,}"`;
      default:
        return `${t} level=info msg="shim disconnected" id=${hex(rand, 64)} namespace=k8s.io`;
    }
  }
  switch (int(rand, 0, 4)) {
    case 0:
      return `${t} level=info msg="StartContainer for \\"${hex(rand, 64)}\\" returns successfully"`;
    case 1:
      return `${t} level=info msg="RunPodSandbox for &PodSandboxMetadata{Name:${pod},Uid:${uid(rand)},Namespace:${ns},Attempt:0,} returns sandbox id \\"${hex(rand, 64)}\\""`;
    case 2:
      return `${t} level=info msg="ImageCreate event name:\\"registry.k8s.io/pause:3.9\\" labels:{key:\\"io.cri-containerd.image\\" value:\\"managed\\"}"`;
    case 3:
      return `${t} level=info msg="StopContainer for \\"${hex(rand, 64)}\\" with timeout 30 (s)"`;
    default:
      return `${t} level=info msg="Stop container \\"${hex(rand, 64)}\\" with signal terminated"`;
  }
}

/** calico's IPAM plugin (`date time [LEVEL][pid] file line: msg` with key=value context). */
function calico(rand: Rand, c: string, host: string, nearMiss: boolean): string {
  const pid = int(rand, 10000, 99999);
  const handle = `k8s-pod-network.${hex(rand, 64)}`;
  const ip = `10.244.${int(rand, 0, 63)}.${int(rand, 2, 254)}`;
  if (nearMiss) {
    return `${c} [WARNING][${pid}] ipam/ipam_plugin.go 433: Asked to release address but it doesn't exist. Ignoring ContainerID="${hex(rand, 64)}" HandleID="${handle}" Workload="${host}-k8s-${pick(rand, PODS)}-eth0"`;
  }
  switch (int(rand, 0, 2)) {
    case 0:
      return `${c} [INFO][${pid}] ipam/ipam.go 1216: Successfully claimed IPs: [${ip}/26] block=10.244.${int(rand, 0, 63)}.0/26 handle="${handle}" host="${host}"`;
    case 1:
      return `${c} [INFO][${pid}] ipam/ipam.go 372: Looking up existing affinities for host handle="${handle}" host="${host}"`;
    default:
      return `${c} [INFO][${pid}] ipam/ipam_plugin.go 283: Calico CNI IPAM assigned addresses IPv4=[${ip}/26] IPv6=[] ContainerID="${hex(rand, 64)}" HandleID="${handle}"`;
  }
}

/** systemd (PID 1 unit messages; since v252 a stopped unit reports `Consumed ... CPU time`, since v256 with `memory peak`). */
function systemd(rand: Rand, nearMiss: boolean): string {
  const scope = `cri-containerd-${hex(rand, 64)}.scope`;
  if (nearMiss) {
    switch (int(rand, 0, 2)) {
      case 0:
        return `${scope}: Consumed ${(rand() * 90).toFixed(3)}s CPU time, ${size(rand)} memory peak, 0B memory swap peak.`;
      case 1:
        return `${pick(rand, UNITS)}: Consumed ${(rand() * 9).toFixed(3)}s CPU time, ${size(rand)} memory peak, 0B memory swap peak.`;
      default:
        return `Starting systemd-fsck@dev-disk-by\\x2duuid-${uid(rand).replace(/-/g, '\\x2d')}.service - File System Check on /dev/disk/by-uuid/${uid(rand)}...`;
    }
  }
  switch (int(rand, 0, 3)) {
    case 0:
      return `Started ${scope} - libcontainer container ${hex(rand, 64)}.`;
    case 1:
      return `${scope}: Deactivated successfully.`;
    case 2:
      return `run-containerd-io.containerd.runtime.v2.task-k8s.io-${hex(rand, 64)}-rootfs.mount: Deactivated successfully.`;
    default:
      return `Created slice kubepods-burstable-pod${uid(rand).replace(/-/g, '_')}.slice - libcontainer container kubepods-burstable-pod${uid(rand).replace(/-/g, '_')}.slice.`;
  }
}

/** kernel (printk text as the drivers and filesystems print it). */
function kernel(rand: Rand, nearMiss: boolean): string {
  const veth = `cali${hex(rand, 11)}`;
  if (nearMiss) {
    switch (int(rand, 0, 3)) {
      case 0:
        return `EXT4-fs (nvme1n1): mounted filesystem ${uid(rand)} r/w with ordered data mode. Quota mode: none.`;
      case 1:
        return `device-mapper: thin: Data device (dm-${int(rand, 0, 9)}) discard unsupported: Disabling discard passdown.`;
      case 2:
        return `sd 0:0:${int(rand, 0, 3)}:0: [sd${pick(rand, ['b', 'c', 'd'])}] Attached SCSI disk`;
      default:
        return `xfs filesystem being mounted at /var/lib/kubelet/pods/${uid(rand)}/volumes/kubernetes.io~csi/pvc-${uid(rand)}/mount supports timestamps until 2038-01-19 (0x7fffffff)`;
    }
  }
  switch (int(rand, 0, 3)) {
    case 0:
      return `IPv6: ADDRCONF(NETDEV_CHANGE): ${veth}: link becomes ready`;
    case 1:
      return `${veth}: entered promiscuous mode`;
    case 2:
      return `eth0: renamed from tmp${hex(rand, 5)}`;
    default:
      return `nf_conntrack: default automatic helper assignment has been turned off for security reasons and CT-based firewall rule not found. Use the iptables CT target to attach helpers instead.`;
  }
}

/** Of every healthy line, the share that carries an ENOSPC-adjacent word (about a tenth, as on a busy node). */
export const NEAR_MISS_SHARE = 0.1;

/** One healthy line of second `t`; `nearMiss` lines carry an ENOSPC-adjacent word in a healthy context. */
export function nearMissHealthyLine(rand: Rand, t: number): string {
  const c = clock(t, rand);
  const host = pick(rand, HOSTS);
  const nearMiss = rand() < NEAR_MISS_SHARE;
  const r = rand();
  if (r < 0.42) return `${c.stamp} ${host} kubelet[2187]: ${kubelet(rand, c.klog, host, nearMiss)}`;
  if (r < 0.7) return `${c.stamp} ${host} containerd[1042]: ${containerd(rand, c.iso, nearMiss)}`;
  if (r < 0.8) return `${c.stamp} ${host} calico-ipam[${int(rand, 20000, 60000)}]: ${calico(rand, c.calico, host, nearMiss)}`;
  if (r < 0.93) return `${c.stamp} ${host} systemd[1]: ${systemd(rand, nearMiss)}`;
  return `${c.stamp} ${host} kernel: ${kernel(rand, nearMiss)}`;
}

/** One line of the near-miss journal: an ENOSPC-family line with probability 1/`problemEvery`. */
export function nearMissLine(rand: Rand, t: number, problemEvery: number): { line: string; problem: boolean } {
  const problem = problemEvery <= 1 || rand() < 1 / problemEvery;
  return { line: problem ? problemLine(rand, t) : nearMissHealthyLine(rand, t), problem };
}

/**
 * `count` lines of the near-miss journal from `seed` (the same seed gives the same lines).
 *
 * @param count - How many lines.
 * @param seed - The generator's seed.
 * @param problemEvery - One ENOSPC-family line per this many lines on average (default 10,000; 0 = none).
 */
export function nearMissLines(count: number, seed: number, problemEvery = 10_000): string[] {
  const rand = prng(seed);
  const out: string[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += rand() * 0.05;
    if (problemEvery === 0) out.push(nearMissHealthyLine(rand, t));
    else out.push(nearMissLine(rand, t, problemEvery).line);
  }
  return out;
}
