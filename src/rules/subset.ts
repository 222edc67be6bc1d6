/**
 * Checks that a compiled ECMAScript pattern source stays inside the RE2 ∩ ECMAScript subset:
 * no lookaround, no backreferences, no named backreferences, no repetition count above 1000.
 *
 * @param source - A compiled ECMAScript pattern source.
 * @returns The problem, or null when the source is inside the subset.
 * @example
 * ```ts
 * checkSubset('a(?=b)'); // 'lookahead is outside the RE2 subset'
 * ```
 */
export function checkSubset(source: string): string | null {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return 'backreferences are outside the RE2 subset';
      if (!inClass && next === 'k' && source[i + 2] === '<') return 'named backreferences are outside the RE2 subset';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i, i + 24));
      if (m !== null && (Number(m[1]) > 1000 || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > 1000))) {
        return `repetition count ${m[0]} is above RE2's limit of 1000`;
      }
    }
    if (c === '(' && source[i + 1] === '?') {
      const a = source[i + 2];
      const b = source[i + 3];
      if (a === '=' || a === '!') return 'lookahead is outside the RE2 subset';
      if (a === '<' && (b === '=' || b === '!')) return 'lookbehind is outside the RE2 subset';
    }
  }
  return null;
}
