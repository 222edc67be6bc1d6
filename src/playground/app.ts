/**
 * The playground page's script: bundled with the library by scripts/build-playground.ts into one
 * HTML file (no network: the page's CSP allows only its own inline script). The answer is the
 * library's `classify`, run in the page.
 */
import { classify } from '../index.js';
import type { Diagnosis, Evidence, Step } from '../index.js';

const MAX_SHOWN_LINES = 3000;
const CONTEXT = 2;
/** Shares longer than this many characters of fragment are refused (URL limits of chat tools and browsers). */
const MAX_FRAGMENT = 16_000;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls !== undefined) e.className = cls;
  return e;
}

const pct = (n: number): string => `${Math.round(n * 100)}%`;

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const t = el('textarea');
    t.value = text;
    document.body.append(t);
    t.select();
    const ok = document.execCommand('copy');
    t.remove();
    return ok;
  }
}

function commandRow(cmd: string): HTMLElement {
  const row = el('div', undefined, 'cmd');
  const code = el('code', cmd);
  const b = el('button', 'Copy');
  b.type = 'button';
  b.setAttribute('aria-label', `Copy command: ${cmd}`);
  b.addEventListener('click', () => {
    void copy(cmd).then((ok) => {
      b.textContent = ok ? 'Copied' : 'Copy failed';
      setTimeout(() => (b.textContent = 'Copy'), 1500);
    });
  });
  row.append(code, b);
  return row;
}

function steps(list: HTMLElement, items: readonly Step[], note: (s: Step) => string | undefined): void {
  list.replaceChildren();
  for (const s of items) {
    const li = el('li', s.description);
    for (const c of s.commands) li.append(commandRow(c));
    const n = note(s);
    if (n !== undefined) li.append(el('div', n, 'muted'));
    list.append(li);
  }
}

/** Lines an evidence record covers: its first line and as many more as its raw text has. */
function marks(evs: readonly Evidence[], kind: 'for' | 'against', into: Map<number, 'for' | 'against'>): void {
  for (const e of evs) {
    const extra = Math.min((e.raw.match(/\n/g) ?? []).length, 50);
    for (let i = 0; i <= extra; i++) if (into.get(e.line + i) !== 'for') into.set(e.line + i, kind);
  }
}

/**
 * With redaction on, the page shows (and shares) only the evidence records, as the library
 * redacted them, each at its line number: the rest of the text was not redacted and stays out.
 */
function redactedRecords(d: Diagnosis): Evidence[] {
  const byLine = new Map<number, Evidence>();
  for (const f of d.findings) for (const e of [...f.supports, ...f.opposes]) byLine.set(e.line, e);
  for (const e of d.evidence) byLine.set(e.line, e);
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

function renderRedacted(d: Diagnosis): void {
  const hl = new Map<number, 'for' | 'against'>();
  const top = d.findings[0];
  marks(d.cause !== null ? d.evidence : (top?.supports ?? []), 'for', hl);
  for (const f of d.findings) marks(f.opposes, 'against', hl);
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const e of redactedRecords(d)) {
    if (e.line > last + 1) frag.append(el('span', '… (not shown: redaction is on)', 'gap'));
    const s = el('span', e.raw.replace(/\s*\n\s*/g, ' '));
    s.dataset.n = String(e.line);
    const k = hl.get(e.line);
    if (k !== undefined) s.className = k;
    frag.append(s);
    last = e.line;
  }
  $('text').replaceChildren(frag);
  $('evidence-s').hidden = false;
}

function renderText(text: string, d: Diagnosis): void {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const hl = new Map<number, 'for' | 'against'>();
  const top = d.findings[0];
  marks(d.cause !== null ? d.evidence : (top?.supports ?? []), 'for', hl);
  if (top !== undefined) marks(top.opposes, 'against', hl);
  for (const f of d.findings.slice(1)) marks(f.opposes, 'against', hl);
  const show = new Set<number>();
  if (lines.length <= MAX_SHOWN_LINES) for (let i = 1; i <= lines.length; i++) show.add(i);
  else for (const n of hl.keys()) for (let i = n - CONTEXT; i <= n + CONTEXT; i++) if (i >= 1 && i <= lines.length) show.add(i);
  const pre = $('text');
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const n of [...show].sort((a, b) => a - b)) {
    if (n > last + 1) frag.append(Object.assign(el('span', `… ${n - last - 1} lines`, 'gap'), {}));
    const s = el('span', lines[n - 1] ?? '');
    s.dataset.n = String(n);
    const k = hl.get(n);
    if (k !== undefined) {
      s.className = k;
      s.title = k === 'for' ? 'evidence for the cause' : 'evidence against';
    }
    frag.append(s);
    last = n;
  }
  pre.replaceChildren(frag);
  $('evidence-s').hidden = text.length === 0;
  pre.querySelector('.for, .against')?.scrollIntoView({ block: 'nearest' });
}

