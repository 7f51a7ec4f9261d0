import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as consolidationActivities from '../../activities/consolidation/consolidation.activities';
import type { ConsolidationParty } from '../../libs/domain/consolidation';
import { BATCH_ACTIVITY_OPTIONS, REGISTRY_ACTIVITY_OPTIONS } from '../kit/activity-options';
import { projectConsentSignal, stopTransfersSignal, type ProjectConsent } from './messages';

type Activities = ReturnType<typeof consolidationActivities.createConsolidationActivities>;
const acts = proxyActivities<Activities>(REGISTRY_ACTIVITY_OPTIONS);
const batches = proxyActivities<Activities>(BATCH_ACTIVITY_OPTIONS);

/**
 * Runs recorded before this patch moved each staff member and agreement in an activity of its own and
 * returned every item; from it they move in set-based batches read from PostgreSQL and return counts.
 */
export const BATCHED_TRANSFERS = 'batched-transfers';
/** Items per batch: one transaction, one activity (a 25,000-staff party is 25 of them). */
export const TRANSFER_BATCH = 1_000;

export type TransferPartyInput = {
  /** The parent consolidation's workflow id: the natural key of every write. */
  consolidationId: string;
  party: Pick<ConsolidationParty, 'businessId' | 'label' | 'staff' | 'projects' | 'agreements' | 'shareholdings'>;
  receivingId: string;
  effectiveDate: string;
};

/** Per item: a pseudonymous staff reference, a project code or an agreement reference, and what happened to it. */
export type ItemStatus = { ref: string; status: 'transferred' | 'kept' | 'not-reached' };

/**
 * Runs before BATCHED_TRANSFERS listed every item (`items`); batched runs carry counts only, and the items
 * are paged from PostgreSQL (`GET /api/workflows/{id}/items`).
 */
export type TransferPartyResult = {
  party: string;
  stopped: boolean;
  staff: { transferred: number; total: number; items?: ItemStatus[] };
  agreements: { transferred: number; total: number; items?: ItemStatus[] };
  /** Per company: the shares that passed to the receiving centre, number for number. */
  shareholdings: { company: string; shares: number; ranges: { firstNo: number; lastNo: number }[] }[];
  projects: { transferred: number; kept: { code: string; consent: ProjectConsent['consent'] }[]; total: number; items?: ItemStatus[] };
};

/**
 * One party's transfer of undertaking to the receiving centre, from the effective date: its staff
 * (pseudonymous references only, never names), its agreements (re-signed by the receiving centre), its
 * shareholdings (number for number) and
 * its running projects, each once its funder consents (a refusal keeps the project with the party).
 * Stops between items when the parent asks; the parent undoes what was done.
 */
export async function transferPartyAssets(input: TransferPartyInput): Promise<TransferPartyResult> {
  const { party, consolidationId: workflowId, receivingId: to, effectiveDate } = input;
  const consents = new Map<string, ProjectConsent['consent']>();
  let stop = false;
  setHandler(projectConsentSignal, (c) => {
    consents.set(c.code, c.consent);
  });
  setHandler(stopTransfersSignal, () => {
    stop = true;
  });

  if (patched(BATCHED_TRANSFERS)) return transferInBatches(input, consents, () => stop);

  const result: TransferPartyResult = {
    party: party.businessId,
    stopped: false,
    staff: { transferred: 0, total: party.staff.length, items: party.staff.map((ref) => ({ ref, status: 'not-reached' })) },
    agreements: { transferred: 0, total: party.agreements.length, items: party.agreements.map((a) => ({ ref: a.reference, status: 'not-reached' })) },
    shareholdings: [],
    projects: { transferred: 0, kept: [], total: party.projects.length, items: party.projects.map((p) => ({ ref: p.code, status: 'not-reached' })) },
  };
  const stopped = () => {
    result.stopped = true;
    return result;
  };

  for (const [n, ref] of party.staff.entries()) {
    if (stop) return stopped();
    await acts.transferHolding({ workflowId, partyId: party.businessId, kind: 'staff', ref, to, effectiveDate });
    setStatus(result.staff.items, n, 'transferred');
    result.staff.transferred += 1;
  }
  for (const [n, a] of party.agreements.entries()) {
    if (stop) return stopped();
    await acts.transferHolding({ workflowId, partyId: party.businessId, kind: 'agreement', ref: a.reference, to, effectiveDate, counterpartyId: a.counterparty });
    setStatus(result.agreements.items, n, 'transferred');
    result.agreements.transferred += 1;
  }
  for (const s of party.shareholdings) {
    if (stop) return stopped();
    const moved = await acts.transferShareholdings({ workflowId, partyId: party.businessId, companyId: s.company, to, effectiveDate });
    result.shareholdings.push({ company: s.company, shares: moved.shares, ranges: moved.ranges });
  }
  for (const [n, p] of party.projects.entries()) {
    await condition(() => stop || consents.has(p.code));
    if (stop) return stopped();
    const consent = consents.get(p.code) ?? 'expired';
    if (consent === 'approved') {
      await acts.transferHolding({ workflowId, partyId: party.businessId, kind: 'project', ref: p.code, to, effectiveDate, counterpartyId: p.funder });
      setStatus(result.projects.items, n, 'transferred');
      result.projects.transferred += 1;
    } else {
      await acts.keepHolding({ workflowId, partyId: party.businessId, kind: 'project', ref: p.code });
      setStatus(result.projects.items, n, 'kept');
      result.projects.kept.push({ code: p.code, consent });
    }
  }
  return result;
}

