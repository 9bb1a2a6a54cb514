// ESLint (flat config): the recommended JavaScript and typescript-eslint rule sets, no stylistic rules
// (formatting is not linted). Runs in `npm test` through `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**', 'out/**', 'media/dist/**', 'node_modules/**', '.cache/**', 'test-artifacts/**', 'bench-results/**',
      '**/*.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `const { files: _old, ...rest } = m` drops keys on purpose; a leading underscore marks an unused binding.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // CommonJS by necessity: mocha loads the reporter with require(); the worker entry runs before tsx.
    files: ['**/*.cjs', 'test/summaryReporter.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.{ts,js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
  },
);
