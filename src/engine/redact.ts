import type { Evidence, Fields } from '../schema.js';

// Not \b: a pod UID follows "pod" with no boundary (`pod926b7ff4-…`) in cgroup paths.
const UUID = /(?<=^|pod|[^0-9a-f])[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}(?![0-9a-f])/gi;
const HEX_ID = /(?<![0-9a-f])[0-9a-f]{32,64}(?![0-9a-f])/gi;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi;
// Compressed IPv6 (`fe80::1`, `2001:db8::42:1`): at least one group on each side of the `::`.
const IPV6_SHORT = /\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4}\b/gi;
const AWS_HOST = /\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*/gi;
// The optional quote is part of group 1 so that the replacement keeps it.
const POD_REF = /\b((?:pod=|pod\/|pods\/)"?)([a-z0-9-]{1,63})\/([a-z0-9.-]{1,253})/gi;
const KLOG_POD = /"([a-z0-9.-]{1,253})_([a-z0-9-]{1,63})\(/gi;
const NAMESPACE_KV = /\b(namespace[=:]\s?"?)([a-z0-9-]{1,63})/gi;
const NS_DIR = /\/var\/log\/pods\/([a-z0-9-]{1,63})_([a-z0-9.-]{1,253})_/gi;
// The same directory anywhere (a copy, a relative path, a file argument): `<ns>_<pod>_<uid>`, by its
// shape, once the UID is masked; and `/var/log/containers/<pod>_<ns>_<container>-<id>.log`.
const POD_DIR = /(?<=^|[/\s"'=])[a-z0-9-]{1,63}_[a-z0-9.-]{1,253}_(?=<uid>(?:[/\s"']|$))/gi;
const CONTAINER_LOG = /(?<=^|[/\s"'=])[a-z0-9.-]{1,253}_[a-z0-9-]{1,63}_([a-z0-9-]{1,63})-(?=<id>\.log\b)/gi;
// Short (12-hex) container ids only after a word that says so: bare 12-hex runs can be anything.
const SHORT_CONTAINER_ID = /\b(container(?:[ _-]?id)?[\s=:"']{1,3})[0-9a-f]{12}(?![0-9a-f])/gi;
// Fully qualified host names (three labels or more, a TLD-like last label). Kubernetes API group
// names (node.kubernetes.io/disk-pressure, x-k8s.io) are diagnostic, not identifying: kept.
const FQDN = /(?<![\w./~-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,8}(?:com|net|org|io|internal|local|lan|corp|cloud|dev)(?![.\w-])/gi;
const KEEP_DOMAIN = /(?:^|\.)(?:kubernetes\.io|k8s\.io|x-k8s\.io)$/i;
// By structure, whatever the TLD (registry.acme.co.uk, build01.acme.de): three or more lowercase
// labels ending in a letters-only one, also as a path component (certs.d/registry.acme.co.uk/). Case-sensitive, so Java classes (java.io.IOException) stay;
// what shares the shape but diagnoses is kept by its first or last label (KEEP_FIRST, KEEP_LAST).
const HOST_SHAPE = /(?<![\w.~:@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,8}[a-z]{2,63}(?![.\w-])/g;
/** Sysctl and cgroup-file roots (`kernel.keys.maxkeys`, `memory.kmem.slabinfo`) and reverse-DNS ids (`io.containerd.grpc.v1.cri`). */
const KEEP_FIRST = new Set([
  'kernel', 'fs', 'vm', 'net', 'user', 'abi', 'debug', 'crypto', 'sunrpc',
  'memory', 'cpu', 'cpuset', 'cpuacct', 'blkio', 'io', 'pids', 'hugetlb', 'rdma', 'misc', 'cgroup', 'devices', 'freezer',
  'com', 'org', 'java', 'javax', 'sun', 'jdk', 'kotlin', 'scala',
]);
/** File names with two dots (`app.tar.gz`, `kubelet.conf.yaml`). */
const KEEP_LAST = new Set([
  'gz', 'xz', 'zst', 'tar', 'tgz', 'zip', 'json', 'yaml', 'yml', 'toml', 'log', 'txt', 'conf', 'cfg', 'ini', 'sock', 'pid', 'lock',
  'db', 'sqlite', 'so', 'img', 'iso', 'sh', 'py', 'js', 'mjs', 'go', 'rs', 'java', 'class', 'jar', 'service', 'socket', 'mount',
  'slice', 'scope', 'timer', 'target', 'swap', 'pem', 'crt', 'key', 'tmp', 'bak', 'old', 'part', 'swp',
]);

function keepHostShaped(m: string): boolean {
  if (KEEP_DOMAIN.test(m)) return true;
  const dot = m.indexOf('.');
  return KEEP_FIRST.has(m.slice(0, dot)) || KEEP_LAST.has(m.slice(m.lastIndexOf('.') + 1));
}

// IPv6 with a leading or trailing `::` (`::1`, `fe80::`, `::ffff:10.0.0.1`), not C++/Rust paths (`std::io`).
const IPV6_MAPPED = /(?<![\w:])::ffff:(?:\d{1,3}\.){3}\d{1,3}\b/gi;
const IPV6_LEADING = /(?<![\w:])::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4}(?![\w:])/gi;
const IPV6_TRAILING = /(?<![\w:])(?:[0-9a-f]{1,4}:){1,7}:(?![\w:])/gi;
// AWS instance ids (i- and 8 or 17 hex digits), in text and in `aws:///zone/i-…` provider ids.
const AWS_INSTANCE = /\bi-(?:[0-9a-f]{17}|[0-9a-f]{8})\b/g;
// `gce://project/zone/instance`: the project and the instance identify; the zone does not.
const GCE_PROVIDER = /\bgce:\/\/[^/\s"']{1,100}\/([a-z0-9-]{1,63})\/[^/\s"',]{1,253}/gi;
// Azure resource ids: the resource group and the machine (or scale set) names.
const AZURE_NAMES = /\b(resourceGroups|virtualMachineScaleSets|virtualMachines)\/[^/\s"',]{1,253}/gi;
// The node, by position: klog `node="…"`, logrus `node=…`, `nodeName:`, `node "…"`, and kubectl
// describe / event texts (`Node worker-1 status is now: …`, `Registered Node worker-1 in Controller`).
const NODE_KV = /\b((?:node|nodeName|node_name|hostname)(?:=\\?"|=|:\s?"?))([^"\s\\,}]{1,253})/gi;
const NODE_QUOTED = /\b(node \\?")([^"\\\s]{1,253})/gi;
const NODE_STATUS = /\b((?:Registered )?Node )([^\s"]{1,253})( (?:status is now|event|in Controller)\b)/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks what identifies a cluster (hosts, IPs, pod UIDs, container ids, namespaces and pod names)
 * while keeping what diagnoses it (syscalls, path shapes, cgroup subsystems, errno text).
 */
export function redactText(text: string, host?: string, known: readonly (readonly [string, string])[] = []): string {
  let out = text;
  if (host !== undefined && host.length >= 3 && host !== 'localhost') {
    // Any case: the host a journal header names also appears in paths and messages in another one.
    out = out.replace(new RegExp(escapeRegExp(host), 'gi'), '<host>');
  }
  // Identifying values the parser already found (namespace, object name), masked wherever they
  // occur as a whole token, e.g. the NAMESPACE column of `kubectl get events`.
  for (const [value, mask] of known) {
    if (value.length < 3) continue;
    out = out.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(value)}(?![\\w-])`, 'g'), mask);
  }
  return out
    .replace(GCE_PROVIDER, 'gce://<project>/$1/<host>')
    .replace(AZURE_NAMES, (_m, kind: string) => `${kind}/${kind === 'resourceGroups' ? '<group>' : '<host>'}`)
    .replace(NODE_STATUS, '$1<host>$3')
    .replace(NODE_KV, (m, lead: string, v: string) => (v.startsWith('<') ? m : `${lead}<host>`))
    .replace(NODE_QUOTED, (m, lead: string, v: string) => (v.startsWith('<') ? m : `${lead}<host>`))
    .replace(AWS_HOST, '<host>')
    .replace(FQDN, (m) => (KEEP_DOMAIN.test(m) ? m : '<host>'))
    .replace(HOST_SHAPE, (m) => (keepHostShaped(m) ? m : '<host>'))
    .replace(AWS_INSTANCE, '<id>')
    .replace(UUID, '<uid>')
    .replace(HEX_ID, '<id>')
    .replace(IPV6_MAPPED, '<ip>')
    .replace(IPV6_SHORT, '<ip>')
    .replace(IPV6, '<ip>')
    .replace(IPV6_LEADING, '<ip>')
    .replace(IPV6_TRAILING, '<ip>')
    .replace(IPV4, '<ip>')
    .replace(POD_REF, '$1<namespace>/<pod>')
    .replace(KLOG_POD, '"<pod>_<namespace>(')
    .replace(NAMESPACE_KV, '$1<namespace>')
    .replace(NS_DIR, '/var/log/pods/<namespace>_<pod>_')
    .replace(POD_DIR, '<namespace>_<pod>_')
    .replace(CONTAINER_LOG, '<pod>_<namespace>_$1-')
    .replace(SHORT_CONTAINER_ID, '$1<id>');
}

/** Fields whose whole value identifies the cluster. */
const IDENTIFYING: Record<string, string> = { host: '<host>', node: '<host>', hostname: '<host>', namespace: '<namespace>', pod: '<pod>', uid: '<uid>' };

/** Redacts one piece of evidence: its raw text and every string field except the format. */
export function redactEvidence(ev: Evidence): Evidence {
  const host = typeof ev.fields.host === 'string' ? ev.fields.host : undefined;
  const known: [string, string][] = [];
  for (const [k, mask] of Object.entries(IDENTIFYING)) {
    const v = ev.fields[k];
    if (typeof v === 'string' && k !== 'host') known.push([v, mask]);
  }
  // `object` is `Kind/name`: the kind is diagnostic (Node, Pod), the name is not.
  const object = typeof ev.fields.object === 'string' ? ev.fields.object : undefined;
  const slash = object?.indexOf('/') ?? -1;
  if (object !== undefined) known.push([slash >= 0 ? object.slice(slash + 1) : object, '<name>']);
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(ev.fields)) {
    if (typeof v === 'number' || k === 'format') fields[k] = v as string | number;
    else if (typeof v !== 'string') continue;
    else if (Object.hasOwn(IDENTIFYING, k)) fields[k] = IDENTIFYING[k]!;
    else if (k === 'object' && slash >= 0) fields[k] = `${v.slice(0, slash)}/<name>`;
    else if (k === 'object') fields[k] = '<name>';
    else fields[k] = redactText(v, host, known);
  }
  return { ...ev, raw: redactText(ev.raw, host, known), fields: fields as Fields };
}