function render(text: string, d: Diagnosis, ms: number): void {
  const v = $('verdict');
  const top = d.findings[0];
  v.dataset.cause = d.cause ?? '';
  v.dataset.confidence = String(d.confidence);
  v.dataset.state = 'done';
  v.className = d.cause === null ? 'none' : '';
  v.textContent =
    d.cause === null
      ? text.trim() === ''
        ? 'Paste a log to see its cause.'
        : 'No ENOSPC-family cause found.'
      : `${top?.title ?? d.cause} (${d.cause}), confidence ${pct(d.confidence)}`;
  $('summary').textContent = d.remediation?.summary ?? '';
  $('stats').textContent = `Read ${d.stats.lines} lines, ${d.stats.records} records; ${d.stats.matched} matched a rule. ${ms.toFixed(0)} ms.`;
  if (($('redact') as HTMLInputElement).checked) renderRedacted(d);
  else renderText(text, d);

  const body = $('findings');
  body.replaceChildren();
  for (const f of d.findings) {
    const tr = el('tr');
    const rules = (effect: string): string =>
      f.rules
        .filter((r) => r.effect === effect)
        .map((r) => `${r.rule} (${r.strength}, ${r.records})`)
        .join(', ') || '—';
    const th = el('th', `${f.title} (${f.cause})`);
    th.scope = 'row';
    tr.append(th, el('td', pct(f.confidence)), el('td', rules('supports')), el('td', rules('opposes')));
    body.append(tr);
  }
  $('findings-s').hidden = d.findings.length === 0;
  const r = d.remediation;
  $('confirm-s').hidden = $('fix-s').hidden = $('links-s').hidden = r === null;
  $('look-s').hidden = r === null || r.lookalikes.length === 0;
  if (r !== null) {
    steps($('confirm'), r.confirm, (s) => (s.reading !== undefined ? `→ ${s.reading}` : undefined));
    steps($('fix'), r.fix, (s) => (s.risk !== undefined ? `Risk: ${s.risk}` : undefined));
    $('look').replaceChildren(...r.lookalikes.map((l) => el('li', l)));
    $('links').replaceChildren(
      ...r.links.map((l) => {
        const li = el('li');
        const a = el('a', l.title);
        a.href = l.url;
        a.rel = 'noreferrer noopener';
        li.append(a);
        return li;
      }),
    );
  }
}

function run(): void {
  const text = ($('log') as HTMLTextAreaElement).value;
  const redact = ($('redact') as HTMLInputElement).checked;
  const t0 = performance.now();
  const d = classify(text, { redact });
  render(text, d, performance.now() - t0);
}

// ---- sharing through the URL fragment: #z=<base64url of deflate-raw> (or #t=<base64url> without CompressionStream)

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function through(bytes: Uint8Array, t: GenericTransformStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(t as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

async function encodeFragment(text: string, redact: boolean): Promise<string> {
  const raw = new TextEncoder().encode(text);
  const r = redact ? '&r=1' : '';
  if (typeof CompressionStream === 'function') return `z=${b64url(await through(raw, new CompressionStream('deflate-raw')))}${r}`;
  return `t=${b64url(raw)}${r}`;
}

async function decodeFragment(hash: string): Promise<{ text: string; redact: boolean } | undefined> {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const z = p.get('z');
  const t = p.get('t');
  try {
    let bytes: Uint8Array | undefined;
    if (z !== null) bytes = await through(unb64url(z), new DecompressionStream('deflate-raw'));
    else if (t !== null) bytes = unb64url(t);
    if (bytes === undefined) return undefined;
    return { text: new TextDecoder().decode(bytes), redact: p.get('r') === '1' };
  } catch {
    return undefined;
  }
}

async function share(): Promise<void> {
  const status = $('share-status');
  const redact = ($('redact') as HTMLInputElement).checked;
  const log = ($('log') as HTMLTextAreaElement).value;
  // Redaction on: the link carries only the redacted evidence records (what the page shows).
  const text = redact ? redactedRecords(classify(log, { redact: true })).map((e) => e.raw).join('\n') : log;
  const frag = await encodeFragment(text, redact);
  if (frag.length > MAX_FRAGMENT) {
    status.textContent = `Too large to share in a link (${Math.round(frag.length / 1000)} KB compressed; the limit is ${MAX_FRAGMENT / 1000} KB). Trim it to the evidence lines.`;
    return;
  }
  history.replaceState(null, '', `#${frag}`);
  const ok = await copy(location.href);
  status.textContent = ok ? 'Link copied (the log is in the part after #, which browsers do not send to servers).' : 'The link is in the address bar.';
}

async function loadFile(f: File): Promise<void> {
  ($('log') as HTMLTextAreaElement).value = await f.text();
  run();
}

function start(): void {
  const log = $('log') as HTMLTextAreaElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  log.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, log.value.length > 200_000 ? 400 : 120);
  });
  $('run').addEventListener('click', run);
  $('redact').addEventListener('change', run);
  $('share').addEventListener('click', () => void share());
  ($('file') as HTMLInputElement).addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f !== undefined) void loadFile(f);
  });
  log.addEventListener('dragover', (e) => {
    e.preventDefault();
    log.classList.add('drop');
  });
  log.addEventListener('dragleave', () => log.classList.remove('drop'));
  log.addEventListener('drop', (e) => {
    e.preventDefault();
    log.classList.remove('drop');
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) void loadFile(f);
    else {
      log.value = e.dataTransfer?.getData('text/plain') ?? '';
      run();
    }
  });
  const fromHash = async (): Promise<void> => {
    const got = await decodeFragment(location.hash);
    if (got === undefined) return;
    log.value = got.text;
    ($('redact') as HTMLInputElement).checked = got.redact;
    run();
  };
  window.addEventListener('hashchange', () => void fromHash());
  void fromHash();
  // For tests and scripts: the same answer the page shows.
  (window as unknown as { enospc: unknown }).enospc = { classify, run };
}

start();
