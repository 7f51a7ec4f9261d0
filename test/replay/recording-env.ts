import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities } from '../../activities';
import { seedConsolidationDemo } from '../../infra/seed/demo-consolidation';
import { seedDemoData } from '../../infra/seed/seed';
import { findTestServer } from '../../infra/temporal/provision';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../libs/temporal/search-attributes';
import { createTestDatabase, type TestDatabase } from '../support/harness';
import { testEnv } from '../support/test-env';

export type ConsolidationRecording = { env: TestWorkflowEnvironment; db: TestDatabase; worker: Worker; taskQueue: string; close(): Promise<void> };

/**
 * What a consolidation recorder runs on: Temporal's time-skipping test server (the effective date is
 * weeks away) with Fuusio's search attributes, a fresh database seeded with the demo and the Uusimaa
 * centres, and the real worker and activities on its own task queue.
 */
export async function startConsolidationRecording(): Promise<ConsolidationRecording> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: await findTestServer() } } });
  const db = await createTestDatabase();
  const namespace = env.namespace ?? 'default';
  await env.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [
      name, type === 'KeywordList' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ])),
  });
  await seedDemoData(db.pool);
  await seedConsolidationDemo(db.pool);
  const taskQueue = `record-consolidation-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, namespace, taskQueue, activities: createActivities({ pool: db.pool }), workflowBundle: { codePath: testEnv('bundle') },
  });
  return {
    env, db, worker, taskQueue,
    close: async () => {
      await env.teardown();
      await db.drop();
    },
  };
}

/**
 * Writes the parent's history to fixtures/<name>.json and each party's transfer child's (they have histories
 * of their own, so the child's code is guarded as well) to fixtures/<childPrefix>-<n>.json; each child completed.
 */
export async function writeConsolidationFixtures(
  env: TestWorkflowEnvironment, parent: temporal.api.history.v1.IHistory, name: string, childPrefix: string,
): Promise<void> {
  const fixtures = join(__dirname, 'fixtures');
  writeFileSync(join(fixtures, `${name}.json`), `${historyToJSON(parent)}\n`);
  const children = (parent.events ?? [])
    .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
    .filter((id): id is string => typeof id === 'string');
  expect(children).toHaveLength(2);
  for (const [n, childId] of children.entries()) {
    const child = await env.client.workflow.getHandle(childId).fetchHistory();
    expect(child.events?.[child.events.length - 1]?.eventType).toBe(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    writeFileSync(join(fixtures, `${childPrefix}-${n + 1}.json`), `${historyToJSON(child)}\n`);
  }
}
