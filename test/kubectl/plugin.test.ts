/**
 * `kubectl enospc` (dist/kubectl-enospc.cjs; `npm run build` first) driven through the real
 * `kubectl`: a kubeconfig points kubectl at a stand-in API server on 127.0.0.1
 * (test/support/fake-apiserver.ts) that answers with API objects in the real shapes. Checks the
 * commands the plugin ran, the requests kubectl made (all GET), and the report. Skips when kubectl
 * is missing (.ci/run installs Debian's kubernetes-client).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeApiServer, matchesFieldSelector, type Cluster } from '../support/fake-apiserver.js';
import { ROOT } from '../support/rules.js';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const HAVE_KUBECTL = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;
const PLUGIN = join(ROOT, 'dist', 'kubectl-enospc.cjs');

const now = Date.now();
const ago = (min: number): string => new Date(now - min * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const POD_UID = '0f5a3c2e-8d1b-4e6f-9a7c-2b4d6e8f0a1c';
const SANDBOX_ENOSPC = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply cgroup configuration: mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod${POD_UID}: no space left on device: unknown`;

function node(name: string, diskPressure: boolean): Record<string, unknown> {
  const cond = (type: string, st: string, reason: string, message: string): Record<string, unknown> => ({
    type,
    status: st,
    lastHeartbeatTime: ago(1),
    lastTransitionTime: ago(3000),
    reason,
    message,
  });
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '48100', creationTimestamp: ago(40000), labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
    spec: { podCIDR: '10.244.1.0/24' },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '101430960Ki', memory: '16393752Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '93478772582', memory: '16291352Ki', pods: '110' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        diskPressure ? cond('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure') : cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.1.17' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: { kubeletVersion: 'v1.30.4', containerRuntimeVersion: 'containerd://1.7.20', kernelVersion: '5.15.0-1064-aws', osImage: 'Ubuntu 22.04.4 LTS', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

function pod(ns: string, name: string, nodeName: string, phase: string): Record<string, unknown> {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: ns, uid: name === 'web-1' ? POD_UID : `uid-${name}`, creationTimestamp: ago(200) },
    spec: { nodeName, containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] },
    status: { phase },
  };
}

let evSeq = 0;
function event(o: { ns: string; kind: string; name: string; reason: string; type: string; message: string; host: string; count?: number; firstMin: number; lastMin: number }): Record<string, unknown> {
  evSeq++;
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: `${o.name}.17e0${evSeq}a2b3c4d5e6f`, namespace: o.ns, uid: `ev-${evSeq}`, resourceVersion: String(48000 + evSeq), creationTimestamp: ago(o.firstMin) },
    involvedObject: { kind: o.kind, namespace: o.kind === 'Node' ? '' : o.ns, name: o.name, uid: o.kind === 'Node' ? o.name : `uid-${o.name}`, apiVersion: 'v1' },
    reason: o.reason,
    message: o.message,
    source: { component: 'kubelet', host: o.host },
    firstTimestamp: ago(o.firstMin),
    lastTimestamp: ago(o.lastMin),
    count: o.count ?? 1,
    type: o.type,
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: o.host,
  };
}

const KUBELET_JOURNAL = `Dec 04 03:55:01 node-a kubelet[1234]: E1204 03:55:01.123456    1234 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"web-1_default(${POD_UID})\\" with CreatePodSandboxError: \\"Failed to create sandbox for pod \\\\\\"web-1_default(${POD_UID})\\\\\\": rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply cgroup configuration: mkdir /sys/fs/cgroup/memory/kubepods/burstable/pod${POD_UID}: no space left on device: unknown\\"" pod="default/web-1" podUID="${POD_UID}"
Dec 04 03:55:02 node-a kubelet[1234]: I1204 03:55:02.000001    1234 kubelet.go:2400] "SyncLoop (PLEG): event for pod" pod="kube-system/fluentd-x"
`;

const cluster: Cluster = {
  nodes: [node('node-a', false), node('node-b', true), node('node-c', false)],
  pods: [pod('default', 'web-1', 'node-a', 'Pending'), pod('kube-system', 'fluentd-x', 'node-a', 'Running'), pod('default', 'api-1', 'node-b', 'Running')],
  events: [
    event({ ns: 'default', kind: 'Node', name: 'node-a', reason: 'Starting', type: 'Normal', message: 'Starting kubelet.', host: 'node-a', firstMin: 300, lastMin: 300 }),
    event({ ns: 'default', kind: 'Pod', name: 'web-1', reason: 'FailedCreatePodSandBox', type: 'Warning', message: SANDBOX_ENOSPC, host: 'node-a', count: 14, firstMin: 120, lastMin: 5 }),
    event({ ns: 'kube-system', kind: 'Pod', name: 'fluentd-x', reason: 'Pulled', type: 'Normal', message: 'Container image "fluent/fluentd:v1.16" already present on machine', host: 'node-a', firstMin: 180, lastMin: 180 }),
    event({ ns: 'default', kind: 'Pod', name: 'api-1', reason: 'Failed', type: 'Warning', message: 'Error: failed to create fsnotify watcher: too many open files', host: 'node-b', firstMin: 20, lastMin: 2 }),
    event({ ns: 'default', kind: 'Node', name: 'node-b', reason: 'EvictionThresholdMet', type: 'Warning', message: 'Attempting to reclaim ephemeral-storage', host: 'node-b', firstMin: 30, lastMin: 3 }),
    event({ ns: 'default', kind: 'Node', name: 'node-b', reason: 'NodeHasDiskPressure', type: 'Normal', message: 'Node node-b status is now: NodeHasDiskPressure', host: 'node-b', firstMin: 30, lastMin: 30 }),
  ],
  kubeletLogs: { 'node-a': KUBELET_JOURNAL },
};

let dir = '';
let kubeconfig = '';
let server: FakeApiServer;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without blocking this process (the API server answers from its event loop). */
function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 99, stdout, stderr });
    });
  });
}

