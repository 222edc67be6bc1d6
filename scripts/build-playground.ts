/**
 * Writes the playground: ONE self-contained HTML file (dist/playground.html) with the library's
 * `classify` bundled in for the browser. No network: the page's Content-Security-Policy allows
 * only its own inline script (by hash) and inline styles, so it works from file:// and any static host.
 *
 *   npx tsx scripts/build-playground.ts [-o FILE]     (npm run build runs it after tsup)
 *
 * `enospc playground -o FILE` copies the built file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

export async function buildPlayground(): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const result = await build({
    entryPoints: [join(ROOT, 'src/playground/app.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  // `</script` inside the bundle would end the element early.
  const js = (result.outputFiles[0]?.text ?? '').replace(/<\/script/gi, '<\\/script').trimEnd();
  const hash = createHash('sha256').update(js, 'utf8').digest('base64');
  const page = readFileSync(join(ROOT, 'src/playground/page.html'), 'utf8');
  return page
    .replace('__SCRIPT_HASH__', `sha256-${hash}`)
    .replace('__VERSION__', version)
    .replace('__SCRIPT__', () => js);
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('build-playground.ts')) {
  const i = process.argv.indexOf('-o');
  const out = i > 0 ? (process.argv[i + 1] as string) : join(ROOT, 'dist', 'playground.html');
  const html = await buildPlayground();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  console.log(`${out}: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB`);
}
