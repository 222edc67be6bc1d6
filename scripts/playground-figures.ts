/**
 * The playground's figures for docs/integrations/playground.md: its size, and the time from
 * navigation to the first answer in headless chromium (a seed case carried in the URL fragment,
 * as a shared link opens), plus the time `classify` takes in the page on a large paste.
 *
 *   npx tsx scripts/playground-figures.ts      (needs /usr/bin/chromium)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { buildPlayground } from './build-playground.js';
import { Browser } from '../test/support/cdp.js';

const ROOT = join(import.meta.dirname, '..');
const html = await buildPlayground();
const dir = mkdtempSync(join(tmpdir(), 'enospc-pg-figures-'));
const file = join(dir, 'playground.html');
writeFileSync(file, html);
const seed = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/seed-cases.jsonl'), 'utf8').split('\n')[0] as string) as { text: string };
const frag = `z=${deflateRawSync(Buffer.from(seed.text)).toString('base64url')}`;
console.log(`size: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB, ${(gzipSync(html, { level: 9 }).length / 1024).toFixed(0)} KB gzip`);
const b = await Browser.launch();
try {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const p = await b.open(`${pathToFileURL(file).href}#${frag}`);
    await p.evaluate(`new Promise((r) => { const poll = () => document.getElementById('verdict').dataset.cause ? r(1) : setTimeout(poll, 2); poll(); })`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`navigation to first answer (shared link, seed-1): median ${times[3]?.toFixed(0)} ms, min ${times[0]?.toFixed(0)} ms, max ${times[6]?.toFixed(0)} ms (7 tabs)`);
  const p = await b.open(pathToFileURL(file).href);
  const big = readFileSync(join(ROOT, 'examples', 'kubelet-inotify.log'), 'utf8');
  const ms = await p.evaluate<number>(`(() => { const t = ${JSON.stringify(big)}.repeat(Math.ceil(1048576 / ${big.length}));
    document.getElementById('log').value = t; const t0 = performance.now(); document.getElementById('run').click(); return performance.now() - t0; })()`);
  console.log(`1 MiB paste (examples/kubelet-inotify.log repeated): classify + render ${ms.toFixed(0)} ms`);
} finally {
  await b.close();
  rmSync(dir, { recursive: true, force: true });
}
