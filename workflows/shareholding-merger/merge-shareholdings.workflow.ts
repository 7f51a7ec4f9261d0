import { allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as mergerActivities from '../../activities/registry/shareholding-merger.activities';
import type * as onboardingActivities from '../../activities/registry/onboarding.activities';
import { isoDate } from '../../libs/domain/duration';
import { actorLabel, type Actor } from '../../libs/domain/progress';
import { shareholdingMergerBusinessKey, type ShareholdingMergerInput } from '../../libs/domain/schemas';
import { REFUSAL, cancelUpdate, progressQuery } from '../kit/messages';
import { Progress } from '../kit/progress';
import { ApplicationFailure } from '@temporalio/workflow';

type Activities = ReturnType<typeof mergerActivities.createShareholdingMergerActivities> &
  Pick<ReturnType<typeof onboardingActivities.createOnboardingActivities>, 'notifyShareholders'>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const SHAREHOLDING_MERGER_STAGES = [
  { key: 'checked', title: 'Merging municipalities checked' },
  { key: 'scheduled', title: 'Waiting for the effective date' },
  { key: 'transferred', title: 'Shareholdings transferred' },
  { key: 'notified', title: 'Shareholders notified' },
];

export type ShareholdingMergerResult = {
  status: 'completed' | 'rejected' | 'cancelled';
  reason?: string;
  movedShares?: number;
};

/** When municipalities merge, their shareholdings pass to the new municipality on the effective date. */
export async function mergeShareholdings(input: ShareholdingMergerInput): Promise<ShareholdingMergerResult> {
  const { workflowId } = workflowInfo();
  const progress = new Progress(
    {
      kind: 'shareholding-merger',
      businessKey: shareholdingMergerBusinessKey(input),
      title: `${input.merging.length} municipalities → ${input.into.name} in ${input.company} (${input.effectiveDate})`,
      organisations: [input.company, input.into.businessId, ...input.merging.filter((m) => m !== input.into.businessId)],
    },
    SHAREHOLDING_MERGER_STAGES,
  );
  let cancellation: { reason: string; actor: Actor } | undefined;
  // Set once the last cancellation check has passed: from then on the transfer goes ahead.
  let committed = false;

  setHandler(progressQuery, () => progress.view());
  setHandler(
    cancelUpdate,
    async (c) => {
      cancellation = c;
      await condition(() => progress.isRecordedFinal);
      return progress.view();
    },
    {
      validator: (_request) => {
        if (progress.isFinal) throw ApplicationFailure.create({ type: REFUSAL.closed, message: 'the workflow has already ended' });
        if (committed) {
          throw ApplicationFailure.create({ type: REFUSAL.pointOfNoReturn, message: 'the shareholdings are already being transferred' });
        }
      },
    },
  );

  const finish = async (result: ShareholdingMergerResult) => {
    await condition(allHandlersFinished);
    return result;
  };

  await progress.enterStage('checked');
  const check = await acts.checkShareholdingMerger(input);
  if (!check.ok) {
    await progress.finish('rejected', { reason: check.reason });
    return finish({ status: 'rejected', reason: check.reason });
  }
  await progress.completeStage('checked', { holders: check.holders });

  const effectiveAt = Date.parse(`${input.effectiveDate}T00:00:00Z`);
  await progress.enterStage('scheduled', { deadline: new Date(effectiveAt).toISOString(), waitingFor: [`effective date ${input.effectiveDate}`] });
  const wait = effectiveAt - Date.now();
  if (wait > 0) await condition(() => cancellation !== undefined, wait);
  if (cancellation) {
    await progress.finish('cancelled', { reason: cancellation.reason, actor: actorLabel(cancellation.actor) });
    return finish({ status: 'cancelled', reason: cancellation.reason });
  }
  committed = true;
  await progress.completeStage('scheduled');

  await progress.enterStage('transferred');
  const moved = await acts.transferMergedHoldings({ workflowId, input });
  await progress.completeStage('transferred', moved);

  await progress.enterStage('notified');
  const notice = await acts.notifyShareholders({
    workflowId, stepKey: 'notified', company: input.company, exclude: [input.into.businessId],
    onDate: maxDate(input.effectiveDate, isoDate(Date.now())),
    subject: `Shareholdings of merged municipalities now held by ${input.into.name}`,
    body: `${moved.movedShares} shares passed to ${input.into.name} on ${input.effectiveDate}.`,
  });
  await progress.completeStage('notified', { recipients: notice.recipients });
  await progress.finish('completed', { result: { movedShares: moved.movedShares, ranges: moved.ranges } });
  return finish({ status: 'completed', movedShares: moved.movedShares });
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
