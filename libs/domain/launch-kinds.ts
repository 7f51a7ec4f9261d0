import type { z } from 'zod';
import {
  consolidationBusinessKey, consolidationLaunchSchema, consolidationOrganisations, studyCompletedPayloadSchema,
  taskCompletedPayloadSchema, tasksClosedPayloadSchema,
} from './consolidation';
import {
  onboardingBusinessKey, onboardingInputSchema, paymentConfirmationSchema, paymentPayloadSchema, shareholdingMergerBusinessKey,
  shareholdingMergerInputSchema,
} from './schemas';
import {
  applicationSubmittedPayloadSchema, changePayloadSchema, closingPayloadSchema, fundingDecisionPayloadSchema, indicatorPayloadSchema, projectBusinessKey,
  projectInputSchema, projectOrganisations, reportPayloadSchema, rootingPayloadSchema,
} from './project';

/**
 * What the API needs to know to start one kind of workflow: the schema of its input, the workflow
 * function that runs it, its business key (the workflow id) and the organisations it involves (a
 * scoped token may only launch what involves its organisation). `company`, when given, must be in the
 * registry before anything starts.
 */
export type LaunchSpec<S extends z.ZodType = z.ZodType> = {
  schema: S;
  workflowType: string;
  describe(input: z.output<S>): { businessKey: string; organisations: string[]; company?: string };
  /**
   * The payload schema of each event type the kind takes. The API refuses a payload that does not fit
   * before it reaches the workflow: the workflows carry no zod (their own guards are libs/domain/event-payloads.ts).
   */
  events?: Readonly<Record<string, z.ZodType>>;
};

function launchSpec<S extends z.ZodType>(spec: LaunchSpec<S>): LaunchSpec<S> {
  return spec;
}

/** Every kind `POST /api/workflows/{kind}` accepts. Adding a process family adds one entry here. */
export const LAUNCH_KINDS = {
  onboarding: launchSpec({
    schema: onboardingInputSchema,
    workflowType: 'onboardShareholder',
    describe: (i) => ({ businessKey: onboardingBusinessKey(i), organisations: [i.company, i.applicant.businessId], company: i.company }),
    events: { 'payment.received': paymentPayloadSchema, 'payment.confirmed': paymentConfirmationSchema },
  }),
  'shareholding-merger': launchSpec({
    schema: shareholdingMergerInputSchema,
    workflowType: 'mergeShareholdings',
    describe: (i) => ({
      businessKey: shareholdingMergerBusinessKey(i),
      organisations: [i.company, i.into.businessId, ...i.merging],
      company: i.company,
    }),
  }),
  consolidation: launchSpec({
    schema: consolidationLaunchSchema,
    workflowType: 'consolidateCentres',
    describe: (i) => ({ businessKey: consolidationBusinessKey(i), organisations: consolidationOrganisations(i) }),
    events: { 'study.completed': studyCompletedPayloadSchema, 'task.completed': taskCompletedPayloadSchema, 'tasks.closed': tasksClosedPayloadSchema },
  }),
  project: launchSpec({
    schema: projectInputSchema,
    workflowType: 'projectLifecycle',
    describe: (i) => ({ businessKey: projectBusinessKey(i), organisations: projectOrganisations(i) }),
    events: {
      'application.submitted': applicationSubmittedPayloadSchema, 'funding.decided': fundingDecisionPayloadSchema,
      'report.submitted': reportPayloadSchema, 'indicator.recorded': indicatorPayloadSchema,
      'change.requested': changePayloadSchema, 'closing.approved': closingPayloadSchema, 'results.published': rootingPayloadSchema,
    },
  }),
};
export type LaunchKind = keyof typeof LAUNCH_KINDS;

export function isLaunchKind(kind: string): kind is LaunchKind {
  return Object.prototype.hasOwnProperty.call(LAUNCH_KINDS, kind);
}