const plugin = (...args: string[]): Promise<Run> => run(process.execPath, [PLUGIN, ...args]);
const sinceMark = (): number => server.requests.length;
const requestsSince = (mark: number): string[] =>
  server.requests.slice(mark).map((r) => `${r.method} ${r.path}${r.query.fieldSelector !== undefined ? ` fieldSelector=${r.query.fieldSelector}` : ''}${r.query.query !== undefined ? ` query=${r.query.query}` : ''}`);

describe('fake API server field selectors', () => {
  it('applies = and != as the API server does', () => {
    const p = pod('default', 'web-1', 'node-a', 'Pending');
    expect(matchesFieldSelector(p, 'spec.nodeName=node-a,status.phase!=Failed')).toBe(true);
    expect(matchesFieldSelector(p, 'spec.nodeName=node-b')).toBe(false);
  });
});

describe.skipIf(!HAVE_KUBECTL || !existsSync(PLUGIN))(`kubectl enospc with the real kubectl (${KUBECTL})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'enospc-kubectl-'));
    server = new FakeApiServer(cluster);
    await server.start();
    kubeconfig = server.writeKubeconfig(dir);
  });
  afterAll(async () => {
    await server.stop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('node NAME --json: runs only reads (these six commands) and finds the cgroup leak', async () => {
    const mark = sinceMark();
    const r = await plugin('node', 'node-a', '--kubeconfig', kubeconfig, '--context', 'fake', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { commands: string[]; read: Record<string, unknown>; diagnosis: { cause: string; evidence: { raw: string }[] } };
    const g = `--kubeconfig=${kubeconfig} --context=fake`;
    expect([...out.commands].sort()).toEqual(
      [
        `${KUBECTL} ${g} get events -A --field-selector involvedObject.kind=Node,involvedObject.name=node-a -o json`,
        `${KUBECTL} ${g} describe node node-a`,
        `${KUBECTL} ${g} get pods -A --field-selector spec.nodeName=node-a -o json`,
        `${KUBECTL} ${g} get --raw '/api/v1/nodes/node-a/proxy/logs/?query=kubelet'`,
        `${KUBECTL} ${g} get events -n default --field-selector involvedObject.kind=Pod -o json`,
        `${KUBECTL} ${g} get events -n kube-system --field-selector involvedObject.kind=Pod -o json`,
      ].sort(),
    );
    console.log(`kubectl enospc node node-a ran:\n  ${out.commands.join('\n  ')}`);
    expect(out.read).toEqual({ nodeEvents: 1, describeLines: expect.any(Number), pods: 2, podEvents: 2, kubeletJournalLines: 2 });
    expect(out.diagnosis.cause).toBe('cgroup-leak');
    // The other node's pod event (api-1) is not this node's.
    expect(JSON.stringify(out.diagnosis)).not.toContain('api-1');
    const reqs = requestsSince(mark);
    expect(server.requests.slice(mark).every((q) => q.method === 'GET')).toBe(true);
    expect(reqs).toEqual(
      expect.arrayContaining([
        'GET /api/v1/events fieldSelector=involvedObject.kind=Node,involvedObject.name=node-a',
        'GET /api/v1/nodes/node-a',
        'GET /api/v1/pods fieldSelector=spec.nodeName=node-a',
        'GET /api/v1/namespaces/default/events fieldSelector=involvedObject.kind=Pod',
        'GET /api/v1/namespaces/kube-system/events fieldSelector=involvedObject.kind=Pod',
        'GET /api/v1/nodes/node-a/proxy/logs/ query=kubelet',
      ]),
    );
  }, 90_000);

  it('node NAME: the report names the sections the evidence came from', async () => {
    const r = await plugin('node', 'node-a', '--kubeconfig', kubeconfig, '--context', 'fake');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Node node-a: 1 node events, describe \(\d+ lines\), 2 events of 2 pods, 2 kubelet journal lines\./);
    expect(r.stdout).toMatch(/Cause: .*\(cgroup-leak\), confidence \d+%/);
    expect(r.stdout).toMatch(/^ {2}pod-events:3 {2}\[.*FailedCreatePodSandBox Pod\/web-1/m); // line 1 the header, 2 fluentd's older event
    expect(r.stdout).toMatch(/kubelet-journal:1 {2}\[/);
    expect(r.stdout).toContain('FailedCreatePodSandBox');
    expect(r.stdout).toContain('Confirm:');
  }, 90_000);

  it('--since: drops older events and asks the journal from then on (sinceTime)', async () => {
    const mark = sinceMark();
    const r = await plugin('node', 'node-a', '--kubeconfig', kubeconfig, '--context', 'fake', '--since', '1h', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { read: { nodeEvents: number; podEvents: number } };
    expect(out.read.nodeEvents).toBe(0); // 'Starting kubelet.' was 5 h ago
    expect(out.read.podEvents).toBe(1); // web-1's sandbox failure was last seen 5 min ago; fluentd's Pulled 3 h ago
    const logs = server.requests.slice(mark).find((q) => q.path.endsWith('/proxy/logs/'));
    expect(logs?.query.query).toBe('kubelet');
    const since = Date.parse(logs?.query.sinceTime ?? '');
    expect(Math.abs(since - (now - 3600_000))).toBeLessThan(10 * 60_000);
  }, 90_000);

  it('node without the log query endpoint: says the journal was not read, and still answers', async () => {
    const r = await plugin('node', 'node-b', '--kubeconfig', kubeconfig, '--context', 'fake');
    expect(r.stdout).toMatch(/kubelet journal not read \(.+\)/);
    expect(r.stdout).toContain('(disk-full)');
    expect(r.code).toBe(0);
  }, 90_000);

  it('nodes: ranks the nodes with DiskPressure or ENOSPC-family events, best evidence first', async () => {
    const mark = sinceMark();
    const r = await plugin('nodes', '--kubeconfig', kubeconfig, '--context', 'fake', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { nodes: { node: string; diskPressure: boolean; cause: string | null }[]; checked: number };
    expect(out.checked).toBe(3);
    expect(out.nodes.map((n) => [n.node, n.diskPressure, n.cause])).toEqual([
      ['node-b', true, 'disk-full'],
      ['node-a', false, 'cgroup-leak'],
    ]);
    expect(requestsSince(mark)).toEqual(expect.arrayContaining(['GET /api/v1/nodes', 'GET /api/v1/events']));
    const text = await plugin('nodes', '--kubeconfig', kubeconfig, '--context', 'fake');
    console.log(`kubectl enospc nodes:\n${text.stdout}`);
    expect(text.stdout.split('\n')[0]).toMatch(/^NODE\s+DISKPRESSURE\s+CAUSE\s+CONFIDENCE\s+MATCHED EVENTS$/);
    expect(text.stdout).toMatch(/^node-a\s+False\s+cgroup-leak\s+\d+%/m);
    expect(text.stdout).not.toMatch(/^node-c/m);
  }, 90_000);

  it('--context is passed to kubectl: the kubeconfig current context points nowhere', async () => {
    const r = await plugin('node', 'node-a', '--kubeconfig', kubeconfig, '--no-logs');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubectl-enospc: kubectl: /);
  }, 90_000);

  it('as a kubectl plugin: `kubectl enospc` finds kubectl-enospc on PATH', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    // As npm installs a bin: a symlink to the package's file.
    symlinkSync(PLUGIN, join(bin, 'kubectl-enospc'));
    const r = await run(KUBECTL, ['enospc', 'nodes', '--kubeconfig', kubeconfig, '--context', 'fake'], {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^node-a\s+False\s+cgroup-leak/m);
  }, 90_000);

  it('never writes: every request the API server saw was a GET', () => {
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('usage errors exit 2', async () => {
    expect((await plugin('node')).code).toBe(2);
    expect((await plugin('pods')).code).toBe(2);
    expect((await plugin('node', 'x', '--since', 'yesterday')).code).toBe(2);
  });
});

// The reason is reported only when the tests above did not run.
if (!HAVE_KUBECTL) it.skip(`kubectl plugin tests skipped: no kubectl (${KUBECTL}) on PATH (apt-get install kubernetes-client)`, () => {});
else if (!existsSync(PLUGIN)) it.skip(`kubectl plugin tests skipped: ${PLUGIN} is not built (npm run build)`, () => {});
