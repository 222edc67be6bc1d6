/**
 * The hand-written YAML reader (src/input/yaml.ts) against the `yaml` package on what it claims to
 * read: YAML as kubectl prints it. Objects come from kubectl itself (`create … --dry-run=client -o
 * yaml` needs no cluster), with the values that exercise the printer's quoting (line breaks,
 * trailing spaces, `'`, `#`, `: `, strings that look like numbers or null, non-ASCII), plus the
 * `items:` list shape of `kubectl get -o yaml` assembled from them, plus the real excerpts of the
 * corpus that parse as whole documents.
 *
 * The `yaml` package reads with its failsafe schema (every scalar a string), and its plain `null`,
 * `~` and empty scalars become null, which is what the reader does; everything else must be equal.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { parseYaml } from '../../src/input/yaml.js';

const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0;

function byPackage(text: string): { docs: unknown[]; errors: number } {
  const docs = YAML.parseAllDocuments(text, { schema: 'failsafe' });
  let errors = 0;
  const out = docs.map((d) => {
    errors += d.errors.length;
    YAML.visit(d, {
      Scalar(_key, node) {
        if (node.type === 'PLAIN' && (node.value === 'null' || node.value === '~' || node.value === '')) node.value = null;
      },
    });
    return d.toJS();
  });
  return { docs: out, errors };
}

const byReader = (text: string): unknown[] => parseYaml(text.split('\n')).docs;

function kubectl(args: string[]): string {
  // The flags go before any `--`, after which everything is the container's command.
  const r = spawnSync('kubectl', [args[0]!, '--dry-run=client', '-o', 'yaml', ...args.slice(1)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The objects, printed by kubectl. */
function kubectlObjects(): [string, string][] {
  const awkward = [
    'a=multi\nline: "quoted"  \ttrailing  ',
    'b=',
    'c=123',
    'd=null',
    'e= leading space # not a comment',
    "f=it's: ünïcödé",
    'g=- looks like a sequence item',
    'h=key: value',
    'i=failed to create shim task: OCI runtime create failed: no space left on device: unknown',
    'j=\\backslash "and" quotes\n\n',
  ];
  return [
    ['configmap', kubectl(['create', 'configmap', 'awkward', ...awkward.map((kv) => `--from-literal=${kv}`)])],
    ['secret', kubectl(['create', 'secret', 'generic', 's', '--from-literal=token=abc:def', '--type=Opaque'])],
    ['job', kubectl(['create', 'job', 'tail', '--image=busybox:1.36', '--', 'sh', '-c', 'tail -f /var/log/x: || echo "inotify: no space left on device"'])],
    ['deployment', kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=8080'])],
    ['cronjob', kubectl(['create', 'cronjob', 'gc', '--image=busybox', '--schedule=*/5 * * * *', '--', 'du', '-sh', '/var/lib/containerd'])],
    ['service', kubectl(['create', 'service', 'nodeport', 'np', '--tcp=80:8080'])],
    ['priorityclass', kubectl(['create', 'priorityclass', 'node-critical', '--value=1000', '--description=Evicted last: "DiskPressure" # keep'])],
    ['quota', kubectl(['create', 'quota', 'q', '--hard=pods=10,requests.ephemeral-storage=2Gi'])],
  ];
}

/** `kubectl get -o yaml` of several objects: a List whose `items:` sequence sits at the key's indentation. */
function asList(objects: readonly string[]): string {
  const items = objects.map((o) =>
    o
      .replace(/\n$/, '')
      .split('\n')
      .map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`))
      .join('\n'),
  );
  return `apiVersion: v1\nitems:\n${items.join('\n')}\nkind: List\nmetadata:\n  resourceVersion: ""\n`;
}

describe('the YAML reader agrees with the yaml package', () => {
  it.skipIf(kubectlMissing)(`on objects kubectl prints, and on a list of them${kubectlMissing ? ' (skipped: kubectl is not installed; apt-get install kubernetes-client)' : ''}`, () => {
    const objects = kubectlObjects();
    for (const [name, text] of [...objects, ['list', asList(objects.map(([, t]) => t))] as [string, string]]) {
      const theirs = byPackage(text);
      expect(theirs.errors, name).toBe(0);
      expect(byReader(text), name).toEqual(theirs.docs);
    }
    // The printer did quote what it had to: the comparison above saw those scalars.
    expect(objects[0]![1]).toMatch(/^ {2}a: "multi\\nline/m);
    expect(objects[0]![1]).toMatch(/^ {2}f: 'it''s/m);
  });

  it('on the corpus excerpts of kubectl YAML that are whole documents', () => {
    const corpus = readFileSync(new URL('../fixtures/corpus-dev.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { id: string; format: string; text: string })
      .filter((c) => c.format === 'event-yaml');
    let compared = 0;
    for (const c of corpus) {
      const theirs = byPackage(c.text);
      // An excerpt cut mid-scalar is no YAML document; the reader's job there is not to throw.
      if (theirs.errors > 0) {
        expect(() => byReader(c.text), c.id).not.toThrow();
        continue;
      }
      expect(byReader(c.text), c.id).toEqual(theirs.docs);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(1);
  });
});
