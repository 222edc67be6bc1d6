import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CompiledRule } from '../../src/engine/types.js';
import { exportRules, npdPattern, renderNpdConfig, toNpdConfigs, type NpdMonitorConfig } from '../../src/export/index.js';
import { pascalCause } from '../../src/export/shared.js';
import { RULES } from '../../src/generated/rules.js';
import type { Example, Prepared } from './support.js';
import { GO_DURATION, assembledFromJson, examplesOf, goDialectProblems, npdLine, npdMatches, re2Pool, withRe2 } from './support.js';

const { configs, exported, skipped } = toNpdConfigs();
const byId = new Map(RULES.map((r) => [r.id, r]));

/**
 * Checks one config against NPD's MonitorConfig/Rule types and its ValidateRules (patterns are
 * compiled once for all configs, below); returns the problems.
 */
function npdConfigProblems(config: NpdMonitorConfig): string[] {
  const p: string[] = [];
  const c = config as unknown as Record<string, unknown>;
  const allowed = ['plugin', 'pluginConfig', 'logPath', 'lookback', 'delay', 'bufferSize', 'skipList', 'source', 'metricsReporting', 'conditions', 'rules'];
  for (const k of Object.keys(c)) if (!allowed.includes(k)) p.push(`unknown key ${k}`);
  if (c.plugin !== 'journald' && c.plugin !== 'kmsg' && c.plugin !== 'filelog') p.push(`plugin ${String(c.plugin)}`);
  if (c.plugin === 'journald') {
    const pc = c.pluginConfig as Record<string, unknown> | undefined;
    if (typeof pc?.source !== 'string' || pc.source === '') p.push('journald needs pluginConfig.source (SYSLOG_IDENTIFIER)');
    if (typeof c.logPath !== 'string' || !c.logPath.startsWith('/')) p.push('journald needs an absolute logPath');
  }
  if (c.plugin === 'kmsg' && c.logPath !== '/dev/kmsg') p.push('kmsg reads /dev/kmsg');
  if (typeof c.lookback !== 'string' || !GO_DURATION.test(c.lookback)) p.push(`lookback ${String(c.lookback)}`);
  if (!Number.isInteger(c.bufferSize) || (c.bufferSize as number) < 1) p.push('bufferSize must be a positive integer');
  if (typeof c.source !== 'string' || c.source === '') p.push('source');
  if (!Array.isArray(c.conditions)) p.push('conditions must be an array');
  const types = new Set<string>();
  for (const cond of (c.conditions ?? []) as Record<string, unknown>[]) {
    for (const k of ['type', 'reason', 'message']) if (typeof cond[k] !== 'string' || cond[k] === '') p.push(`condition ${k}`);
    if (types.has(cond.type as string)) p.push(`condition ${String(cond.type)} twice`);
    types.add(cond.type as string);
  }
  if (!Array.isArray(c.rules) || c.rules.length === 0) p.push('rules must be a non-empty array');
  for (const [i, rule] of ((c.rules ?? []) as Record<string, unknown>[]).entries()) {
    for (const k of Object.keys(rule)) if (!['type', 'condition', 'reason', 'pattern', 'patternGeneratedMessageSuffix'].includes(k)) p.push(`rule ${i}: unknown key ${k}`);
    if (rule.type !== 'temporary' && rule.type !== 'permanent') p.push(`rule ${i}: type ${String(rule.type)}`);
    if (rule.type === 'permanent' && !types.has(rule.condition as string)) p.push(`rule ${i}: permanent rule's condition is not declared`);
    if (rule.type === 'temporary' && rule.condition !== undefined) p.push(`rule ${i}: temporary rule with a condition`);
    if (typeof rule.reason !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(rule.reason)) p.push(`rule ${i}: reason ${String(rule.reason)}`);
    if (typeof rule.patternGeneratedMessageSuffix !== 'string') p.push(`rule ${i}: suffix`);
    if (typeof rule.pattern !== 'string') p.push(`rule ${i}: pattern`);
    else p.push(...goDialectProblems(rule.pattern).map((m) => `rule ${i}: ${m}`));
  }
  return p;
}

