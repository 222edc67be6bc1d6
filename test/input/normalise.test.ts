import { describe, expect, it } from 'vitest';
import { cleanText, normalise, stripCombined, unescapeRuns } from '../../src/input/normalise.js';

describe('normalise', () => {
  it.each([
    ['plain text stays', 'no space left on device', 'no space left on device'],
    ['case is kept', 'No Space Left On Device', 'No Space Left On Device'],
    ['Go %q one level', 'caused \\"mkdir /x: no space left on device\\"', 'caused "mkdir /x: no space left on device"'],
    ['Go %q two levels', 'caused \\\\\\"no space\\\\\\"', 'caused "no space"'],
    ['Go %q three levels', 'caused \\\\\\\\\\\\\\"no space\\\\\\\\\\\\\\"', 'caused "no space"'],
    ['escaped newline and tab', 'line one\\nline two\\tcol', 'line one line two col'],
    ['double-escaped newline', 'a\\\\nb', 'a b'],
    ['JSON \\u escapes', '\\u003cnone\\u003e \\u0026 x', '<none> & x'],
    ['systemd \\x2d', 'pods-d111600d\\x2dcdf2\\x2d11e7-volumes-kubernetes.io\\x7esecret', 'pods-d111600d-cdf2-11e7-volumes-kubernetes.io~secret'],
    ['\\xNN UTF-8 bytes', 'caf\\xc3\\xa9', 'café'],
    ['other backslash runs collapse', 'C:\\\\\\\\Users\\\\x', 'C:\\Users\\x'],
    ['trailing backslash', 'end\\', 'end\\'],
    ['smart quotes', '“quoted” and ‘single’', '"quoted" and \'single\''],
    ['ANSI colours', '\x1b[31mERRO\x1b[0m[0000] boom', 'ERRO[0000] boom'],
    ['escaped ANSI from JSON', '\\u001b[1;31merror\\u001b[0m: x', 'error: x'],
    ['NBSP', 'no\u00a0space', 'no space'],
    ['rsyslog #012 and #011', 'line one#012line two#011tab', 'line one line two tab'],
    ['rsyslog colour #033', '#033[31mred#033[0m text', 'red text'],
    ['hash kept otherwise', 'issue #123 and #0999', 'issue #123 and #0999'],
    ['whitespace runs collapse and trim', '  a \t\t b\r\n c  ', 'a b c'],
    ['NUL and control bytes are spaces', 'a\u0000b\u0007c', 'a b c'],
    ['zero-width removed', 'no\u200bspace', 'nospace'],
    ['BOM removed', '\ufeffhello', 'hello'],
  ])('%s', (_name, input, expected) => {
    expect(normalise(input)).toBe(expected);
  });

  it('leaves text without escapes untouched (same string)', () => {
    const s = 'E1114 10:23:45 plain text';
    expect(unescapeRuns(s)).toBe(s);
    expect(cleanText(s)).toBe(s);
  });

  it('strips the event correlator prefix', () => {
    expect(stripCombined('(combined from similar events): Error: x')).toBe('Error: x');
    expect(stripCombined('Error: x')).toBe('Error: x');
  });

  it('is linear on long backslash runs and long whitespace', () => {
    const t = performance.now();
    expect(normalise(`${'\\'.repeat(2_000_000)}"`)).toBe('"');
    expect(normalise(`a${' '.repeat(2_000_000)}b`)).toBe('a b');
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
