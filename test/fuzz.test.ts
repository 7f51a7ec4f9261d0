import { join } from 'node:path';
import { prepareFuzzData } from '../infra/fuzz/fuzz-data';
import { describeFuzzResult, FUZZ_EXCLUDED_PATHS, runSchemathesis } from '../infra/fuzz/schemathesis';
import { seedDemoProjects } from '../infra/seed/demo-projects';
import { findProjectRoot } from '../infra/temporal/provision';
import { startApi, type TestApi } from './support/api-harness';
import { startStack, type WorkerStack } from './support/stack';

/**
 * A bounded sample of the schema-driven fuzzing `npm run test:fuzz` does at length: Schemathesis builds
 * requests for every operation from the OpenAPI document and the API must answer none with a 5xx and
 * every documented status with its documented shape.
 */
const EXAMPLES_PER_OPERATION = Number(process.env.FUZZ_SAMPLE_EXAMPLES ?? 10);

jest.setTimeout(15 * 60_000);

let stack: WorkerStack;
let api: TestApi;

beforeAll(async () => {
  stack = await startStack({ api: false });
  await seedDemoProjects(stack.db.pool);
  // The fuzzer is one client sending as fast as it can: the per-client limit would answer it 429.
  api = await startApi(stack.db, stack.temporal, { rateLimit: { limit: 1_000_000 } });
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

test('schemathesis finds no server error and no answer that breaks the documented schema', async () => {
  const data = await prepareFuzzData(stack.db.pool, api.baseUrl);
  const result = await runSchemathesis({
    baseUrl: api.baseUrl,
    data,
    maxExamples: EXAMPLES_PER_OPERATION,
    reportDir: join(findProjectRoot(), '.fuusio', 'test', `fuzz-${process.pid}`),
    seed: 11,
    workers: 1,
    exclude: FUZZ_EXCLUDED_PATHS,
    log: (m) => process.stderr.write(`[fuzz] ${m}\n`),
  });
  process.stderr.write(`${describeFuzzResult(result)}\n`);
  expect(result.failures).toEqual([]);
  expect(result.errors).toEqual([]);
  expect(result.operations.tested).toBe(result.operations.selected);
  expect(result.generated).toBeGreaterThanOrEqual(result.operations.selected * 5);
  expect(result.exitCode).toBe(0);
});