/**
 * The batched transfer: staff and agreements in set-based batches of TRANSFER_BATCH (the history holds a
 * cursor and counts, never the items), then shareholdings, then each project once its funder answers.
 * Stops between two batches when the parent asks.
 */
async function transferInBatches(
  input: TransferPartyInput, consents: Map<string, ProjectConsent['consent']>, stopAsked: () => boolean,
): Promise<TransferPartyResult> {
  const { party, consolidationId: workflowId, receivingId: to, effectiveDate } = input;
  const result: TransferPartyResult = {
    party: party.businessId,
    stopped: false,
    staff: { transferred: 0, total: 0 },
    agreements: { transferred: 0, total: 0 },
    shareholdings: [],
    projects: { transferred: 0, kept: [], total: party.projects.length },
  };
  // The inline items (a few hundred at most; uploaded lists stay in PostgreSQL) are stored by the prepared
  // stage; a run whose prepared stage ran before that stores them here (once either way).
  if (party.staff.length > 0 || party.agreements.length > 0) await acts.storePartyItems({ workflowId, party });
  for (const kind of ['staff', 'agreement'] as const) {
    const counts = kind === 'staff' ? result.staff : result.agreements;
    let cursor = 0;
    for (;;) {
      if (stopAsked()) return { ...result, stopped: true };
      const batch = await batches.transferBatch({ workflowId, partyId: party.businessId, kind, to, effectiveDate, cursor, limit: TRANSFER_BATCH });
      cursor = batch.cursor;
      counts.transferred += batch.covered;
      counts.total = batch.total;
      if (batch.done) break;
    }
  }
  for (const s of party.shareholdings) {
    if (stopAsked()) return { ...result, stopped: true };
    const moved = await acts.transferShareholdings({ workflowId, partyId: party.businessId, companyId: s.company, to, effectiveDate });
    result.shareholdings.push({ company: s.company, shares: moved.shares, ranges: moved.ranges });
  }
  for (const p of party.projects) {
    await condition(() => stopAsked() || consents.has(p.code));
    if (stopAsked()) return { ...result, stopped: true };
    const consent = consents.get(p.code) ?? 'expired';
    if (consent === 'approved') {
      await acts.transferHolding({ workflowId, partyId: party.businessId, kind: 'project', ref: p.code, to, effectiveDate, counterpartyId: p.funder });
      result.projects.transferred += 1;
    } else {
      await acts.keepHolding({ workflowId, partyId: party.businessId, kind: 'project', ref: p.code });
      result.projects.kept.push({ code: p.code, consent });
    }
  }
  return result;
}

function setStatus(items: ItemStatus[] | undefined, n: number, status: ItemStatus['status']): void {
  const item = items?.[n];
  if (item) item.status = status;
}
