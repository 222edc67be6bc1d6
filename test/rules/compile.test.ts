/**
 * Custom rules fail loudly and precisely: every problem is a RuleError whose message names the
 * rule and the field path (`rule "my-rule": pattern: …`). Includes the ReDoS and RE2-subset gates.
 */
import { describe, expect, it } from 'vitest';
import { compileRules, RuleError } from '../../src/rules/index.js';
import { parseRuleYaml } from '../../src/rules/load.js';
import { analyseRedos } from '../../src/rules/redos.js';
import { RULES } from '../../src/generated/rules.js';

const GOOD = {
  id: 'my-rule',
  cause: 'disk-full',
  effect: 'supports',
  strength: 'moderate',
  status: 'experimental',
  keywords: ['no space left on device'],
  pattern: String.raw`write \s /data/\S{0,100} : \s no \s space \s left \s on \s device`,
  description: 'x',
  provenance: 'x',
  examples: { match: ['write /data/a: no space left on device'], noMatch: ['write /data/a: ok'] },
};

function errorOf(defs: unknown[], options?: Parameters<typeof compileRules>[1]): RuleError {
  try {
    compileRules(defs, options);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleError);
    return e as RuleError;
  }
  throw new Error('compileRules did not throw');
}

describe('compileRules: precise errors', () => {
  it('accepts the good rule', () => {
    expect(compileRules([GOOD])[0]?.id).toBe('my-rule');
  });

  it.each([
    ['a misspelt field', { ...GOOD, patern: 'x' }, 'patern', /unknown field/],
    ['a field of the wrong type', { ...GOOD, keywords: 'no space' }, 'keywords', /expected array/i],
    ['an unknown cause id', { ...GOOD, cause: 'disk-fool' }, 'cause', /disk-full/],
    ['an invalid regex', { ...GOOD, pattern: 'write (unclosed' }, 'pattern', /invalid|unterminated|missing|\)/i],
    ['an empty match example list', { ...GOOD, examples: { match: [], noMatch: ['x'] } }, 'examples.match', /at least|too small|>=1/i],
    ['an example its own pattern does not match', { ...GOOD, examples: { match: ['write /data/a: permission denied'], noMatch: ['x'] } }, 'examples.match.0', /not matched/],
    ['a noMatch example the pattern matches', { ...GOOD, examples: { match: GOOD.examples.match, noMatch: [GOOD.examples.match[0]] } }, 'examples.noMatch.0', /matched by the rule/],
    ['lookahead', { ...GOOD, pattern: String.raw`write (?=x) no \s space` }, 'pattern', /lookahead is outside the RE2 subset/],
    ['lookbehind', { ...GOOD, pattern: String.raw`(?<=x) no \s space` }, 'pattern', /lookbehind is outside the RE2 subset/],
    ['a backreference', { ...GOOD, pattern: String.raw`(no) \s space \1` }, 'pattern', /backreferences are outside the RE2 subset/],
    ['a named backreference', { ...GOOD, pattern: String.raw`(?<a>no) \s space \k<a>` }, 'pattern', /backreferences are outside the RE2 subset/],
    ['nested quantifiers', { ...GOOD, pattern: String.raw`no \s space (?:\w+\s?)* device` }, 'pattern', /ReDoS.*nested quantifiers/],
    ['an unbounded gap before the errno', { ...GOOD, pattern: String.raw`/\S+ : \s no \s space \s left \s on \s device` }, 'pattern', /ReDoS.*unbounded repeat/],
    ['adjacent overlapping repeats', { ...GOOD, pattern: String.raw`no \s space \s left \s on \s device \s+ \s* x` }, 'pattern', /ReDoS.*adjacent repeats/],
    ['a repeated alternation with overlapping branches', { ...GOOD, pattern: String.raw`no \s space (?:a|ab){1,50} device` }, 'pattern', /ReDoS.*overlapping branches/],
    ['a pattern matching the empty string', { ...GOOD, pattern: 'x?' }, 'pattern', /empty string/],
    // issue 14 item 1: 240–400 ms on a 200-char line, minutes on 1 KB, before the analyser covered bounded repeats
    ['chained bounded repeats', { ...GOOD, pattern: String.raw`no \s space .{0,1000} a .{0,1000} a .{0,1000} a .{0,1000} :` }, 'pattern', /ReDoS.*can share the same characters/],
  ])('%s', (_name, def, field, reason) => {
    const e = errorOf([def]);
    expect(e.ruleId).toBe('my-rule');
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`rule "my-rule": ${field}: `)).toBe(true);
    expect(e.message).toMatch(reason);
  });

  it('a duplicate id, within the list and against existing rules', () => {
    const e = errorOf([GOOD, GOOD]);
    expect(e.message).toBe('rule "my-rule": id: duplicate rule id');
    const e2 = errorOf([{ ...GOOD, id: RULES[0]!.id }], { existing: RULES });
    expect(e2.message).toBe(`rule "${RULES[0]!.id}": id: duplicate rule id`);
  });

  it('a rule without a usable id is named by its index', () => {
    const e = errorOf([GOOD, { ...GOOD, id: undefined }]);
    expect(e.message).toMatch(/^rule "#1": id: /);
  });

  it('unknown `requires` names the index', () => {
    const e = errorOf([{ ...GOOD, requires: ['no-such-rule'] }]);
    expect(e.message).toBe('rule "my-rule": requires.0: unknown rule "no-such-rule"');
  });

  it("redos: 'recheck' loads recheck lazily and still accepts a linear rule", () => {
    expect(compileRules([GOOD], { redos: 'recheck' })[0]?.id).toBe('my-rule');
  });
});

