import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CAUSE_IDS } from '../../src/ids.js';
import type { CompiledRule } from '../../src/engine/types.js';
import { LokiSelectorError, checkLokiSelector, exportRules, toLokiRules, type LokiAlertRule, type LokiRuleFile } from '../../src/export/index.js';
import { parseArgs } from '../../src/cli/args.js';
import { RULES } from '../../src/generated/rules.js';
import type { Example, Prepared } from './support.js';
import { PROM_DURATION, assembledFromJson, examplesOf, goDialectProblems, lokiLine, re2Pool, withRe2 } from './support.js';

const { file, exported, skipped } = toLokiRules();
const byId = new Map(RULES.map((r) => [r.id, r]));
const alerts = file.groups[0]?.rules ?? [];

const LIT = '(`[^`]*`|"(?:[^"\\\\]|\\\\.)*")';
const EXPR = new RegExp(
  `^sum(?: by \\(([a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*)\\))? \\(count_over_time\\((\\{.+\\}) \\|~ ${LIT}(?: !~ ${LIT})? \\[([0-9]+[smhdwy])\\]\\)\\) > 0$`,
);

/** A LogQL string literal's value: backticks are raw; a double-quoted one is a Go string literal,
 * and the exporter only ever escapes \ and " in it, where Go and JSON agree. */
function unquote(lit: string): string {
  return lit.startsWith('`') ? lit.slice(1, -1) : (JSON.parse(lit) as string);
}

/** The parts of an exported expr, with the line filters' string literals unquoted as LogQL does. */
function parseExpr(expr: string): { by: string[]; selector: string; regex: string; exclude: string | undefined; range: string } | null {
  const m = EXPR.exec(expr);
  if (m === null) return null;
  return {
    by: m[1]?.split(', ') ?? [],
    selector: m[2] ?? '',
    regex: unquote(m[3] ?? ''),
    exclude: m[4] === undefined ? undefined : unquote(m[4]),
    range: m[5] ?? '',
  };
}

/** Whether the alert's line filters (`|~` and, if any, `!~`) keep a line. */
function keeps(pool: { get(p: string): { test(s: string): boolean } }, expr: NonNullable<ReturnType<typeof parseExpr>>, line: string): boolean {
  return pool.get(expr.regex).test(line) && (expr.exclude === undefined || !pool.get(expr.exclude).test(line));
}

