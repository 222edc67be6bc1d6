/**
 * What `import { classify } from 'enospc'` costs a bundler user: dist/index.js bundled by esbuild
 * with nothing external (so every dependency the default entry reaches is counted), minified,
 * then gzipped. The default entry must not reach zod or xregexp at all: rules arrive precompiled and
 * types come from the schemas with `import type`. test/package/size.test.ts asserts the budget.
 *
 *   npx tsx scripts/size.ts          print the figures (run `npx tsup` first)
 *   npx tsx scripts/size.ts --json   the same as JSON
 */
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

export interface SizeReport {
  entry: string;
  /** Minified bundle, bytes. */
  minified: number;
  /** The minified bundle gzipped (level 9), bytes. */
  gzip: number;
  /** Every file the bundle contains, relative to the repository, largest first. */
  inputs: { path: string; bytes: number }[];
  /** Input files from node_modules packages, by package name. */
  packages: string[];
  /** The bundle text, for content checks. */
  code: string;
}

/** Package name of a node_modules path (`node_modules/@scope/name/...` or `node_modules/name/...`). */
function packageOf(path: string): string | undefined {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return m?.[1];
}

export async function measure(entry = 'dist/index.js'): Promise<SizeReport> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // No externals: a dependency the default entry reaches must show up in the figures.
    external: [],
  });
  const out = result.outputFiles[0];
  if (out === undefined) throw new Error('esbuild produced no output');
  const code = out.text;
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .map(([path, v]) => ({ path: relative(ROOT, join(ROOT, path)), bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
  const packages = [...new Set(Object.keys(result.metafile.inputs).map(packageOf).filter((p): p is string => p !== undefined))].sort();
  return { entry, minified: out.contents.byteLength, gzip: gzipSync(out.contents, { level: 9 }).byteLength, inputs, packages, code };
}

async function main(): Promise<void> {
  const r = await measure();
  if (process.argv.includes('--json')) {
    const { code: _code, ...rest } = r;
    process.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
    return;
  }
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
  process.stdout.write(`${r.entry}: ${r.minified} B minified (${kb(r.minified)}), ${r.gzip} B gzip (${kb(r.gzip)})\n`);
  process.stdout.write(`node_modules packages in the bundle: ${r.packages.length === 0 ? 'none' : r.packages.join(', ')}\n`);
  for (const i of r.inputs.slice(0, 8)) process.stdout.write(`  ${String(i.bytes).padStart(7)}  ${i.path}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`size: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
