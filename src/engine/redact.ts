import type { Evidence, Fields } from '../schema.js';

// Not \b: a pod UID follows "pod" with no boundary (`pod926b7ff4-…`) in cgroup paths.
const UUID = /(?<=^|pod|[^0-9a-f])[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}(?![0-9a-f])/gi;
const HEX_ID = /(?<![0-9a-f])[0-9a-f]{32,64}(?![0-9a-f])/gi;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi;
const AWS_HOST = /\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*/gi;
const POD_REF = /\b(pod=|pod\/|pods\/)"?([a-z0-9-]{1,63})\/([a-z0-9.-]{1,253})/gi;
const KLOG_POD = /"([a-z0-9.-]{1,253})_([a-z0-9-]{1,63})\(/gi;
const NAMESPACE_KV = /\b(namespace[=:]\s?"?)([a-z0-9-]{1,63})/gi;
const NS_DIR = /\/var\/log\/pods\/([a-z0-9-]{1,63})_([a-z0-9.-]{1,253})_/gi;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks what identifies a cluster (hosts, IPs, pod UIDs, container ids, namespaces and pod names)
 * while keeping what diagnoses it (syscalls, path shapes, cgroup subsystems, errno text).
 */
export function redactText(text: string, host?: string): string {
  let out = text;
  if (host !== undefined && host.length >= 3 && host !== 'localhost') {
    out = out.replace(new RegExp(escapeRegExp(host), 'g'), '<host>');
  }
  return out
    .replace(AWS_HOST, '<host>')
    .replace(UUID, '<uid>')
    .replace(HEX_ID, '<id>')
    .replace(IPV6, '<ip>')
    .replace(IPV4, '<ip>')
    .replace(POD_REF, '$1<namespace>/<pod>')
    .replace(KLOG_POD, '"<pod>_<namespace>(')
    .replace(NAMESPACE_KV, '$1<namespace>')
    .replace(NS_DIR, '/var/log/pods/<namespace>_<pod>_');
}

/** Redacts one piece of evidence: its raw text and every string field except the format. */
export function redactEvidence(ev: Evidence): Evidence {
  const host = typeof ev.fields.host === 'string' ? ev.fields.host : undefined;
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(ev.fields)) {
    if (k === 'host') fields[k] = '<host>';
    else if (typeof v === 'number' || k === 'format') fields[k] = v as string | number;
    else if (typeof v === 'string') fields[k] = redactText(v, host);

  }
  return { ...ev, raw: redactText(ev.raw, host), fields: fields as Fields };
}
