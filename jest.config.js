// Two tiers that can run on their own: `unit` (pure logic) and `integration` (real PostgreSQL and a
// real Temporal dev server, started by the global setup when none is running).
const transform = { '^.+\\.ts$': ['@swc/jest'] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  // Jest's default on two cores is one worker; most integration files wait on servers and timers, so two
  // side by side nearly halve the run. Each worker has its own Temporal namespace (test/support/test-env.ts).
  maxWorkers: Number(process.env.FUUSIO_TEST_WORKERS ?? 2),
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.test.ts', '<rootDir>/infra/seed/**/*.test.ts', '<rootDir>/workflows/**/*.test.ts',
        '<rootDir>/apps/web/src/**/*.test.ts', '<rootDir>/apps/cli/**/*.test.ts',
      ],
      // The dashboard imports csv-stringify's browser build (ES modules); in Node the same API comes as CommonJS.
      moduleNameMapper: { '^csv-stringify/browser/esm/sync$': 'csv-stringify/sync' },
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/infra/temporal/**/*.test.ts', '<rootDir>/activities/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // Re-recording the replay fixtures is a deliberate act (`npm run record:histories -- <recorder>`), never part of `npm test`.
      ...common,
      displayName: 'recording',
      testMatch: ['<rootDir>/test/replay/*.recorder.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
