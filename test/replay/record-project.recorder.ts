import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { seedDemoData } from '../../infra/seed/seed';
import { DAY_MS } from '../../libs/domain/duration';
import { dayStartMs, planPeriods } from '../../libs/domain/project';
import { createTestDatabase } from '../support/harness';
import { futureProject, sendEvent, startTimeSkipping } from '../project-fixtures';

/**
 * Records the project lifecycle's replay fixtures on the time-skipping test server (a real worker
 * and activities on a fresh database). Only on request:
 *   npm run record:histories -- test/replay/record-project.recorder.ts
 * A two-year project in half-year periods runs as four runs joined by continueAsNew; each run's
 * history is its own fixture (project-run-1 … project-run-4), so the replay gate checks the run that
 * ends in continueAsNew and the run that picks up its carried state. project-rejected is one run.
 */
const RECORD = process.env.FUUSIO_RECORD_HISTORIES === '1';
const FIXTURES = join(__dirname, 'fixtures');
const EventType = temporal.api.enums.v1.EventType;

(RECORD ? test : test.skip)('records the project replay fixtures', async () => {
  const db = await createTestDatabase();
  await seedDemoData(db.pool);
  const ts = await startTimeSkipping(db.pool);
  try {
    const written = await ts.withWorker(async (taskQueue) => {
      const out: { name: string; last: number | null | undefined }[] = [];
      const save = (name: string, history: temporal.api.history.v1.IHistory) => {
        writeFileSync(join(FIXTURES, `${name}.json`), `${historyToJSON(history)}\n`);
        const events = history.events ?? [];
        out.push({ name, last: events[events.length - 1]?.eventType });
      };

      const input = futureProject(await ts.env.currentTimeMs(), { name: 'Replay-hanke', years: 2 });
      const handle = await ts.startProject(taskQueue, input);
      await ts.throughDecision(handle.workflowId, { decision: 'approve', euraCode: 'S98001', approvedCents: 1_000_000_00 });
      const periods = planPeriods(input.plannedStart, input.plannedEnd, 6, 60);
      for (const p of periods) {
        await ts.skipTo(dayStartMs(p.end) + 2 * DAY_MS);
        if (p.no === 1) await sendEvent(ts.env.client, handle.workflowId, 'indicator.recorded', { key: 'workshops', actual: 3 });
        // Period 2 is reported late: its reminders and escalation are in the history.
        if (p.no === 2) await ts.skipTo(dayStartMs(p.dueOn) + 2 * DAY_MS);
        if (p.no === 2) await sendEvent(ts.env.client, handle.workflowId, 'change.requested', { budgetCents: 1_100_000_00, reference: 'Muutos 1' });
        await sendEvent(ts.env.client, handle.workflowId, 'report.submitted', { period: p.no, costsCents: 200_000_00 });
      }
      await ts.stageReached(handle.workflowId, 'closing');
      for (const document of ['final-report', 'monitoring-form', 'final-payment']) {
        await sendEvent(ts.env.client, handle.workflowId, 'closing.approved', { document });
      }
      await ts.stageReached(handle.workflowId, 'rooting');
      await sendEvent(ts.env.client, handle.workflowId, 'results.published', { where: 'Innokylä', title: 'Toimintamalli' });
      await ts.env.client.workflow.getHandle(handle.workflowId).result();
      const runs = await ts.runs(handle.workflowId, handle.firstExecutionRunId);
      runs.forEach((r, i) => save(`project-run-${i + 1}`, r.history));

      const rejected = await ts.startProject(taskQueue, futureProject(await ts.env.currentTimeMs(), { name: 'Replay-hylätty' }));
      await ts.throughDecision(rejected.workflowId, { decision: 'reject', comment: 'outside the call' });
      await rejected.result();
      save('project-rejected', await rejected.fetchHistory());
      return out;
    });
    expect(written.map((w) => w.name)).toEqual(['project-run-1', 'project-run-2', 'project-run-3', 'project-run-4', 'project-rejected']);
    expect(written.map((w) => w.last)).toEqual([
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    ]);
  } finally {
    await ts.env.teardown();
    await db.drop();
  }
}, 180_000);
