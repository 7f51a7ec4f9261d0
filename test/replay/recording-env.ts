import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities';
import {
  HUS_BUSINESS_ID, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID, seedConsolidationDemo,
} from '../../infra/seed/demo-consolidation';
import { seedDemoData } from '../../infra/seed/seed';
import { findTestServer } from '../../infra/temporal/provision';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../libs/temporal/search-attributes';
import type { Actor } from '../../libs/domain/progress';
import { decideUpdate, eventUpdate, progressQuery } from '../../workflows/kit/messages';
import { createTestDatabase, eventually, type TestDatabase } from '../support/harness';
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

/** The Uusimaa consolidation's study, then every body of its decision chain approving (Verso's council after the others' boards, HUS last). */
export async function studyAndDecide(h: WorkflowHandle, actor: Actor): Promise<void> {
  const at = (stage: string) => eventually(async () => ((await h.query(progressQuery)).stage === stage ? true : undefined), 60_000, stage);
  await at('feasibility');
  await h.executeUpdate(eventUpdate, {
    args: [{ type: 'study.completed', payload: { findings: 'An administrative merger serves the new wellbeing services counties.' }, idempotencyKey: 'study', actor }],
  });
  await at('decisions');
  for (const [party, body] of [
    [VERSO_BUSINESS_ID, 'verso-board'], [VERSO_BUSINESS_ID, 'joint-authority-board'], [SOCCA_BUSINESS_ID, 'socca-steering-group'],
    [SOSIAALITAITO_BUSINESS_ID, 'sosiaalitaito-board'], [VERSO_BUSINESS_ID, 'joint-authority-council'], [HUS_BUSINESS_ID, 'hus-board'],
  ] as const) {
    await h.executeUpdate(decideUpdate, { args: [{ gate: 'decisions', party, body, decision: 'approve', actor }] });
  }
}
