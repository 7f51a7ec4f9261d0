import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { testEnv } from './support/test-env';

// The project fixtures (recorded by test/replay/record-project.test.ts) span continueAsNew: each run
// replays on its own, and a change that only touches a continued run is caught by the later runs.
const FIXTURES = join(__dirname, 'replay', 'fixtures');
const RUNS = ['project-run-1', 'project-run-2', 'project-run-3', 'project-run-4'];
const EventType = temporal.api.enums.v1.EventType;

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}

const load = (name: string) => ({ workflowId: name, history: historyFromJSON(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'))) });
const noop = () => undefined;

test('the recorded runs are one workflow joined by continueAsNew, the later ones started from carried state', () => {
  const runs = RUNS.map(load);
  const last = (h: ReturnType<typeof load>) => h.history.events?.[h.history.events.length - 1];
  const first = (h: ReturnType<typeof load>) => h.history.events?.[0]?.workflowExecutionStartedEventAttributes;
  for (let i = 0; i < runs.length - 1; i++) {
    const run = runs[i];
    const next = runs[i + 1];
    if (!run || !next) throw new Error('missing run');
    expect(last(run)?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    expect(first(next)?.continuedExecutionRunId).toBeTruthy();
    expect(first(next)?.input?.payloads).toHaveLength(2); // the input and the carried state
  }
  expect(first(runs[0] ?? load(RUNS[0] ?? ''))?.input?.payloads).toHaveLength(1);
});

test('every run replays on the current code; a change to continued runs fails on exactly those', async () => {
  const histories = RUNS.map(load);
  const current = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: testEnv('bundle') } }, histories)) current.push({ id: r.workflowId, ok: !r.error });
  expect(current).toEqual(RUNS.map((id) => ({ id, ok: true })));

  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./project-changed-workflow'),
    logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
  });
  const changed: { id: string; violation: boolean; ok: boolean }[] = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle: { code } }, histories)) {
    changed.push({ id: r.workflowId, violation: r.error instanceof DeterminismViolationError, ok: !r.error });
  }
  expect(changed).toEqual([
    { id: 'project-run-1', violation: false, ok: true },
    { id: 'project-run-2', violation: true, ok: false },
    { id: 'project-run-3', violation: true, ok: false },
    { id: 'project-run-4', violation: true, ok: false },
  ]);
}, 60_000);