describe('NPD export: which rules', () => {
  it('accounts for every rule exactly once', () => {
    const ids = [...exported.map((r) => r.id), ...skipped.map((r) => r.id)].sort();
    expect(ids).toEqual(RULES.map((r) => r.id).sort());
  });

  it('exports exactly the supporting rules one log line can decide', () => {
    const lineLevel = (r: CompiledRule): boolean =>
      r.effect === 'supports' && r.fallback !== true && r.requires === undefined && r.numeric === undefined &&
      r.strength !== 'weak' && r.status !== 'deprecated' && r.where?.reason === undefined;
    const translationFailures = new Set(skipped.filter((s) => s.reason.startsWith('pattern:')).map((s) => s.id));
    for (const r of RULES) expect(exported.some((e) => e.id === r.id), r.id).toBe(lineLevel(r) && !translationFailures.has(r.id));
    expect(exported.length).toBeGreaterThan(0);
    console.log(`NPD export: ${exported.length} rules exported, ${skipped.length} skipped:\n${skipped.map((s) => `  ${s.id}: ${s.reason}`).join('\n')}`);
  });

  it('sets a Node condition only for strong evidence of persistent node-wide exhaustion', () => {
    const persistent = ['inotify-watch-exhaustion', 'inotify-instance-exhaustion', 'cgroup-leak', 'mount-limit', 'thinpool-full', 'keyring-quota'];
    for (const e of exported) {
      const expected = persistent.includes(e.cause) && (e.strength === 'strong' || e.strength === 'decisive') ? 'permanent' : 'temporary';
      expect(e.type, e.id).toBe(expected);
    }
  });

  it('skips rules restricted to Event reasons and adds extra rules', () => {
    const base = RULES.find((r) => exported.some((e) => e.id === r.id));
    expect(base).toBeDefined();
    const extra: CompiledRule[] = [
      { ...base!, id: 'x-event-only', where: { reason: ['FailedMount'] } },
      { ...base!, id: 'x-plain' },
    ];
    const out = toNpdConfigs({ rules: extra, builtins: false });
    expect(out.exported.map((e) => e.id)).toEqual(['x-plain']);
    expect(out.skipped[0]?.reason).toMatch(/Events/);
    expect(() => toNpdConfigs({ rules: [base!] })).toThrow(/defined twice/);
  });
});

