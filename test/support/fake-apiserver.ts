/**
 * A small stand-in for the Kubernetes API server, on 127.0.0.1, for driving the real `kubectl`:
 * discovery (/api, /apis, /api/v1, /version), nodes, pods and events (lists with field selectors
 * applied as the API server applies them: `a.b=c`, `a.b!=c`, comma = and), single nodes, and the
 * node log query endpoint (`/api/v1/nodes/NAME/proxy/logs/?query=...`, text/plain). The objects are
 * in the shapes the API server returns. Every request is recorded; anything but GET is refused.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

export interface Cluster {
  nodes: Obj[];
  pods: Obj[];
  events: Obj[];
  /** Node name → kubelet journal text served by the log query endpoint; missing = 404 (not served). */
  kubeletLogs: Record<string, string>;
}

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
}

function get(o: unknown, path: string): string {
  let cur: unknown = o;
  for (const k of path.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Obj)[k] : undefined;
  return cur === undefined || cur === null ? '' : String(cur);
}

/** Field selectors as the API server reads them: terms joined by commas, each `path=v`, `path==v` or `path!=v`. */
export function matchesFieldSelector(o: Obj, selector: string | undefined): boolean {
  if (selector === undefined || selector === '') return true;
  return selector.split(',').every((term) => {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    if (m === null) return false;
    const v = get(o, m[1] as string);
    return m[2] === '!=' ? v !== m[3] : v === m[3];
  });
}

const list = (kind: string, items: Obj[]): Obj => ({ kind, apiVersion: 'v1', metadata: { resourceVersion: '48213' }, items });

const status = (code: number, reason: string, message: string): Obj => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

const RESOURCES: Obj = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ev'] },
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] },
    { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['no'] },
    { name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all'] },
  ],
};

export class FakeApiServer {
  readonly requests: Recorded[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly cluster: Cluster) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  /** Writes a kubeconfig pointing at this server, with two contexts (`fake` the current one, `other`). */
  writeKubeconfig(dir: string): string {
    const path = join(dir, 'kubeconfig');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${this.url}
- name: nowhere
  cluster:
    server: http://127.0.0.1:9
contexts:
- name: fake
  context: {cluster: fake, user: reader}
- name: other
  context: {cluster: nowhere, user: reader}
current-context: other
users:
- name: reader
  user: {token: not-a-secret}
`,
    );
    return path;
  }

  private send(res: ServerResponse, code: number, body: Obj | string): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(u.searchParams.entries());
    this.requests.push({ method: req.method ?? '', path: u.pathname, query });
    if (req.method !== 'GET') {
      this.send(res, 405, status(405, 'MethodNotAllowed', `${req.method} is not allowed here`));
      return;
    }
    const p = u.pathname.replace(/\/+$/, '') || '/';
    const fs = query.fieldSelector;
    const c = this.cluster;
    let m: RegExpExecArray | null;
    if (p === '/version') {
      this.send(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.4', gitCommit: 'a51b3b711150f57ffc1f526a640ec058514ed596', gitTreeState: 'clean', buildDate: '2024-08-14T19:05:13Z', goVersion: 'go1.22.5', compiler: 'gc', platform: 'linux/amd64' });
    } else if (p === '/api') {
      this.send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
    } else if (p === '/apis') {
      this.send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    } else if (p === '/api/v1') {
      this.send(res, 200, RESOURCES);
    } else if (p === '/api/v1/nodes') {
      this.send(res, 200, list('NodeList', c.nodes.filter((o) => matchesFieldSelector(o, fs))));
    } else if ((m = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/logs$/.exec(p)) !== null) {
      const log = c.kubeletLogs[decodeURIComponent(m[1] as string)];
      if (log === undefined) this.send(res, 404, '404 page not found\n');
      else this.send(res, 200, log);
    } else if ((m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(p)) !== null) {
      const name = decodeURIComponent(m[1] as string);
      const n = c.nodes.find((o) => get(o, 'metadata.name') === name);
      this.send(res, n === undefined ? 404 : 200, n ?? status(404, 'NotFound', `nodes "${name}" not found`));
    } else if ((m = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/(pods|events)$/.exec(p)) !== null) {
      const ns = m[1];
      const items = (m[2] === 'pods' ? c.pods : c.events).filter((o) => (ns === undefined || get(o, 'metadata.namespace') === ns) && matchesFieldSelector(o, fs));
      this.send(res, 200, list(m[2] === 'pods' ? 'PodList' : 'EventList', items));
    } else {
      this.send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
  }
}