describe('structural ReDoS analyser', () => {
  it('passes every built-in pattern', () => {
    const flagged = RULES.map((r) => [r.id, analyseRedos(r.source, r.flags)?.reason] as const).filter(([, p]) => p !== undefined);
    expect(flagged).toEqual([]);
  });

  it.each([
    ['^(a+)+$', /nested/],
    ['(a|aa)+$', /overlapping branches/],
    ['^(\\w+\\s?)*$', /nested/],
    ['\\s+$', /unbounded/],
    ['.*error.*failed', /unbounded/],
    ['(?<path>/\\S+): no space left on device', /unbounded/],
    ['\\d+\\.?\\d+ms', /adjacent/],
    ['\\s+\\s*x', /adjacent/],
    ['(\\w|\\d)*x', /overlapping branches/],
    ['(?:a{1,3}){0,400}b', /nested/],
    ['[^"]{0,4096}[^:]{0,4096}x', /adjacent/],
    ['^.*a.*b', /unbounded/],
    // issue 14 item 1: bounded repeats chained through a character they can also match (degree 4)
    ['no\\sspace.{0,1000}a.{0,1000}a.{0,1000}a.{0,1000}:', /can share the same characters/],
    ['x[^y]{0,500}b[^y]{0,500}z', /can share the same characters/],
  ])('flags %s', (src, reason) => {
    expect(analyseRedos(src, 'i')?.reason).toMatch(reason);
  });

  it.each(['no space left on device', 'Failed to pull image "(?<image>[^"]+)"', '\\bexit code (?<code>\\d+)\\b', '^[^:]+: (?<msg>.*)$', 'error:\\s+(\\w+)', 'x\\d{0,5}\\d{0,5}y', 'inotify_add_watch\\s(/[^\\s:]{0,4096})?:?\\s?no', '[^:]{0,1000}:[^:]{0,1000}x', 'mount\\s[^\\s]{1,1000}\\son\\s[^\\s]{1,1000}\\sfailed', 'unit\\s"?[^"\\s]{1,300}\\.(?:slice|scope)"?[^\\n]{0,1000}?no', '/x(?:/[^\\s:]{0,1000})?(?:\\s[^:]{0,160}?)?:?\\sno'])(
    'accepts linear %s',
    (src) => {
      expect(analyseRedos(src, 'i')).toBeNull();
    },
  );

  it('is fast: every built-in pattern analysed in well under a second', () => {
    const t0 = performance.now();
    for (let k = 0; k < 5; k++) for (const r of RULES) analyseRedos(r.source, r.flags);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('rule YAML files', () => {
  it('a billion-laughs file is refused quickly with a RuleError', () => {
    let y = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 0; i < 9; i++) y += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]\n`;
    const t0 = performance.now();
    expect(() => parseRuleYaml(y, 'lol.yaml')).toThrow(RuleError);
    expect(() => parseRuleYaml(y, 'lol.yaml')).toThrow(/rule "lol": \(file\): lol\.yaml: .*alias/i);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it.each(['!!js/function "function () { return 1 }"', '!!js/regexp /x/', '!<tag:yaml.org,2002:js/undefined> ""', '!custom x'])(
    'a tag that could construct code or objects is refused: %s',
    (tagged) => {
      expect(() => parseRuleYaml(`id: my-rule\npattern: ${tagged}\n`, 'my-rule.yaml')).toThrow(RuleError);
    },
  );
});
