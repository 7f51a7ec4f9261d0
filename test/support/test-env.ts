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
  return key === 'namespace' ? workerNamespace(value, Number(process.env.JEST_WORKER_ID ?? 1)) : value;
}

/** The Temporal namespace of one jest worker: test files running side by side never share workflow ids. */
export function workerNamespace(runNamespace: string, workerId: number): string {
  return `${runNamespace}-w${workerId}`;
}
