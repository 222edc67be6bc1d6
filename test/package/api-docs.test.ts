/**
 * docs/api/ is generated from the JSDoc (scripts/api-docs.ts); this fails when src changed and
 * the committed reference did not (fix: `npm run api-docs`). TypeDoc runs in-process on the five
 * entry points, ~10 s: slow for a unit test, cheap next to the package tests, and it checks the
 * real thing (a stale api.json could not be caught by rendering from the committed JSON).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_JSON, API_README, generateJson, lintDocs, renderMarkdown, serialiseJson } from '../../scripts/api-docs.js';

describe('docs/api', () => {
  it('is up to date with the JSDoc in src', async () => {
    const project = await generateJson();
    const md = renderMarkdown(project);
    // Compare with toBe on booleans first: a diff of a 570 KB JSON string helps nobody.
    expect(readFileSync(API_README, 'utf8') === md, 'docs/api/README.md is stale: run npm run api-docs').toBe(true);
    expect(readFileSync(API_JSON, 'utf8') === serialiseJson(project), 'docs/api/api.json is stale: run npm run api-docs').toBe(true);
    // Rendering is a pure function of the model: twice gives the same text.
    expect(renderMarkdown(project)).toBe(md);
    // The core entry points are documented in full; the rest is reported by `npm run api-docs -- --lint`.
    const gaps = lintDocs(project).filter((g) => /^enospc(\/stream)? (classify|createClassifier|matchLine|classifyStream|classifyIterable|classifyReadableStream)$/.test(g.export));
    expect(gaps).toEqual([]);
  }, 120_000);
});
