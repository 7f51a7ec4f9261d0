import type { WorkflowHandle } from '@temporalio/client';
import { UUSIMAA_DECISIONS } from '../../infra/seed/demo-consolidation';
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
  for (const [party, body] of UUSIMAA_DECISIONS) {
    await h.executeUpdate(decideUpdate, { args: [{ gate: 'decisions', party, body, decision: 'approve', actor }] });
  }
}
