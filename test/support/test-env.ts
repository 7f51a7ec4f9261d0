/** Environment variables through which the global setup hands its resources to the test files. */
export const TEST_ENV = {
  adminUrl: 'FUUSIO_TEST_ADMIN_URL',
  template: 'FUUSIO_TEST_TEMPLATE',
  temporalAddress: 'FUUSIO_TEST_TEMPORAL_ADDRESS',
  namespace: 'FUUSIO_TEST_NAMESPACE',
  bundle: 'FUUSIO_TEST_WORKFLOW_BUNDLE',
  chromium: 'FUUSIO_TEST_CHROMIUM',
} as const;

export function testEnv(key: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[key]];
  if (!value) throw new Error(`${TEST_ENV[key]} is not set: run the integration tests through jest's global setup`);
  return value;
}