/** Template actions the annotations may use: anything else would be static text misread as an action. */
const ACTION = /^(?:\$value|or(?: \$labels\.[a-z_]+)+ "[^"]*"|with \$labels\.pod|\$labels\.namespace|\.|end|"\{\{")$/;

function templateProblems(text: string): string[] {
  const problems: string[] = [];
  for (let i = text.indexOf('{{'); i !== -1; i = text.indexOf('{{', i)) {
    // An action ends at the first }} outside a quoted string.
    let j = i + 2;
    let quoted = false;
    for (; j < text.length; j++) {
      if (text[j] === '"') quoted = !quoted;
      if (!quoted && text.startsWith('}}', j)) break;
    }
    const action = text.slice(i + 2, j).trim();
    if (j >= text.length || !ACTION.test(action)) problems.push(`action {{${action}}}`);
    i = j + 2;
  }
  return problems;
}

/** Checks the rule file against the Prometheus rule-file format the Loki ruler parses (strictly). */
function ruleFileProblems(f: LokiRuleFile): string[] {
  const p: string[] = [];
  for (const k of Object.keys(f)) if (k !== 'groups') p.push(`unknown key ${k}`);
  if (!Array.isArray(f.groups) || f.groups.length === 0) p.push('groups');
  const names = new Set<string>();
  for (const g of f.groups) {
    for (const k of Object.keys(g)) if (!['name', 'interval', 'limit', 'rules'].includes(k)) p.push(`group: unknown key ${k}`);
    if (typeof g.name !== 'string' || g.name === '' || names.has(g.name)) p.push(`group name ${g.name}`);
    names.add(g.name);
    for (const r of g.rules as readonly LokiAlertRule[]) {
      const at = `${r.alert}/${r.labels.severity ?? ''}`;
      for (const k of Object.keys(r)) if (!['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'].includes(k)) p.push(`${at}: unknown key ${k}`);
      if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(r.alert)) p.push(`${at}: alert name`);
      if (!PROM_DURATION.test(r.for)) p.push(`${at}: for ${r.for}`);
      for (const [k, v] of [...Object.entries(r.labels), ...Object.entries(r.annotations)]) {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) p.push(`${at}: label/annotation name ${k}`);
        if (typeof v !== 'string') p.push(`${at}: ${k} is not a string`);
        p.push(...templateProblems(v).map((m) => `${at}: ${k}: ${m}`));
      }
      if (!['warning', 'info'].includes(r.labels.severity ?? '')) p.push(`${at}: severity`);
      if (!(CAUSE_IDS as readonly string[]).includes(r.labels.cause ?? '')) p.push(`${at}: cause`);
      if (!/^https?:\/\//.test(r.annotations.runbook_url ?? '')) p.push(`${at}: runbook_url`);
      const expr = parseExpr(r.expr);
      if (expr === null) {
        p.push(`${at}: expr shape: ${r.expr.slice(0, 120)}`);
        continue;
      }
      if (!PROM_DURATION.test(expr.range)) p.push(`${at}: range`);
      for (const regex of [expr.regex, ...(expr.exclude !== undefined ? [expr.exclude] : [])]) {
        p.push(...goDialectProblems(regex).map((m) => `${at}: ${m}`));
        try {
          withRe2(regex, () => undefined);
        } catch (e) {
          p.push(`${at}: RE2: ${String(e)}`);
        }
      }
    }
  }
  return p;
}

describe('Loki export: which rules', () => {
  it('accounts for every rule exactly once', () => {
    const ids = [...exported.map((r) => r.id), ...skipped.map((r) => r.id)].sort();
    expect(ids).toEqual(RULES.map((r) => r.id).sort());
  });

  it('exports exactly the supporting rules one log line can decide', () => {
    const lineLevel = (r: CompiledRule): boolean =>
      r.effect === 'supports' && r.fallback !== true && r.requires === undefined && r.numeric === undefined &&
      r.strength !== 'weak' && r.status !== 'deprecated';
    const translationFailures = new Set(skipped.filter((s) => s.reason.startsWith('pattern:')).map((s) => s.id));
    for (const r of RULES) expect(exported.some((e) => e.id === r.id), r.id).toBe(lineLevel(r) && !translationFailures.has(r.id));
  });

  it('writes one alert per cause and severity tier, each naming its rules', () => {
    const tiers = new Set(exported.map((e) => `${e.alert}/${e.severity}`));
    expect(alerts.map((a) => `${a.alert}/${a.labels.severity ?? ''}`).sort()).toEqual([...tiers].sort());
    for (const a of alerts) {
      const own = exported.filter((e) => e.alert === a.alert && e.severity === a.labels.severity);
      expect(a.annotations.enospc_rules).toBe(own.map((e) => e.id).join(', '));
      expect(a.labels.cause).toBe(own[0]?.cause);
      const tierRegex = (rules: typeof own): string => {
        const alternatives = rules.map((e) => e.regex.slice('(?i)'.length));
        return alternatives.length === 1 ? `(?i)${alternatives[0] ?? ''}` : `(?i)(?:${alternatives.join('|')})`;
      };
      const expr = parseExpr(a.expr);
      expect(expr?.regex).toBe(tierRegex(own));
      // The info tier leaves out the lines the warning tier of the same cause matches.
      const warning = exported.filter((e) => e.alert === a.alert && e.severity === 'warning');
      expect(expr?.exclude).toBe(a.labels.severity === 'info' && warning.length > 0 ? tierRegex(warning) : undefined);
    }
  });
});

describe('Loki export: files', () => {
  it('exportRules("loki") parses as the rule file, in the Prometheus rule-file format', () => {
    const doc = parse(exportRules('loki')) as LokiRuleFile;
    expect(doc).toEqual(JSON.parse(JSON.stringify(file)));
    expect(ruleFileProblems(doc)).toEqual([]);
    expect(doc.groups[0]?.name).toBe('enospc');
  });

  it('uses the selector, grouping, range and namespace given', () => {
    const f = toLokiRules({ selector: '{namespace="kube-system", job="systemd-journal"}', groupBy: ['node'], range: '10m', namespace: 'ops' }).file;
    expect(f.namespace).toBe('ops');
    const expr = parseExpr(f.groups[0]?.rules[0]?.expr ?? '');
    expect(expr).toMatchObject({ by: ['node'], selector: '{namespace="kube-system", job="systemd-journal"}', range: '10m' });
    const none = toLokiRules({ groupBy: [] }).file.groups[0]?.rules[0];
    expect(none?.expr.startsWith('sum (count_over_time(')).toBe(true);
    expect(none?.annotations.summary).not.toContain('$labels');
  });

  it.each([
    ['{job="systemd-journal"}', '{job="systemd-journal"}'],
    ['  {job="systemd-journal", node=~"n.+"} ', '{job="systemd-journal", node=~"n.+"}'],
    ['{job=~".+",namespace!="kube-system"}', '{job=~".+",namespace!="kube-system"}'],
    ['{job=`systemd-journal`}', '{job=`systemd-journal`}'],
    ['{app="a\\"b"}', '{app="a\\"b"}'],
  ])('takes the stream selector %s', (selector, written) => {
    const expr = parseExpr(toLokiRules({ selector }).file.groups[0]?.rules[0]?.expr ?? '');
    expect(expr?.selector).toBe(written);
    expect(checkLokiSelector(selector)).toBe(written);
  });

  it.each([
    ['job="systemd-journal"', /label matchers in braces/],
    ['{}', /at least one label matcher/],
    ['{job}', /cannot read a label matcher/],
    ['{job=systemd-journal}', /cannot read a label matcher/],
    ['{job="a" node="b"}', /cannot read a label matcher/],
    ['{job="a",}', /trailing comma/],
    ['{1job="a"}', /cannot read a label matcher/],
    ['{job="a}', /cannot read a label matcher/],
    ['{job=~".*"}', /does not match the empty string/],
    ['{job=""}', /does not match the empty string/],
    ['{job!="a"}', /does not match the empty string/],
    ['{job="a"} |= "x"', /label matchers in braces/],
  ])('refuses the malformed selector %s with a clear error', (selector, why) => {
    expect(() => toLokiRules({ selector })).toThrow(LokiSelectorError);
    expect(() => exportRules('loki', { selector })).toThrow(why);
    expect(() => checkLokiSelector(selector)).toThrow(/^invalid Loki stream selector .*e\.g\. '\{job="systemd-journal"\}'/);
  });

  it('keeps static text out of template actions and quotes backticks', () => {
    const base = RULES.find((r) => exported.some((e) => e.id === r.id))!;
    const extra: CompiledRule[] = [{ ...base, id: 'x-backtick', source: 'tick `x` ok\\s\\{\\{' }];
    const f = toLokiRules({ rules: extra, builtins: false }).file;
    expect(ruleFileProblems(f)).toEqual([]);
    const regex = parseExpr(f.groups[0]?.rules[0]?.expr ?? '')?.regex ?? '';
    withRe2(regex, (re) => expect(re.test('TICK `X` OK {{')).toBe(true));
    expect(parse(exportRules('loki', { rules: extra, builtins: false }))).toEqual(JSON.parse(JSON.stringify(f)));
  });

  it('keeps a rule restricted to Event reasons by requiring the reason on the same line', () => {
    const base = RULES.find((r) => r.id === exported[0]?.id)!;
    const example = examplesOf(base.id).find((x) => x.label === 'match')!.text;
    const rule: CompiledRule = { ...base, id: 'x-reason', where: { reason: ['FailedCreatePodSandBox'] } };
    const e = toLokiRules({ rules: [rule], builtins: false }).exported[0]!;
    withRe2(e.regex, (re) => {
      expect(re.test(`Warning FailedCreatePodSandBox pod/x ${example}`)).toBe(true);
      expect(re.test(`${example} reason=FailedCreatePodSandBox`)).toBe(true);
      expect(re.test(`Warning BackOff pod/x ${example}`)).toBe(false);
    });
  });
});

// Every exported rule's alternative against its own examples as Loki sees them: the whole raw line,
// searched (not anchored) by RE2, with the line's quoting left in. Grouped by alert so that each
// compiled program (the alert's line filter, its rules' alternatives) is built once and freed after.
function prepare(ex: Example, p: Prepared, rule: CompiledRule): Prepared {
  const json = 'line' in p && ex.label === 'match' ? assembledFromJson(p.line, new RegExp(rule.source, rule.flags)) : null;
  return json !== null ? { skip: json } : p;
}

const byAlert = alerts.map((a) => {
  const own = exported.filter((e) => e.alert === a.alert && e.severity === a.labels.severity);
  return {
    name: `${a.alert}/${a.labels.severity ?? ''}`,
    regex: parseExpr(a.expr)?.regex ?? '',
    exclude: parseExpr(a.expr)?.exclude,
    rules: own.map((e) => {
      const own = byId.get(e.id)!;
      const cases = examplesOf(e.id).map((ex) => ({ ex, prepared: prepare(ex, lokiLine(ex.text), own) }));
      return {
        e,
        runnable: cases.flatMap((c) => ('line' in c.prepared ? [{ ...c.ex, line: c.prepared.line }] : [])),
        skipped: cases.flatMap((c) => ('skip' in c.prepared ? [{ ...c.ex, reason: c.prepared.skip }] : [])),
      };
    }),
  };
});

describe('Loki export: line filters under RE2', () => {
  it('has examples to run for every exported rule', () => {
    for (const a of byAlert) for (const r of a.rules) expect(r.runnable.filter((x) => x.label === 'match').length, r.e.id).toBeGreaterThan(0);
  });

  describe.each(byAlert.map((a) => [a.name, a] as const))('%s', (_, a) => {
    const pool = re2Pool();
    afterAll(() => pool.free());
    const cases = a.rules.flatMap((r) => r.runnable.map((x) => [`${r.e.id} ${x.label}[${x.index}]`, r.e, x] as const));

    it.each(cases)('%s', (_name, e, x) => {
      const rule = byId.get(e.id)!;
      const expected = x.label === 'match';
      const re2 = pool.get(e.regex).test(x.line);
      expect(re2, x.line).toBe(expected);
      // Same outcome as the rule's own JavaScript pattern on the same raw line (any case), except
      // where the line still has quoting (\", err="…") that enospc's normaliser peels.
      for (const v of [x.line, x.line.toUpperCase(), x.line.toLowerCase()]) {
        const js = new RegExp(rule.source, rule.flags).test(v);
        const r = pool.get(e.regex).test(v);
        if (r !== js) expect({ js, re2: r, quoted: v.includes('"'), v }).toEqual({ js: false, re2: true, quoted: true, v });
      }
      if (!expected) return;
      // The alert's whole line filter fires on it too, unless the same cause's warning alert takes
      // the line; either way exactly one alert of the cause's name counts it.
      expect(pool.get(a.regex).test(x.line)).toBe(true);
      const sameName = alerts.filter((o) => o.alert === e.alert).map((o) => parseExpr(o.expr)!);
      expect(sameName.filter((o) => keeps(pool, o, x.line)).length, x.line).toBe(1);
      if (a.exclude === undefined) expect(keeps(pool, parseExpr(alerts.find((o) => o.alert === e.alert && o.labels.severity === e.severity)!.expr)!, x.line)).toBe(true);
      // Shipped as JSON (docker json-file, journal export), quotes arrive escaped; still a match.
      const anchored = e.notes.some((n) => n.includes('anchor'));
      const json = JSON.stringify({ log: `${x.line}\n`, stream: 'stderr' });
      if (!anchored && !/[\t\\]/.test(x.line)) expect(pool.get(e.regex).test(json), json).toBe(true);
    });

    for (const r of a.rules) for (const x of r.skipped) it.skip(`${r.e.id} ${x.label}[${x.index}]: ${x.reason}`, () => undefined);
  });
});

describe('Loki export: the CLI option', () => {
  it('export loki --selector SEL (or --selector=SEL) passes the selector; other commands refuse it', () => {
    expect(parseArgs(['export', 'loki', '--selector', '{job="systemd-journal"}']).selector).toBe('{job="systemd-journal"}');
    expect(parseArgs(['export', 'loki', '--selector={job="systemd-journal"}', '-o', 'x.yaml']).selector).toBe('{job="systemd-journal"}');
    expect(parseArgs(['export', 'loki']).selector).toBeUndefined();
    expect(() => parseArgs(['export', 'npd', '--selector', '{job="x"}'])).toThrow(/--selector is an option of export loki/);
    expect(() => parseArgs(['export', 'loki', '--selector'])).toThrow(/needs a value/);
  });
});
