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
// Short (12-hex) container ids only after a word that says so: bare 12-hex runs can be anything.
const SHORT_CONTAINER_ID = /\b(container(?:[ _-]?id)?[\s=:"']{1,3})[0-9a-f]{12}(?![0-9a-f])/gi;
// Fully qualified host names (three labels or more, a TLD-like last label). Kubernetes API group
// names (node.kubernetes.io/disk-pressure, x-k8s.io) are diagnostic, not identifying: kept.
const FQDN = /(?<![\w./~-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,8}(?:com|net|org|io|internal|local|lan|corp|cloud|dev)\b(?![.\w-])/gi;
const KEEP_DOMAIN = /(?:^|\.)(?:kubernetes\.io|k8s\.io|x-k8s\.io)$/i;

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
    out = out.replace(new RegExp(escapeRegExp(host), 'g'), '<host>');
  }
  // Identifying values the parser already found (namespace, object name), masked wherever they
  // occur as a whole token, e.g. the NAMESPACE column of `kubectl get events`.
  for (const [value, mask] of known) {
    if (value.length < 3) continue;
    out = out.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(value)}(?![\\w-])`, 'g'), mask);
  }
  return out
    .replace(AWS_HOST, '<host>')
    .replace(FQDN, (m) => (KEEP_DOMAIN.test(m) ? m : '<host>'))
    .replace(UUID, '<uid>')
    .replace(HEX_ID, '<id>')
    .replace(IPV6_SHORT, '<ip>')
    .replace(IPV6, '<ip>')
    .replace(IPV4, '<ip>')
    .replace(POD_REF, '$1<namespace>/<pod>')
    .replace(KLOG_POD, '"<pod>_<namespace>(')
    .replace(NAMESPACE_KV, '$1<namespace>')
    .replace(NS_DIR, '/var/log/pods/<namespace>_<pod>_')
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
