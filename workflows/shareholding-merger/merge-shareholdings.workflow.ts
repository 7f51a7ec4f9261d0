import { allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as mergerActivities from '../../activities/registry/shareholding-merger.activities';
import type * as onboardingActivities from '../../activities/registry/onboarding.activities';
import { actorLabel } from '../../libs/domain/progress';
import { shareholdingMergerBusinessKey } from '../../libs/domain/business-keys';
import type { ShareholdingMergerInput } from '../../libs/domain/schemas';
import { recordingUnplannedEnd } from '../kit/failure';
import { REGISTRY_ACTIVITY_OPTIONS } from '../kit/activity-options';
import { calendarDays } from '../kit/calendar-days';
import { Cancellation } from '../kit/cancellation';
import { progressQuery } from '../kit/messages';
import { Progress } from '../kit/progress';

type Activities = ReturnType<typeof mergerActivities.createShareholdingMergerActivities> &
  Pick<ReturnType<typeof onboardingActivities.createOnboardingActivities>, 'notifyShareholders'>;

const acts = proxyActivities<Activities>(REGISTRY_ACTIVITY_OPTIONS);

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
async function runMergeShareholdings(input: ShareholdingMergerInput): Promise<ShareholdingMergerResult> {
  const { workflowId } = workflowInfo();
  const days = calendarDays();
  const progress = new Progress(
    {
      kind: 'shareholding-merger',
      businessKey: shareholdingMergerBusinessKey(input),
      title: `${input.merging.length} municipalities → ${input.into.name} in ${input.company} (${input.effectiveDate})`,
      organisations: [input.company, input.into.businessId, ...input.merging.filter((m) => m !== input.into.businessId)],
    },
    SHAREHOLDING_MERGER_STAGES,
  );
  setHandler(progressQuery, () => progress.view());
  const cancel = new Cancellation(progress, 'the shareholdings are already being transferred');

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

  const effectiveAt = days.startMs(input.effectiveDate);
  await progress.enterStage('scheduled', { deadline: new Date(effectiveAt).toISOString(), waitingFor: [`effective date ${input.effectiveDate}`] });
  const wait = effectiveAt - Date.now();
  if (wait > 0) await condition(() => cancel.requested !== undefined, wait);
  const cancellation = cancel.requested;
  if (cancellation) {
    await progress.finish('cancelled', { reason: cancellation.reason, actor: actorLabel(cancellation.actor) });
    return finish({ status: 'cancelled', reason: cancellation.reason });
  }
  cancel.commit();
  await progress.completeStage('scheduled');

  await progress.enterStage('transferred');
  const moved = await acts.transferMergedHoldings({ workflowId, input });
  await progress.completeStage('transferred', moved);

  await progress.enterStage('notified');
  const notice = await acts.notifyShareholders({
    workflowId, stepKey: 'notified', company: input.company, exclude: [input.into.businessId],
    onDate: maxDate(input.effectiveDate, days.today()),
    subject: `Shareholdings of merged municipalities now held by ${input.into.name}`,
    body: `${moved.movedShares} shares passed to ${input.into.name} on ${input.effectiveDate}.`,
  });
  await progress.completeStage('notified', { recipients: notice.recipients });
  await progress.finish('completed', { result: { movedShares: moved.movedShares, ranges: moved.ranges } });
  return finish({ status: 'completed', movedShares: moved.movedShares });
}

export const mergeShareholdings = recordingUnplannedEnd(runMergeShareholdings);

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
