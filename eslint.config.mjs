// ESLint (flat config): typescript-eslint's recommended rules plus a few that
// keep the code consistent. The code passes without disabling comments.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', '.cache/', '.venv*/', 'coverage/', 'demo-model/', 'build/', 'src/generated/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        globalThis: 'readonly',
        window: 'readonly',
        document: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        atob: 'readonly',
        btoa: 'readonly',
        URL: 'readonly',
        Response: 'readonly',
        DecompressionStream: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        navigator: 'readonly',
      },
    },
    rules: {
      eqeqeq: ['error', 'always', {null: 'ignore'}],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-shadow-restricted-names': 'error',
      // The errors rethrown with a clearer message carry the original message in their text (ES2019 target: no `cause`).
      'preserve-caught-error': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
      '@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
    },
  },
  {
    // tfjs-node is required inside try/catch, so that a missing native addon fails tests instead of the file.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-require-imports': ['error', {allow: ['^@tensorflow/tfjs-node$']}]},
  },
  {
    files: ['**/*.cjs', 'bench/core.js'],
    languageOptions: {sourceType: 'commonjs'},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    // scripts loaded by the test pages after tfjs's and this package's bundles
    files: ['test/browser/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {tf: 'readonly', tfa: 'readonly', self: 'readonly', location: 'readonly'},
    },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: {
      globals: {
        test: 'readonly',
        expect: 'readonly',
        describe: 'readonly',
        beforeAll: 'readonly',
        afterAll: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
        jest: 'readonly',
      },
    },
  },
);
