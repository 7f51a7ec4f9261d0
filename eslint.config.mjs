// Lint rules: TypeScript's recommended set, plus the determinism boundary around workflows/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.fuusio/**', 'coverage/**', 'apps/web/dist/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The bootstrap scripts run before node_modules exists: plain CommonJS on Node's own modules.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Nest reads constructor parameter types at run time, so their imports must stay value imports.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Workflow code is replayed: it may import only deterministic things.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.flatMap((name) => [
            { name, message: 'Workflow code must not use Node APIs; move I/O into an activity.' },
            { name: `node:${name}`, message: 'Workflow code must not use Node APIs; move I/O into an activity.' },
          ]),
          { name: 'pg', message: 'Only activities touch the database.' },
        ],
        patterns: [
          { group: ['@nestjs/*'], message: 'Nest belongs to the apps, not to workflows.' },
          { group: ['**/libs/db', '**/libs/db/**'], message: 'Only activities touch the database.' },
          { group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'],
            message: 'Workflows import only @temporalio/workflow and @temporalio/common.' },
          { group: ['**/activities/**', '**/activities'], importNamePattern: '.*', allowTypeImports: true,
            message: 'Import only the types of activities (import type), for proxyActivities.' },
        ],
      }],
    },
  },
);