describe('NPD export: files', () => {
  it('writes one config per source: journald kubelet/containerd/crio/dockerd and kmsg', () => {
    expect(configs.map((c) => [c.fileName, c.config.plugin, c.config.pluginConfig?.source ?? c.config.logPath])).toEqual([
      ['enospc-kubelet.json', 'journald', 'kubelet'],
      ['enospc-containerd.json', 'journald', 'containerd'],
      ['enospc-crio.json', 'journald', 'crio'],
      ['enospc-dockerd.json', 'journald', 'dockerd'],
      ['enospc-kernel.json', 'kmsg', '/dev/kmsg'],
    ]);
  });

  it('merges the rules of one cause and rule type into fewer patterns, each rule in exactly one of them', () => {
    const byRule = new Map(exported.map((e) => [e.id, e]));
    for (const c of configs) {
      expect(c.ruleIds.length, c.fileName).toBe(c.config.rules.length);
      expect(c.ruleIds.flat().sort(), c.fileName).toEqual(exported.map((e) => e.id).sort());
      expect(c.config.rules.length, c.fileName).toBeLessThan(exported.length);
      for (const [i, rule] of c.config.rules.entries()) {
        const members = (c.ruleIds[i] ?? []).map((id) => byRule.get(id)!);
        expect(members.length).toBeGreaterThan(0);
        expect(members.length).toBeLessThanOrEqual(4);
        for (const m of members) {
          expect([m.cause, m.type]).toEqual([members[0]!.cause, members[0]!.type]);
          expect(rule.patternGeneratedMessageSuffix).toContain(m.id);
        }
        expect(rule.reason).toBe(pascalCause(members[0]!.cause));
        const bodies = members.map((m) => (c.config.plugin === 'kmsg' ? m.kmsgRe2 : m.re2));
        expect(rule.pattern).toBe(npdPattern(...bodies));
      }
    }
  });

  it('without merging writes one NPD rule per enospc rule (the shape before merging)', () => {
    const flat = toNpdConfigs({ merge: false, sources: ['kubelet', 'kernel'] }).configs;
    expect(flat.map((c) => c.config.rules.length)).toEqual([exported.length, exported.length]);
    expect(flat[0]?.ruleIds.flat().map((id) => exported.find((e) => e.id === id)?.pattern)).toEqual(flat[0]?.config.rules.map((r) => r.pattern));
    expect(flat[1]?.ruleIds.flat().map((id) => exported.find((e) => e.id === id)?.kmsgPattern)).toEqual(flat[1]?.config.rules.map((r) => r.pattern));
  });

  it.each(configs.map((c) => [c.fileName, c.config] as const))('%s has the shape NPD reads and validates', (_, config) => {
    expect(npdConfigProblems(config)).toEqual([]);
    // NPD's own test wants configs in canonical 2-space JSON.
    const text = renderNpdConfig(config);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  it('every pattern compiles under RE2 as NPD compiles it (pattern + \\z)', () => {
    const problems: string[] = [];
    const patterns = [...exported.flatMap((e) => [e.pattern, e.kmsgPattern]), ...configs.flatMap((c) => c.config.rules.map((r) => r.pattern))];
    for (const pattern of new Set(patterns)) {
      try {
        withRe2(`${pattern}\\z`, () => undefined);
      } catch (err) {
        problems.push(`${pattern.slice(0, 80)}: ${String(err)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('exportRules("npd") is a ConfigMap whose data are those configs as JSON', () => {
    const doc = parse(exportRules('npd')) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect([doc.apiVersion, doc.kind, doc.metadata.name, doc.metadata.namespace]).toEqual(['v1', 'ConfigMap', 'enospc-npd-config', 'kube-system']);
    expect(Object.keys(doc.data)).toEqual(configs.map((c) => c.fileName));
    for (const c of configs) expect(JSON.parse(doc.data[c.fileName] ?? '')).toEqual(c.config);
    // A ConfigMap holds at most 1 MiB.
    expect(Buffer.byteLength(exportRules('npd'))).toBeLessThan(1024 * 1024);
  });

  it('honours sources, lookback, journal path and ConfigMap options', () => {
    const out = toNpdConfigs({ sources: ['kernel'], lookback: '10m', journalPath: '/run/log/journal' });
    expect(out.configs.map((c) => [c.fileName, c.config.lookback])).toEqual([['enospc-kernel.json', '10m']]);
    expect(toNpdConfigs({ sources: ['kubelet'], journalPath: '/run/log/journal' }).configs[0]?.config.logPath).toBe('/run/log/journal');
    const doc = parse(exportRules('npd', { configMapName: 'x', namespace: 'npd' })) as { metadata: { name: string; namespace: string } };
    expect(doc.metadata).toMatchObject({ name: 'x', namespace: 'npd' });
  });
});

// Every exported pattern against its own rule's examples, the way NPD runs it: RE2, `pattern\z`,
// on the journal MESSAGE or kmsg text (no syslog prefix), raw quoting left in. One compiled
// program per rule, freed after the rule's examples.
function prepare(ex: Example, p: Prepared, rule: CompiledRule): Prepared {
  const json = 'line' in p && ex.label === 'match' ? assembledFromJson(p.line, new RegExp(rule.source, rule.flags)) : null;
  return json !== null ? { skip: json } : p;
}

function expectAgreement(re2: boolean, js: boolean, line: string): void {
  if (re2 !== js) expect({ js, re2, quoted: line.includes('"'), line }).toEqual({ js: false, re2: true, quoted: true, line });
}

const UNRELATED = 'I0101 00:00:00.000000 1 x.go:1] unrelated';

/** The text /dev/kmsg prints for a line: control bytes, non-ASCII bytes and the backslash as `\xNN`. */
function kmsgEscape(line: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(line)) out += b < 0x20 || b >= 0x7f || b === 0x5c ? `\\x${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}

/** For each exported rule, the merged pattern holding it in a journald config and in the kmsg config. */
function mergedPatternOf(plugin: 'journald' | 'kmsg'): Map<string, { pattern: string; members: readonly string[] }> {
  const c = configs.find((x) => x.config.plugin === plugin)!;
  const out = new Map<string, { pattern: string; members: readonly string[] }>();
  for (const [i, ids] of c.ruleIds.entries()) for (const id of ids) out.set(id, { pattern: c.config.rules[i]!.pattern, members: ids });
  return out;
}
const journaldMerged = mergedPatternOf('journald');
const kmsgMerged = mergedPatternOf('kmsg');
const ownPattern = new Map(exported.map((e) => [e.id, e]));
const groups = exported.map((e) => {
  const own = byId.get(e.id)!;
  const cases = examplesOf(e.id).map((ex) => ({ ex, prepared: prepare(ex, npdLine(ex.text), own) }));
  return {
    e,
    runnable: cases.flatMap((c) => ('line' in c.prepared ? [{ ...c.ex, line: c.prepared.line }] : [])),
    skipped: cases.flatMap((c) => ('skip' in c.prepared ? [{ ...c.ex, reason: c.prepared.skip }] : [])),
  };
});

describe('NPD export: patterns under RE2 with NPD semantics', () => {
  it('has examples to run for every exported rule', () => {
    for (const g of groups) expect(g.runnable.filter((x) => x.label === 'match').length, g.e.id).toBeGreaterThan(0);
  });

  describe.each(groups.map((g) => [g.e.id, g] as const))('%s', (_, g) => {
    const pool = re2Pool();
    afterAll(() => pool.free());
    const rule = byId.get(g.e.id)!;
    const js = (s: string): boolean => new RegExp(rule.source, rule.flags).test(s);
    const anchored = g.e.notes.some((n) => n.includes('anchor'));

    it.each(g.runnable.map((x) => [`${x.label}[${x.index}]`, x] as const))('%s', (_name, x) => {
      const expected = x.label === 'match';
      const re2 = npdMatches(pool, g.e.pattern, [x.line]);
      expect(re2, x.line).toBe(expected);
      // Same outcome as the rule's own JavaScript pattern on the same raw line (and on it upper- and
      // lower-cased), except where the line still has quoting (\", err="…") that enospc's
      // normaliser peels before matching and the export tolerates.
      for (const v of [x.line, x.line.toUpperCase(), x.line.toLowerCase()]) expectAgreement(npdMatches(pool, g.e.pattern, [v]), js(v), v);
      if (!expected) return;
      // With a larger bufferSize (if an operator raises it) the line still matches after another,
      // and an unrelated later line does not fire it again.
      if (!anchored) expect(npdMatches(pool, g.e.pattern, [UNRELATED, x.line])).toBe(true);
      expect(npdMatches(pool, g.e.pattern, [x.line, UNRELATED])).toBe(false);
      // One more quoting level (the line logged inside another Go %q / JSON string) still matches.
      const quoted = JSON.stringify(x.line);
      if (!anchored && !/[\t\\]/.test(x.line)) expect(npdMatches(pool, g.e.pattern, [quoted]), quoted).toBe(true);
    });

    // The merged pattern (rules of one cause and type) fires on a line exactly when one of its
    // members' own patterns does; the kmsg pattern fires like the journald one, on the line as
    // written and on the line as /dev/kmsg prints it (\xNN for tab, non-ASCII and backslash).
    it.each(g.runnable.map((x) => [`${x.label}[${x.index}] merged, and kmsg-escaped`, x] as const))('%s', (_name, x) => {
      const own = npdMatches(pool, g.e.pattern, [x.line]);
      for (const [merged, plugin] of [[journaldMerged, 'journald'], [kmsgMerged, 'kmsg']] as const) {
        const m = merged.get(g.e.id)!;
        const members = m.members.map((id) => ownPattern.get(id)!);
        const anyOwn = members.some((e) => npdMatches(pool, plugin === 'kmsg' ? e.kmsgPattern : e.pattern, [x.line]));
        expect(npdMatches(pool, m.pattern, [x.line]), `${plugin} ${x.line}`).toBe(anyOwn);
        if (own) expect(anyOwn).toBe(true);
      }
      expect(npdMatches(pool, g.e.kmsgPattern, [x.line]), x.line).toBe(own);
      const escaped = kmsgEscape(x.line);
      if (escaped !== x.line) expect(npdMatches(pool, g.e.kmsgPattern, [escaped]), escaped).toBe(own);
    });

    for (const x of g.skipped) it.skip(`${x.label}[${x.index}]: ${x.reason}`, () => undefined);
  });
});
