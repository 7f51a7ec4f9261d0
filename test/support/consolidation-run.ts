import type { WorkflowHandle } from '@temporalio/client';
import {
  HUS_BUSINESS_ID, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID,
} from '../../infra/seed/demo-consolidation';
import type { Actor } from '../../libs/domain/progress';
import { decideUpdate, eventUpdate, progressQuery } from '../../workflows/kit/messages';
import { eventually } from './harness';

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
