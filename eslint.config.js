// Lint configuration (`npm run lint`, part of `npm test`): the recommended sets of ESLint,
// typescript-eslint (without type information, to stay fast) and, for the code that writes
// regular expressions (src/ and scripts/), eslint-plugin-regexp.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

/** The Node globals the plain .js/.mjs/.cjs files use (no `globals` package is installed). */
const nodeGlobals = {
  process: 'readonly',
  Buffer: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

export default tseslint.config(
  // Build output, generated modules (checked by the freshness test instead) and test data.
  { ignores: ['dist/', 'coverage/', 'src/generated/', 'test/fixtures/', 'docs/api/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter or binding kept for its position (a callback's
      // signature, a destructured element skipped on purpose).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: nodeGlobals } },
  // A .cjs file is CommonJS on purpose (bench/rss-hook.cjs is loaded with `node --require`).
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, require: 'readonly', module: 'writable' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    ...regexp.configs['flat/recommended'],
    rules: {
      ...regexp.configs['flat/recommended'].rules,
      // `[A-Za-z]` says which letters it means; an `i` flag would widen every other literal of the
      // pattern too, and the rules' own patterns are case-folded by the engine, not here.
      'regexp/use-ignore-case': 'off',
    },
  },
);
