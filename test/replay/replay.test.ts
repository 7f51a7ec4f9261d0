import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowsPath } from '../../apps/worker/create-worker';
import { SCENARIOS } from '../../infra/temporal/record-histories';
import { TEST_ENV } from '../support/test-env';

/**
 * The replay gate: every history in fixtures/ (recorded from real runs by record.test.ts) must replay
 * on the current workflow code. A change that is not replay-safe fails here before it can break
 * workflows already running in production. No server or worker connection is needed.
 */
const FIXTURES = join(__dirname, 'fixtures');
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();

function load(file: string) {
  return { workflowId: basename(file, '.json'), history: historyFromJSON(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'))) };
}

try {
  Runtime.install({ logger: new DefaultLogger((process.env.TEST_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
} catch {
  // already installed in this process by an earlier test file
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

async function bundle(path: string): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: path, logger: quietLogger });
  return { code };
}

/** The current workflow code: the bundle the global setup built from workflows/, or a fresh one. */
async function currentBundle(): Promise<{ codePath: string } | { code: string }> {
  const codePath = process.env[TEST_ENV.bundle];
  return codePath ? { codePath } : bundle(workflowsPath());
}

describe('replay gate: recorded histories replay on the current workflow code', () => {
  test('a fixture is there for every recorded scenario', () => {
    expect(files).toEqual(expect.arrayContaining(SCENARIOS.map((name) => `${name}.json`)));
  });

  test('every fixture replays without a determinism violation or other replay error', async () => {
    const histories = files.map(load);
    expect(histories.length).toBeGreaterThanOrEqual(SCENARIOS.length);
    const results: { workflowId: string; error: string | undefined }[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: await currentBundle() }, histories)) {
      results.push({ workflowId: r.workflowId, error: r.error ? `${r.error.name}: ${r.error.message}` : undefined });
    }
    expect(results).toEqual(histories.map((h) => ({ workflowId: h.workflowId, error: undefined })));
  });
});

describe('the gate catches a change that is not replay-safe', () => {
  const completed = () => load('onboarding-completed.json');

  test('an extra timer before the real onboarding fails replay with a DeterminismViolationError', async () => {
    const changed = await bundle(require.resolve('./changed-workflows'));
    const { workflowId, history } = completed();
    const err = await Worker.runReplayHistory({ workflowBundle: changed }, history, workflowId).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeterminismViolationError);
    expect((err as Error).message).toMatch(/nondeterminism/i);
  });

  test('the same timer behind patched() replays the old histories', async () => {
    const patchedBundle = await bundle(require.resolve('./changed-workflows/patched'));
    const onboarding = files.filter((f) => f.startsWith('onboarding-')).map(load);
    expect(onboarding.map((h) => h.workflowId)).toContain('onboarding-completed');
    const results: { workflowId: string; error: string | undefined }[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: patchedBundle }, onboarding)) {
      results.push({ workflowId: r.workflowId, error: r.error ? `${r.error.name}: ${r.error.message}` : undefined });
    }
    expect(results).toEqual(onboarding.map((h) => ({ workflowId: h.workflowId, error: undefined })));
  });
});
