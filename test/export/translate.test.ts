import { describe, expect, it } from 'vitest';
import { Re2TranslationError, toRe2 } from '../../src/export/index.js';
import { goDialectProblems, withRe2 } from './support.js';

describe('toRe2', () => {
  it.each([
    ['plain text stays', 'no\\sspace\\sleft', 'no\\sspace\\sleft'],
    ['groups become non-capturing', '(a)(?<path>b)(?:c)', '(?:a)(?:b)(?:c)'],
    ['a literal quote tolerates any quoting level', 'dir "x"', 'dir \\\\*"x\\\\*"'],
    ['an escaped quote too', 'dir \\"x', 'dir \\\\*"x'],
    ['a quantified quote is grouped', 'a"?b', 'a(?:\\\\*")?b'],
    ['a class with a quote takes the backslashes', "['\"]x", "(?:\\\\*['\"])x"],
    ['a negated class with a quote is left alone', '[^"]+', '[^"]+'],
    ['\\u escapes become \\x{}', '\\u00e9', '\\x{E9}'],
    ['\\x22 is a quote', '\\x22', '\\\\*"'],
    ['letters escaped for JS only become literals', '\\a\\z\\e', 'aze'],
    ['punctuation escapes that need none drop the backslash', '\\/\\.\\-', '/\\.-'],
    ['\\cJ becomes a control character', '\\cJ', '\\x{A}'],
    ['\\0 is NUL', 'a\\0', 'a\\x{0}'],
    ['\\b in a class is backspace', '[\\b]', '[\\x{8}]'],
    ['a [ in a class is escaped (Go reads [[:x:]] as POSIX)', '[[:a]', '[\\[:a]'],
    ['a literal { stays literal', 'a{b', 'a\\{b'],
    ['small repeats stay', 'a{0,100}', 'a{0,100}'],
    ['repeats above 100 are widened', 'a{0,1000}b{2,2000}', 'a{0,}b{2,}'],
    ['anchors stay', '^a$', '^a$'],
    ['a value after = may be quoted', '\\serr=too', '\\serr=(?:\\\\*")?too'],
    ['a quantified = is left alone', 'a=?b', 'a=?b'],
    ['[^] and [] have RE2 spellings', '[^][]', '(?s:.)[^\\x00-\\x{10FFFF}]'],
  ])('%s', (_, source, body) => {
    const out = toRe2(source);
    expect(out.body).toBe(body);
    expect(goDialectProblems(out.body)).toEqual([]);
    withRe2(`(?i)${out.body}`, () => undefined);
  });

  it('notes what it widened', () => {
    expect(toRe2('a{0,4096}').notes).toEqual(['repeat {0,4096} widened to {0,} (RE2 copies counted repeats; open-ended stays linear)']);
    expect(toRe2('^a').notes).toEqual(['^/$ anchor the raw line, not the message inside its envelope']);
  });

  it.each([
    ['lookahead', 'a(?=b)'],
    ['lookbehind', '(?<=a)b'],
    ['backreference', '(a)\\1'],
    ['named backreference', '(?<x>a)\\k<x>'],
    ['exact repeat above 1000', 'a{2000}'],
    ['unterminated class', '[ab'],
  ])('refuses %s', (_, source) => {
    expect(() => toRe2(source)).toThrow(Re2TranslationError);
  });

  it('matches like JavaScript on the same text, and through one more quoting level', () => {
    const source = 'failed\\sto\\swatch\\s"(/[^"]{1,4096})":\\sinotify_add_watch';
    const js = new RegExp(source, 'i');
    const re2Body = `(?i)${toRe2(source).body}`;
    const lines = [
      'E0718 raw.go:140] Failed to watch directory "/sys/fs/cgroup": inotify_add_watch /x: no space left on device',
      'failed to watch "/a": inotify_add_watch',
      'FAILED TO WATCH "/a": INOTIFY_ADD_WATCH',
      'failed to watch /a: inotify_add_watch',
      'failed to watch "": inotify_add_watch',
    ];
    withRe2(re2Body, (re) => {
      for (const l of lines) expect(re.test(l), l).toBe(js.test(l));
      expect(re.test(JSON.stringify(lines[1]))).toBe(true);
      expect(re.test(JSON.stringify(JSON.stringify(lines[1])))).toBe(true);
    });
  });

  it.each([
    ['a tab', 'a\\tb', 'a\tb', 'a\\x09b'],
    ['a non-ASCII literal', 'caf\u00e9 x', 'café x', 'caf\\xc3\\xa9 x'],
    ['a class with a tab and a curly quote', 'q[\\t\u2019]z', 'q\u2019z', 'q\\xe2\\x80\\x99z'],
    ['a backslash', 'a\\\\b', 'a\\b', 'a\\x5cb'],
    ['\\s over a tab', 'x\\sy', 'x\ty', 'x\\x09y'],
    ['a word boundary after an escape', '\\bfoo', '\tfoo', '\\x09foo'],
    ['a quote after escaped backslashes', 'say "hi"', 'say \\"hi\\"', 'say \\x5c"hi\\x5c"'],
  ])('for /dev/kmsg, %s also matches as the kernel prints it (\\xNN)', (_, source, line, printed) => {
    const js = new RegExp(source, 'i');
    expect(js.test(line) || line.includes('\\')).toBe(true);
    const kmsg = toRe2(source, { kmsg: true }).body;
    expect(goDialectProblems(kmsg)).toEqual([]);
    withRe2(`(?i)${kmsg}`, (re) => {
      expect(re.test(line), line).toBe(true);
      expect(re.test(printed), printed).toBe(true);
    });
    // The journald translation has no reason to accept the escapes (there, \\x09 is four characters).
    if (!/\\s|\\b|"/.test(source)) withRe2(`(?i)${toRe2(source).body}`, (re) => expect(re.test(printed), printed).toBe(false));
  });

  it('for /dev/kmsg, an escape of something else does not stand in for a literal', () => {
    withRe2(`(?i)${toRe2('caf\u00e9 x', { kmsg: true }).body}`, (re) => {
      expect(re.test('caf\\xc3\\xa8 x')).toBe(false);
      expect(re.test('cafe x')).toBe(false);
    });
  });
});
