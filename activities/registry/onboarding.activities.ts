import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import { withTransaction } from '../../libs/db/pool';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import { OutboxWriter } from '../../libs/notify/outbox-writer';
import { APPLICANT_KINDS, onboardingInputSchema, type OnboardingInput } from '../../libs/domain/schemas';
import { allocateRange } from '../../libs/domain/shares';

export type CheckResult = { ok: true; companyName: string } | { ok: false; reason: string };

export function createOnboardingActivities({ pool }: { pool: Pool }) {
  const registry = new RegistryRepository();
  const outbox = new OutboxWriter();
  /** The notification and the messages it sends, in one transaction: a retry adds neither twice. */
  const notice = (n: { workflowId: string; stepKey: string; recipients: string[]; subject: string; body: string }) =>
    withTransaction(pool, async (tx) => {
      await registry.notify(tx, n);
      await outbox.notice(tx, n);
    });
  return {
    /** The business checks of the *checked* stage; a failed check is a result, not an error. */
    async checkApplicant(input: OnboardingInput, onDate: string): Promise<CheckResult> {
      const parsed = onboardingInputSchema.safeParse(input);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        return { ok: false, reason: `${first?.path.join('.') ?? 'input'}: ${first?.message ?? 'invalid'}` };
      }
      if (!(APPLICANT_KINDS as readonly string[]).includes(input.applicant.kind)) {
        return { ok: false, reason: `applicant kind "${input.applicant.kind}" may not hold shares (allowed: ${APPLICANT_KINDS.join(', ')})` };
      }
      const company = await registry.organisation(pool, input.company);
      if (!company || !(await registry.company(pool, input.company))) {
        return { ok: false, reason: `company ${input.company} is not in the registry` };
      }
      if (company.validFrom > onDate || (company.validTo !== null && company.validTo < onDate)) {
        return { ok: false, reason: `company ${company.name} is not active on ${onDate}` };
      }
      if (input.applicant.businessId === input.company) {
        return { ok: false, reason: 'a company cannot become its own shareholder' };
      }
      // A known applicant is judged by the registry's record, not by what the application claims.
      const known = await registry.organisation(pool, input.applicant.businessId);
      if (known && !(APPLICANT_KINDS as readonly string[]).includes(known.kind)) {
        return { ok: false, reason: `${known.name} is registered as ${known.kind}, which may not hold shares` };
      }
      if (known && (known.validFrom > onDate || (known.validTo !== null && known.validTo < onDate))) {
        return { ok: false, reason: `${known.name} does not exist on ${onDate}` };
      }
      if (await registry.holdsShares(pool, input.company, input.applicant.businessId, onDate)) {
        return { ok: false, reason: `${input.applicant.name} is already a shareholder of ${company.name}` };
      }
      return { ok: true, companyName: company.name };
    },

    async reserveShares(r: { workflowId: string; company: string; applicantId: string; shares: number }): Promise<void> {
      await registry.reserve(pool, { workflowId: r.workflowId, companyId: r.company, applicantId: r.applicantId, shares: r.shares });
    },

    async releaseReservation(workflowId: string): Promise<void> {
      await registry.closeReservation(pool, workflowId, 'released');
    },

    /** Issues new share numbers to the applicant; a retry returns the numbers issued the first time. */
    async registerShares(r: {
      workflowId: string;
      company: string;
      applicant: OnboardingInput['applicant'];
      shares: number;
      acquiredOn: string;
    }): Promise<{ first: number; last: number; sharesIssued: number }> {
      const step = 'registered';
      return withTransaction(pool, async (tx) => {
        const company = await registry.company(tx, r.company, true);
        if (!company) throw ApplicationFailure.nonRetryable(`company ${r.company} has no share register`, 'UnknownCompany');
        const done = await registry.stepRanges(tx, r.workflowId, step);
        if (done[0]) return { first: done[0].firstNo, last: done[0].lastNo, sharesIssued: company.sharesIssued };
        await registry.upsertOrganisation(tx, {
          businessId: r.applicant.businessId,
          name: r.applicant.name,
          kind: r.applicant.kind,
          region: r.applicant.region ?? null,
          validFrom: r.acquiredOn,
        });
        const range = allocateRange(company.sharesIssued + 1, r.shares);
        await registry.insertHolding(tx, {
          companyId: r.company, holderId: r.applicant.businessId, firstNo: range.first, lastNo: range.last,
          acquiredOn: r.acquiredOn, workflowId: r.workflowId, step,
        });
        await registry.setSharesIssued(tx, r.company, range.last);
        await registry.closeReservation(tx, r.workflowId, 'registered');
        return { first: range.first, last: range.last, sharesIssued: range.last };
      });
    },

    /** One notice to every other shareholder in force on `onDate`; a retry adds none. */
    async notifyShareholders(n: {
      workflowId: string; stepKey: string; company: string; exclude: string[]; onDate: string; subject: string; body: string;
    }): Promise<{ recipients: number }> {
      const holders = await registry.holdings(pool, n.company, n.onDate);
      const recipients = [...new Set(holders.map((h) => h.holderId))].filter((id) => !n.exclude.includes(id));
      await notice({ workflowId: n.workflowId, stepKey: n.stepKey, recipients, subject: n.subject, body: n.body });
      return { recipients: recipients.length };
    },

    /** A reminder to the parties a workflow waits for (stored as a notification, with its messages in the outbox). */
    async sendReminder(n: { workflowId: string; stepKey: string; recipients: string[]; subject: string; body: string }): Promise<void> {
      await notice(n);
    },
  };
}
